import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParam } from '../../../schemas/common.js';
import { itemList, itemQuery, mediaItemDetail, searchQuery, searchResult } from '../../../schemas/library.js';
import { errors, type ApiOptions } from './shared.js';

export const itemRoutes: FastifyPluginAsyncZod<ApiOptions> = async (app, { engine }) => {
  app.get('/items', {
    schema: {
      tags: ['library'],
      summary: 'List media items (filter by words, kind, status, source, show, collection), in playback order (a collection: in its order)',
      querystring: itemQuery,
      response: { 200: itemList, ...errors(400, 404) },
    },
  }, async (req) => engine.library.items(req.query));

  app.get('/items/:id', {
    schema: {
      tags: ['library'],
      summary: 'One media item with its streams and chapters',
      params: idParam,
      response: { 200: mediaItemDetail, ...errors(400, 404) },
    },
  }, async (req) => engine.library.item(req.params.id));

  app.get('/search', {
    schema: {
      tags: ['library'],
      summary: 'Full-text search over titles, shows, plots, genres and file names (every word as a prefix), best match first',
      querystring: searchQuery,
      response: { 200: searchResult, ...errors(400) },
    },
  }, async (req) => ({ items: engine.library.search(req.query.q, req.query.limit) }));
};
