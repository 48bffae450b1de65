import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../../engine/errors.js';
import { rowsOut } from '../../../engine/timeline/view.js';
import { channelNumberParam } from '../../../schemas/channel.js';
import { channelTimeline, nowPlaying, nowQuery, timelineQuery } from '../../../schemas/timeline.js';
import { errors, type ApiOptions } from './shared.js';

const HOUR_MS = 3_600_000;

export const timelineRoutes: FastifyPluginAsyncZod<ApiOptions> = async (app, { engine }) => {
  const { store, timeline } = engine;

  app.get('/channels/:number/timeline', {
    schema: {
      tags: ['timeline'],
      summary: 'Timeline rows overlapping [from, from + hours) in time order (from defaults to now); at most `limit`, with the window\'s total and where a cut list goes on',
      params: channelNumberParam,
      querystring: timelineQuery,
      response: { 200: channelTimeline, ...errors(400, 404) },
    },
  }, async (req) => {
    const ch = engine.channels.get(req.params.number);
    timeline.extend(ch.id);
    const from = req.query.from ? Date.parse(req.query.from) : Date.now();
    const to = from + req.query.hours * HOUR_MS;
    const rows = store.timeline.range(ch.id, from, to, req.query.limit + 1);
    const cut = rows.length > req.query.limit ? rows.pop()! : null;
    const total = cut ? store.timeline.countRange(ch.id, from, to) : rows.length;
    return { channel: { number: ch.number, name: ch.name }, rows: rowsOut(store, rows), total, nextFrom: cut ? new Date(cut.startMs).toISOString() : null };
  });

  app.get('/channels/:number/now', {
    schema: {
      tags: ['timeline'],
      summary: 'What airs at a moment (default now): the row, how far into it, where to seek in the item, and what comes next',
      params: channelNumberParam,
      querystring: nowQuery,
      response: { 200: nowPlaying, ...errors(400, 404) },
    },
  }, async (req) => {
    const ch = engine.channels.get(req.params.number);
    timeline.extend(ch.id);
    const at = req.query.at ? Date.parse(req.query.at) : Date.now();
    const on = timeline.whatIsOn(ch.id, at);
    if (!on) throw new AppError(404, `nothing is scheduled on channel ${ch.number} at ${new Date(at).toISOString()}`);
    const next = store.timeline.next(ch.id, on.row.endMs);
    const [row, nextRow] = rowsOut(store, next ? [on.row, next] : [on.row]);
    return { at: new Date(at).toISOString(), offsetMs: on.offsetMs, seekMs: on.seekMs, row: row!, next: nextRow ?? null };
  });
};
