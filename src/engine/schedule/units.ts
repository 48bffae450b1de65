// Playable units: usually one item; multi-part episodes ("Part 1", "Part 2") become one unit so
// no order ever splits them.
import type { PlayableItem } from '../store/repos/items.js';

export interface Unit {
  /** Stable key: the first item's id. */
  id: number;
  items: PlayableItem[];
  durationMs: number;
  /** Grouping key for show-aware orders ("s<showId>", or "i<itemId>" for items without a show). */
  show: string;
}

/** Items shorter than this are never scheduled (protects the guide from floods of tiny rows). */
export const MIN_ITEM_MS = 1000;

const PART = /(?:\bpart|\bpt\.?)\s*(\d+|one|two|three|four|five|i{1,3}|iv|v)\b|\((\d)\)\s*$/i;
const WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, i: 1, ii: 2, iii: 3, iv: 4, v: 5 };

/** Part number from a title ("The Trial (2)", "Finale, Part II"), or null. */
export function partNumber(title: string): number | null {
  const m = PART.exec(title);
  if (!m) return null;
  const raw = (m[1] ?? m[2] ?? '').toLowerCase();
  return /^\d+$/.test(raw) ? Number(raw) : (WORDS[raw] ?? null);
}

/** Drops duplicates and too-short items, then groups consecutive parts of one story. */
export function toUnits(pool: readonly PlayableItem[], keepMultiPart: boolean): Unit[] {
  const seen = new Set<number>();
  const items = pool.filter((i) => i.durationMs >= MIN_ITEM_MS && !seen.has(i.id) && (seen.add(i.id), true));
  const units: Unit[] = [];
  for (const item of items) {
    const prev = units.at(-1);
    const last = prev?.items.at(-1);
    const part = keepMultiPart ? partNumber(item.title) : null;
    const continues = prev && last && part !== null && part > 1 && last.showId === item.showId && item.showId !== null
      && last.seasonNumber === item.seasonNumber && partNumber(last.title) === part - 1;
    if (continues) {
      prev.items.push(item);
      prev.durationMs += item.durationMs;
    } else {
      units.push({ id: item.id, items: [item], durationMs: item.durationMs, show: item.showId !== null ? `s${item.showId}` : `i${item.id}` });
    }
  }
  return units;
}

/** Stable string hash (FNV-1a) for salting random draws with a name. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
