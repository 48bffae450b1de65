// Rolling materialisation of timeline rows, the one truth for guide and playback.
// Rows are built from the channel's schedule definition and the cursor of the last row kept,
// so rebuilding after an edit continues the series and never cuts what is on air.
import type { ContentRef } from '../../schemas/channel.js';
import type { TimelineRow } from '../../schemas/timeline.js';
import type { PlayableItem } from '../store/repos/items.js';
import type { Store } from '../store/store.js';
import type { EventBus } from '../events.js';
import { buildFlood, type FloodCursor } from './flood.js';

const DAY_MS = 86_400_000;
/** History kept behind now (for "what was on" and the guide's past hour). */
export const KEEP_HISTORY_MS = DAY_MS;

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

  private build(channelId: number, from: number, cursor: FloodCursor | null, now: number): number {
    const { definition, seed } = this.store.channels.definition(channelId);
    const rows = buildFlood({ pool: this.pool(definition.content), order: definition.order, seed, cursor, from, to: now + this.horizonMs });
    this.store.timeline.insert(channelId, rows);
    return rows.length;
  }

  /** Makes sure rows cover [now, now + days). Returns the number of rows added. */
  extend(channelId: number, now = Date.now()): number {
    return this.store.tx(() => {
      const last = this.store.timeline.last(channelId);
      if (last && last.endMs >= now + this.horizonMs) return 0;
      // After downtime the series resumes where it stopped, starting now.
      const from = last && last.endMs > now ? last.endMs : now;
      return this.build(channelId, from, (last?.cursor as FloodCursor | null) ?? null, now);
    });
  }

  /**
   * Rebuilds from now on after an edit: the row on air keeps playing to its end (an offline
   * slate is cut short instead), later rows are replaced. Call inside the edit's transaction.
   */
  rebuild(channelId: number, now = Date.now()): number {
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
      const added = this.build(channelId, from, (before?.cursor as FloodCursor | null) ?? null, now);
      const ch = this.store.channels.find(channelId);
      if (ch) this.events?.emit('timeline.changed', { channelId, number: ch.number, from: new Date(from).toISOString() });
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

  whatIsOn(channelId: number, t = Date.now()): WhatIsOn | null {
    const row = this.store.timeline.at(channelId, t);
    if (!row) return null;
    const offsetMs = t - row.startMs;
    return { row, offsetMs, seekMs: row.inMs + offsetMs };
  }
}
