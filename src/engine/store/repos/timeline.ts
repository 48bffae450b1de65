import type { Statement } from 'better-sqlite3';
import type { Db } from '../db.js';
import { json } from '../rows.js';
import type { PlannedRow, RowKind, TimelineRow } from '../../../schemas/timeline.js';

/** The columns of a row that a guide needs (no builder cursor). */
export interface GuideRow { startMs: number; endMs: number; kind: RowKind; itemId: number | null; title: string | null; target?: string | null }

interface Row { id: number; channel_id: number; start_ms: number; end_ms: number; kind: RowKind; item_id: number | null; in_ms: number; out_ms: number; title: string | null; target: string | null; cursor: string | null }

const toRow = (r: Row): TimelineRow => ({
  id: r.id, channelId: r.channel_id, startMs: r.start_ms, endMs: r.end_ms, kind: r.kind, itemId: r.item_id,
  inMs: r.in_ms, outMs: r.out_ms, title: r.title, target: r.target, cursor: json(r.cursor, null),
});

export class TimelineRepo {
  private guideRangeSt: Statement<unknown[]> | undefined;

  constructor(private readonly db: Db) {}

  /** The row airing at t: start <= t < end. */
  at(channelId: number, t: number): TimelineRow | undefined {
    const r = this.db.prepare(`SELECT * FROM timeline_rows WHERE channel_id = ? AND end_ms > ? ORDER BY end_ms LIMIT 1`).get(channelId, t) as Row | undefined;
    return r && r.start_ms <= t ? toRow(r) : undefined;
  }

  /** Rows overlapping [from, to), in time order. */
  range(channelId: number, from: number, to: number, limit = 10_000): TimelineRow[] {
    return (this.db.prepare(`SELECT * FROM timeline_rows WHERE channel_id = ? AND end_ms > ? AND start_ms < ? ORDER BY start_ms LIMIT ?`)
      .all(channelId, from, to, limit) as Row[]).map(toRow);
  }

  /** How many rows overlap [from, to). */
  countRange(channelId: number, from: number, to: number): number {
    return (this.db.prepare('SELECT count(*) AS n FROM timeline_rows WHERE channel_id = ? AND end_ms > ? AND start_ms < ?').get(channelId, from, to) as { n: number }).n;
  }

  /** Rows overlapping [from, to) in time order, only the columns a guide needs (no cursor parsing). */
  guideRange(channelId: number, from: number, to: number): GuideRow[] {
    // Raw arrays mapped here: about twice as fast as better-sqlite3 building the objects (7-day guides read ~150k rows).
    // Prepared once: a guide calls this once per channel, and each statement holds native memory until GC.
    this.guideRangeSt ??= this.db.prepare(`SELECT start_ms, end_ms, kind, item_id, title, target FROM timeline_rows
      WHERE channel_id = ? AND end_ms > ? AND start_ms < ? ORDER BY start_ms`).raw(true);
    const rows = this.guideRangeSt.all(channelId, from, to) as
      [number, number, RowKind, number | null, string | null, string | null][];
    return rows.map((r) => ({ startMs: r[0], endMs: r[1], kind: r[2], itemId: r[3], title: r[4], target: r[5] }));
  }

  /** End of the last row of every channel that has rows (channel id → end ms), in one query. */
  lastEnds(): Map<number, number> {
    const rows = this.db.prepare('SELECT channel_id, max(end_ms) FROM timeline_rows GROUP BY channel_id').raw(true).all() as [number, number][];
    return new Map(rows);
  }

  next(channelId: number, after: number): TimelineRow | undefined {
    const r = this.db.prepare(`SELECT * FROM timeline_rows WHERE channel_id = ? AND start_ms >= ? ORDER BY start_ms LIMIT 1`).get(channelId, after) as Row | undefined;
    return r && toRow(r);
  }

  last(channelId: number): TimelineRow | undefined {
    const r = this.db.prepare(`SELECT * FROM timeline_rows WHERE channel_id = ? ORDER BY start_ms DESC LIMIT 1`).get(channelId) as Row | undefined;
    return r && toRow(r);
  }

  insert(channelId: number, rows: PlannedRow[]): void {
    const st = this.db.prepare(`INSERT INTO timeline_rows (channel_id, start_ms, end_ms, kind, item_id, in_ms, out_ms, title, target, cursor)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const r of rows) st.run(channelId, r.startMs, r.endMs, r.kind, r.itemId, r.inMs, r.outMs, r.title, r.target ?? null, r.cursor == null ? null : JSON.stringify(r.cursor));
  }

  /** Drops rows starting at or after t. */
  deleteFrom(channelId: number, t: number): number {
    return this.db.prepare('DELETE FROM timeline_rows WHERE channel_id = ? AND start_ms >= ?').run(channelId, t).changes;
  }

  /** Ends a row early (the slate on air when real content arrives). */
  truncate(rowId: number, endMs: number): void {
    this.db.prepare('UPDATE timeline_rows SET end_ms = ?, out_ms = in_ms + (? - start_ms) WHERE id = ? AND start_ms < ?').run(endMs, endMs, rowId, endMs);
  }

  /** Forgets history older than t. */
  prune(before: number): number {
    return this.db.prepare('DELETE FROM timeline_rows WHERE end_ms < ?').run(before).changes;
  }

  count(channelId: number): number {
    return (this.db.prepare('SELECT count(*) AS n FROM timeline_rows WHERE channel_id = ?').get(channelId) as { n: number }).n;
  }
}
