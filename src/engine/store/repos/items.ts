import type { Statement } from 'better-sqlite3';
import type { Db } from '../db.js';
import { bool, isoOr, json, sortTitle } from '../rows.js';
import type { Chapter, ItemKind, ItemQuery, ItemStatus, Locator, MediaItem, MediaItemDetail, MediaStream } from '../../../schemas/library.js';
import { NotFoundError } from '../../errors.js';

/** What a scanner hands over for one file/entry. */
export interface ItemUpsert {
  externalKey: string;
  kind: ItemKind;
  locator: Locator;
  fingerprint: string;
  size: number | null;
  mtimeMs: number | null;
  status: Exclude<ItemStatus, 'missing'>;
  error: string | null;
  title: string;
  showId: number | null;
  seasonId: number | null;
  seasonNumber: number | null;
  episodeNumber: number | null;
  episodeEnd: number | null;
  year: number | null;
  releaseDate: string | null;
  plot: string | null;
  genres: string[];
  people?: unknown[];
  images?: Record<string, string>;
  externalIds?: Record<string, string>;
  contentRating?: string | null;
  durationMs: number | null;
  container: string | null;
  bitRate: number | null;
  streams: MediaStream[];
  chapters: Chapter[];
}

export interface KnownItem { id: number; externalKey: string; fingerprint: string; status: ItemStatus; error: string | null }

/** What a guide shows about an item. */
export interface GuideInfo { title: string; showTitle: string | null; seasonNumber: number | null; episodeNumber: number | null }

/** Everything the XMLTV guide shows about an item, with its show's fallbacks (see ItemsRepo.guideDetails). */
export interface GuideDetail extends Pick<ItemUpsert, 'kind' | 'title' | 'seasonNumber' | 'episodeNumber' | 'episodeEnd' | 'year' | 'releaseDate' | 'plot' | 'genres'> {
  id: number;
  showTitle: string | null;
  images: Record<string, string>;
  showYear: number | null;
  showPlot: string | null;
  showGenres: string[];
  showImages: Record<string, string>;
}

/** Playable items carry what schedulers need and nothing more. */
export interface PlayableItem {
  id: number;
  durationMs: number;
  title: string;
  showId: number | null;
  seasonNumber: number | null;
  episodeNumber: number | null;
  releaseDate?: string | null;
  /** Chapter start offsets (ms, > 0), where mid-roll filler may go; loaded on demand. */
  chapters?: number[];
}

interface ItemRow {
  id: number; source_id: number; external_key: string; kind: ItemKind; locator: string; status: ItemStatus;
  error: string | null; title: string; show_id: number | null; show_title: string | null; season_number: number | null;
  episode_number: number | null; episode_end: number | null; year: number | null; release_date: string | null;
  plot: string | null; genres: string; duration_ms: number | null; container: string | null; size: number | null;
  added_at: number; updated_at: number;
}

const SELECT = `SELECT i.*, s.title AS show_title FROM media_items i LEFT JOIN shows s ON s.id = i.show_id`;
/** Canonical playback order: show, season, episode, then title. */
const EPISODE_ORDER = `ORDER BY coalesce(s.sort_title, i.sort_title), coalesce(i.season_number, 0), coalesce(i.episode_number, 0), i.release_date, i.sort_title, i.id`;
const PLAYABLE = `i.status = 'ok' AND i.duration_ms > 0`;

const toItem = (r: ItemRow): MediaItem => ({
  id: r.id, sourceId: r.source_id, externalKey: r.external_key, kind: r.kind, locator: json<Locator>(r.locator, { type: 'file', path: '' }),
  status: r.status, error: r.error, title: r.title, showId: r.show_id, showTitle: r.show_title,
  seasonNumber: r.season_number, episodeNumber: r.episode_number, episodeEnd: r.episode_end, year: r.year,
  releaseDate: r.release_date, plot: r.plot, genres: json<string[]>(r.genres, []), durationMs: r.duration_ms,
  container: r.container, size: r.size, addedAt: isoOr(r.added_at), updatedAt: isoOr(r.updated_at),
});

