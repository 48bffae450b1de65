// The pure schedule builder: (definition, library pools, seed, progress, [from, to)) → timeline
// rows. Deterministic: the same inputs always give the same rows, and rows built in one go equal
// rows built in pieces (each row's cursor carries everything the next step needs).
import type { FillerKind, ScheduleDefinition } from '../../schemas/schedule.js';
import type { PlannedRow } from '../../schemas/timeline.js';
import type { PlayableItem } from '../store/repos/items.js';
import { mixSeed } from './rng.js';
import { Calendar, type BlockWindow } from './calendar.js';
import { FillerPicker, type FillerPick } from './filler.js';
import { utcOffset } from './local-time.js';
import { drawAt, peekUnit, type OrderContext } from './orders.js';
import { freshState, orderOf, snapshot, type BuildState } from './state.js';
import { hashString, toUnits, type Unit } from './units.js';

export interface BuildInput {
  def: ScheduleDefinition;
  /** Playable items per content source key, in canonical order. */
  pools: Record<string, readonly PlayableItem[]>;
  seed: number;
  state: BuildState | null;
  from: number;
  to: number;
  /** IANA zone for times of day. */
  tz: string;
}

export const OFFLINE_TITLE = 'Offline';
/** Offline rows are cut at hour boundaries so the guide shows tidy blocks. */
const SLATE_BLOCK_MS = 3_600_000;
/** One build never makes more rows than this; the next extension carries on. */
export const MAX_ROWS = 250_000;
/** A source that cannot play anything is offline until the next hour, then asked again. */
const nextHour = (t: number) => Math.floor(t / SLATE_BLOCK_MS) * SLATE_BLOCK_MS + SLATE_BLOCK_MS;
const RECENT_CAP = 2000;

export function buildSchedule(input: BuildInput): PlannedRow[] {
  if (input.def.main.mode === 'mirror') throw new Error('mirror schedules copy another channel; they are not built');
  return new Builder(input).run();
}

class Builder {
  private readonly rows: PlannedRow[] = [];
  private readonly st: BuildState;
  private readonly units = new Map<string, Unit[]>();
  private readonly filler: FillerPicker;
  private readonly cal: Calendar;
  private readonly memo = new Map<string, Unit[]>();
  private readonly last = new Map<number, number>();
  /** Items a cooldown applies to → how long a play of one is remembered (ms). */
  private readonly watch = new Map<number, number>();
  private t: number;

  constructor(private readonly input: BuildInput) {
    const { def } = input;
    this.st = input.state ? snapshot(input.state) : freshState();
    for (const s of def.sources) this.units.set(s.key, toUnits(input.pools[s.key] ?? [], s.keepMultiPart));
    this.filler = new FillerPicker(def.filler.lists, def.sources, input.pools, mixSeed(input.seed, 0xf1), def.filler.itemCooldownMin * 60_000);
    const m = def.main;
    this.cal = new Calendar(input.tz, m.mode === 'time_slots' ? m.slots : [], m.mode === 'time_slots' ? m.period : 'day', def.blocks);
    // Only plays a cooldown can still see are remembered (cursors stay small and cheap to copy).
    const watch = (items: readonly PlayableItem[] | undefined, ms: number) => {
      if (ms > 0) for (const it of items ?? []) if (ms > (this.watch.get(it.id) ?? 0)) this.watch.set(it.id, ms);
    };
    for (const l of def.filler.lists) watch(input.pools[l.source], def.filler.itemCooldownMin * 60_000);
    for (const s of def.sources) if (s.order.kind === 'random') watch(input.pools[s.key], s.order.cooldownMin * 60_000);
    for (const [id, at] of this.st.recent) this.last.set(id, at);
    this.t = input.from;
  }

  run(): PlannedRow[] {
    if (this.st.resume) this.resume();
    while (this.t < this.input.to && this.rows.length < MAX_ROWS) {
      const before = this.t;
      this.step();
      if (this.t <= before) this.offline(before + 60_000); // a step must always move time forward
    }
    return this.rows;
  }

  // ---- rows --------------------------------------------------------------------------------

