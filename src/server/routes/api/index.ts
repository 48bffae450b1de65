// The JSON API under /api: one plugin per resource.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { aiRoutes } from './ai.js';
import { backupRoutes } from './backups.js';
import { channelRoutes } from './channels.js';
import { collectionRoutes } from './collections.js';
import { diagnosticsRoutes } from './diagnostics.js';
import { eventRoutes } from './events.js';
import { hwRoutes } from './hw.js';
import { importRoutes } from './import.js';
import { itemRoutes } from './items.js';
import { logRoutes } from './logs.js';
import { onlineRoutes } from './online.js';
import { openapiRoutes } from './openapi.js';
import { profileRoutes } from './profiles.js';
import { scanRoutes } from './scans.js';
import { scheduleRoutes } from './schedules.js';
import { serverRoutes } from './servers.js';
import { sessionRoutes } from './sessions.js';
import { showRoutes } from './shows.js';
import { sourceRoutes } from './sources.js';
import { statusRoutes } from './status.js';
import { timelineRoutes } from './timeline.js';
import { tunerRoutes } from './tuner.js';
import type { ApiOptions } from './shared.js';

export const apiRoutes: FastifyPluginAsyncZod<ApiOptions> = async (app, { engine, sseHeartbeatMs }) => {
  // Only our own options travel on: the prefix this plugin was registered with must not apply twice.
  const opts: ApiOptions = { engine, sseHeartbeatMs };
  for (const routes of [statusRoutes, sourceRoutes, serverRoutes, onlineRoutes, scanRoutes, itemRoutes, showRoutes, collectionRoutes, channelRoutes, timelineRoutes, scheduleRoutes, sessionRoutes, hwRoutes, profileRoutes, backupRoutes, logRoutes, aiRoutes, diagnosticsRoutes, eventRoutes, openapiRoutes, tunerRoutes, importRoutes]) {
    await app.register(routes, opts);
  }
};
