// The browser face of the box: the read-only status page at `/` with its script and styles, and
// `/api/docs`, an OpenAPI viewer (Swagger UI from @fastify/swagger-ui: served by this box, no CDN).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../engine/engine.js';
import { VERSION } from '../version.js';
import { statusData, statusPage } from './status-page.js';

// The assets are plain files next to the sources (the box runs from its checkout: dist/ beside src/).
const asset = (name: string) => fileURLToPath(new URL(`../../../../src/server/web/assets/${name}`, import.meta.url));
const ASSETS: Record<string, string> = { 'page.js': 'application/javascript; charset=utf-8', 'page.css': 'text/css; charset=utf-8' };

export async function webRoutes(app: FastifyInstance, opts: { engine: Engine }): Promise<void> {
  app.get('/', {
    schema: {
      tags: ['meta'],
      summary: 'Read-only status page: channels with now/next, a guide grid of the next hours, tune links and a player',
      produces: ['text/html'],
    },
  }, async (_req, reply) => reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-store')
    .send(statusPage(statusData(opts.engine, Date.now()), VERSION)));

  const cache = new Map<string, Buffer>();
  app.get<{ Params: { name: string } }>('/static/web/:name', { schema: { hide: true } }, async (req, reply) => {
    const type = ASSETS[req.params.name];
    if (!type) return reply.code(404).send({ error: 'Not Found', message: `no file ${req.params.name}`, statusCode: 404 });
    let body = cache.get(req.params.name);
    if (!body) { body = await readFile(asset(req.params.name)); cache.set(req.params.name, body); }
    return reply.headers({ 'Content-Type': type, 'Cache-Control': 'public, max-age=3600' }).send(body);
  });

  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list', deepLinking: true }, staticCSP: false });
}