/** Turns free text into a safe FTS5 query: every word must match as a prefix. */
export function ftsQuery(text: string): string | null {
  const words = text.normalize('NFKC').match(/[\p{L}\p{N}]+/gu);
  if (!words || words.length === 0) return null;
  return words.slice(0, 16).map((w) => `"${w}"*`).join(' ');
}

export class ItemsRepo {
  private guideDetailsSt: Statement<unknown[]> | undefined;

  constructor(private readonly db: Db) {}

  known(sourceId: number): Map<string, KnownItem> {
    const rows = this.db.prepare('SELECT id, external_key, fingerprint, status, error FROM media_items WHERE source_id = ?').all(sourceId) as
      { id: number; external_key: string; fingerprint: string; status: ItemStatus; error: string | null }[];
    return new Map(rows.map((r) => [r.external_key, { id: r.id, externalKey: r.external_key, fingerprint: r.fingerprint, status: r.status, error: r.error }]));
  }

  /** Inserts or replaces one item with its streams and chapters. Call inside a transaction. */
  upsert(sourceId: number, it: ItemUpsert, now = Date.now()): number {
    const params = {
      source_id: sourceId, external_key: it.externalKey, kind: it.kind, locator: JSON.stringify(it.locator),
      fingerprint: it.fingerprint, size: it.size, mtime_ms: it.mtimeMs, status: it.status, error: it.error,
      title: it.title, sort_title: sortTitle(it.title), show_id: it.showId, season_id: it.seasonId,
      season_number: it.seasonNumber, episode_number: it.episodeNumber, episode_end: it.episodeEnd, year: it.year,
      release_date: it.releaseDate, plot: it.plot, genres: JSON.stringify(it.genres), people: JSON.stringify(it.people ?? []),
      images: JSON.stringify(it.images ?? {}), external_ids: JSON.stringify(it.externalIds ?? {}),
      content_rating: it.contentRating ?? null, duration_ms: it.durationMs, container: it.container, bit_rate: it.bitRate,
      probed_at: now, now,
    };
    const row = this.stmt(`INSERT INTO media_items (source_id, external_key, kind, locator, fingerprint, size, mtime_ms, status, error,
        title, sort_title, show_id, season_id, season_number, episode_number, episode_end, year, release_date, plot, genres, people, images,
        external_ids, content_rating, duration_ms, container, bit_rate, probed_at, added_at, updated_at)
      VALUES (@source_id, @external_key, @kind, @locator, @fingerprint, @size, @mtime_ms, @status, @error, @title, @sort_title, @show_id,
        @season_id, @season_number, @episode_number, @episode_end, @year, @release_date, @plot, @genres, @people, @images, @external_ids,
        @content_rating, @duration_ms, @container, @bit_rate, @probed_at, @now, @now)
      ON CONFLICT (source_id, external_key) DO UPDATE SET kind = excluded.kind, locator = excluded.locator, fingerprint = excluded.fingerprint,
        size = excluded.size, mtime_ms = excluded.mtime_ms, status = excluded.status, error = excluded.error, missing_since = NULL,
        title = excluded.title, sort_title = excluded.sort_title, show_id = excluded.show_id, season_id = excluded.season_id,
        season_number = excluded.season_number, episode_number = excluded.episode_number, episode_end = excluded.episode_end,
        year = excluded.year, release_date = excluded.release_date, plot = excluded.plot, genres = excluded.genres, people = excluded.people,
        images = excluded.images, external_ids = excluded.external_ids, content_rating = excluded.content_rating,
        duration_ms = excluded.duration_ms, container = excluded.container, bit_rate = excluded.bit_rate, probed_at = excluded.probed_at,
        updated_at = excluded.updated_at
      RETURNING id`).get(params) as { id: number };
    const id = row.id;
    // Statements prepared once: a sync writes thousands of items.
    this.replaceStreams(id, it.streams);
    this.stmt('DELETE FROM media_chapters WHERE item_id = ?').run(id);
    const insChapter = this.stmt('INSERT INTO media_chapters (item_id, idx, start_ms, end_ms, title) VALUES (?, ?, ?, ?, ?)');
    for (const c of it.chapters) insChapter.run(id, c.index, c.startMs, c.endMs, c.title);
    return id;
  }

