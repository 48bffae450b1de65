// Where slots and blocks fall in real time: local times of day (per day or per week) turned into
// instants around t, cached per local date.
import type { Block, TimeSlot } from '../../schemas/schedule.js';
import { addDays, localDate, localInstant, minutesOf, weekday, type LocalDate } from './local-time.js';

export interface Occurrence { index: number; start: number; end: number }
export interface BlockWindow { index: number; block: Block; start: number; end: number }

const DAY_MINUTES = 1440;

export class Calendar {
  private readonly slotDays = new Map<string, { index: number; start: number }[]>();
  private readonly blockDays = new Map<string, BlockWindow[]>();

  constructor(
    private readonly tz: string,
    private readonly slots: readonly TimeSlot[],
    private readonly period: 'day' | 'week',
    private readonly blocks: readonly Block[],
  ) {}

  private slotsOn(date: LocalDate): { index: number; start: number }[] {
    const k = `${date.y}-${date.m}-${date.d}`;
    let list = this.slotDays.get(k);
    if (!list) {
      const wd = weekday(date);
      list = this.slots.flatMap((s, index) => (this.period === 'week' && s.day !== wd ? [] : [{ index, start: localInstant(date, minutesOf(s.start), this.tz) }]))
        .sort((a, b) => a.start - b.start);
      this.slotDays.set(k, list);
    }
    return list;
  }

  /** The slot occurrence containing t: the latest slot start ≤ t, ending at the next slot start. */
  slotAt(t: number): Occurrence | null {
    if (!this.slots.length) return null;
    const today = localDate(t, this.tz);
    const span = this.period === 'week' ? 8 : 2;
    const around: { index: number; start: number }[] = [];
    for (let d = -span; d <= span; d++) around.push(...this.slotsOn(addDays(today, d)));
    let cur: { index: number; start: number } | undefined;
    let next: { index: number; start: number } | undefined;
    for (const s of around) {
      if (s.start <= t && (!cur || s.start >= cur.start)) cur = s;
      if (s.start > t && (!next || s.start < next.start)) next = s;
    }
    if (!cur || !next) return null;
    return { index: cur.index, start: cur.start, end: next.start };
  }

  private blocksOn(date: LocalDate): BlockWindow[] {
    const k = `${date.y}-${date.m}-${date.d}`;
    let list = this.blockDays.get(k);
    if (!list) {
      const wd = weekday(date);
      list = this.blocks.flatMap((block, index) => {
        if (!block.days.includes(wd)) return [];
        const s = minutesOf(block.start);
        let e = minutesOf(block.end);
        if (e <= s) e += DAY_MINUTES; // ends after midnight
        return [{ index, block, start: localInstant(date, s, this.tz), end: localInstant(addDays(date, Math.floor(e / DAY_MINUTES)), e % DAY_MINUTES, this.tz) }];
      });
      this.blockDays.set(k, list);
    }
    return list;
  }

  /** The block window containing t, if any (the earliest-defined block wins an overlap). */
  blockAt(t: number): BlockWindow | null {
    if (!this.blocks.length) return null;
    const today = localDate(t, this.tz);
    let hit: BlockWindow | null = null;
    for (const d of [-1, 0]) {
      for (const w of this.blocksOn(addDays(today, d))) if (w.start <= t && t < w.end && (!hit || w.index < hit.index)) hit = w;
    }
    if (!hit || hit.index === 0) return hit;
    // An earlier-defined block starting before this one ends takes over at its start.
    let end = hit.end;
    for (const d of [0, 1, 2]) {
      for (const w of this.blocksOn(addDays(today, d))) if (w.index < hit.index && w.start > t && w.start < end) end = w.start;
    }
    return end === hit.end ? hit : { ...hit, end };
  }

  /** The first block start after t (within a week), or Infinity. */
  nextBlockStart(t: number): number {
    if (!this.blocks.length) return Infinity;
    const today = localDate(t, this.tz);
    let best = Infinity;
    for (let d = 0; d <= 7 && best === Infinity; d++) {
      for (const w of this.blocksOn(addDays(today, d))) if (w.start > t && w.start < best) best = w.start;
    }
    return best;
  }
}
