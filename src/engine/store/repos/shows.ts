import type { Db } from '../db.js';
import { json, sortTitle } from '../rows.js';
import type { Show } from '../../../schemas/library.js';
import { NotFoundError } from '../../errors.js';

export interface ShowUpsert {
  externalKey: string;
  title: string;
  year: number | null;
  plot: string | null;
  genres: string[];
  images?: Record<string, string>;
  externalIds?: Record<string, string>;
}

interface ShowRow { id: number; source_id: number; title: string; year: number | null; plot: string | null; genres: string; episodes: number; seasons: string | null }

const SELECT = `SELECT s.id, s.source_id, s.title, s.year, s.plot, s.genres,
  (SELECT count(*) FROM media_items i WHERE i.show_id = s.id AND i.status = 'ok') AS episodes,
  (SELECT group_concat(number) FROM (SELECT number FROM seasons WHERE show_id = s.id ORDER BY number)) AS seasons
  FROM shows s`;

const toShow = (r: ShowRow): Show => ({
  id: r.id, sourceId: r.source_id, title: r.title, year: r.year, plot: r.plot, genres: json<string[]>(r.genres, []),
  episodes: r.episodes, seasons: r.seasons ? r.seasons.split(',').map(Number) : [],
});

export class ShowsRepo {
  constructor(private readonly db: Db) {}

  /** Inserts or updates a show by (source, external key). Call inside a transaction. */
  upsert(sourceId: number, s: ShowUpsert): number {
    const row = this.db.prepare(`INSERT INTO shows (source_id, external_key, title, sort_title, year, plot, genres, images, external_ids)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (source_id, external_key) DO UPDATE SET title = excluded.title, sort_title = excluded.sort_title,
        year = excluded.year, plot = excluded.plot, genres = excluded.genres, images = excluded.images, external_ids = excluded.external_ids
      RETURNING id`).get(sourceId, s.externalKey, s.title, sortTitle(s.title), s.year, s.plot, JSON.stringify(s.genres),
      JSON.stringify(s.images ?? {}), JSON.stringify(s.externalIds ?? {})) as { id: number };
    return row.id;
  }

  /** Shows of a source by external key, with the fields a scanner writes, to skip upserts that change nothing. */
  known(sourceId: number): Map<string, ShowUpsert & { id: number }> {
    const rows = this.db.prepare('SELECT id, external_key, title, year, plot, genres, images, external_ids FROM shows WHERE source_id = ?').all(sourceId) as
      { id: number; external_key: string; title: string; year: number | null; plot: string | null; genres: string; images: string; external_ids: string }[];
    return new Map(rows.map((r) => [r.external_key, {
      id: r.id, externalKey: r.external_key, title: r.title, year: r.year, plot: r.plot, genres: json<string[]>(r.genres, []),
      images: json<Record<string, string>>(r.images, {}), externalIds: json<Record<string, string>>(r.external_ids, {}),
    }]));
  }

  season(showId: number, number: number): number {
    const row = this.db.prepare(`INSERT INTO seasons (show_id, number) VALUES (?, ?)
      ON CONFLICT (show_id, number) DO UPDATE SET number = excluded.number RETURNING id`).get(showId, number) as { id: number };
    return row.id;
  }

  /** Removes shows and seasons of a source that no longer have any item. */
  prune(sourceId: number): void {
    this.db.prepare(`DELETE FROM seasons WHERE show_id IN (SELECT id FROM shows WHERE source_id = ?)
      AND NOT EXISTS (SELECT 1 FROM media_items i WHERE i.season_id = seasons.id)`).run(sourceId);
    this.db.prepare(`DELETE FROM shows WHERE source_id = ? AND NOT EXISTS (SELECT 1 FROM media_items i WHERE i.show_id = shows.id)`).run(sourceId);
  }

  list(): Show[] {
    return (this.db.prepare(`${SELECT} ORDER BY s.sort_title, s.id`).all() as ShowRow[]).map(toShow);
  }

  find(id: number): Show | undefined {
    const r = this.db.prepare(`${SELECT} WHERE s.id = ?`).get(id) as ShowRow | undefined;
    return r && toShow(r);
  }

  get(id: number): Show {
    const s = this.find(id);
    if (!s) throw new NotFoundError(`show ${id}`);
    return s;
  }

  findByTitle(title: string): Show[] {
    return (this.db.prepare(`${SELECT} WHERE s.title = ? COLLATE NOCASE ORDER BY s.id`).all(title) as ShowRow[]).map(toShow);
  }
}
