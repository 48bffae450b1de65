// A media server's collections and playlists, listed completely (or not at all): Plex section
// collections (/library/sections/{key}/collections → /library/collections/{id}/children) and video
// playlists (/playlists → /playlists/{id}/items); Jellyfin/Emby BoxSets and Playlists
// (/Items?IncludeItemTypes=BoxSet|Playlist, members by ParentId). Members are the server's item
// keys in the server's order; a member that is a show stands for all its episodes.
import { z } from 'zod';
import type { ServerConn } from './config.js';
import { jfCall, jfItem, type JellyfinConn, type JfItem } from './jellyfin-api.js';
import { listAllPages } from './paging.js';
import { mc, plexCall, type PlexConn } from './plex-api.js';

export interface ServerCollection { key: string; name: string; kind: 'collection' | 'playlist'; members: string[] }

const PAGE = 500;

// ── Plex ────────────────────────────────────────────────────────────────────────────────────────
const plexEntry = z.object({ ratingKey: z.string(), title: z.string(), type: z.string(), playlistType: z.string().nullish() });
const plexPage = mc({ size: z.number().int(), totalSize: z.number().int().optional(), Metadata: z.array(plexEntry).default([]) });

const plexAll = (c: PlexConn, path: string) => listAllPages<z.infer<typeof plexEntry>>({
  product: 'Plex', pageSize: PAGE, keyOf: (it) => it.ratingKey,
  fetchPage: async (start, size) => {
    const r = (await plexCall(c, path, plexPage, { 'X-Plex-Container-Start': String(start), 'X-Plex-Container-Size': String(size) })).MediaContainer;
    return { items: r.Metadata, total: r.totalSize ?? r.size };
  },
});

async function plexCollections(c: PlexConn, sectionKey: string): Promise<ServerCollection[]> {
  const out: ServerCollection[] = [];
  for (const col of await plexAll(c, `/library/sections/${encodeURIComponent(sectionKey)}/collections`)) {
    const members = await plexAll(c, `/library/collections/${encodeURIComponent(col.ratingKey)}/children`);
    out.push({ key: `collection:${col.ratingKey}`, name: col.title, kind: 'collection', members: members.map((m) => m.ratingKey) });
  }
  for (const pl of await plexAll(c, '/playlists?playlistType=video')) {
    if (pl.playlistType && pl.playlistType !== 'video') continue;
    const members = await plexAll(c, `/playlists/${encodeURIComponent(pl.ratingKey)}/items`);
    out.push({ key: `playlist:${pl.ratingKey}`, name: pl.title, kind: 'playlist', members: members.map((m) => m.ratingKey) });
  }
  return out;
}

// ── Jellyfin / Emby ─────────────────────────────────────────────────────────────────────────────
const jfPage = z.object({ Items: z.array(jfItem), TotalRecordCount: z.number().int() });

const jfAll = (c: JellyfinConn, params: Record<string, string>) => listAllPages<JfItem>({
  product: c.kind === 'emby' ? 'Emby' : 'Jellyfin', pageSize: PAGE, keyOf: (it) => it.Id,
  fetchPage: async (start, limit) => {
    const q = new URLSearchParams({ ...params, StartIndex: String(start), Limit: String(limit), EnableImages: 'false', EnableUserData: 'false' });
    const page = await jfCall(c, `/Items?${q}`, jfPage);
    return { items: page.Items, total: page.TotalRecordCount };
  },
});

async function jfCollections(c: JellyfinConn, userId: string | null): Promise<ServerCollection[]> {
  const user: Record<string, string> = userId ? { UserId: userId } : {};
  const out: ServerCollection[] = [];
  for (const [type, kind] of [['BoxSet', 'collection'], ['Playlist', 'playlist']] as const) {
    for (const col of await jfAll(c, { ...user, IncludeItemTypes: type, Recursive: 'true', SortBy: 'SortName,Id', SortOrder: 'Ascending' })) {
      const members = await jfAll(c, { ...user, ParentId: col.Id, Fields: 'Etag' });
      out.push({ key: `${kind}:${col.Id}`, name: col.Name, kind, members: members.map((m) => m.Id) });
    }
  }
  return out;
}

/** Every collection and playlist the server has (throws on any failed or partial listing). */
export function listServerCollections(conn: ServerConn): Promise<ServerCollection[]> {
  if (conn.kind === 'plex') {
    return plexCollections({ url: conn.url, clientId: conn.deviceId, token: conn.token, ...(conn.signal ? { signal: conn.signal } : {}) }, conn.config.libraryId);
  }
  return jfCollections({ ...conn, kind: conn.kind }, conn.config.userId);
}
