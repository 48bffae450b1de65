// Pure builder for the spine's "flood" schedule: the channel's content back to back,
// in order or shuffled (reshuffled every cycle). Input + cursor + window → timeline rows.
import type { OrderKind } from '../../schemas/channel.js';
import type { PlannedRow } from '../../schemas/timeline.js';
import type { PlayableItem } from '../store/repos/items.js';
import { mixSeed, shuffled } from './rng.js';

/** Where the sequence stands after a row: persisted with every row. */
export interface FloodCursor {
  cycle: number;
  /** Index of the next item in the cycle's sequence. */
  index: number;
  lastItemId: number | null;
  /**
   * The item that aired just before this cycle began: the shuffle of a cycle depends on it (no repeat
   * at the seam), so a rebuild in the middle of the cycle needs it to recompute the same sequence.
   * Absent in cursors written before it existed (treated as null).
   */
  seamItemId?: number | null;
}

export interface FloodInput {
  pool: readonly PlayableItem[];
  order: OrderKind;
  seed: number;
  cursor: FloodCursor | null;
  from: number;
  to: number;
}

/** Items shorter than this are never scheduled (protects the guide from floods of tiny rows). */
export const MIN_ITEM_MS = 1000;
/** Offline slates are cut at hour boundaries so the guide shows tidy blocks. */
export const SLATE_BLOCK_MS = 3_600_000;
export const OFFLINE_TITLE = 'Offline';
/** One build never makes more rows than this; the next extension carries on from the last one. */
export const MAX_ROWS = 250_000;

export const startCursor: FloodCursor = { cycle: 0, index: 0, lastItemId: null, seamItemId: null };

/** The order in which a cycle plays the pool. Shuffle never repeats the previous item at a cycle seam. */
export function cycleSequence(pool: readonly PlayableItem[], order: OrderKind, seed: number, cycle: number, lastItemId: number | null): PlayableItem[] {
  if (order === 'in_order') return pool.slice();
  const seq = shuffled(pool, mixSeed(seed, cycle));
  if (seq.length > 1 && seq[0]!.id === lastItemId) [seq[0], seq[1]] = [seq[1]!, seq[0]!];
  return seq;
}

/** Offline rows covering [from, to), cut at hour boundaries. */
export function offlineRows(from: number, to: number, cursor: unknown): PlannedRow[] {
  const rows: PlannedRow[] = [];
  for (let t = from; t < to;) {
    const end = Math.min(Math.floor(t / SLATE_BLOCK_MS) * SLATE_BLOCK_MS + SLATE_BLOCK_MS, Math.max(to, t + 1));
    rows.push({ startMs: t, endMs: end, kind: 'slate', itemId: null, inMs: 0, outMs: end - t, title: OFFLINE_TITLE, cursor });
    t = end;
  }
  return rows;
}

export function buildFlood(input: FloodInput): PlannedRow[] {
  const pool = dedupe(input.pool.filter((i) => i.durationMs >= MIN_ITEM_MS));
  let cursor = input.cursor ?? startCursor;
  if (pool.length === 0) return offlineRows(input.from, input.to, cursor);

  let { cycle, index } = cursor;
  let seamItemId = cursor.seamItemId ?? null;
  if (input.order === 'in_order' && cursor.lastItemId !== null) {
    // Continue after the last aired item even when the pool changed around it.
    const at = pool.findIndex((i) => i.id === cursor.lastItemId);
    if (at >= 0) index = at + 1;
  }
  // The cycle's sequence as it was planned (same pool, seed, cycle and seam → same order).
  let seq = cycleSequence(pool, input.order, input.seed, cycle, seamItemId);
  // A changed pool reshuffles the cycle: never start with the item that just aired.
  if (input.order === 'shuffle' && seq.length > 1 && seq[index]?.id === cursor.lastItemId) index += 1;
  const rows: PlannedRow[] = [];
  let t = input.from;
  let lastItemId = cursor.lastItemId;
  while (t < input.to) {
    if (index >= seq.length) {
      cycle += 1;
      index = 0;
      seamItemId = lastItemId;
      seq = cycleSequence(pool, input.order, input.seed, cycle, seamItemId);
    }
    const item = seq[index]!;
    index += 1;
    lastItemId = item.id;
    cursor = { cycle, index, lastItemId, seamItemId };
    rows.push({ startMs: t, endMs: t + item.durationMs, kind: 'item', itemId: item.id, inMs: 0, outMs: item.durationMs, title: null, cursor });
    t += item.durationMs;
    if (rows.length >= MAX_ROWS) break;
  }
  return rows;
}

function dedupe(items: PlayableItem[]): PlayableItem[] {
  const seen = new Set<number>();
  return items.filter((i) => (seen.has(i.id) ? false : (seen.add(i.id), true)));
}
