// Inputs of POST /api/sources/archive (an Archive.org search, collection or item identifiers) and
// POST /api/sources/youtube (a video, playlist or channel URL through the user's yt-dlp), and the
// yt-dlp check.
import { z } from 'zod';
import { label } from './common.js';

const oneLine = (max: number) => z.string().trim().min(1, 'must not be empty').max(max).refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must be one line of text');
const archiveId = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be an Archive.org identifier (letters, digits, . _ -), e.g. night_of_the_living_dead');

export const archiveSourceInput = z.object({
  name: label(100).optional(),
  query: oneLine(1000).optional().describe('a Lucene search, e.g. "collection:classic_tv AND year:[1950 TO 1959]" (only video items are kept)'),
  collection: archiveId.optional().describe('a collection name, e.g. classic_tv (its video items)'),
  identifiers: z.array(archiveId).min(1).max(500).optional().describe('item identifiers (the part after /details/ in an item address)'),
  maxItems: z.number().int().min(1).max(10_000).default(500).describe('at most this many items (the first ones by identifier)'),
}).strict().superRefine((v, ctx) => {
  const given = (['query', 'collection', 'identifiers'] as const).filter((k) => v[k] !== undefined);
  if (given.length !== 1) ctx.addIssue({ code: 'custom', path: [given[1] ?? 'query'], message: given.length ? `give only one of query, collection, identifiers (got ${given.join(', ')})` : 'give a query, a collection or identifiers' });
});
export type ArchiveSourceInput = z.infer<typeof archiveSourceInput>;

export const youtubeSourceInput = z.object({
  name: label(100).optional(),
  url: oneLine(2048).refine((u) => {
    try { return /^https?:$/.test(new URL(u).protocol); } catch { return false; }
  }, 'must be an http(s) URL of a YouTube video, playlist or channel').describe('a video, playlist or channel URL'),
  maxItems: z.number().int().min(1).max(5000).default(200).describe('at most this many videos (the listing\'s first ones)'),
}).strict();
export type YoutubeSourceInput = z.infer<typeof youtubeSourceInput>;

export const ytDlpStatus = z.object({
  ok: z.boolean(),
  path: z.string().nullable(),
  version: z.string().nullable(),
  /** Why not usable (missing, too old), or a warning (stale) when ok. */
  message: z.string().nullable(),
});
export type YtDlpStatus = z.infer<typeof ytDlpStatus>;