  private emit(kind: 'item' | 'filler' | 'slate' | 'redirect', itemId: number | null, inMs: number, outMs: number, title: string | null = null, target: string | null = null): void {
    const start = this.t;
    const end = start + (outMs - inMs);
    if (itemId !== null && this.watch.has(itemId)) {
      this.last.set(itemId, start);
      this.st.recent.push([itemId, start]);
    }
    if (this.st.recent.length) this.forget(start);
    this.st.prev = itemId;
    this.rows.push({ startMs: start, endMs: end, kind, itemId, inMs, outMs, title, target, cursor: snapshot(this.st) });
    this.t = end;
  }

  /** Drops plays no cooldown can see any more at `now` (and the oldest beyond RECENT_CAP). */
  private forget(now: number): void {
    const recent = this.st.recent;
    let keep = 0;
    for (const e of recent) if (now - e[1] < (this.watch.get(e[0]) ?? 0)) keep++;
    let over = Math.max(0, keep - RECENT_CAP);
    if (keep === recent.length && !over) return;
    this.st.recent = recent.filter(([id, at]) => {
      const kept = now - at < (this.watch.get(id) ?? 0) && !(over > 0 && over-- > 0);
      if (!kept && this.last.get(id) === at) this.last.delete(id);
      return kept;
    });
  }

  private offline(until: number): void {
    while (this.t < until) {
      const end = Math.min(Math.floor(this.t / SLATE_BLOCK_MS) * SLATE_BLOCK_MS + SLATE_BLOCK_MS, until);
      this.emit('slate', null, 0, end - this.t, OFFLINE_TITLE);
    }
  }

  private lastPlayed = (id: number): number | undefined => this.last.get(id);

  /** Airs a filler pick (up to `outMs` of it) and records the list's use and order progress. */
  private playFiller(f: FillerPick, outMs = f.item.durationMs): void {
    this.st.lists[f.list] = this.t;
    this.st.fill = { ...this.st.fill, [f.key]: f.next };
    this.emit('filler', f.item.id, 0, outMs);
  }

  /** Fills [t, until) with tail filler that fits, then fallback filler, then the offline slate. */
  private fill(until: number): void {
    if (!Number.isFinite(until)) until = nextHour(this.t);
    while (until - this.t >= 1000) {
      const f = this.filler.pick('tail', this.t, until - this.t, this.st, this.lastPlayed);
      if (!f) break;
      this.playFiller(f);
    }
    while (until > this.t) {
      const f = this.filler.pick('fallback', this.t, Infinity, this.st, this.lastPlayed);
      if (!f) return this.offline(until);
      this.playFiller(f, Math.min(f.item.durationMs, until - this.t));
    }
  }

  /** One filler of a kind before/inside/after an item, if one fits in maxMs. */
  private roll(kind: FillerKind, maxMs: number): void {
    if (maxMs < 1000 || !this.filler.has(kind)) return;
    const f = this.filler.pick(kind, this.t, maxMs, this.st, this.lastPlayed);
    if (f) this.playFiller(f);
  }

  // ---- units -------------------------------------------------------------------------------

  private ctx(sourceKey: string): OrderContext {
    return { seed: this.input.seed, salt: hashString(sourceKey), t: this.t, lastPlayed: this.lastPlayed, memo: this.memo };
  }

  /** Next unit of a source without taking it: null = the source is empty or cooling down until `retryAt`. */
  private peek(sourceKey: string): { unit: Unit; commit(): void } | { unit: null; retryAt: number } {
    const spec = this.input.def.sources.find((s) => s.key === sourceKey);
    const units = this.units.get(sourceKey) ?? [];
    const pick = spec ? peekUnit(spec.order, units, orderOf(this.st, sourceKey), this.ctx(sourceKey)) : null;
    if (!pick) return { unit: null, retryAt: nextHour(this.t) };
    if (!pick.unit) return { unit: null, retryAt: Math.max(pick.retryAt, this.t + 1000) };
    return { unit: pick.unit, commit: () => { this.st.src[sourceKey] = pick.next; } };
  }

  /** Mid-roll break points of an item (ms offsets), if a mid-roll list applies to it. */
  private breaks(item: PlayableItem): number[] {
    const mid = this.filler.midSpec();
    if (!mid || item.durationMs <= mid.midMinItemMin * 60_000) return [];
    if (mid.midAtChapters && item.chapters?.length) return item.chapters.filter((c) => c > 60_000 && c < item.durationMs - 60_000);
    const every = mid.midEveryMin * 60_000;
    const out: number[] = [];
    for (let at = every; at < item.durationMs - 60_000; at += every) out.push(at);
    return out;
  }

