import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { EngineEvents } from '../../../engine/events.js';
import { SseStream, streamRegistry } from '../../sse.js';
import { errors, type ApiOptions } from './shared.js';

type EventName = keyof EngineEvents;
/** Every engine event is streamed; the compiler insists that a new event type is listed here. */
const STREAMED: { [K in EventName]: true } = {
  'scan.progress': true, 'scan.finished': true, 'timeline.changed': true, 'log': true,
  'session.started': true, 'session.stopped': true, 'session.restart': true, 'session.error': true,
  'viewer.joined': true, 'viewer.left': true, 'item.changed': true, 'session.bitrate': true,
  'encoder.health': true, 'encoding.changed': true,
};
export const EVENT_NAMES = Object.keys(STREAMED) as EventName[];

const eventsQuery = z.object({
  types: z.string().optional()
    .transform((s, ctx) => {
      if (s === undefined || s.trim() === '') return [...EVENT_NAMES];
      const names = s.split(',').map((x) => x.trim()).filter(Boolean);
      const unknown = names.filter((n) => !(EVENT_NAMES as readonly string[]).includes(n));
      if (unknown.length) {
        ctx.addIssue({ code: 'custom', message: `unknown event type ${unknown.join(', ')}; known: ${EVENT_NAMES.join(', ')}` });
        return z.NEVER;
      }
      return names as EventName[];
    })
    .describe(`Comma-separated event types to receive (default all): ${EVENT_NAMES.join(', ')}`),
}).strict();

export const eventRoutes: FastifyPluginAsyncZod<ApiOptions> = async (app, { engine, sseHeartbeatMs }) => {
  const open = streamRegistry(app);

  app.get('/events', {
    schema: {
      tags: ['events'],
      summary: `Server-Sent Events of the engine (${EVENT_NAMES.join(', ')}): \`event:\` is the type, \`data:\` its JSON; a comment heartbeat every 15 s`,
      querystring: eventsQuery,
      response: {
        200: { description: 'An endless text/event-stream', content: { 'text/event-stream': { schema: z.string() } } },
        ...errors(400),
      },
    },
  }, (req, reply) => {
    const stream = new SseStream(req, reply, sseHeartbeatMs);
    open.add(stream);
    stream.onClose(() => open.delete(stream));
    for (const name of req.query.types) {
      stream.onClose(engine.events.on(name, (payload: unknown) => stream.send(name, payload)));
    }
  });
};
