import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { channel, channelNumberParam } from '../../../schemas/channel.js';
import { scheduleDefinition } from '../../../schemas/schedule.js';
import { rowPage, timelineRowOut } from '../../../schemas/timeline.js';
import { MAX_PREVIEW_HOURS } from '../../../engine/services/schedules.js';
import { errors, type ApiOptions } from './shared.js';

const scheduleOut = z.object({ definition: scheduleDefinition, custom: z.boolean(), seed: z.number().int(), revision: z.number().int() });

const previewBody = z.object({
  definition: scheduleDefinition,
  from: z.iso.datetime({ offset: true }).optional().describe('default: now'),
  hours: z.number().positive().max(MAX_PREVIEW_HOURS).default(24),
  seed: z.number().int().min(0).max(0xffffffff).optional().describe('default: the channel\'s seed, or a random one'),
  channel: z.union([z.string(), z.number()]).transform(String).optional().describe('continue this channel\'s progress'),
  limit: z.number().int().min(1).max(100_000).optional().describe('at most this many rows (default: all); `total` and `nextFrom` say what was left out'),
}).strict();

const operationBody = z.object({
  definition: scheduleDefinition,
  operation: z.discriminatedUnion('op', [
    z.object({ op: z.literal('balance'), split: z.string().optional().describe('split this source into one source per show first') }).strict(),
    z.object({ op: z.literal('replicate'), slot: z.number().int().min(0), times: z.number().int().min(1).max(96), everyMin: z.number().int().min(1).max(1439) }).strict(),
    z.object({ op: z.literal('consolidate') }).strict(),
  ]),
}).strict();

export const scheduleRoutes: FastifyPluginAsyncZod<ApiOptions> = async (app, { engine }) => {
  app.get('/channels/:number/schedule', {
    schema: { tags: ['schedules'], summary: 'The channel\'s schedule as a full definition (simple channels converted)', params: channelNumberParam, response: { 200: scheduleOut, ...errors(400, 404) } },
  }, async (req) => engine.schedules.get(req.params.number));

  app.put('/channels/:number/schedule', {
    schema: {
      tags: ['schedules'],
      summary: 'Replace the channel\'s schedule; rebuilds from now, never cutting the row on air, continuing each source\'s series',
      params: channelNumberParam, body: scheduleDefinition,
      querystring: z.object({ expectRevision: z.coerce.number().int().min(0).optional().describe('refuse (409) when the saved schedule is no longer at this revision (an editor\'s lost-update guard)') }).strict(),
      response: { 200: channel, ...errors(400, 404, 409) },
    },
  }, async (req) => engine.schedules.set(req.params.number, req.body, Date.now(), req.query.expectRevision));

  app.post('/schedules/preview', {
    schema: {
      tags: ['schedules'],
      summary: 'Rows a definition would produce for a window, without saving (identical to what saving builds for the same seed)',
      body: previewBody,
      response: { 200: z.object({ seed: z.number().int(), rows: z.array(timelineRowOut.extend({ id: z.number().int().describe('ordinal in the preview') })), ...rowPage }), ...errors(400, 404) },
    },
  }, async (req) => {
    const b = req.body;
    return engine.schedules.previewOut(b.definition, { from: b.from ? Date.parse(b.from) : Date.now(), hours: b.hours, seed: b.seed, channel: b.channel }, b.limit);
  });

  app.post('/schedules/operations', {
    schema: {
      tags: ['schedules'],
      summary: 'Balance airtime, replicate a slot or consolidate repeats; returns the new definition (not saved)',
      body: operationBody,
      response: { 200: z.object({ definition: scheduleDefinition }), ...errors(400) },
    },
  }, async (req) => ({ definition: engine.schedules.transform(req.body.definition, req.body.operation) }));
};
