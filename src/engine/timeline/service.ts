// Rolling materialisation of timeline rows, the one truth for guide and playback.
// Rows are built from the channel's schedule definition and the cursor of the last row kept,
// so rebuilding after an edit continues the series and never cuts what is on air.
import type { ContentRef } from '../../schemas/channel.js';
import type { ScheduleDefinition } from '../../schemas/schedule.js';
import type { PlannedRow, TimelineRow, TimelineRowOut } from '../../schemas/timeline.js';
import type { PlayableItem } from '../store/repos/items.js';
import type { Store } from '../store/store.js';
import type { EventBus } from '../events.js';
import { buildSchedule } from '../schedule/builder.js';
import { systemTimeZone } from '../schedule/local-time.js';
import { stateFromCursor } from '../schedule/state.js';
import { rowsOut } from './view.js';

const DAY_MS = 86_400_000;
/** History kept behind now (for "what was on" and the guide's past hour). */
export const KEEP_HISTORY_MS = DAY_MS + 2 * 3_600_000; // a day-shifted mirror still finds its rows

export interface WhatIsOn {
  row: TimelineRow;
  /** How far into the row t is. */
  offsetMs: number;
  /** Where to seek in the item: row.inMs + offsetMs. */
  seekMs: number;
}

export class TimelineService {
  constructor(private readonly store: Store, private readonly opts: { days: number }, private readonly events?: EventBus) {}

  get horizonMs(): number { return this.opts.days * DAY_MS; }

  /** Every playable item the content refers to, in the definition's order (duplicates dropped by the builder). */
  pool(content: readonly ContentRef[]): PlayableItem[] {
    const { items, collections } = this.store;
    return content.flatMap((ref) => {
      switch (ref.type) {
        case 'show': return items.playableOfShow(ref.id);
        case 'item': return items.playableItem(ref.id);
        case 'collection': {
          const c = collections.find(ref.id);
          return c ? items.playableOfCollection(c.id, c.kind, c.query) : [];
        }
      }
    });
  }

  /** Playable items per source key of a definition (with chapter marks when mid-roll filler needs them). */
  pools(def: ScheduleDefinition): Record<string, PlayableItem[]> {
    const pools: Record<string, PlayableItem[]> = {};
    for (const s of def.sources) pools[s.key] = this.pool(s.content);
    if (def.filler.lists.some((l) => l.kinds.includes('mid') && l.midAtChapters)) {
      const all = Object.values(pools).flat();
      const marks = this.store.items.chapterStarts(all.map((i) => i.id));
      for (const item of all) { const c = marks.get(item.id); if (c) item.chapters = c; }
    }
    return pools;
  }

  /** Rows a definition produces for [from, to) from a given progress (pure build over the library). */
  plan(def: ScheduleDefinition, seed: number, cursor: unknown, from: number, to: number): PlannedRow[] {
    return buildSchedule({ def, pools: this.pools(def), seed, state: cursor ? stateFromCursor(cursor) : null, from, to, tz: def.timezone ?? systemTimeZone() });
  }

  private build(channelId: number, from: number, cursor: unknown, now: number, depth = 0): number {
    const { definition, seed } = this.store.channels.definition(channelId);
    const to = now + this.horizonMs;
    const rows = definition.main.mode === 'mirror'
      ? this.mirrorRows(definition.main.channel, definition.main.shiftMin * 60_000, from, to, now, depth)
      : this.plan(definition, seed, cursor, from, to);
    this.store.timeline.insert(channelId, rows);
    return rows.length;
  }

  /** Another channel's rows, shifted later: a time-shifted copy ("+1 h" channels). */
  private mirrorRows(number: string, shiftMs: number, from: number, to: number, now: number, depth: number): PlannedRow[] {
    const src = this.store.channels.findByNumber(number);
    if (!src || depth > 3) return offline(from, to);
    this.extend(src.id, now, depth + 1);
    const rows: PlannedRow[] = [];
    let t = from;
    for (const r of this.store.timeline.range(src.id, from - shiftMs, to - shiftMs, 100_000)) {
      const start = r.startMs + shiftMs, end = r.endMs + shiftMs;
      if (end <= t) continue;
      if (start > t) rows.push(...offline(t, start));
      const cut = Math.max(t, start) - start;
      rows.push({ startMs: start + cut, endMs: end, kind: r.kind, itemId: r.itemId, inMs: r.inMs + cut, outMs: r.outMs, title: r.title, target: r.target ?? null, cursor: null });
      t = end;
    }
    if (t < to) rows.push(...offline(t, to));
    return rows;
  }

  /** Makes sure rows cover [now, now + days). Returns the number of rows added. */
  extend(channelId: number, now = Date.now(), depth = 0): number {
    return this.store.tx(() => {
      const last = this.store.timeline.last(channelId);
      if (last && last.endMs >= now + this.horizonMs) return 0;
      // After downtime the series resumes where it stopped, starting now.
      const from = last && last.endMs > now ? last.endMs : now;
      return this.build(channelId, from, last?.cursor ?? null, now, depth);
    });
  }

