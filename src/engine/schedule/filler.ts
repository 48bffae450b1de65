// Filler selection: weighted lists with list cooldowns, items that fit the time left, and a
// per-item repeat cooldown. Each list plays its source's order (in order, shuffle, …): the next
// item of the source's cycle that fits, so a shuffled list is used up before anything repeats,
// and the item that aired just before never follows itself when the list has more than one.
// The order's progress lives in the build state (`fill`, per source key), so rebuilding from any
// row continues exactly.
import type { ContentSource, FillerKind, FillerList, OrderSpec } from '../../schemas/schedule.js';
import type { PlayableItem } from '../store/repos/items.js';
import { cycleOf, drawAt, freshOrder, type OrderContext, type OrderState } from './orders.js';
import type { BuildState } from './state.js';
import { hashString, toUnits, type Unit } from './units.js';

export interface FillerPick {
  item: PlayableItem;
  list: number;
  /** The list's source (its order progress is BuildState.fill[key]) and that progress after this pick. */
  key: string;
  next: OrderState;
}

interface ListPool { spec: FillerList; index: number; order: OrderSpec; key: string; salt: number; units: Unit[] }

type LastPlayed = (id: number) => number | undefined;

export class FillerPicker {
  private readonly lists: ListPool[];
  private readonly memo = new Map<string, Unit[]>();

  constructor(
    specs: readonly FillerList[],
    sources: readonly ContentSource[],
    pools: Record<string, readonly PlayableItem[]>,
    private readonly seed: number,
    private readonly itemCooldownMs: number,
  ) {
    this.lists = specs.map((spec, index) => ({
      spec, index,
      order: sources.find((s) => s.key === spec.source)?.order ?? { kind: 'in_order' as const, by: 'episode' as const },
      key: spec.source,
      salt: hashString(`filler:${spec.source}`),
      // Filler plays single items: multi-part grouping is for programmes.
      units: toUnits(pools[spec.source] ?? [], false),
    })).filter((l) => l.units.length > 0);
  }

  has(kind: FillerKind): boolean {
    return this.lists.some((l) => l.spec.kinds.includes(kind));
  }

  midSpec(): FillerList | undefined {
    return this.lists.find((l) => l.spec.kinds.includes('mid'))?.spec;
  }

  /**
   * A filler item of this kind no longer than maxMs, or null. Nothing in `st` is changed: the
   * caller commits `next` under `key` (and the list's use) when it plays the pick.
   */
  pick(kind: FillerKind, t: number, maxMs: number, st: BuildState, lastPlayed: LastPlayed): FillerPick | null {
    const eligible = this.lists.filter((l) => l.spec.kinds.includes(kind) && t - (st.lists[l.index] ?? -Infinity) >= l.spec.cooldownMin * 60_000);
    let n = 0;
    while (eligible.length) {
      const total = eligible.reduce((s, l) => s + l.spec.weight, 0);
      let r = drawAt(this.seed, 0xf111e2 + kind.length, t, n++) * total;
      let k = 0;
      while (k < eligible.length - 1 && (r -= eligible[k]!.spec.weight) >= 0) k++;
      const list = eligible[k]!;
      const found = this.next(list, t, maxMs, st, lastPlayed, false) ?? (kind === 'fallback' ? this.next(list, t, maxMs, st, lastPlayed, true) : null);
      if (found) return { item: found.unit.items[0]!, list: list.index, key: list.key, next: found.next };
      eligible.splice(k, 1);
    }
    return null;
  }

  /** The list's next item in its order that fits, is not the item just aired, and (unless `anyCooldown`) is out of its cooldown. */
  private next(list: ListPool, t: number, maxMs: number, st: BuildState, lastPlayed: LastPlayed, anyCooldown: boolean): { unit: Unit; next: OrderState } | null {
    const prev = st.prev ?? null;
    const order = list.order;
    const cooldownMs = Math.max(this.itemCooldownMs, order.kind === 'random' ? order.cooldownMin * 60_000 : 0);
    const ok = (u: Unit) => u.durationMs <= maxMs && (list.units.length === 1 || u.id !== prev)
      && (anyCooldown || t - (lastPlayed(u.id) ?? -Infinity) >= cooldownMs);
    const state = st.fill?.[list.key] ?? freshOrder();
    if (order.kind === 'random') {
      const free = list.units.filter(ok);
      const unit = free[Math.floor(drawAt(this.seed, list.salt, t) * free.length)];
      return unit ? { unit, next: { ...state, last: unit.id } } : null;
    }
    const ctx: OrderContext = { seed: this.seed, salt: list.salt, t, lastPlayed, memo: this.memo };
    // The rest of the current cycle first, then a fresh cycle (its seam guards against a repeat).
    return this.fromCycle(list, ctx, state.c, state.i, state.u ?? [], state.seam, ok)
      ?? this.fromCycle(list, ctx, state.c + 1, 0, [], state.last, ok);
  }

  /**
   * The first item at or after position i of cycle c not taken yet that passes `ok`. An item taken
   * ahead of its turn (the ones before it did not fit) is remembered in `u` until the position passes it.
   */
  private fromCycle(list: ListPool, ctx: OrderContext, c: number, i: number, used: readonly number[], seam: number | null, ok: (u: Unit) => boolean): { unit: Unit; next: OrderState } | null {
    const seq = cycleOf(list.order, list.units, ctx, c, seam);
    for (let j = i; j < seq.length; j++) {
      const unit = seq[j]!;
      if (used.includes(unit.id) || !ok(unit)) continue;
      const taken = new Set([...used, unit.id]);
      let at = i;
      while (at < seq.length && taken.has(seq[at]!.id)) taken.delete(seq[at++]!.id);
      const next: OrderState = { c, i: at, last: unit.id, seam };
      if (taken.size) next.u = [...taken];
      return { unit, next };
    }
    return null;
  }
}