  /**
   * Plays a unit from (item k, offset at): pre-roll, the items with mid-roll breaks, post-roll.
   * Filler only goes where it still fits before `latest`. Every row's cursor says what is still
   * due (`resume`), so a build from any row carries on exactly: a resumed unit gets no second
   * pre-roll, a break cut after its item segment still gets its mid-roll (`mid`), and a unit cut
   * after its last item still gets its post-roll (`item` past the last one).
   */
  private playUnit(unit: Unit, source: string, latest: number, k = 0, at = 0, resumed?: { mid: boolean }): void {
    const remaining = () => unit.items.slice(k).reduce((s, i) => s + i.durationMs, 0) - at;
    const lat = Number.isFinite(latest) ? latest : null;
    const due = (item: number, off: number, mid = false) => {
      this.st.resume = mid ? { unit: unit.id, source, item, at: off, latest: lat, mid } : { unit: unit.id, source, item, at: off, latest: lat };
    };
    due(k, at);
    if (!resumed) this.roll('pre', latest - this.t - remaining());
    else if (resumed.mid) this.roll('mid', latest - this.t - remaining());
    for (; k < unit.items.length; k++, at = 0) {
      const item = unit.items[k]!;
      for (const bp of this.breaks(item).filter((b) => b > at)) {
        due(k, bp, true);
        this.emit('item', item.id, at, bp);
        at = bp;
        due(k, bp);
        this.roll('mid', latest - this.t - remaining());
      }
      due(k + 1, 0);
      this.emit('item', item.id, at, item.durationMs);
    }
    this.st.resume = null;
    this.roll('post', latest - this.t);
  }

  private resume(): void {
    const r = this.st.resume!;
    const unit = this.units.get(r.source)?.find((u) => u.id === r.unit);
    this.st.resume = null;
    if (unit && r.item <= unit.items.length) this.playUnit(unit, r.source, r.latest ?? Infinity, r.item, r.at, { mid: r.mid === true });
  }

  /**
   * Plays the source's next unit if it ends by `latest` (calling onCommit first, so every row's
   * cursor already counts it); else fills to `fillTo`. Returns whether it played.
   */
  private tryPlay(source: string, latest: number, fillTo: number, onCommit?: () => void): boolean {
    const p = this.peek(source);
    if (!p.unit) {
      this.fill(Math.min(p.retryAt, fillTo));
      return false;
    }
    if (this.t + p.unit.durationMs > latest) {
      this.fill(fillTo);
      return false;
    }
    p.commit();
    onCommit?.();
    this.playUnit(p.unit, source, latest);
    return true;
  }

  /** Fills to the next grid point (bounded by `limit`); whether it filled anything. */
  private padTo(minutes: number, limit: number): boolean {
    if (!minutes) return false;
    // The grid is the local wall clock's (:00, :15, …), not UTC's: they differ in zones like +05:45.
    const step = minutes * 60_000;
    const onGrid = (off: number) => Math.ceil((this.t + off) / step) * step - off;
    const off = utcOffset(this.t, this.input.tz);
    let grid = onGrid(off);
    const after = utcOffset(grid, this.input.tz);
    if (after !== off) grid = onGrid(after); // the offset changes before the grid point
    const target = Math.min(grid, limit);
    if (target <= this.t) return false;
    this.fill(target);
    return true;
  }

  // ---- steps -------------------------------------------------------------------------------

  private step(): void {
    const win = this.cal.blockAt(this.t);
    if (win) return this.stepBlock(win);
    const nextBlock = this.cal.nextBlockStart(this.t);
    const m = this.input.def.main;
    if (m.mode === 'flood') return this.stepFlood(m.sources, nextBlock);
    if (m.mode === 'time_slots') return this.stepSlots(m, nextBlock);
    if (m.mode === 'random_slots') return this.stepRandom(m, nextBlock);
  }

