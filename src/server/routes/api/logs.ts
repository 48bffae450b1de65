// GET /api/logs: the daemon's recent log lines (the memory ring), filtered by level and channel.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { logEntry, logsQuery } from '../../../schemas/logs.js';
import { errors, type ApiOptions } from './shared.js';

export const logRoutes: FastifyPluginAsyncZod<ApiOptions> = async (app, { engine }) => {
  app.get('/logs', {
    schema: {
      tags: ['status'],
      summary: `The newest log lines kept in memory (up to ${engine.logs.size}), oldest first; follow new ones with /api/events?types=log`,
      querystring: logsQuery,
      response: { 200: z.array(logEntry), ...errors(400) },
    },
  }, async (req) => engine.logs.list(req.query));
};
