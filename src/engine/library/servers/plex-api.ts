// Thin Plex Media Server client: X-Plex-Token and a persisted X-Plex-Client-Identifier on every
// request, JSON answers, server identity, library sections, and listings paged with
// X-Plex-Container-Start/Size that detect servers ignoring paging (fail rather than truncate).
import { z } from 'zod';
import { baseUrl, requestJson } from './http.js';
import { listAllPages } from './paging.js';

export interface PlexConn { url: string; clientId: string; token: string; timeoutMs?: number; signal?: AbortSignal }

export const plexHeaders = (c: Pick<PlexConn, 'clientId' | 'token'>): Record<string, string> => ({
  'X-Plex-Token': c.token, 'X-Plex-Client-Identifier': c.clientId, 'X-Plex-Product': 'EXStreamTV', 'X-Plex-Version': '0.1.0',
});

/** One JSON request to the server (any path). */
export const plexCall = <S extends z.ZodType>(c: PlexConn, path: string, schema: S, extra: Record<string, string> = {}) =>
  requestJson({
    base: baseUrl(c.url), path, headers: { ...plexHeaders(c), ...extra }, product: 'Plex',
    ...(c.timeoutMs ? { timeoutMs: c.timeoutMs } : {}), ...(c.signal ? { signal: c.signal } : {}),
  }, schema);

export const mc = <T extends z.ZodRawShape>(shape: T) => z.object({ MediaContainer: z.object(shape) });

/** Server name, version and machine identifier (needs a valid token). */
export async function plexInfo(c: PlexConn): Promise<{ name: string; version: string; id: string }> {
  const r = await plexCall(c, '/', mc({ friendlyName: z.string(), version: z.string(), machineIdentifier: z.string() }));
  return { name: r.MediaContainer.friendlyName, version: r.MediaContainer.version, id: r.MediaContainer.machineIdentifier };
}

const directory = z.object({ key: z.string(), type: z.string(), title: z.string(), Location: z.array(z.object({ path: z.string() })).default([]) });
export type PlexSection = z.infer<typeof directory>;
export async function plexSections(c: PlexConn): Promise<PlexSection[]> {
  return (await plexCall(c, '/library/sections', mc({ Directory: z.array(directory).default([]) }))).MediaContainer.Directory;
}

const part = z.object({ id: z.number(), key: z.string(), file: z.string().nullish(), size: z.number().nullish(), duration: z.number().nullish(), container: z.string().nullish() });
const media = z.object({
  id: z.number(), duration: z.number().nullish(), bitrate: z.number().nullish(), width: z.number().nullish(), height: z.number().nullish(),
  audioChannels: z.number().nullish(), audioCodec: z.string().nullish(), videoCodec: z.string().nullish(), container: z.string().nullish(),
  Part: z.array(part).default([]),
});
export const plexItem = z.object({
  ratingKey: z.string(), type: z.string(), title: z.string(), guid: z.string().nullish(), grandparentRatingKey: z.string().nullish(),
  grandparentTitle: z.string().nullish(), parentIndex: z.number().int().nullish(), index: z.number().int().nullish(),
  summary: z.string().nullish(), year: z.number().int().nullish(), originallyAvailableAt: z.string().nullish(), duration: z.number().nullish(),
  addedAt: z.number().nullish(), updatedAt: z.number().nullish(), contentRating: z.string().nullish(), thumb: z.string().nullish(), art: z.string().nullish(),
  Genre: z.array(z.object({ tag: z.string() })).nullish(), Guid: z.array(z.object({ id: z.string() })).nullish(), Media: z.array(media).nullish(),
});
export type PlexItem = z.infer<typeof plexItem>;

const page = mc({ size: z.number().int(), totalSize: z.number().int().optional(), offset: z.number().int().optional(), Metadata: z.array(plexItem).default([]) });

/** Plex listing types: 1 movie, 2 show, 4 episode. */
export type PlexType = 1 | 2 | 4;

/** Every item of one type in a section, page by page (the same guards as for Jellyfin). */
export async function plexList(c: PlexConn, sectionKey: string, type: PlexType, pageSize = 500): Promise<PlexItem[]> {
  return listAllPages({
    product: 'Plex', pageSize, keyOf: (it) => it.ratingKey,
    fetchPage: async (start, size) => {
      const r = (await plexCall(c, `/library/sections/${encodeURIComponent(sectionKey)}/all?type=${type}&includeGuids=1`, page, {
        'X-Plex-Container-Start': String(start), 'X-Plex-Container-Size': String(size),
      })).MediaContainer;
      return { items: r.Metadata, total: r.totalSize ?? r.size };
    },
  });
}

/** Direct play of a part: `{base}{Part.key}` (the token goes in a header). */
export const plexPartUrl = (c: Pick<PlexConn, 'url'>, partKey: string) => `${baseUrl(c.url)}${partKey}`;
