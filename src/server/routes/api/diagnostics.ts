// GET /api/diagnostics: the doctor's findings (cause, fix, evidence) for the box and for channels
// in trouble, or for one channel with the exact ffmpeg command of its piece on air.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { channelDiagnosis, diagnostics } from '../../../schemas/ai.js';
import { channelNumberParam } from '../../../schemas/channel.js';
import { errors, type ApiOptions } from './shared.js';

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const diagnosticsRoutes: FastifyPluginAsyncZod<ApiOptions> = async (app, { engine }) => {
  app.get('/diagnostics', {
    schema: {
      tags: ['diagnostics'],
      summary: 'Rule-based troubleshooting of the box and of every channel with recent session errors: cause, concrete fix, evidence, the failing ffmpeg command',
      querystring: z.object({ explain: flag.optional().describe('add the model\'s explanation (a provider must be set up; facts are sent without paths or tokens)') }).strict(),
      response: { 200: diagnostics, ...errors(400) },
    },
  }, async (req) => engine.doctor.all({ explain: req.query.explain ?? false }));

  app.get('/diagnostics/:number', {
    schema: {
      tags: ['diagnostics'],
      summary: 'Troubleshoot one channel: recent session trouble, the library state of the piece on air and a short trial run of its exact ffmpeg command',
      params: channelNumberParam,
      querystring: z.object({
        at: z.iso.datetime({ offset: true }).optional().describe('the moment whose piece to try (default now)'),
        explain: flag.optional(),
      }).strict(),
      response: { 200: channelDiagnosis, ...errors(400, 404) },
    },
  }, async (req) => engine.doctor.channel(req.params.number, { ...(req.query.at ? { at: Date.parse(req.query.at) } : {}), explain: req.query.explain ?? false }));
};
