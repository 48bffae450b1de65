import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sessionStats } from '../../../schemas/session.js';
import type { ApiOptions } from './shared.js';

export const sessionRoutes: FastifyPluginAsyncZod<ApiOptions> = async (app, { engine }) => {
  app.get('/sessions', {
    schema: {
      tags: ['streaming'],
      summary: 'Live channel sessions: viewers, uptime, now playing, encoder, bitrate, restarts, last error',
      response: { 200: z.array(sessionStats) },
    },
  }, async () => engine.streams.stats());
};
