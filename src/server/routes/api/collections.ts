import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParam } from '../../../schemas/common.js';
import { collection, collectionDetail, collectionInput, collectionItemsChange, collectionPatch } from '../../../schemas/collection.js';
import { errors, noContent, type ApiOptions } from './shared.js';

export const collectionRoutes: FastifyPluginAsyncZod<ApiOptions> = async (app, { engine }) => {
  const { collections } = engine;

  app.get('/collections', {
    schema: { tags: ['collections'], summary: 'List collections', response: { 200: z.array(collection) } },
  }, async () => collections.list());

  app.post('/collections', {
    schema: {
      tags: ['collections'],
      summary: 'Create a manual collection (optionally with items) or a saved-search collection',
      body: collectionInput,
      response: { 201: collection, ...errors(400, 409) },
    },
  }, async (req, reply) => reply.code(201).send(collections.create(req.body)));

  app.get('/collections/:id', {
    schema: {
      tags: ['collections'],
      summary: 'One collection with its item ids (a search collection: the playable items it matches now)',
      params: idParam,
      response: { 200: collectionDetail, ...errors(400, 404) },
    },
  }, async (req) => collections.detail(req.params.id));

  app.patch('/collections/:id', {
    schema: {
      tags: ['collections'],
      summary: 'Rename a collection or change a search collection\'s query (channels airing it are rebuilt from now)',
      params: idParam,
      body: collectionPatch,
      response: { 200: collection, ...errors(400, 404, 409) },
    },
  }, async (req) => collections.update(req.params.id, req.body));

  app.delete('/collections/:id', {
    schema: {
      tags: ['collections'],
      summary: 'Delete a collection (refused while a channel airs it)',
      params: idParam,
      response: { 204: noContent, ...errors(400, 404, 409) },
    },
  }, async (req, reply) => {
    collections.remove(req.params.id);
    return reply.code(204).send();
  });

  app.post('/collections/:id/items', {
    schema: {
      tags: ['collections'],
      summary: 'Add items to (appended in order) and remove items from a manual collection',
      params: idParam,
      body: collectionItemsChange,
      response: { 200: collection, ...errors(400, 404, 409) },
    },
  }, async (req) => collections.changeItems(req.params.id, req.body.add, req.body.remove));
};