  /** Replaces an item's stream facts (a live stream probed when it became a channel). */
  replaceStreams(id: number, streams: readonly MediaStream[]): void {
    this.stmt('DELETE FROM media_streams WHERE item_id = ?').run(id);
    const insStream = this.stmt(`INSERT INTO media_streams (item_id, idx, type, codec, profile, language, title, is_default, is_forced,
      width, height, fps, field_order, sar, dar, pix_fmt, channels, channel_layout, sample_rate, bit_rate)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const s of streams) {
      insStream.run(id, s.index, s.type, s.codec, s.profile, s.language, s.title, s.isDefault ? 1 : 0, s.isForced ? 1 : 0, s.width, s.height,
        s.fps, s.fieldOrder, s.sar, s.dar, s.pixFmt, s.channels, s.channelLayout, s.sampleRate, s.bitRate);
    }
  }

  /** Flags items whose file vanished; they stay in the library but never air. */
  markMissing(ids: number[], now = Date.now()): void {
    const st = this.db.prepare(`UPDATE media_items SET status = 'missing', missing_since = coalesce(missing_since, ?), updated_at = ? WHERE id = ? AND status != 'missing'`);
    for (const id of ids) st.run(now, now, id);
  }

  /** A missing file came back unchanged: it is what it was before it vanished. */
  restore(ids: number[], now = Date.now()): void {
    const st = this.db.prepare(`UPDATE media_items SET status = CASE WHEN error IS NULL THEN 'ok' ELSE 'unreadable' END,
      missing_since = NULL, updated_at = ? WHERE id = ? AND status = 'missing'`);
    for (const id of ids) st.run(now, id);
  }

  find(id: number): MediaItem | undefined {
    const r = this.db.prepare(`${SELECT} WHERE i.id = ?`).get(id) as ItemRow | undefined;
    return r && toItem(r);
  }

  get(id: number): MediaItemDetail {
    const item = this.find(id);
    if (!item) throw new NotFoundError(`media item ${id}`);
    return { ...item, streams: this.streams(id), chapters: this.chapters(id) };
  }

  streams(id: number): MediaStream[] {
    const rows = this.db.prepare('SELECT * FROM media_streams WHERE item_id = ? ORDER BY idx').all(id) as Record<string, any>[];
    return rows.map((s) => ({
      index: s.idx, type: s.type, codec: s.codec, profile: s.profile, language: s.language, title: s.title,
      isDefault: bool(s.is_default), isForced: bool(s.is_forced), width: s.width, height: s.height, fps: s.fps,
      fieldOrder: s.field_order, sar: s.sar, dar: s.dar, pixFmt: s.pix_fmt, channels: s.channels,
      channelLayout: s.channel_layout, sampleRate: s.sample_rate, bitRate: s.bit_rate,
    }));
  }

  chapters(id: number): Chapter[] {
    const rows = this.db.prepare('SELECT * FROM media_chapters WHERE item_id = ? ORDER BY idx').all(id) as Record<string, any>[];
    return rows.map((c) => ({ index: c.idx, startMs: c.start_ms, endMs: c.end_ms, title: c.title }));
  }

  exist(ids: number[]): number[] {
    const st = this.db.prepare('SELECT 1 FROM media_items WHERE id = ?');
    return ids.filter((id) => !st.get(id));
  }

  query(q: ItemQuery): { total: number; items: MediaItem[] } {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.q) {
      const fts = ftsQuery(q.q);
      if (!fts) return { total: 0, items: [] };
      where.push('i.id IN (SELECT rowid FROM media_search WHERE media_search MATCH ?)');
      args.push(fts);
    }
    if (q.kind) { where.push('i.kind = ?'); args.push(q.kind); }
    if (q.status) { where.push('i.status = ?'); args.push(q.status); }
    if (q.sourceId) { where.push('i.source_id = ?'); args.push(q.sourceId); }
    if (q.showId) { where.push('i.show_id = ?'); args.push(q.showId); }
    // A collection: its items in the collection's order.
    const join = q.collectionId ? 'JOIN collection_items ci ON ci.item_id = i.id AND ci.collection_id = ?' : '';
    if (q.collectionId) args.unshift(q.collectionId);
    const order = q.collectionId ? 'ORDER BY ci.position, i.id' : EPISODE_ORDER;
    const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT count(*) AS n FROM media_items i ${join} ${cond}`).get(...args) as { n: number }).n;
    const rows = this.db.prepare(`${SELECT} ${join} ${cond} ${order} LIMIT ? OFFSET ?`).all(...args, q.limit, q.offset) as ItemRow[];
    return { total, items: rows.map(toItem) };
  }

  /** Full-text search ranked by relevance. */
  search(text: string, limit = 50): MediaItem[] {
    const fts = ftsQuery(text);
    if (!fts) return [];
    const rows = this.db.prepare(`${SELECT} JOIN (SELECT rowid, rank FROM media_search WHERE media_search MATCH ?) m ON m.rowid = i.id
      ORDER BY m.rank LIMIT ?`).all(fts, limit) as ItemRow[];
    return rows.map(toItem);
  }

  private readonly statements = new Map<string, Statement>();

  /** Prepared once per SQL text: schedulers ask for pools often. */
  private stmt(sql: string): Statement {
    let st = this.statements.get(sql);
    if (!st) this.statements.set(sql, st = this.db.prepare(sql));
    return st;
  }

  private playable(sql: string, ...args: unknown[]): PlayableItem[] {
    const rows = this.stmt(sql).all(...args) as { id: number; duration_ms: number; title: string; show_id: number | null; season_number: number | null; episode_number: number | null; release_date: string | null }[];
    return rows.map((r) => ({ id: r.id, durationMs: r.duration_ms, title: r.title, showId: r.show_id, seasonNumber: r.season_number, episodeNumber: r.episode_number, releaseDate: r.release_date }));
  }

  private static readonly PLAYABLE_COLS = `i.id, i.duration_ms, i.title, i.show_id, i.season_number, i.episode_number, i.release_date`;

  /** Chapter starts (ms, > 0) of these items, for mid-roll filler. */
  chapterStarts(ids: readonly number[]): Map<number, number[]> {
    const out = new Map<number, number[]>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 500) {
      const rows = this.db.prepare(`SELECT item_id, start_ms FROM media_chapters WHERE start_ms > 0 AND item_id IN (SELECT value FROM json_each(?)) ORDER BY item_id, start_ms`)
        .all(JSON.stringify(unique.slice(i, i + 500))) as { item_id: number; start_ms: number }[];
      for (const r of rows) (out.get(r.item_id) ?? out.set(r.item_id, []).get(r.item_id)!).push(r.start_ms);
    }
    return out;
  }

  playableOfShow(showId: number): PlayableItem[] {
    return this.playable(`SELECT ${ItemsRepo.PLAYABLE_COLS} FROM media_items i LEFT JOIN shows s ON s.id = i.show_id
      WHERE i.show_id = ? AND ${PLAYABLE} ${EPISODE_ORDER}`, showId);
  }

  playableOfCollection(collectionId: number, kind: 'manual' | 'search', query: string | null): PlayableItem[] {
    if (kind === 'manual') {
      return this.playable(`SELECT ${ItemsRepo.PLAYABLE_COLS} FROM collection_items c JOIN media_items i ON i.id = c.item_id
        WHERE c.collection_id = ? AND ${PLAYABLE} ORDER BY c.position, i.id`, collectionId);
    }
    const fts = query ? ftsQuery(query) : null;
    if (!fts) return [];
    return this.playable(`SELECT ${ItemsRepo.PLAYABLE_COLS} FROM media_items i LEFT JOIN shows s ON s.id = i.show_id
      WHERE i.id IN (SELECT rowid FROM media_search WHERE media_search MATCH ?) AND ${PLAYABLE} ${EPISODE_ORDER}`, fts);
  }

  playableItem(id: number): PlayableItem[] {
    return this.playable(`SELECT ${ItemsRepo.PLAYABLE_COLS} FROM media_items i WHERE i.id = ? AND ${PLAYABLE}`, id);
  }

  /** Titles and episode numbers of many items at once (for guide rows). Unknown ids are left out. */
  guideInfo(ids: readonly number[]): Map<number, GuideInfo> {
    const out = new Map<number, GuideInfo>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 500) {
      const rows = this.db.prepare(`SELECT i.id, i.title, s.title AS show_title, i.season_number, i.episode_number
        FROM media_items i LEFT JOIN shows s ON s.id = i.show_id WHERE i.id IN (SELECT value FROM json_each(?))`)
        .all(JSON.stringify(unique.slice(i, i + 500))) as { id: number; title: string; show_title: string | null; season_number: number | null; episode_number: number | null }[];
      for (const r of rows) out.set(r.id, { title: r.title, showTitle: r.show_title, seasonNumber: r.season_number, episodeNumber: r.episode_number });
    }
    return out;
  }

  /** Guide details of many items at once (one query per 500 ids). Unknown ids are left out. */
  guideDetails(ids: readonly number[]): Map<number, GuideDetail> {
    const out = new Map<number, GuideDetail>();
    const unique = [...new Set(ids)];
    // Prepared once: a guide calls this once per channel, and each statement holds native memory until GC.
    const st = this.guideDetailsSt ??= this.db.prepare(`SELECT i.id, i.kind, i.title, i.season_number, i.episode_number, i.episode_end, i.year, i.release_date,
        i.plot, i.genres, i.images, s.title AS show_title, s.year AS show_year, s.plot AS show_plot, s.genres AS show_genres, s.images AS show_images
      FROM media_items i LEFT JOIN shows s ON s.id = i.show_id WHERE i.id IN (SELECT value FROM json_each(?))`);
    for (let i = 0; i < unique.length; i += 500) {
      const rows = st.all(JSON.stringify(unique.slice(i, i + 500))) as {
        id: number; kind: ItemKind; title: string; season_number: number | null; episode_number: number | null; episode_end: number | null;
        year: number | null; release_date: string | null; plot: string | null; genres: string; images: string;
        show_title: string | null; show_year: number | null; show_plot: string | null; show_genres: string | null; show_images: string | null;
      }[];
      for (const r of rows) {
        out.set(r.id, {
          id: r.id, kind: r.kind, title: r.title, showTitle: r.show_title, seasonNumber: r.season_number, episodeNumber: r.episode_number,
          episodeEnd: r.episode_end, year: r.year, releaseDate: r.release_date, plot: r.plot, genres: json<string[]>(r.genres, []),
          images: json<Record<string, string>>(r.images, {}), showYear: r.show_year, showPlot: r.show_plot,
          showGenres: json<string[]>(r.show_genres, []), showImages: json<Record<string, string>>(r.show_images, {}),
        });
      }
    }
    return out;
  }

  counts(): Record<ItemStatus, number> {
    const rows = this.db.prepare('SELECT status, count(*) AS n FROM media_items GROUP BY status').all() as { status: ItemStatus; n: number }[];
    const out: Record<ItemStatus, number> = { ok: 0, missing: 0, unreadable: 0 };
    for (const r of rows) out[r.status] = r.n;
    return out;
  }
}