  /**
   * Rebuilds from now on after an edit: the row on air keeps playing to its end (an offline
   * slate is cut short instead), later rows are replaced. Call inside the edit's transaction.
   */
  rebuild(channelId: number, now = Date.now(), depth = 0): number {
    return this.store.tx(() => {
      const { timeline } = this.store;
      let onAir = timeline.at(channelId, now);
      if (onAir && onAir.kind === 'slate' && onAir.itemId === null && onAir.startMs < now) {
        timeline.truncate(onAir.id, now);
        onAir = { ...onAir, endMs: now };
      } else if (onAir && onAir.kind === 'slate' && onAir.startMs === now) {
        onAir = undefined;
      }
      const from = onAir ? onAir.endMs : now;
      timeline.deleteFrom(channelId, onAir ? onAir.endMs : now);
      const before = onAir ?? timeline.last(channelId);
      const added = this.build(channelId, from, before?.cursor ?? null, now);
      const ch = this.store.channels.find(channelId);
      if (ch) {
        this.events?.emit('timeline.changed', { channelId, number: ch.number, from: new Date(from).toISOString() });
        // Time-shifted mirrors of this channel follow it.
        if (depth < 3) for (const d of this.store.channels.dependentsOf(ch.number)) if (d.id !== channelId) this.rebuild(d.id, now, depth + 1);
      }
      return added;
    });
  }

  extendAll(now = Date.now()): number {
    let added = 0;
    for (const c of this.store.channels.list()) added += this.extend(c.id, now);
    this.store.timeline.prune(now - KEEP_HISTORY_MS);
    return added;
  }

  rebuildAll(now = Date.now()): void {
    for (const c of this.store.channels.list()) this.rebuild(c.id, now);
  }

  /**
   * On-demand channels: when the last viewer leaves, remember where playback stood (the row on
   * air, how far into it, and the builder's progress).
   */
  pauseOnDemand(channelId: number, now = Date.now()): void {
    if (!this.store.channels.definition(channelId).definition.onDemand) return;
    const on = this.whatIsOn(channelId, now);
    if (!on) return;
    const { row } = on;
    this.store.settings.set(`ondemand.${channelId}`, { kind: row.kind, itemId: row.itemId, inMs: on.seekMs, outMs: row.outMs, title: row.title, target: row.target ?? null, cursor: row.cursor });
  }

  /** On-demand channels: on the next tune, playback resumes where it was paused, starting now. */
  resumeOnDemand(channelId: number, now = Date.now()): boolean {
    const key = `ondemand.${channelId}`;
    const saved = this.store.settings.get<{ kind: TimelineRow['kind']; itemId: number | null; inMs: number; outMs: number; title: string | null; target: string | null; cursor: unknown } | null>(key, null);
    if (!saved || !this.store.channels.definition(channelId).definition.onDemand) return false;
    this.store.tx(() => {
      const { timeline } = this.store;
      const on = timeline.at(channelId, now);
      if (on && on.startMs < now) timeline.truncate(on.id, now);
      timeline.deleteFrom(channelId, now);
      const rest = saved.outMs - saved.inMs;
      if (rest >= 1000) timeline.insert(channelId, [{ startMs: now, endMs: now + rest, kind: saved.kind, itemId: saved.itemId, inMs: saved.inMs, outMs: saved.outMs, title: saved.title, target: saved.target, cursor: saved.cursor }]);
      this.build(channelId, rest >= 1000 ? now + rest : now, saved.cursor, now);
      this.store.settings.set(key, null);
    });
    return true;
  }

  whatIsOn(channelId: number, t = Date.now()): WhatIsOn | null {
    const row = this.store.timeline.at(channelId, t);
    if (!row) return null;
    const offsetMs = t - row.startMs;
    return { row, offsetMs, seekMs: row.inMs + offsetMs };
  }

  /** The rows overlapping [from, to) as the API shows them (titles resolved), extended first. */
  /** Rows of [from, to) as the API shows them, at most `limit`, with the window's total and where a cut list goes on. */
  window(channelId: number, from: number, to: number, limit: number): { rows: TimelineRowOut[]; total: number; nextFrom: string | null } {
    this.extend(channelId);
    const rows = this.store.timeline.range(channelId, from, to, limit + 1);
    const cut = rows.length > limit ? rows.pop()! : null;
    const total = cut ? this.store.timeline.countRange(channelId, from, to) : rows.length;
    return { rows: rowsOut(this.store, rows), total, nextFrom: cut ? new Date(cut.startMs).toISOString() : null };
  }

  /** What airs at t and what comes next, as the API shows them (extended first); null: nothing scheduled. */
  nowAndNext(channelId: number, t: number): { on: WhatIsOn; row: TimelineRowOut; next: TimelineRowOut | null } | null {
    this.extend(channelId);
    const on = this.whatIsOn(channelId, t);
    if (!on) return null;
    const next = this.store.timeline.next(channelId, on.row.endMs);
    const [row, nextRow] = rowsOut(this.store, next ? [on.row, next] : [on.row]);
    return { on, row: row!, next: nextRow ?? null };
  }
}

/** Offline slate rows for [from, to), hour-aligned. */
function offline(from: number, to: number): PlannedRow[] {
  const rows: PlannedRow[] = [];
  for (let t = from; t < to;) {
    const end = Math.min(Math.floor(t / 3_600_000) * 3_600_000 + 3_600_000, to);
    rows.push({ startMs: t, endMs: end, kind: 'slate', itemId: null, inMs: 0, outMs: end - t, title: 'Offline', target: null, cursor: null });
    t = end;
  }
  return rows;
}
