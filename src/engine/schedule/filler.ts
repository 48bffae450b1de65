// Filler selection: weighted lists with list cooldowns, items that fit the time left, and a
// per-item repeat cooldown. Filler items are drawn at random among those that fit.
import type { FillerKind, FillerList } from '../../schemas/schedule.js';
import type { PlayableItem } from '../store/repos/items.js';
import { drawAt } from './orders.js';

export interface FillerPick { item: PlayableItem; list: number }

interface ListPool { spec: FillerList; index: number; byDuration: PlayableItem[] }

export class FillerPicker {
  private readonly lists: ListPool[];

  constructor(
    specs: readonly FillerList[],
    pools: Record<string, readonly PlayableItem[]>,
    private readonly seed: number,
    private readonly itemCooldownMs: number,
  ) {
    this.lists = specs.map((spec, index) => ({
      spec, index,
      byDuration: (pools[spec.source] ?? []).filter((i) => i.durationMs >= 1000).slice().sort((a, b) => a.durationMs - b.durationMs),
    })).filter((l) => l.byDuration.length > 0);
  }

  has(kind: FillerKind): boolean {
    return this.lists.some((l) => l.spec.kinds.includes(kind));
  }

  midSpec(): FillerList | undefined {
    return this.lists.find((l) => l.spec.kinds.includes('mid'))?.spec;
  }

  /**
   * A filler item of this kind no longer than maxMs, or null. `listLast` and `lastPlayed` are the
   * builder's cooldown memory.
   */
  pick(kind: FillerKind, t: number, maxMs: number, listLast: Record<string, number>, lastPlayed: (id: number) => number | undefined): FillerPick | null {
    const eligible = this.lists.filter((l) => l.spec.kinds.includes(kind) && t - (listLast[l.index] ?? -Infinity) >= l.spec.cooldownMin * 60_000);
    let n = 0;
    while (eligible.length) {
      const total = eligible.reduce((s, l) => s + l.spec.weight, 0);
      let r = drawAt(this.seed, 0xf111e2 + kind.length, t, n++) * total;
      let k = 0;
      while (k < eligible.length - 1 && (r -= eligible[k]!.spec.weight) >= 0) k++;
      const list = eligible[k]!;
      const item = kind === 'fallback' ? this.anyItem(list, t, lastPlayed) : this.fitting(list, t, maxMs, lastPlayed);
      if (item) return { item, list: list.index };
      eligible.splice(k, 1);
    }
    return null;
  }

  private free(item: PlayableItem, t: number, lastPlayed: (id: number) => number | undefined): boolean {
    return t - (lastPlayed(item.id) ?? -Infinity) >= this.itemCooldownMs;
  }

  private fitting(list: ListPool, t: number, maxMs: number, lastPlayed: (id: number) => number | undefined): PlayableItem | null {
    const items = list.byDuration;
    let lo = 0, hi = items.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (items[mid]!.durationMs <= maxMs) lo = mid + 1; else hi = mid; }
    if (lo === 0) return null;
    for (let n = 0; n < 8; n++) {
      const it = items[Math.floor(drawAt(this.seed, 0xf111e4 + list.index, t, n) * lo)]!;
      if (this.free(it, t, lastPlayed)) return it;
    }
    const free = items.slice(0, lo).filter((it) => this.free(it, t, lastPlayed));
    return free.length ? free[Math.floor(drawAt(this.seed, 0xf111e5 + list.index, t) * free.length)]! : null;
  }

  private anyItem(list: ListPool, t: number, lastPlayed: (id: number) => number | undefined): PlayableItem | null {
    const free = list.byDuration.filter((it) => this.free(it, t, lastPlayed));
    const from = free.length ? free : list.byDuration;
    return from[Math.floor(drawAt(this.seed, 0xfa11 + list.index, t) * from.length)] ?? null;
  }
}
