import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParam } from '../../../schemas/common.js';
import { show } from '../../../schemas/library.js';
import { errors, type ApiOptions } from './shared.js';

export const showRoutes: FastifyPluginAsyncZod<ApiOptions> = async (app, { engine }) => {
  app.get('/shows', {
    schema: { tags: ['library'], summary: 'List shows with their seasons and playable episode counts', response: { 200: z.array(show) } },
  }, async () => engine.library.shows());

  app.get('/shows/:id', {
    schema: { tags: ['library'], summary: 'One show', params: idParam, response: { 200: show, ...errors(400, 404) } },
  }, async (req) => engine.library.show(req.params.id));
};
