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
  }, async (req) => {
    const q = req.query;
    if (q.collectionId === undefined) return engine.store.items.query(q);
    const c = engine.collections.get(q.collectionId);
    if (c.kind === 'manual') return engine.store.items.query(q);
    // A search collection's members are its query's matches (narrowed by any words given here).
    const { collectionId: _id, ...rest } = q;
    return c.query ? engine.store.items.query({ ...rest, q: [rest.q, c.query].filter(Boolean).join(' ') }) : { total: 0, items: [] };
  });

  app.get('/items/:id', {
    schema: {
      tags: ['library'],
      summary: 'One media item with its streams and chapters',
      params: idParam,
      response: { 200: mediaItemDetail, ...errors(400, 404) },
    },
  }, async (req) => engine.store.items.get(req.params.id));

  app.get('/search', {
    schema: {
      tags: ['library'],
      summary: 'Full-text search over titles, shows, plots, genres and file names (every word as a prefix), best match first',
      querystring: searchQuery,
      response: { 200: searchResult, ...errors(400) },
    },
  }, async (req) => ({ items: engine.store.items.search(req.query.q, req.query.limit) }));
};
