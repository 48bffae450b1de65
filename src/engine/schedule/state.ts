// The builder's progress, persisted as the cursor of every timeline row: rebuilding from any row
// continues exactly where that row left off (series position, cooldowns, slot progress).
import { freshOrder, type OrderState } from './orders.js';

export interface BuildState {
  v: 2;
  /** Order progress per content source key. */
  src: Record<string, OrderState>;
  /** Recent plays [itemId, startMs], oldest first: only of items under a cooldown, and only while it lasts. */
  recent: [number, number][];
  /** Filler list index → when it was last used. */
  lists: Record<string, number>;
  /** Random slot index → when it was last chosen. */
  rslots: Record<string, number>;
  /** The slot occurrence being filled: its key, items played, start. */
  occ: { key: string; n: number; at: number } | null;
  /**
   * A unit cut across rows (multi-part, mid-roll): where to carry on. `item` past the last item =
   * only the post-roll is left; `mid` = a mid-roll is due at `at` before the item carries on.
   */
  resume: { unit: number; source: string; item: number; at: number; latest: number | null; mid?: boolean } | null;
  /** Order progress per filler source key (absent in older cursors). */
  fill?: Record<string, OrderState>;
  /** The item of the row just built (filler never repeats it back to back); absent in older cursors. */
  prev?: number | null;
}

export function freshState(): BuildState {
  return { v: 2, src: {}, recent: [], lists: {}, rslots: {}, occ: null, resume: null };
}

/** Accepts the builder's own cursor; the spine's flood cursor becomes the progress of source "main". */
export function stateFromCursor(cursor: unknown): BuildState {
  const c = cursor as Partial<BuildState> & { cycle?: number; index?: number; lastItemId?: number | null; seamItemId?: number | null } | null;
  if (c && c.v === 2) return { ...freshState(), ...c } as BuildState;
  if (c && typeof c.cycle === 'number') {
    return { ...freshState(), src: { main: { c: c.cycle, i: c.index ?? 0, last: c.lastItemId ?? null, seam: c.seamItemId ?? null } } };
  }
  return freshState();
}

export const orderOf = (st: BuildState, key: string): OrderState => st.src[key] ?? freshOrder();

/** A copy the builder's later steps cannot change (it runs once per row: kept cheap, no JSON). */
export function snapshot(st: BuildState): BuildState {
  const src: Record<string, OrderState> = {};
  for (const k of Object.keys(st.src)) src[k] = { ...st.src[k]! };
  // The [itemId, startMs] pairs themselves are never modified, only added and removed.
  const fill: Record<string, OrderState> = {};
  for (const k of Object.keys(st.fill ?? {})) fill[k] = { ...st.fill![k]! };
  return { ...st, src, fill, recent: st.recent.slice(), lists: { ...st.lists }, rslots: { ...st.rslots }, occ: st.occ && { ...st.occ }, resume: st.resume && { ...st.resume } };
}
