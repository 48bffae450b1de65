// IPTV endpoints: the M3U playlist and the XMLTV guide (streamed), under /iptv and, as aliases, /api;
// and the channels' file-path logos they point at (/images/channels/{id}).
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Engine } from '../../engine/engine.js';
import { createReadStream } from 'node:fs';
import { imageType, publicLogo } from '../../engine/guide/logos.js';
import { renderM3u } from '../../engine/guide/m3u.js';
import { xmltvStream } from '../../engine/guide/source.js';
import { baseUrl } from '../base-url.js';
import { tokenQuery, withToken } from '../security/access.js';

export const GUIDE_MAX_DAYS = 14;

const m3uQuery = z.object({
  format: z.enum(['ts', 'hls']).default('ts').describe('ts: continuous MPEG-TS URLs (default); hls: HLS playlist URLs'),
});

const xmltvQuery = z.object({
  days: z.coerce.number().int().min(1).max(GUIDE_MAX_DAYS).optional()
    .describe(`Days ahead of now (1–${GUIDE_MAX_DAYS}; default: the configured timelineDays). Never more than the materialised timeline.`),
});

export const iptvRoutes: FastifyPluginAsyncZod<{ engine: Engine }> = async (app, { engine }) => {
  const base = (host: string | undefined) => baseUrl(host, { port: engine.config.port, lanAddress: engine.config.lanAddress });

  for (const [url, summary] of [
    ['/iptv/channels.m3u', 'M3U playlist of the enabled channels (tvg-id = XMLTV channel id; ?format=hls for HLS URLs)'],
    ['/api/channels.m3u', 'Alias of /iptv/channels.m3u'],
  ] as const) {
    app.get(url, { schema: { tags: ['guide'], summary, querystring: m3uQuery } }, async (req, reply) => {
      const b = base(req.headers.host);
      const channels = engine.channels.list().map((c) => ({ ...c, logo: publicLogo(c, b) }));
      const body = renderM3u(channels, { baseUrl: b, format: req.query.format, guideUrl: withToken(req, `${b}/iptv/xmltv.xml`), query: tokenQuery(req) });
      return reply.headers({ 'Content-Type': 'audio/x-mpegurl; charset=utf-8', 'Cache-Control': 'no-cache' }).send(body);
    });
  }

  const GUIDE_WAIT_MS = 5000;
  for (const [url, summary] of [
    ['/iptv/xmltv.xml', 'XMLTV guide of the enabled channels from the timeline, streamed: [now − 1 h, now + days)'],
    ['/api/xmltv.xml', 'Alias of /iptv/xmltv.xml'],
  ] as const) {
    app.get(url, { schema: { tags: ['guide'], summary, querystring: xmltvQuery } }, async (req, reply) => {
      // Live (IPTV) channels' provider guides: fetched when stale, waited for briefly (a failure means hour blocks).
      await engine.iptvGuide.refreshStale(GUIDE_WAIT_MS).catch(() => undefined);
      const body = xmltvStream(engine, { days: req.query.days ?? engine.config.timelineDays, baseUrl: base(req.headers.host) });
      return reply.headers({ 'Content-Type': 'application/xml; charset=utf-8', 'Cache-Control': 'no-cache' }).send(body);
    });
  }

  app.get('/images/channels/:id', {
    schema: {
      tags: ['guide'], summary: 'A channel\'s logo when it is an image file (what the M3U tvg-logo and XMLTV <icon> point at); 404 when it has none or the file is no longer allowed',
      params: z.object({ id: z.coerce.number().int().min(1) }),
    },
  }, async (req, reply) => {
    const file = engine.channels.logoFile(req.params.id);
    // An SVG may carry script: it is shown as an image, never run as a page.
    return reply.headers({ 'Content-Type': imageType(file), 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox", 'Cache-Control': 'no-cache' })
      .send(createReadStream(file));
  });
};
