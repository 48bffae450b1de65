// Channel streams: continuous MPEG-TS, live HLS, and the web player.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Engine } from '../../engine/engine.js';
import { canonicalChannelNumber, type Channel } from '../../schemas/channel.js';
import { errorBody } from '../errors.js';
import { watchPage } from '../web/watch.js';
import { admitTune, serveTs } from './tune.js';

const CORS = { 'Access-Control-Allow-Origin': '*' };
const hlsJsPath = createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js');

export const streamRoutes: FastifyPluginAsync<{ engine: Engine }> = async (app, { engine }) => {
  const channelOr404 = (raw: string, reply: FastifyReply): Channel | null => {
    const number = canonicalChannelNumber(raw);
    const ch = number ? engine.store.channels.findByNumber(number) : undefined;
    if (!ch || !ch.enabled) {
      void reply.code(404).send(errorBody(404, `channel ${raw} not found`));
      return null;
    }
    return ch;
  };

  const tunerOr503 = (ch: Channel, reply: FastifyReply): boolean => admitTune(engine, ch, reply, CORS);

  /** Continuous MPEG-TS of a channel. ?duration=N ends the response after N seconds. */
  const doc = (summary: string) => ({ schema: { tags: ['streaming'], summary } });

  app.get<{ Params: { file: string }; Querystring: { duration?: string } }>('/stream/channels/:file', doc('Continuous MPEG-TS of channel <number>.ts (video/mp2t, no Content-Length); ?duration=N ends after N s'), async (req, reply) => {
    const m = /^(.+)\.ts$/.exec(req.params.file);
    if (!m) return reply.code(404).send(errorBody(404, 'use /stream/channels/<number>.ts'));
    const ch = channelOr404(m[1]!, reply);
    if (!ch || !tunerOr503(ch, reply)) return reply;
    serveTs(engine, ch, req, reply, Number(req.query.duration) || 0);
    return reply;
  });

  app.get<{ Params: { number: string } }>('/stream/channels/:number/index.m3u8', doc('Live HLS playlist of a channel (sliding window, continuous timestamps)'), async (req, reply) => {
    const ch = channelOr404(req.params.number, reply);
    if (!ch || !tunerOr503(ch, reply)) return reply;
    const session = engine.streams.acquire(ch);
    engine.streams.touchHls(ch.id);
    if (!(await session.hlsReady(2))) {
      return reply.code(503).headers(CORS).send(errorBody(503, 'the channel did not start in time; try again'));
    }
    return reply.headers({ ...CORS, 'Content-Type': 'application/vnd.apple.mpegurl', 'Cache-Control': 'no-cache, no-store' }).send(session.hls.playlist());
  });

  app.get<{ Params: { number: string; segment: string } }>('/stream/channels/:number/:segment', doc('One HLS segment (immutable)'), async (req, reply) => {
    const ch = channelOr404(req.params.number, reply);
    if (!ch) return reply;
    const session = engine.streams.get(ch.id);
    const seg = session?.hls.segment(req.params.segment);
    if (!session || !seg) return reply.code(404).headers(CORS).send(errorBody(404, 'segment expired; reload the playlist'));
    engine.streams.touchHls(ch.id);
    return reply.headers({ ...CORS, 'Content-Type': 'video/mp2t', 'Cache-Control': 'public, max-age=3600, immutable' }).send(seg.data);
  });

  app.get<{ Params: { number: string } }>('/watch/:number', doc('Web player page for a channel (hls.js served by this box)'), async (req, reply) => {
    const ch = channelOr404(req.params.number, reply);
    if (!ch) return reply;
    return reply.type('text/html; charset=utf-8').send(watchPage(ch.number, ch.name));
  });

  let hlsJs: Buffer | null = null;
  app.get('/static/hls.min.js', { schema: { hide: true } }, async (_req, reply) => {
    hlsJs ??= await readFile(hlsJsPath);
    return reply.headers({ 'Content-Type': 'application/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=86400' }).send(hlsJs);
  });
};
