// Server-Sent Events over a hijacked fastify reply: named events with JSON data, comment heartbeats,
// and cleanup on every way a stream ends (client gone, slow client, server closing).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** A client that stops reading is dropped once this much is queued for it. */
const MAX_BUFFERED = 1 << 20;

export class SseStream {
  private readonly cleanups: (() => void)[] = [];
  private closed = false;

  constructor(private readonly req: FastifyRequest, private readonly reply: FastifyReply, heartbeatMs: number) {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(': connected\nretry: 3000\n\n');
    const timer = setInterval(() => this.write(`: heartbeat ${new Date().toISOString()}\n\n`), heartbeatMs);
    this.cleanups.push(() => clearInterval(timer));
    const end = () => this.close();
    req.raw.once('close', end);
    res.once('close', end);
    res.once('error', end);
  }

  get isClosed(): boolean { return this.closed; }

  /** Runs fn when the stream ends (listeners to remove, timers to clear). */
  onClose(fn: () => void): void {
    if (this.closed) fn();
    else this.cleanups.push(fn);
  }

  send(event: string, data: unknown): void {
    this.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private write(chunk: string): void {
    if (this.closed) return;
    const res = this.reply.raw;
    if (res.destroyed || res.writableEnded) return this.close();
    if (res.writableLength > MAX_BUFFERED) {
      this.req.log.warn('event stream client is not reading; closing it');
      return this.close();
    }
    res.write(chunk);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const fn of this.cleanups.splice(0)) {
      try { fn(); } catch { /* a cleanup must not stop the others */ }
    }
    const res = this.reply.raw;
    if (!res.writableEnded) res.end();
  }
}

/** Keeps the open streams of an app so that closing the app ends them (they would hold it open). */
export function streamRegistry(app: FastifyInstance): Set<SseStream> {
  const open = new Set<SseStream>();
  app.addHook('preClose', async () => {
    for (const s of [...open]) s.close();
  });
  return open;
}
