// A server library's complete listing in neutral form (shows, and items that know how to become
// store rows), built by the Jellyfin/Emby or the Plex client; the sync only sees this.
import type { ItemUpsert } from '../../store/repos/items.js';
import type { ShowUpsert } from '../../store/repos/shows.js';
import type { ServerConn } from './config.js';
import { baseUrl } from './http.js';
import { listLibrary } from './jellyfin-api.js';
import { fingerprint, isPlayable, itemRecord, showRecord } from './jellyfin-map.js';
import { plexList } from './plex-api.js';
import { plexFingerprint, plexItemRecord, plexShowRecord } from './plex-map.js';

export interface ListedItem {
  key: string;
  fingerprint: string;
  showKey: string | null;
  season: number | null;
  episode: number | null;
  record(ctx: { showId: number | null; seasonId: number | null }): ItemUpsert;
}
export interface Listing { shows: ShowUpsert[]; items: ListedItem[] }

export interface ListingOptions { pageSize?: number; onPage?: (got: number, total: number) => void }

export async function listServerLibrary(conn: ServerConn, o: ListingOptions = {}): Promise<Listing> {
  const { config } = conn;
  if (conn.kind === 'plex') {
    const plex = { url: conn.url, clientId: conn.deviceId, token: conn.token, ...(conn.signal ? { signal: conn.signal } : {}) };
    const shows = config.libraryType === 'show' ? await plexList(plex, config.libraryId, 2, o.pageSize) : [];
    const items = await plexList(plex, config.libraryId, config.libraryType === 'show' ? 4 : 1, o.pageSize);
    return {
      shows: shows.map(plexShowRecord),
      items: items.map((it) => ({
        key: it.ratingKey, fingerprint: plexFingerprint(it), showKey: it.type === 'episode' ? it.grandparentRatingKey ?? null : null,
        season: it.type === 'episode' ? it.parentIndex ?? null : null, episode: it.type === 'episode' ? it.index ?? null : null,
        record: (ctx) => plexItemRecord(it, { resolver: 'plex', ...ctx }),
      })),
    };
  }
  const base = baseUrl(conn.url);
  const all = await listLibrary({ ...conn, kind: conn.kind }, config.libraryId, o);
  return {
    shows: all.filter((i) => i.Type === 'Series').map((s) => showRecord(base, s)),
    items: all.filter(isPlayable).map((it) => ({
      key: it.Id, fingerprint: fingerprint(it), showKey: it.Type === 'Episode' ? it.SeriesId ?? null : null,
      season: it.Type === 'Episode' ? it.ParentIndexNumber ?? null : null, episode: it.Type === 'Episode' ? it.IndexNumber ?? null : null,
      record: (ctx) => itemRecord(it, { base, resolver: conn.kind, ...ctx }),
    })),
  };
}

/** Each show's episodes (keys) in season and episode order: what a show among a collection's members stands for. */
export function episodesByShow(items: readonly ListedItem[]): Map<string, string[]> {
  const byShow = new Map<string, ListedItem[]>();
  for (const it of items) {
    if (!it.showKey) continue;
    const eps = byShow.get(it.showKey);
    if (eps) eps.push(it); else byShow.set(it.showKey, [it]);
  }
  const order = (it: ListedItem) => [it.season ?? Infinity, it.episode ?? Infinity] as const;
  return new Map([...byShow].map(([show, eps]) => [show, eps.sort((a, b) => order(a)[0] - order(b)[0] || order(a)[1] - order(b)[1]).map((e) => e.key)]));
}
