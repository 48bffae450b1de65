import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NotFoundError } from '../../../engine/errors.js';
import { idParam } from '../../../schemas/common.js';
import { scanState } from '../../../schemas/library.js';
import { errors, type ApiOptions } from './shared.js';

export const scanRoutes: FastifyPluginAsyncZod<ApiOptions> = async (app, { engine }) => {
  app.get('/scans', {
    schema: { tags: ['library'], summary: 'Recent and running scans, newest first', response: { 200: z.array(scanState) } },
  }, async () => engine.scans.list());

  app.get('/scans/:id', {
    schema: { tags: ['library'], summary: 'One scan: its phase, counts and outcome', params: idParam, response: { 200: scanState, ...errors(400, 404) } },
  }, async (req) => {
    const scan = engine.scans.get(req.params.id);
    if (!scan) throw new NotFoundError(`scan ${req.params.id}`);
    return scan;
  });
};
