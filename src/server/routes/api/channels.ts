import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { channel, channelInput, channelNumberParam, channelPatch } from '../../../schemas/channel.js';
import { errors, noContent, type ApiOptions } from './shared.js';

export const channelRoutes: FastifyPluginAsyncZod<ApiOptions> = async (app, { engine }) => {
  const { channels } = engine;

  app.get('/channels', {
    schema: { tags: ['channels'], summary: 'List channels in number order', response: { 200: z.array(channel) } },
  }, async () => channels.list());

  app.post('/channels', {
    schema: {
      tags: ['channels'],
      summary: 'Create a channel; its timeline is built at once',
      body: channelInput,
      response: { 201: channel, ...errors(400, 409) },
    },
  }, async (req, reply) => reply.code(201).send(channels.create(req.body)));

  app.get('/channels/:number', {
    schema: {
      tags: ['channels'],
      summary: 'One channel by number (5, 5.1)',
      params: channelNumberParam,
      response: { 200: channel, ...errors(400, 404) },
    },
  }, async (req) => channels.get(req.params.number));

  app.patch('/channels/:number', {
    schema: {
      tags: ['channels'],
      summary: 'Change a channel; a changed schedule rebuilds the timeline from now without cutting the programme on air',
      params: channelNumberParam,
      body: channelPatch,
      response: { 200: channel, ...errors(400, 404, 409) },
    },
  }, async (req) => channels.update(req.params.number, req.body));

  app.delete('/channels/:number', {
    schema: {
      tags: ['channels'],
      summary: 'Delete a channel and its timeline',
      params: channelNumberParam,
      response: { 204: noContent, ...errors(400, 404) },
    },
  }, async (req, reply) => {
    channels.remove(req.params.number);
    return reply.code(204).send();
  });
};