  private weighted<T extends { weight: number }>(list: readonly T[], salt: number): T {
    const total = list.reduce((s, x) => s + x.weight, 0);
    let r = drawAt(this.input.seed, salt, this.t) * total;
    for (const x of list) if ((r -= x.weight) < 0) return x;
    return list[list.length - 1]!;
  }

  private stepFlood(sources: { source: string; weight: number }[], limit: number): void {
    const s = sources.length === 1 ? sources[0]! : this.weighted(sources, 0xf100d);
    this.tryPlay(s.source, limit, limit);
  }

  private stepSlots(m: Extract<ScheduleDefinition['main'], { mode: 'time_slots' }>, nextBlock: number): void {
    const occ = this.cal.slotAt(this.t);
    if (!occ) return this.fill(Math.min(nextHour(this.t), nextBlock));
    const slot = m.slots[occ.index]!;
    const key = `s${occ.index}@${occ.start}`;
    if (this.st.occ?.key !== key) this.st.occ = { key, n: 0, at: occ.start };
    const end = Math.min(occ.end, nextBlock);
    const latest = Math.min(occ.end + m.maxLatenessMin * 60_000, nextBlock);
    const occState = this.st.occ;
    // After a programme the next one starts on the padding grid. Decided here, at the start of the
    // next step, rather than at the end of the programme, so a build from any row pads the same.
    if (occState.n > 0 && this.padTo(m.padToMin, end)) return;
    const f = slot.fill;
    const done = (f.mode === 'one' && occState.n >= 1) || (f.mode === 'count' && occState.n >= f.count)
      || (f.mode === 'duration' && this.t >= occ.start + f.minutes * 60_000);
    if (done) return this.fill(end);
    this.tryPlay(slot.source, latest, end, () => { occState.n += 1; });
  }

  private stepRandom(m: Extract<ScheduleDefinition['main'], { mode: 'random_slots' }>, nextBlock: number): void {
    const st = this.st;
    const cur = st.occ && st.occ.key.startsWith('r') ? st.occ : null;
    const slotOf = (o: { key: string }) => m.slots[Number(o.key.slice(1))];
    const curSlot = cur ? slotOf(cur) : undefined;
    const finished = !cur || !curSlot || (curSlot.fill.mode === 'count' ? cur.n >= curSlot.fill.count : this.t >= cur.at + curSlot.fill.minutes * 60_000);
    // A slot that played is padded to the grid before the next is chosen (see stepSlots).
    if (finished && cur && this.padTo(m.padToMin, nextBlock)) return;
    if (finished) {
      const free = m.slots.map((s, i) => ({ ...s, i, weight: s.weight })).filter((s) => this.t - (st.rslots[s.i] ?? -Infinity) >= s.cooldownMin * 60_000);
      if (!free.length) {
        // Every slot is cooling down: filler until the first one is free.
        const next = Math.min(...m.slots.map((s, i) => (st.rslots[i] ?? 0) + s.cooldownMin * 60_000));
        return this.fill(Math.min(Math.max(next, this.t + 1000), nextBlock));
      }
      const chosen = this.weighted(free, 0x5107);
      st.occ = { key: `r${chosen.i}`, n: 0, at: this.t };
      st.rslots[chosen.i] = this.t;
    }
    const occ = st.occ!;
    const slot = slotOf(occ)!;
    const p = this.peek(slot.source);
    if (!p.unit) {
      st.occ = null; // nothing to play from this slot now: pick another next time
      return this.fill(Math.min(p.retryAt, nextBlock));
    }
    this.tryPlay(slot.source, nextBlock, nextBlock, () => { occ.n += 1; });
  }

  private stepBlock(w: BlockWindow): void {
    const b = w.block;
    if (b.redirect !== undefined) return this.emit('redirect', null, 0, w.end - this.t, null, b.redirect);
    if (b.source === undefined) return this.offline(w.end);
    if (b.gridMin) {
      const step = b.gridMin * 60_000;
      const onGrid = w.start + Math.ceil((this.t - w.start) / step) * step;
      if (onGrid > this.t) return this.fill(Math.min(onGrid, w.end));
    }
    const played = this.tryPlay(b.source, w.end, w.end);
    if (played && b.gridMin) {
      const step = b.gridMin * 60_000;
      this.fill(Math.min(w.start + Math.ceil((this.t - w.start) / step) * step, w.end));
    }
  }
}
