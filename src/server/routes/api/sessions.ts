import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { channelNumberParam } from '../../../schemas/channel.js';
import { sessionStats, sessionStopped } from '../../../schemas/session.js';
import { NotFoundError } from '../../../engine/errors.js';
import { errors, type ApiOptions } from './shared.js';

export const sessionRoutes: FastifyPluginAsyncZod<ApiOptions> = async (app, { engine }) => {
  app.get('/sessions', {
    schema: {
      tags: ['streaming'],
      summary: 'Live channel sessions: viewers, uptime, now playing, encoder, bitrate, restarts, last error',
      response: { 200: z.array(sessionStats) },
    },
  }, async () => engine.streams.stats());

  app.delete('/sessions/:number', {
    schema: {
      tags: ['streaming'],
      summary: "Stop a channel's live session: its ffmpeg ends and its viewers are disconnected (an always-on channel starts afresh)",
      params: channelNumberParam,
      response: { 200: sessionStopped, ...errors(400, 404) },
    },
  }, async (req) => {
    const channel = engine.channels.get(req.params.number);
    const live = engine.streams.get(channel.id);
    if (!live) throw new NotFoundError(`a live session of channel ${channel.number}`);
    const viewers = live.viewerCount;
    await engine.streams.stopSession(channel.id, 'stopped by the user');
    const restarted = channel.enabled && channel.stream.alwaysOn;
    if (restarted) engine.streams.acquire(channel);
    return { number: channel.number, viewersDisconnected: viewers, restarted };
  });
};
