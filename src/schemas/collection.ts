import { z } from 'zod';
import { label } from './common.js';

export const collectionInput = z.object({
  name: label(100),
  kind: z.enum(['manual', 'search']).default('manual'),
  query: z.string().trim().min(1).max(200).optional(),
  itemIds: z.array(z.number().int().positive()).max(100_000).optional(),
}).strict().superRefine((c, ctx) => {
  if (c.kind === 'search' && !c.query) ctx.addIssue({ code: 'custom', path: ['query'], message: 'is required for a search collection' });
  if (c.kind === 'manual' && c.query) ctx.addIssue({ code: 'custom', path: ['query'], message: 'only search collections have a query' });
  if (c.kind === 'search' && c.itemIds) ctx.addIssue({ code: 'custom', path: ['itemIds'], message: 'a search collection takes no item list' });
});
export type CollectionInput = z.infer<typeof collectionInput>;

export const collectionPatch = z.object({
  name: label(100).optional(),
  query: z.string().trim().min(1).max(200).optional(),
}).strict();
export type CollectionPatch = z.infer<typeof collectionPatch>;

export const collectionItemsChange = z.object({
  add: z.array(z.number().int().positive()).max(100_000).default([]),
  remove: z.array(z.number().int().positive()).max(100_000).default([]),
}).strict();

export const collection = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(['manual', 'search']),
  query: z.string().nullable(),
  items: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  sourceId: z.number().int().optional().describe('set when it follows a collection or playlist of this media-server source (kept in sync by its scans; read-only here)'),
});
export type Collection = z.infer<typeof collection>;

/** One collection with its members: a manual collection's items in order, a search collection's current playable matches. */
export const collectionDetail = collection.extend({ itemIds: z.array(z.number().int()) });
export type CollectionDetail = z.infer<typeof collectionDetail>;
