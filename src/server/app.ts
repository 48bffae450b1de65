// Builds the HTTP server over an engine, without listening (the composition root calls listen;
// the CLI runs it in-process through app.inject()).
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Engine } from '../engine/engine.js';
import { installCors } from './cors.js';
import { frameworkError, installErrorHandlers } from './errors.js';
import { installJsonBodyParser } from './json-body.js';
import { apiRoutes } from './routes/api/index.js';
import { iptvRoutes } from './routes/iptv.js';
import { hdhrRoutes } from './routes/hdhr.js';
import { streamRoutes } from './routes/stream.js';
import { installAccessControl } from './security/access.js';
import { installSecurityHeaders } from './security/headers.js';
import { installLimits } from './security/limits.js';
import { Tokens } from './security/token.js';
import { tokenRoutes } from './security/token-routes.js';
import { VERSION } from './version.js';
import { webRoutes } from './web/routes.js';

export interface ServerDeps {
  engine: Engine;
  /** Fastify's logger option (default: off; the engine's log events are what the daemon prints). */
  logger?: FastifyServerOptions['logger'];
  /** Interval of the comment heartbeat on /api/events (default 15 s). */
  sseHeartbeatMs?: number;
}

/** Largest accepted request body. A manual collection of 100,000 item ids fits. */
export const BODY_LIMIT = 2 * 1024 * 1024;

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: BODY_LIMIT,
    // On close, drop lingering keep-alive sockets too (event-stream clients reconnect, idle pools
    // linger): a daemon asked to stop should stop now, not when the last client lets go.
    forceCloseConnections: true,
    frameworkErrors: frameworkError,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandlers(app, deps.engine.events);
  installCors(app);
  installJsonBodyParser(app);
  const cfg = deps.engine.config;
  const tokens = new Tokens(cfg.dataDir);
  installAccessControl(app, { tokens, trustLoopback: cfg.trustLoopback, tunerToken: cfg.tunerToken, allowedHosts: cfg.allowedHosts, lanAddress: cfg.lanAddress });
  installLimits(app);
  installSecurityHeaders(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'EXStreamTV API',
        version: VERSION,
        description: 'Manage media sources, collections and channels of an EXStreamTV box; read its timelines and follow its events.',
      },
      tags: [
        { name: 'status', description: 'Who answers and what it holds' },
        { name: 'library', description: 'Media sources, scans, items and shows' },
        { name: 'collections', description: 'Manual and saved-search collections of media items' },
        { name: 'channels', description: 'Channels and their schedules' },
        { name: 'schedules', description: 'Schedule definitions: orders, time slots, random slots, filler, blocks; preview and operations' },
        { name: 'timeline', description: 'What airs when: the one truth for guide and playback' },
        { name: 'streaming', description: 'Live channel sessions' },
        { name: 'hardware', description: 'Hardware encoders verified by real probes (GET /api/hw), and re-probing' },
        { name: 'profiles', description: 'Encoder profiles (hardware kind, codec, size, rates, scaling, deinterlace, audio, loudness) and test encodes' },
        { name: 'backups', description: 'Database backups: list, back up now, restore, delete' },
        { name: 'guide', description: 'M3U playlist and XMLTV guide for IPTV clients' },
        { name: 'hdhomerun', description: 'HDHomeRun tuner emulation for DVR clients' },
        { name: 'ai', description: 'AI provider settings, channels from a sentence' },
        { name: 'diagnostics', description: 'Troubleshooting: classified causes, fixes, evidence and the failing ffmpeg command' },
        { name: 'events', description: 'Live engine events (Server-Sent Events)' },
        { name: 'security', description: 'Admin and stream tokens (see the README, "Security")' },
        { name: 'import', description: 'Import channels, schedules, filler and servers from dizqueTV, Tunarr and ErsatzTV' },
        { name: 'meta', description: 'This document' },
      ],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(apiRoutes, { prefix: '/api', engine: deps.engine, sseHeartbeatMs: deps.sseHeartbeatMs ?? 15_000 });
  await app.register(tokenRoutes, { prefix: '/api', tokens, dataDir: cfg.dataDir, tunerToken: cfg.tunerToken });
  await app.register(iptvRoutes, { engine: deps.engine });
  await app.register(streamRoutes, { engine: deps.engine });
  await app.register(hdhrRoutes, { engine: deps.engine });
  await app.register(webRoutes, { engine: deps.engine });
  return app;
}
