// Online sources: Archive.org (a search, collection or item identifiers) and YouTube (a video,
// playlist or channel URL through the user's yt-dlp). Adding checks first and stores nothing on a
// bad input (a 400 naming the field); the items come with the scan, like a local folder's.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { mediaSource } from '../../../schemas/library.js';
import { archiveSourceInput, youtubeSourceInput, ytDlpStatus } from '../../../schemas/online.js';
import { errors, type ApiOptions } from './shared.js';

export const onlineRoutes: FastifyPluginAsyncZod<ApiOptions> = async (app, { engine }) => {
  app.post('/sources/archive', {
    schema: {
      tags: ['library'],
      summary: 'Add an Archive.org source: a Lucene search, a collection or item identifiers (video items only); '
        + 'checked with a first search, nothing stored when it fails; import its items with POST /api/sources/{id}/scan',
      body: archiveSourceInput,
      response: { 201: mediaSource, ...errors(400, 409) },
    },
  }, async (req, reply) => reply.code(201).send(await engine.online.addArchive(req.body)));

  app.post('/sources/youtube', {
    schema: {
      tags: ['library'],
      summary: 'Add a YouTube video, playlist or channel as a source through the configured yt-dlp (opt-in, personal use); '
        + 'checked with a first listing, nothing stored when it fails; import its videos with POST /api/sources/{id}/scan',
      body: youtubeSourceInput,
      response: { 201: mediaSource, ...errors(400, 409) },
    },
  }, async (req, reply) => reply.code(201).send(await engine.online.addYoutube(req.body)));

  app.get('/youtube/yt-dlp', {
    schema: {
      tags: ['library'],
      summary: 'The configured yt-dlp (ytDlpPath): found, its version, new enough for YouTube — or why not',
      response: { 200: ytDlpStatus },
    },
  }, async () => engine.online.ytDlp());
};
