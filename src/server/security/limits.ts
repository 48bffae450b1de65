// Bounds on what one request may ask for: `?duration=` on tune URLs (seconds, 0 = until the viewer
// leaves, at most a day), and how many expensive operations run at once (previews, test encodes,
// hardware probes: 429; backups and restores: 409, they run one at a time).
import type { FastifyInstance } from 'fastify';
import { errorBody } from '../errors.js';

export const MAX_DURATION_S = 86_400;

const TUNE_ROUTES = new Set(['/stream/channels/:file', '/auto/:vchan']);

/** null when `raw` is an acceptable ?duration= value, else why not. */
export function durationProblem(raw: unknown): string | null {
  if (raw === undefined) return null;
  const s = Array.isArray(raw) ? '' : String(raw);
  if (!/^\d+(\.\d+)?$/.test(s) || Number(s) > MAX_DURATION_S) return `duration: must be a number of seconds from 0 to ${MAX_DURATION_S} (0 = no limit)`;
  return null;
}

interface Gate { limit: number; running: number; status: 409 | 429; what: string }

/** Route (method + pattern) → its gate; routes that share a gate share one object. */
function gates(): Map<string, Gate> {
  const backups: Gate = { limit: 1, running: 0, status: 409, what: 'a backup or restore is running' };
  const preview: Gate = { limit: 2, running: 0, status: 429, what: 'schedule previews are running' };
  const encode: Gate = { limit: 1, running: 0, status: 429, what: 'a test encode or hardware probe is running' };
  return new Map([
    ['POST /api/backups', backups], ['POST /api/backups/:name/restore', backups], ['DELETE /api/backups/:name', backups],
    ['POST /api/schedules/preview', preview],
    ['POST /api/profiles/:name/test', encode], ['POST /api/hw/probe', encode],
  ]);
}

export function installLimits(app: FastifyInstance): void {
  const byRoute = gates();
  app.addHook('preHandler', async (req, reply) => {
    const route = req.routeOptions.url;
    if (route && TUNE_ROUTES.has(route)) {
      const why = durationProblem((req.query as Record<string, unknown> | undefined)?.duration);
      if (why) return reply.code(400).send(errorBody(400, why, [{ path: 'duration', message: why.slice('duration: '.length) }]));
    }
    const gate = route ? byRoute.get(`${req.method} ${route}`) : undefined;
    if (!gate) return;
    if (gate.running >= gate.limit) {
      const msg = `${gate.what} (at most ${gate.limit} at once): try again when it has finished`;
      return reply.code(gate.status).header('Retry-After', '5').send(errorBody(gate.status, msg));
    }
    gate.running++;
    let released = false;
    const release = () => { if (!released) { released = true; gate.running--; } };
    reply.raw.once('close', release);
    reply.raw.once('finish', release);
  });
}
