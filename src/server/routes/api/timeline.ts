import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../../engine/errors.js';
import { channelNumberParam } from '../../../schemas/channel.js';
import { channelTimeline, nowPlaying, nowQuery, timelineQuery } from '../../../schemas/timeline.js';
import { errors, type ApiOptions } from './shared.js';

const HOUR_MS = 3_600_000;

export const timelineRoutes: FastifyPluginAsyncZod<ApiOptions> = async (app, { engine }) => {
  const { timeline } = engine;

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
    const from = req.query.from ? Date.parse(req.query.from) : Date.now();
    return { channel: { number: ch.number, name: ch.name }, ...timeline.window(ch.id, from, from + req.query.hours * HOUR_MS, req.query.limit) };
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
    const at = req.query.at ? Date.parse(req.query.at) : Date.now();
    const now = timeline.nowAndNext(ch.id, at);
    if (!now) throw new AppError(404, `nothing is scheduled on channel ${ch.number} at ${new Date(at).toISOString()}`);
    return { at: new Date(at).toISOString(), offsetMs: now.on.offsetMs, seekMs: now.on.seekMs, row: now.row, next: now.next };
  });
};
