// AI routes: provider settings and health, and a channel from a sentence (a previewed definition;
// saving is PUT /api/channels/{number}/schedule after the user confirmed).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { aiChannelAnswer, aiChannelRequest, aiHealth, aiSettingsInput, aiStatus } from '../../../schemas/ai.js';
import { InvalidError } from '../../../engine/errors.js';
import { errors, type ApiOptions } from './shared.js';

export const aiRoutes: FastifyPluginAsyncZod<ApiOptions> = async (app, { engine }) => {
  app.get('/ai', {
    schema: { tags: ['ai'], summary: 'AI provider settings (the key is never shown: keySet says whether one is stored); howTo when none is set up', response: { 200: aiStatus } },
  }, async () => engine.ai.status());

  app.put('/ai/settings', {
    schema: {
      tags: ['ai'],
      summary: 'Set the OpenAI-compatible provider (base URL, model, limits, optional key stored 0600)',
      body: aiSettingsInput, response: { 200: aiStatus, ...errors(400) },
    },
  }, async (req) => engine.ai.save(req.body));

  app.delete('/ai/settings', {
    schema: { tags: ['ai'], summary: 'Forget the provider and its key', response: { 200: aiStatus } },
  }, async () => { await engine.ai.settings.clear(); return engine.ai.status(); });

  app.get('/ai/health', {
    schema: { tags: ['ai'], summary: 'Ask the provider for its models (is it reachable, is the key accepted, is the model there)', response: { 200: aiHealth, ...errors(409) } },
  }, async () => engine.ai.health());

  app.post('/ai/channel', {
    schema: {
      tags: ['ai'],
      summary: 'A schedule definition from a sentence, grounded in the library by tool calls, validated and previewed; NOT saved',
      description: 'With `channel`, the request edits that channel\'s schedule. 409: no provider set up (the message says how). 502/504/429: the provider failed, timed out, was rate-limited or answered junk twice.',
      body: aiChannelRequest,
      response: { 200: aiChannelAnswer, ...errors(400, 404, 409, 429, 502, 504) },
    },
  }, async (req) => {
    const b = req.body;
    if (b.definition && !b.channel) throw new InvalidError('body.definition', 'is only used with channel (the draft of that channel to change)');
    return engine.ai.channel({ request: b.request, channel: b.channel, base: b.definition, hours: b.hours, from: b.from ? Date.parse(b.from) : Date.now() });
  });
};

