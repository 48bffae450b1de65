import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ConflictError } from '../../../engine/errors.js';
import { idParam } from '../../../schemas/common.js';
import { iptvChannelsInput, iptvSourceInput } from '../../../schemas/iptv.js';
import { channel } from '../../../schemas/channel.js';
import { localSourceInput, mediaSource, scanState } from '../../../schemas/library.js';
import { errors, noContent, type ApiOptions } from './shared.js';

export const sourceRoutes: FastifyPluginAsyncZod<ApiOptions> = async (app, { engine }) => {
  app.get('/sources', {
    schema: { tags: ['library'], summary: 'List media sources with their item counts', response: { 200: z.array(mediaSource) } },
  }, async () => engine.sources.list());

  app.post('/sources', {
    schema: {
      tags: ['library'],
      summary: 'Add a local folder as a media source (scan it with POST /api/sources/{id}/scan)',
      body: localSourceInput,
      response: { 201: mediaSource, ...errors(400, 409) },
    },
  }, async (req, reply) => reply.code(201).send(await engine.sources.addLocal(req.body)));

  app.post('/sources/iptv', {
    schema: {
      tags: ['library'],
      summary: 'Add an IPTV M3U/M3U8 playlist (file path or URL) and import its streams as live items, all or nothing; rescan with POST /api/sources/{id}/scan',
      body: iptvSourceInput,
      response: { 201: mediaSource, ...errors(400, 409) },
    },
  }, async (req, reply) => reply.code(201).send(await engine.sources.addIptv(req.body)));

  app.post('/sources/:id/channels', {
    schema: {
      tags: ['library'],
      summary: 'Make streams of an IPTV source live channels of their own (numbered from tvg-chno, logo from tvg-logo; the stream passes through, copied when it matches the profile, else transcoded), all or nothing',
      params: idParam,
      body: iptvChannelsInput,
      response: { 201: z.array(channel), ...errors(400, 404, 409) },
    },
  }, async (req, reply) => reply.code(201).send(await engine.sources.liveChannels(req.params.id, req.body)));

  app.get('/sources/:id', {
    schema: { tags: ['library'], summary: 'One media source (IPTV: with the health of its streams)', params: idParam, response: { 200: mediaSource, ...errors(400, 404) } },
  }, async (req) => engine.sources.get(req.params.id));

  app.delete('/sources/:id', {
    schema: {
      tags: ['library'],
      summary: 'Remove a media source and its items from the library (files are not touched); channels are rebuilt from now',
      params: idParam,
      response: { 204: noContent, ...errors(400, 404, 409) },
    },
  }, async (req, reply) => {
    const source = engine.sources.get(req.params.id);
    if (engine.scans.list().some((s) => s.sourceId === source.id && s.state === 'running')) {
      throw new ConflictError(`a scan of "${source.name}" is running; wait for it to finish`);
    }
    engine.sources.remove(source.id);
    return reply.code(204).send();
  });

  app.post('/sources/:id/scan', {
    schema: {
      tags: ['library'],
      summary: 'Start scanning a source (or return the scan already running); follow it at GET /api/scans/{id} or /api/events',
      params: idParam,
      response: { 202: scanState, ...errors(400, 404, 409) },
    },
  }, async (req, reply) => reply.code(202).send(engine.scans.start(req.params.id)));
};
