// Channel streams: continuous MPEG-TS, live HLS, and the web player.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { FastifyPluginAsync } from 'fastify';
import type { Engine } from '../../engine/engine.js';
import { AppError, UnavailableError } from '../../engine/errors.js';
import type { Channel } from '../../schemas/channel.js';
import { watchPage } from '../web/watch.js';
import { admitTune, serveTs } from './tune.js';

const hlsJsPath = createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js');

// Errors are thrown and answered by the server's one error handler; the one CORS policy (cors.ts)
// makes everything under /stream/ readable cross-origin, error replies included.
export const streamRoutes: FastifyPluginAsync<{ engine: Engine }> = async (app, { engine }) => {
  /** An enabled channel that may be tuned now (else a 404, or a 503 when no tuner is free). */
  const admitted = (raw: string): Channel => {
    const ch = engine.channels.tunable(raw);
    admitTune(engine, ch);
    return ch;
  };

  /** Continuous MPEG-TS of a channel. ?duration=N ends the response after N seconds. */
  const doc = (summary: string) => ({ schema: { tags: ['streaming'], summary } });

  app.get<{ Params: { file: string }; Querystring: { duration?: string } }>('/stream/channels/:file', doc('Continuous MPEG-TS of channel <number>.ts (video/mp2t, no Content-Length); ?duration=N ends after N s'), async (req, reply) => {
    const m = /^(.+)\.ts$/.exec(req.params.file);
    if (!m) throw new AppError(404, 'use /stream/channels/<number>.ts');
    const ch = admitted(m[1]!);
    serveTs(engine, ch, req, reply, Number(req.query.duration) || 0);
    return reply;
  });

  app.get<{ Params: { number: string } }>('/stream/channels/:number/index.m3u8', doc('Live HLS playlist of a channel (sliding window, continuous timestamps)'), async (req, reply) => {
    const ch = admitted(req.params.number);
    const session = engine.streams.acquire(ch);
    if (!(await engine.streams.waitHls(ch.id, session, 2))) throw new UnavailableError('the channel did not start in time; try again');
    return reply.headers({ 'Content-Type': 'application/vnd.apple.mpegurl', 'Cache-Control': 'no-cache, no-store' }).send(session.hls.playlist());
  });

  app.get<{ Params: { number: string; segment: string } }>('/stream/channels/:number/:segment', doc('One HLS segment (immutable)'), async (req, reply) => {
    const ch = engine.channels.tunable(req.params.number);
    const session = engine.streams.get(ch.id);
    const seg = session?.hls.segment(req.params.segment);
    if (!session || !seg) throw new AppError(404, 'segment expired; reload the playlist');
    engine.streams.touchHls(ch.id);
    return reply.headers({ 'Content-Type': 'video/mp2t', 'Cache-Control': 'public, max-age=3600, immutable' }).send(seg.data);
  });

  app.get<{ Params: { number: string } }>('/watch/:number', doc('Web player page for a channel (hls.js served by this box)'), async (req, reply) => {
    const ch = engine.channels.tunable(req.params.number);
    return reply.type('text/html; charset=utf-8').send(watchPage(ch.number, ch.name));
  });

  let hlsJs: Buffer | null = null;
  app.get('/static/hls.min.js', { schema: { hide: true } }, async (_req, reply) => {
    hlsJs ??= await readFile(hlsJsPath);
    return reply.headers({ 'Content-Type': 'application/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=86400' }).send(hlsJs);
  });
};
