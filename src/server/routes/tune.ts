// One tune path for every route that hands out a channel's MPEG-TS (/stream/channels/<n>.ts and
// the HDHomeRun /auto/v<n>): the tuner admission (503 as a real tuner says it) and serving one
// viewer on the hijacked reply. The engine only hands out a viewer handle; HTTP stays here.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Engine } from '../../engine/engine.js';
import type { Channel } from '../../schemas/channel.js';
import { UnavailableError } from '../../engine/errors.js';

/**
 * Viewers of one channel share a tuner; another channel needs a free one (else 503 with the
 * HDHomeRun error header). Nothing tunes while the database is being restored (503, Retry-After).
 * A refusal is thrown: the server's one error handler answers it.
 */
export function admitTune(engine: Engine, ch: Channel): void {
  const refusal = engine.streams.admission(ch.id, engine.config.tunerCount);
  if (!refusal) return;
  throw new UnavailableError(refusal.message, refusal.reason === 'held' ? { 'Retry-After': '5' } : { 'X-HDHomeRun-Error': '805 All Tuners In Use' });
}

/** Serves one MPEG-TS viewer: 200 video/mp2t without Content-Length, PAT+PMT+latest GOP first. Ends after durationS when > 0. */
export function serveTs(engine: Engine, ch: Channel, req: FastifyRequest, reply: FastifyReply, durationS = 0): void {
  const res = reply.raw;
  // Start the session first: a refusal (shutting down) still becomes an error reply.
  engine.streams.acquire(ch);
  reply.hijack();
  res.writeHead(200, { 'Content-Type': 'video/mp2t', 'Cache-Control': 'no-cache, no-store', 'Access-Control-Allow-Origin': '*', Connection: 'close' });
  res.flushHeaders();
  res.socket?.setNoDelay(true);
  // The viewer writes its first packets (PAT, PMT, the GOP) at once: after the headers.
  const handle = engine.streams.watch(ch, res, `viewer ${req.socket.remoteAddress ?? '?'}`);
  let timer: NodeJS.Timeout | null = null;
  const done = () => {
    if (timer) clearTimeout(timer);
    handle.leave();
  };
  if (durationS > 0) timer = setTimeout(() => { done(); res.end(); }, durationS * 1000);
  res.on('close', done);
  res.on('error', done);
}
