import { z } from 'zod';
import { sourceHealth, streamHealth } from './iptv-health.js';
import { label } from './common.js';

export const sourceKinds = ['local', 'plex', 'jellyfin', 'emby', 'iptv', 'youtube', 'archive'] as const;

export const localSourceInput = z.object({
  kind: z.literal('local').default('local'),
  name: label(100).optional(),
  path: z.string().min(1, 'must not be empty').max(4096)
    .refine((p) => !p.includes('\u0000'), 'must not contain NUL characters')
    .refine((p) => p.startsWith('/'), 'must be an absolute path'),
}).strict();
export type LocalSourceInput = z.infer<typeof localSourceInput>;

export const mediaSource = z.object({
  id: z.number().int(),
  kind: z.enum(sourceKinds),
  name: z.string(),
  config: z.record(z.string(), z.unknown()),
  enabled: z.boolean(),
  createdAt: z.string(),
  lastScanAt: z.string().nullable(),
  lastScanStatus: z.string().nullable(),
  items: z.number().int(),
  missing: z.number().int(),
  unreadable: z.number().int(),
  health: sourceHealth.optional().describe('live sources (IPTV): how their streams fared when they last aired'),
  streams: z.array(streamHealth).optional().describe('IPTV, GET /api/sources/{id} only: per-stream health of the streams that aired'),
});
export type MediaSource = z.infer<typeof mediaSource>;

export const itemStatus = z.enum(['ok', 'missing', 'unreadable']);
export type ItemStatus = z.infer<typeof itemStatus>;
export const itemKind = z.enum(['movie', 'episode', 'other']);
export type ItemKind = z.infer<typeof itemKind>;

export const mediaStream = z.object({
  index: z.number().int(),
  type: z.enum(['video', 'audio', 'subtitle', 'attachment', 'data']),
  codec: z.string().nullable(),
  profile: z.string().nullable(),
  language: z.string().nullable(),
  title: z.string().nullable(),
  isDefault: z.boolean(),
  isForced: z.boolean(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  fps: z.number().nullable(),
  fieldOrder: z.string().nullable(),
  sar: z.string().nullable(),
  dar: z.string().nullable(),
  pixFmt: z.string().nullable(),
  channels: z.number().int().nullable(),
  channelLayout: z.string().nullable(),
  sampleRate: z.number().int().nullable(),
  bitRate: z.number().int().nullable(),
});
export type MediaStream = z.infer<typeof mediaStream>;

export const chapter = z.object({ index: z.number().int(), startMs: z.number().int(), endMs: z.number().int(), title: z.string().nullable() });
export type Chapter = z.infer<typeof chapter>;

export const locator = z.discriminatedUnion('type', [
  z.object({ type: z.literal('file'), path: z.string() }),
  z.object({
    type: z.literal('url'), url: z.string(), headers: z.record(z.string(), z.string()).optional(),
    /** A live stream (IPTV): read as it comes, never seek, -rw_timeout. */
    live: z.boolean().optional(),
  }),
  z.object({ type: z.literal('resolve'), resolver: z.string(), key: z.string() }),
]);
export type Locator = z.infer<typeof locator>;

export const mediaItem = z.object({
  id: z.number().int(),
  sourceId: z.number().int(),
  externalKey: z.string(),
  kind: itemKind,
  locator,
  status: itemStatus,
  error: z.string().nullable(),
  title: z.string(),
  showId: z.number().int().nullable(),
  showTitle: z.string().nullable(),
  seasonNumber: z.number().int().nullable(),
  episodeNumber: z.number().int().nullable(),
  episodeEnd: z.number().int().nullable(),
  year: z.number().int().nullable(),
  releaseDate: z.string().nullable(),
  plot: z.string().nullable(),
  genres: z.array(z.string()),
  durationMs: z.number().int().nullable(),
  container: z.string().nullable(),
  size: z.number().int().nullable(),
  addedAt: z.string(),
  updatedAt: z.string(),
});
export type MediaItem = z.infer<typeof mediaItem>;
export const mediaItemDetail = mediaItem.extend({ streams: z.array(mediaStream), chapters: z.array(chapter) });
export type MediaItemDetail = z.infer<typeof mediaItemDetail>;

export const show = z.object({
  id: z.number().int(),
  sourceId: z.number().int(),
  title: z.string(),
  year: z.number().int().nullable(),
  plot: z.string().nullable(),
  genres: z.array(z.string()),
  episodes: z.number().int(),
  seasons: z.array(z.number().int()),
});
export type Show = z.infer<typeof show>;

export const itemQuery = z.object({
  q: z.string().trim().min(1).max(200).optional(),
  kind: itemKind.optional(),
  status: itemStatus.optional(),
  sourceId: z.coerce.number().int().positive().optional(),
  showId: z.coerce.number().int().positive().optional(),
  collectionId: z.coerce.number().int().positive().optional().describe('only the items of this collection, in its order'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
}).strict();
export type ItemQuery = z.infer<typeof itemQuery>;

export const scanState = z.object({
  id: z.number().int(),
  sourceId: z.number().int(),
  state: z.enum(['running', 'done', 'failed']),
  phase: z.enum(['walking', 'probing', 'saving', 'done']),
  found: z.number().int(),
  total: z.number().int(),
  probed: z.number().int(),
  added: z.number().int(),
  changed: z.number().int(),
  unchanged: z.number().int(),
  missing: z.number().int(),
  unreadable: z.number().int(),
  current: z.string().nullable(),
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ScanState = z.infer<typeof scanState>;

export const itemList = z.object({ total: z.number().int(), items: z.array(mediaItem) });

/** GET /api/search: q is required and must hold at least one word. */
export const searchQuery = z.object({
  q: z.string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be text') }).trim().min(1, 'must not be blank').max(200),
  limit: z.coerce.number().int().min(1).max(500).default(50),
}).strict();
export const searchResult = z.object({ items: z.array(mediaItem) });
