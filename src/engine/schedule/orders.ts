// Orders: which unit of a content source plays next. Cyclic orders (in order, shuffle, cyclic
// shuffle, block shuffle) precompute one sequence per cycle from (seed, source, cycle), so the
// persisted progress is just {cycle, index}. Random draws are keyed by time, so the same seed
// always yields the same rows and a rebuild from any row continues identically.
import type { OrderSpec } from '../../schemas/schedule.js';
import { mixSeed, rng, shuffled } from './rng.js';
import type { Unit } from './units.js';

export interface OrderState {
  /** Cycle number. */
  c: number;
  /** Next index in the cycle's sequence. */
  i: number;
  /** Unit that aired last (continuation anchor when the pool changes). */
  last: number | null;
  /** Unit that aired just before the cycle began (no repeat at the seam). */
  seam: number | null;
  /** Filler only: units of this cycle taken ahead of their turn (they did not fit in order). */
  u?: number[];
}

export const freshOrder = (): OrderState => ({ c: 0, i: 0, last: null, seam: null });

export interface OrderContext {
  seed: number;
  /** Salt for this source (hash of its key). */
  salt: number;
  /** When the unit would start (random draws are keyed by it). */
  t: number;
  /** Last start time of an item, if it aired recently. */
  lastPlayed(itemId: number): number | undefined;
  /** Memo for cycle sequences (owned by one build). */
  memo: Map<string, Unit[]>;
}

/** A float in [0,1) for (seed, salt, t, n): stateless, reproducible randomness. */
export function drawAt(seed: number, salt: number, t: number, n = 0): number {
  return rng(mixSeed(seed, salt, Math.floor(t / 4294967296), t >>> 0, n))();
}

function releaseKey(u: Unit): string {
  return u.items[0]?.releaseDate ?? '9999';
}

/** One uniformly random interleaving of the shows that keeps each show's episode order. */
function interleave(units: readonly Unit[], seed: number): Unit[] {
  const byShow = new Map<string, Unit[]>();
  for (const u of units) (byShow.get(u.show) ?? byShow.set(u.show, []).get(u.show)!).push(u);
  const labels = shuffled(units.map((u) => u.show), seed);
  const next = new Map<string, number>();
  return labels.map((s) => {
    const k = next.get(s) ?? 0;
    next.set(s, k + 1);
    return byShow.get(s)![k]!;
  });
}

/** blockSize episodes of a show, then the next show (shows in random order each round). */
function blocks(units: readonly Unit[], seed: number, size: number): Unit[] {
  const byShow = new Map<string, Unit[]>();
  for (const u of units) (byShow.get(u.show) ?? byShow.set(u.show, []).get(u.show)!).push(u);
  const pos = new Map<string, number>();
  const out: Unit[] = [];
  for (let round = 0; out.length < units.length; round++) {
    for (const show of shuffled([...byShow.keys()].filter((s) => (pos.get(s) ?? 0) < byShow.get(s)!.length), mixSeed(seed, round))) {
      const list = byShow.get(show)!;
      const from = pos.get(show) ?? 0;
      out.push(...list.slice(from, from + size));
      pos.set(show, from + size);
    }
  }
  return out;
}

/** The sequence of a cycle (memoised per build). */
export function cycleOf(spec: OrderSpec, units: readonly Unit[], ctx: OrderContext, cycle: number, seam: number | null): Unit[] {
  const key = `${ctx.salt}|${spec.kind}|${cycle}|${seam}|${units.length}`;
  const hit = ctx.memo.get(key);
  if (hit) return hit;
  const seed = mixSeed(ctx.seed, ctx.salt, cycle);
  let seq: Unit[];
  switch (spec.kind) {
    case 'in_order':
      seq = spec.by === 'release' ? units.slice().sort((a, b) => (releaseKey(a) < releaseKey(b) ? -1 : releaseKey(a) > releaseKey(b) ? 1 : 0)) : units.slice();
      break;
    case 'shuffle': seq = shuffled(units, seed); break;
    case 'cyclic_shuffle': seq = interleave(units, seed); break;
    case 'block_shuffle': seq = blocks(units, seed, spec.blockSize); break;
    case 'random': seq = units.slice(); break;
  }
  if (spec.kind !== 'in_order' && seq.length > 1 && seq[0]!.id === seam) {
    // Never the same unit twice in a row across the cycle seam. Show-aware orders swap with the
    // first unit of another show so each show keeps its episode order.
    const j = seq.findIndex((u, k) => k > 0 && u.show !== seq[0]!.show);
    if (spec.kind === 'block_shuffle') {
      // Swapping would tear a block apart: the first run of blocks moves behind the next run instead.
      let e = j;
      while (e > 0 && e < seq.length && seq[e]!.show === seq[j]!.show) e++;
      if (j > 0) seq = [...seq.slice(j, e), ...seq.slice(0, j), ...seq.slice(e)];
    } else {
      const k = spec.kind === 'shuffle' ? 1 : j;
      if (k > 0) [seq[0], seq[k]] = [seq[k]!, seq[0]!];
    }
  }
  ctx.memo.set(key, seq);
  return seq;
}

/** What plays next: a unit and the state after it, or — when every unit is in cooldown — when to ask again. */
export type Pick = { unit: Unit; next: OrderState } | { unit: null; retryAt: number };

/** The unit that would play next and the state after it (nothing is changed); null for an empty pool. */
export function peekUnit(spec: OrderSpec, units: readonly Unit[], st: OrderState, ctx: OrderContext): Pick | null {
  if (units.length === 0) return null;
  if (spec.kind === 'random') return randomPick(units, st, ctx, spec.cooldownMin * 60_000);
  let { c, i, seam } = st;
  if (spec.kind === 'in_order' && st.last !== null) {
    const seq = cycleOf(spec, units, ctx, c, seam);
    const at = seq.findIndex((u) => u.id === st.last);
    if (at >= 0) i = at + 1;
  }
  let seq = cycleOf(spec, units, ctx, c, seam);
  if (i >= seq.length) {
    c += 1;
    i = 0;
    seam = st.last;
    seq = cycleOf(spec, units, ctx, c, seam);
  }
  // A pool that changed mid-cycle can put the unit that just aired next: skip it.
  if (seq.length > 1 && seq[i]!.id === st.last) i = (i + 1) % seq.length;
  const unit = seq[i]!;
  return { unit, next: { c, i: i + 1, last: unit.id, seam } };
}

const lastAt = (u: Unit, ctx: OrderContext) => Math.max(...u.items.map((it) => ctx.lastPlayed(it.id) ?? -Infinity));

/** A random unit not aired within the cooldown (never the previous one); a cheap draw first, then a full scan. */
function randomPick(units: readonly Unit[], st: OrderState, ctx: OrderContext, cooldownMs: number): Pick {
  const ok = (u: Unit) => (units.length === 1 || u.id !== st.last) && ctx.t - lastAt(u, ctx) >= cooldownMs;
  for (let n = 0; n < 16; n++) {
    const u = units[Math.floor(drawAt(ctx.seed, ctx.salt, ctx.t, n) * units.length)]!;
    if (ok(u)) return { unit: u, next: { ...st, last: u.id } };
  }
  const eligible = units.filter(ok);
  if (eligible.length) {
    const u = eligible[Math.floor(drawAt(ctx.seed, ctx.salt, ctx.t, 99) * eligible.length)]!;
    return { unit: u, next: { ...st, last: u.id } };
  }
  // Everything is cooling down: nothing may air from this source until the first one is free.
  return { unit: null, retryAt: Math.min(...units.map((u) => lastAt(u, ctx) + cooldownMs)) };
}
