import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { serverStatus } from '../../../schemas/status.js';
import { VERSION } from '../../version.js';
import type { ApiOptions } from './shared.js';

export const statusRoutes: FastifyPluginAsyncZod<ApiOptions> = async (app, { engine }) => {
  app.get('/status', {
    schema: {
      tags: ['status'],
      summary: 'Who is answering (name, version, data dir) and a summary of the library and channels',
      response: { 200: serverStatus },
    },
  }, async () => ({
    name: 'exstreamtv' as const,
    version: VERSION,
    uptimeS: Math.floor((Date.now() - engine.startedAt) / 1000),
    dataDir: engine.config.dataDir,
    channels: engine.channels.list().length,
    sources: engine.sources.list().length,
    items: engine.library.counts(),
    scansRunning: engine.scans.active,
    discovery: engine.discovery,
  }));
};
