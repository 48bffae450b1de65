// Matching an imported programme to an item of our library, most certain first: the server's key
// (same server URL, same item key), then external ids (imdb/tmdb/tvdb), then show + season +
// episode, then title + year, then a local file's path. What matches nothing gets the reason.
import type { Store } from '../store/store.js';
import type { ForeignRef, ForeignServer } from './model.js';

export type MatchHow = 'key' | 'ids' | 'episode' | 'title' | 'path';
export type MatchResult = { itemId: number; how: MatchHow } | { itemId: null; why: string };

interface Row {
  id: number; source_id: number; external_key: string; kind: string; title: string; year: number | null; season_number: number | null;
  episode_number: number | null; external_ids: string; status: string; show_title: string | null; source_kind: string; config: string;
}

/** Server URL as one spelling: scheme://host:port/path without trailing slashes, lower-case host. */
export function sameUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return url.trim().replace(/\/+$/, '').toLowerCase();
  }
}

const norm = (s: string | null | undefined) => (s ?? '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/** An in-memory index of the library, built once per import. */
export class LibraryIndex {
  private readonly byKey = new Map<string, number>();
  private readonly byId = new Map<string, number>();
  private readonly byEpisode = new Map<string, number>();
  private readonly byTitle = new Map<string, number>();
  private readonly byPath = new Map<string, number>();
  /** Server URL → our source ids (to say which servers are here). */
  readonly serverSources = new Map<string, number[]>();

  constructor(store: Store) {
    // Items that play come first so a duplicate (e.g. the same film on two sources) prefers them.
    const rows = store.db.prepare(`SELECT i.id, i.source_id, i.external_key, i.kind, i.title, i.year, i.season_number, i.episode_number, i.external_ids, i.status,
        s.title AS show_title, src.kind AS source_kind, src.config
      FROM media_items i JOIN media_sources src ON src.id = i.source_id LEFT JOIN shows s ON s.id = i.show_id
      ORDER BY (i.status = 'ok') DESC, i.id`).all() as Row[];
    for (const src of store.sources.list()) {
      const url = typeof src.config.url === 'string' ? sameUrl(src.config.url) : null;
      if (url) (this.serverSources.get(url) ?? this.serverSources.set(url, []).get(url)!).push(src.id);
    }
    const put = (m: Map<string, number>, k: string, id: number) => { if (!m.has(k)) m.set(k, id); };
    const configs = new Map<number, Record<string, unknown>>();
    for (const r of rows) {
      const config = configs.get(r.source_id) ?? configs.set(r.source_id, JSON.parse(r.config) as Record<string, unknown>).get(r.source_id)!;
      if (typeof config.url === 'string') put(this.byKey, `${sameUrl(config.url)}|${r.external_key}`, r.id);
      if (r.source_kind === 'local' && typeof config.path === 'string') put(this.byPath, `${config.path.replace(/\/+$/, '')}/${r.external_key}`, r.id);
      for (const [k, v] of Object.entries(JSON.parse(r.external_ids) as Record<string, string>)) put(this.byId, `${r.kind}|${k}|${v}`, r.id);
      if (r.kind === 'episode' && r.show_title && r.season_number !== null && r.episode_number !== null) put(this.byEpisode, `${norm(r.show_title)}|${r.season_number}|${r.episode_number}`, r.id);
      if (r.kind === 'movie') put(this.byTitle, `${norm(r.title)}|${r.year ?? ''}`, r.id);
    }
  }

  hasServer(url: string): boolean { return this.serverSources.has(sameUrl(url)); }

  match(ref: ForeignRef, servers: ReadonlyMap<string, ForeignServer>): MatchResult {
    const why: string[] = [];
    const server = ref.server !== null ? servers.get(ref.server) : undefined;
    if (ref.key !== null && server) {
      const id = this.byKey.get(`${sameUrl(server.url)}|${ref.key}`);
      if (id !== undefined) return { itemId: id, how: 'key' };
      why.push(this.hasServer(server.url) ? `${server.kind} key ${ref.key} is not on ${server.name} any more` : `server ${server.name} (${server.url}) is not a source here`);
    } else if (ref.server !== null && !server) {
      why.push(`its server "${ref.server}" is not in the import`);
    }
    const ids = Object.entries(ref.ids);
    for (const [k, v] of ids) {
      const id = this.byId.get(`${ref.kind}|${k}|${v}`);
      if (id !== undefined) return { itemId: id, how: 'ids' };
    }
    why.push(ids.length ? `no item has ${ids.map(([k, v]) => `${k} ${v}`).join(' or ')}` : 'no imdb/tmdb/tvdb id');
    if (ref.kind === 'episode' && ref.showTitle && ref.season !== null && ref.episode !== null) {
      const id = this.byEpisode.get(`${norm(ref.showTitle)}|${ref.season}|${ref.episode}`);
      if (id !== undefined) return { itemId: id, how: 'episode' };
      why.push(`no "${ref.showTitle}" S${String(ref.season).padStart(2, '0')}E${String(ref.episode).padStart(2, '0')}`);
    } else if (ref.kind === 'movie') {
      const id = this.byTitle.get(`${norm(ref.title)}|${ref.year ?? ''}`);
      if (id !== undefined) return { itemId: id, how: 'title' };
      why.push(`no film "${ref.title}"${ref.year ? ` (${ref.year})` : ''}`);
    }
    if (ref.path) {
      const id = this.byPath.get(ref.path);
      if (id !== undefined) return { itemId: id, how: 'path' };
      why.push(`no local file ${ref.path}`);
    }
    return { itemId: null, why: why.join('; ') };
  }
}
