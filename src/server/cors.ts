// The one CORS policy: media a browser on another origin may play (the web player, hls.js pages)
// is readable from anywhere; the API and everything else stays same-origin. Set on the raw reply at
// request start, so hijacked streams (MPEG-TS) and error replies carry it too.
import type { FastifyInstance } from 'fastify';

/** Path prefixes readable cross-origin. */
export const CORS_PREFIXES: readonly string[] = ['/stream/'];

export const corsAllowed = (url: string): boolean => CORS_PREFIXES.some((p) => url.startsWith(p));

export function installCors(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    if (corsAllowed(req.url)) reply.raw.setHeader('Access-Control-Allow-Origin', '*');
  });
}
