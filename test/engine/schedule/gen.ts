// Randomised libraries and schedule definitions, an independent wall-clock calendar (Intl only,
// nothing from src/engine/schedule/calendar.ts or local-time.ts), and the invariant checks the
// property tests run over built rows.
import assert from 'node:assert/strict';
import type { ContentRef } from '../../../src/schemas/channel.js';
import { scheduleDefinition, type Block, type FillerKind, type ScheduleDefinition, type ScheduleDefinitionInput } from '../../../src/schemas/schedule.js';
import type { PlannedRow } from '../../../src/schemas/timeline.js';
import type { PlayableItem } from '../../../src/engine/store/repos/items.js';
import type { Store } from '../../../src/engine/store/store.js';
import type { TimelineService } from '../../../src/engine/timeline/service.js';
import { addFakeItems, addFakeSource } from '../../helpers/fake-items.js';
import fc from 'fast-check';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

// ---- random helpers ----------------------------------------------------------------------------

export interface Rand {
  (): number;
  int(lo: number, hi: number): number;
  pick<T>(list: readonly T[]): T;
  chance(p: number): boolean;
  subset<T>(list: readonly T[], min?: number): T[];
}

const UNIFORM = () => fc.noBias(fc.integer({ min: 0, max: 2 ** 32 - 1 }));

/**
 * Every draw from fast-check's generator (fc.gen()), so a failing property shrinks draw by draw
 * toward smaller libraries and earlier choices. Draws are uniform (no bias toward edge values),
 * so the distributions match the seeded generator's.
 */
export function randOfGen(g: fc.GeneratorValue): Rand {
  return randOf(() => g(UNIFORM) / 2 ** 32);
}

export function randOf(next: () => number): Rand {
  const r = (() => next()) as Rand;
  r.int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  r.pick = (list) => list[Math.floor(next() * list.length)]!;
  r.chance = (p) => next() < p;
  r.subset = (list, min = 1) => {
    const out = list.filter(() => next() < 0.5);
    while (out.length < min) {
      const x = list[Math.floor(next() * list.length)]!;
      if (!out.includes(x)) out.push(x);
    }
    return list.filter((x) => out.includes(x));
  };
  return r;
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
export const minutesOf = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

// ---- libraries ---------------------------------------------------------------------------------

/** A group of items one content reference stands for (a show, a set of movies, a filler reel). */
export interface Group { name: string; kind: 'show' | 'movies' | 'filler'; ref: ContentRef; items: PlayableItem[] }

export interface Library {
  shows: Group[];
  movies: Group[];
  fillers: Group[];
  byId: Map<number, PlayableItem>;
  /** item id → its story (multi-part episodes) and part number (1-based). */
  parts: Map<number, { story: number; part: number; of: number }>;
}

/** Raw library description (titles, durations, shows, seasons) that either the pure tests or SQLite can realise. */
export interface RawItem {
  title: string; durationMs: number; show?: string; season?: number; episode?: number; releaseDate?: string; chapters?: number[];
  story?: { story: number; part: number; of: number };
}
export interface RawGroup { name: string; kind: Group['kind']; items: RawItem[] }

const duration = (rand: Rand, base: number): number => {
  const x = rand();
  if (x < 0.02) return rand.int(1, 999); // too short to schedule
  if (x < 0.06) return rand.int(1000, 30_000); // tiny
  if (x < 0.1) return rand.int(1000, 3 * HOUR); // anything from 1 s to 3 h
  return Math.max(1000, Math.round(base * (0.8 + 0.4 * rand())));
};

export function randomRawLibrary(rand: Rand, size: { shows?: number; movieSets?: number; fillers?: number } = {}): RawGroup[] {
  const groups: RawGroup[] = [];
  let story = 0;
  const nShows = size.shows ?? rand.int(2, 6);
  for (let s = 0; s < nShows; s++) {
    const name = `Show ${s + 1}`;
    const base = rand.pick([1, 5, 11, 22, 30, 44, 60, 90]) * MIN;
    const items: RawItem[] = [];
    const seasons = rand.int(1, 3);
    for (let season = 1; season <= seasons; season++) {
      const n = rand.int(1, 8);
      for (let e = 1; e <= n; e++) {
        const chapters = rand.chance(0.3) ? [0, 7 * MIN, 15 * MIN, 33 * MIN] : undefined;
        items.push({ title: `${name} S${season}E${e} Episode`, durationMs: duration(rand, base), show: name, season, episode: e, releaseDate: `20${10 + season}-0${1 + (e % 9)}-1${e % 10}`, ...(chapters ? { chapters } : {}) });
      }
      // Multi-part stories: consecutive episodes titled "… Part 1", "… Part 2" (never too short to schedule).
      if (n >= 2 && rand.chance(0.45)) {
        const of = Math.min(n, rand.int(2, 3));
        const first = items.length - n + rand.int(0, n - of);
        story += 1;
        for (let p = 0; p < of; p++) {
          const it = items[first + p]!;
          it.title = `${name} S${season}E${it.episode} The Heist Part ${p + 1}`;
          it.durationMs = Math.max(it.durationMs, 2000);
          it.story = { story, part: p + 1, of };
        }
      }
    }
    groups.push({ name, kind: 'show', items });
  }
  const nMovies = size.movieSets ?? rand.int(0, 2);
  for (let m = 0; m < nMovies; m++) {
    const items = Array.from({ length: rand.int(1, 6) }, (_, i): RawItem => ({ title: `Movie ${m + 1}.${i + 1}`, durationMs: duration(rand, rand.int(60, 180) * MIN), releaseDate: `19${50 + rand.int(0, 49)}-01-01` }));
    groups.push({ name: `Movies ${m + 1}`, kind: 'movies', items });
  }
  const nFill = size.fillers ?? rand.int(1, 4);
  for (let f = 0; f < nFill; f++) {
    const long = rand.chance(0.3);
    const items = Array.from({ length: rand.int(1, 8) }, (_, i): RawItem => ({
      title: `Bumper ${f + 1}.${i + 1}`, durationMs: rand.chance(0.05) ? rand.int(1, 999) : long ? rand.int(1000, 40 * MIN) : rand.int(1000, 3 * MIN),
    }));
    groups.push({ name: `Filler ${f + 1}`, kind: 'filler', items });
  }
  return groups;
}

/** The raw library as in-memory playable items (ids in order), for the pure builder. */
export function pureLibrary(raw: RawGroup[]): Library {
  const lib: Library = { shows: [], movies: [], fillers: [], byId: new Map(), parts: new Map() };
  let id = 0;
  let showId = 0;
  raw.forEach((g, gi) => {
    const sid = g.kind === 'show' ? ++showId : null;
    const items = g.items.map((r): PlayableItem => {
      const it: PlayableItem = { id: ++id, durationMs: r.durationMs, title: r.title, showId: sid, seasonNumber: r.season ?? null, episodeNumber: r.episode ?? null, releaseDate: r.releaseDate ?? null, ...(r.chapters ? { chapters: r.chapters } : {}) };
      lib.byId.set(it.id, it);
      if (r.story) lib.parts.set(it.id, r.story);
      return it;
    });
    const group: Group = { name: g.name, kind: g.kind, ref: sid !== null ? { type: 'show', id: sid } : { type: 'collection', id: gi + 1 }, items };
    (g.kind === 'show' ? lib.shows : g.kind === 'movies' ? lib.movies : lib.fillers).push(group);
  });
  return lib;
}

// ---- definitions -------------------------------------------------------------------------------

export const ZONES = ['UTC', 'Europe/Berlin', 'Asia/Kathmandu', 'America/New_York', 'Australia/Lord_Howe'] as const;

/** A definition with everything needed to judge its rows: which pool each source and filler list has. */
export interface Case {
  def: ScheduleDefinition;
  pools: Record<string, PlayableItem[]>;
  /** Content item id → source key (sources have disjoint content). */
  sourceOf: Map<number, string>;
  /** Filler item id → list index (every list has its own reel). */
  listOf: Map<number, number>;
  tz: string;
  redirects: string[];
}

export interface DefOptions {
  mode?: 'flood' | 'time_slots' | 'random_slots';
  /** Channel numbers a redirect block may name; none → no redirect blocks. */
  redirects?: string[];
  blocks?: boolean;
  filler?: boolean;
  tz?: string;
}

const ORDERS = ['in_order', 'in_order_release', 'shuffle', 'random', 'cyclic_shuffle', 'block_shuffle'] as const;

export function randomCase(rand: Rand, lib: Library, opts: DefOptions = {}): Case {
  const content = [...lib.shows, ...lib.movies];
  // Shuffle the content groups, then deal them out to 1–4 sources (disjoint).
  for (let i = content.length - 1; i > 0; i--) { const j = rand.int(0, i); [content[i], content[j]] = [content[j]!, content[i]!]; }
  const nSources = Math.max(1, Math.min(content.length, rand.int(1, 4)));
  const dealt: Group[][] = Array.from({ length: nSources }, () => []);
  content.forEach((g, i) => dealt[i < nSources ? i : rand.int(0, nSources - 1)]!.push(g));
  const sources: ScheduleDefinitionInput['sources'] & object[] = [];
  const pools: Record<string, PlayableItem[]> = {};
  const sourceOf = new Map<number, string>();
  dealt.forEach((groups, i) => {
    const key = `src-${i}`;
    const kind = rand.pick(ORDERS);
    const order = kind === 'in_order' ? { kind, by: 'episode' as const } : kind === 'in_order_release' ? { kind: 'in_order' as const, by: 'release' as const }
      : kind === 'random' ? { kind, cooldownMin: rand.pick([0, 0, 10, 60, 180, 600]) } : kind === 'block_shuffle' ? { kind, blockSize: rand.int(1, 4) } : { kind };
    sources.push({ key, content: groups.map((g) => g.ref), order, keepMultiPart: rand.chance(0.85) });
    pools[key] = groups.flatMap((g) => g.items);
    for (const it of pools[key]!) sourceOf.set(it.id, key);
  });
  const keys = sources.map((s) => s.key);
  const tz = opts.tz ?? rand.pick(ZONES);
  const mode = opts.mode ?? rand.pick(['flood', 'time_slots', 'random_slots'] as const);
  let main: ScheduleDefinitionInput['main'];
  if (mode === 'flood') {
    main = { mode, sources: Array.from({ length: rand.int(1, 4) }, () => ({ source: rand.pick(keys), weight: rand.pick([0.5, 1, 2, 3, 10]) })) };
  } else if (mode === 'time_slots') {
    const period = rand.chance(0.7) ? 'day' as const : 'week' as const;
    const n = period === 'day' ? rand.int(1, 8) : rand.int(1, 12);
    const seen = new Set<string>();
    const slots = [];
    for (let k = 0; k < n; k++) {
      // Some slots at DST-sensitive times (02:00–03:00 vanishes or repeats in Berlin).
      const start = rand.chance(0.25) ? rand.pick(['00:00', '01:59', '02:00', '02:30', '03:00', '23:45']) : hhmm(rand.chance(0.5) ? rand.int(0, 47) * 30 : rand.int(0, 1439));
      const day = period === 'week' ? rand.int(0, 6) : undefined;
      if (seen.has(`${day}@${start}`)) continue;
      seen.add(`${day}@${start}`);
      const f = rand.int(0, 3);
      const fill = f === 0 ? { mode: 'one' as const } : f === 1 ? { mode: 'count' as const, count: rand.int(1, 4) } : f === 2 ? { mode: 'duration' as const, minutes: rand.pick([15, 30, 60, 90, 240]) } : { mode: 'flood' as const };
      slots.push({ start, ...(day !== undefined ? { day } : {}), source: rand.pick(keys), fill });
    }
    main = { mode, period, slots, maxLatenessMin: rand.pick([0, 0, 1, 5, 15, 30]), padToMin: rand.pick([0, 0, 5, 10, 15, 30, 60] as const) };
  } else {
    main = {
      mode, padToMin: rand.pick([0, 0, 5, 15, 30, 60] as const),
      slots: Array.from({ length: rand.int(1, 5) }, () => ({
        source: rand.pick(keys), weight: rand.pick([0.5, 1, 2, 5]), cooldownMin: rand.pick([0, 0, 30, 120, 600]),
        fill: rand.chance(0.5) ? { mode: 'count' as const, count: rand.int(1, 3) } : { mode: 'duration' as const, minutes: rand.pick([15, 30, 60, 120]) },
      })),
    };
  }
  const redirects = opts.redirects ?? [];
  const blocks: Block[] = [];
  if (opts.blocks !== false && rand.chance(0.4)) {
    for (let b = rand.int(1, 2); b > 0; b--) {
      const start = rand.int(0, 47) * 30;
      let end = rand.chance(0.3) ? (start + rand.int(1, 10) * 60) % 1440 : rand.int(0, 47) * 30; // some overnight
      if (end === start) end = (start + 90) % 1440;
      const redirect = redirects.length && rand.chance(0.3) ? rand.pick(redirects) : undefined;
      blocks.push({
        days: rand.subset([0, 1, 2, 3, 4, 5, 6]), start: hhmm(start), end: hhmm(end),
        ...(redirect ? { redirect } : { source: rand.pick(keys) }), gridMin: rand.pick([0, 0, 15, 30]),
      });
    }
  }
  const lists: NonNullable<ScheduleDefinitionInput['filler']>['lists'] & object[] = [];
  const listOf = new Map<number, number>();
  if (opts.filler !== false) {
    const reels = lib.fillers.filter(() => rand.chance(0.8));
    reels.forEach((g, i) => {
      const key = `fill-${i}`;
      sources.push({ key, content: [g.ref], order: { kind: 'shuffle' }, keepMultiPart: true });
      pools[key] = g.items;
      for (const it of g.items) listOf.set(it.id, i);
      lists.push({
        source: key, kinds: rand.subset(['pre', 'mid', 'post', 'tail', 'fallback'] as FillerKind[]), weight: rand.pick([0.5, 1, 3]),
        cooldownMin: rand.pick([0, 0, 5, 30, 60]), midMinItemMin: rand.pick([0, 20, 40]), midEveryMin: rand.pick([5, 10, 30]), midAtChapters: rand.chance(0.5),
      });
    });
  }
  const def = scheduleDefinition.parse({
    timezone: tz, sources, main, blocks,
    filler: { lists, itemCooldownMin: rand.pick([0, 0, 5, 30, 60]) },
  });
  return { def, pools, sourceOf, listOf, tz, redirects };
}

// ---- an independent wall clock -----------------------------------------------------------------

const fmts = new Map<string, Intl.DateTimeFormat>();
function wallFormat(tz: string): Intl.DateTimeFormat {
  let f = fmts.get(tz);
  if (!f) fmts.set(tz, f = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }));
  return f;
}

export interface Wall { y: number; m: number; d: number; h: number; mi: number; s: number }
export function wall(t: number, tz: string): Wall {
  const o: Record<string, number> = {};
  for (const p of wallFormat(tz).formatToParts(new Date(t))) if (p.type !== 'literal') o[p.type] = Number(p.value);
  return { y: o.year!, m: o.month!, d: o.day!, h: o.hour!, mi: o.minute!, s: o.second! };
}
const offsets = new Map<string, number>();
/** UTC offset at t (memoised per quarter hour: offsets only change on quarter hours). */
const offsetMs = (t: number, tz: string) => {
  const key = `${tz}|${Math.floor(t / (15 * MIN))}`;
  let o = offsets.get(key);
  if (o === undefined) { const w = wall(t, tz); offsets.set(key, o = Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi, w.s) - Math.floor(t / 1000) * 1000); }
  return o;
};
const instants = new Map<string, number>();

/** Milliseconds since local midnight at t. */
export const localMsOfDay = (t: number, tz: string) => (((t + offsetMs(t, tz)) % DAY) + DAY) % DAY;

/**
 * The instant a wall-clock time happens: the first one when the clock repeats (autumn), and —
 * when the clock skips it (spring) — the time read with the offset in force before the skip.
 */
export function instantOf(tz: string, y: number, m: number, d: number, minute: number): number {
  const key = `${tz}|${y}-${m}-${d}|${minute}`;
  const hit = instants.get(key);
  if (hit !== undefined) return hit;
  const naive = Date.UTC(y, m - 1, d) + minute * MIN;
  const seen = new Set<number>();
  for (let k = -6; k <= 6; k++) seen.add(offsetMs(naive + k * 6 * HOUR, tz));
  const want = new Date(naive);
  const hits = [...seen].map((o) => naive - o).filter((t) => {
    const w = wall(t, tz);
    return w.y === want.getUTCFullYear() && w.m === want.getUTCMonth() + 1 && w.d === want.getUTCDate() && w.h === want.getUTCHours() && w.mi === want.getUTCMinutes() && w.s === 0;
  }).sort((a, b) => a - b);
  const t = hits.length ? hits[0]! : naive - offsetMs(naive - DAY, tz);
  instants.set(key, t);
  return t;
}

/** Local dates (y, m, d, weekday) from a little before `from` to a little after `to`. */
function localDates(from: number, to: number, tz: string): { y: number; m: number; d: number; wd: number }[] {
  const a = wall(from - 3 * DAY, tz);
  const b = wall(to + 2 * DAY, tz);
  const out = [];
  for (let k = 0; ; k++) {
    const u = new Date(Date.UTC(a.y, a.m - 1, a.d + k));
    out.push({ y: u.getUTCFullYear(), m: u.getUTCMonth() + 1, d: u.getUTCDate(), wd: u.getUTCDay() });
    if (u.getUTCFullYear() === b.y && u.getUTCMonth() + 1 === b.m && u.getUTCDate() === b.d) return out;
  }
}

export interface SlotOcc { index: number; start: number }
export function slotOccurrences(def: ScheduleDefinition, tz: string, from: number, to: number): SlotOcc[] {
  const m = def.main;
  if (m.mode !== 'time_slots') return [];
  const out: SlotOcc[] = [];
  for (const date of localDates(from, to, tz)) {
    m.slots.forEach((s, index) => {
      if (m.period === 'week' && s.day !== date.wd) return;
      out.push({ index, start: instantOf(tz, date.y, date.m, date.d, minutesOf(s.start)) });
    });
  }
  return out.sort((a, b) => a.start - b.start || a.index - b.index);
}

export interface Window { index: number; block: Block; start: number; end: number }
export function blockWindows(def: ScheduleDefinition, tz: string, from: number, to: number): Window[] {
  const out: Window[] = [];
  for (const date of localDates(from, to, tz)) {
    def.blocks.forEach((block, index) => {
      if (!block.days.includes(date.wd)) return;
      const s = minutesOf(block.start);
      const e = minutesOf(block.end);
      const next = new Date(Date.UTC(date.y, date.m - 1, date.d + (e <= s ? 1 : 0)));
      out.push({ index, block, start: instantOf(tz, date.y, date.m, date.d, s), end: instantOf(tz, next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), e) });
    });
  }
  return out.filter((w) => w.end > w.start);
}

/** The block airing at t: the lowest-index window containing it. */
export function winnerAt(windows: readonly Window[], t: number): Window | null {
  let hit: Window | null = null;
  for (const w of windows) if (w.start <= t && t < w.end && (!hit || w.index < hit.index)) hit = w;
  return hit;
}

// ---- reading rows ------------------------------------------------------------------------------

interface Cursor {
  src: Record<string, { c: number; i: number; last: number | null }>;
  rslots: Record<string, number>;
  occ: { key: string; n: number; at: number } | null;
}
export const cursorOf = (r: PlannedRow) => r.cursor as Cursor;

/** A unit taken from a source: seen as the source's progress changing in a row's cursor. */
export interface Commit { source: string; row: number; t: number; unit: number; cycle: number; occ: Cursor['occ'] }

export function commitsOf(rows: readonly PlannedRow[], initial: Cursor['src'] = {}): Commit[] {
  const out: Commit[] = [];
  let prev = initial;
  rows.forEach((r, row) => {
    const cur = cursorOf(r).src;
    for (const [source, st] of Object.entries(cur)) {
      const before = prev[source];
      if (!before || before.c !== st.c || before.i !== st.i || before.last !== st.last) out.push({ source, row, t: r.startMs, unit: st.last!, cycle: st.c, occ: cursorOf(r).occ });
    }
    prev = cur;
  });
  return out;
}

/** Units as a source should see them: its pool without duplicates and too-short items, stories kept together. */
export function expectedUnits(pool: readonly PlayableItem[], lib: Library, keepMultiPart: boolean): { id: number; items: PlayableItem[]; show: string }[] {
  const seen = new Set<number>();
  const units: { id: number; items: PlayableItem[]; show: string }[] = [];
  for (const it of pool) {
    if (it.durationMs < 1000 || seen.has(it.id)) continue;
    seen.add(it.id);
    const p = lib.parts.get(it.id);
    const prev = units.at(-1);
    const last = prev?.items.at(-1);
    const lp = last ? lib.parts.get(last.id) : undefined;
    if (keepMultiPart && p && p.part > 1 && lp && lp.story === p.story && lp.part === p.part - 1) prev!.items.push(it);
    else units.push({ id: it.id, items: [it], show: it.showId !== null ? `s${it.showId}` : `i${it.id}` });
  }
  return units;
}

// ---- invariants --------------------------------------------------------------------------------

export function assertContiguous(rows: readonly PlannedRow[], from: number, to: number, label: string): void {
  assert.ok(rows.length > 0, `${label}: rows exist`);
  assert.equal(rows[0]!.startMs, from, `${label}: the first row starts at from`);
  rows.forEach((r, i) => {
    assert.ok(r.endMs > r.startMs, `${label}: row ${i} has a positive length`);
    assert.equal(r.outMs - r.inMs, r.endMs - r.startMs, `${label}: row ${i} airs exactly its in/out span`);
    if (i > 0) assert.equal(r.startMs, rows[i - 1]!.endMs, `${label}: row ${i} starts where row ${i - 1} ends`);
  });
  // The builder finishes the step it is in (a programme with its filler), so rows may run past `to`.
  assert.ok(rows.at(-1)!.endMs >= to, `${label}: rows cover the window`);
}

const fmt = (t: number) => new Date(t).toISOString();

/** How often each property was actually exercised (so a test can insist none was vacuous). */
export const coverage: Record<string, number> = {};
const seen = (what: string, n = 1) => { coverage[what] = (coverage[what] ?? 0) + n; };

/** What every invariant check reads of one build. */
interface Built {
  c: Case; lib: Library; rows: readonly PlannedRow[]; from: number; to: number; label: string;
  def: Case['def']; tz: string; windows: ReturnType<typeof blockWindows>; m: Case['def']['main'];
  itemPoolOf(key: string): Set<number>; mainItems: Set<number>; fillerItems: Set<number>;
  spec(key: string): Case['def']['sources'][number]; commits: ReturnType<typeof commitsOf>;
}

/** Every invariant a build must keep. Builds from a fresh state at `from`. */
export function checkBuild(c: Case, lib: Library, rows: readonly PlannedRow[], from: number, to: number, label: string): void {
  const { def, tz } = c;
  assertContiguous(rows, from, to, label);
  const m = def.main;
  const mainSources = new Set(m.mode === 'flood' ? m.sources.map((s) => s.source) : m.mode === 'time_slots' || m.mode === 'random_slots' ? m.slots.map((s) => s.source) : []);
  const itemPoolOf = (key: string) => new Set((c.pools[key] ?? []).filter((i) => i.durationMs >= 1000).map((i) => i.id));
  const built: Built = {
    c, lib, rows, from, to, label, def, tz, m, itemPoolOf,
    windows: blockWindows(def, tz, from, to + DAY),
    mainItems: new Set([...mainSources].flatMap((k) => [...itemPoolOf(k)])),
    fillerItems: new Set(def.filler.lists.flatMap((l) => [...itemPoolOf(l.source)])),
    spec: (key) => def.sources.find((s) => s.key === key)!,
    commits: commitsOf(rows),
  };
  for (const check of [checkRowsAndBlocks, checkTimeSlots, checkCooldowns, checkUnits, checkOrders, checkMultiPart]) check(built);
}

/** Row kinds and pools; blocks air their source and start and end on time. */
function checkRowsAndBlocks(b: Built): void {
  const { c, lib, rows, from, to, label, def, tz, windows, m, itemPoolOf, mainItems, fillerItems, spec, commits } = b;
  // Kinds, pools, blocks.
  rows.forEach((r, i) => {
    const where = `${label}: row ${i} (${r.kind} ${r.itemId} at ${fmt(r.startMs)})`;
    const w = winnerAt(windows, r.startMs);
    assert.ok(['item', 'filler', 'slate', 'redirect'].includes(r.kind), where);
    if (r.kind === 'slate') assert.deepEqual([r.itemId, r.title], [null, 'Offline'], where);
    seen(`${r.kind} rows`);
    if (r.kind === 'redirect') {
      assert.ok(w?.block.redirect !== undefined, `${where}: a redirect row only inside a redirect block`);
      assert.equal(r.target, w!.block.redirect, where);
      assert.equal(r.itemId, null, where);
    }
    if (w?.block.redirect !== undefined) assert.equal(r.kind, 'redirect', `${where}: a redirect block airs the other channel`);
    if (r.kind === 'item' || r.kind === 'filler') {
      const it = lib.byId.get(r.itemId!);
      assert.ok(it, `${where}: a known item`);
      assert.ok(r.inMs >= 0 && r.outMs <= it.durationMs, `${where}: in/out inside the item`);
    }
    if (r.kind === 'filler') {
      assert.ok(fillerItems.has(r.itemId!), `${where}: filler comes from a filler list`);
      assert.equal(r.inMs, 0, `${where}: filler plays from its start`);
    }
    if (r.kind === 'item') {
      if (w) assert.ok(itemPoolOf(w.block.source!).has(r.itemId!), `${where}: inside block ${w.index} only its source airs`);
      else if (r.inMs === 0) assert.ok(mainItems.has(r.itemId!), `${where}: outside blocks only the main schedule's sources air`);
    }
  });

  // Blocks start and end on time (where the earliest-defined block wins an overlap).
  const starts = new Set(rows.map((r) => r.startMs));
  const bounds = [...new Set(windows.flatMap((w) => [w.start, w.end]))].filter((b) => b > from && b < to);
  for (const b of bounds) {
    const before = winnerAt(windows, b - 1);
    const after = winnerAt(windows, b);
    if (before === after) continue;
    seen('block boundaries');
    assert.ok(starts.has(b), `${label}: a row starts where block ${before?.index ?? '-'} gives way to block ${after?.index ?? '-'} (${fmt(b)})`);
  }
}

/** Time slots: every start honoured within the lateness (outside blocks). */
function checkTimeSlots(b: Built): void {
  const { c, lib, rows, from, to, label, def, tz, windows, m, itemPoolOf, mainItems, fillerItems, spec, commits } = b;
  // Time slots: every start honoured within the lateness (outside blocks).
  if (m.mode === 'time_slots') {
    const late = m.maxLatenessMin * MIN;
    const sorted = rows.map((r) => r.startMs);
    for (const o of slotOccurrences(def, tz, from, to)) {
      if (o.start < from || o.start + late >= to || winnerAt(windows, o.start)) continue;
      seen('slot starts');
      if (tz !== 'UTC' && offsetMs(o.start - HOUR, tz) !== offsetMs(o.start + HOUR, tz)) seen('slot starts next to a DST change');
      if (tz === 'Asia/Kathmandu') seen('slot starts in +05:45');
      let lo = 0, hi = sorted.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (sorted[mid]! < o.start) lo = mid + 1; else hi = mid; }
      assert.ok(lo < sorted.length && sorted[lo]! <= o.start + late,
        `${label}: slot ${o.index} (${m.slots[o.index]!.start}${m.slots[o.index]!.day !== undefined ? ` day ${m.slots[o.index]!.day}` : ''}) at ${fmt(o.start)} starts within ${m.maxLatenessMin} min (next row start ${fmt(sorted[lo] ?? NaN)})`);
    }
  }
}

/** Cooldowns of random orders, filler lists, filler items and random slots. */
function checkCooldowns(b: Built): void {
  const { c, lib, rows, from, to, label, def, tz, windows, m, itemPoolOf, mainItems, fillerItems, spec, commits } = b;
  // Cooldowns.
  const lastStart = new Map<number, number>();
  const listUsed = new Map<number, number>();
  rows.forEach((r, i) => {
    const where = `${label}: row ${i} (${r.kind} ${r.itemId} at ${fmt(r.startMs)})`;
    if (r.itemId === null) return;
    const prev = lastStart.get(r.itemId);
    if (r.kind === 'item' && r.inMs === 0) {
      const src = c.sourceOf.get(r.itemId);
      const order = src ? spec(src).order : null;
      if (order?.kind === 'random' && prev !== undefined) {
        if (order.cooldownMin > 0) seen('random order repeats under a cooldown');
        assert.ok(r.startMs - prev >= order.cooldownMin * MIN, `${where}: random order repeats item ${r.itemId} after ${(r.startMs - prev) / MIN} min < cooldown ${order.cooldownMin}`);
      }
    }
    if (r.kind === 'filler') {
      const li = c.listOf.get(r.itemId)!;
      const list = def.filler.lists[li]!;
      const used = listUsed.get(li);
      if (used !== undefined && list.cooldownMin > 0) seen('filler list reuses under a cooldown');
      if (used !== undefined) assert.ok(r.startMs - used >= list.cooldownMin * MIN, `${where}: list ${li} used again after ${(r.startMs - used) / MIN} min < ${list.cooldownMin}`);
      listUsed.set(li, r.startMs);
      const cd = def.filler.itemCooldownMin * MIN;
      if (prev !== undefined && cd > 0) seen('filler item repeats under a cooldown');
      if (prev !== undefined && r.startMs - prev < cd) {
        // Only fallback filler may repeat early, and only when its whole list is cooling down.
        const reel = (c.pools[list.source] ?? []).filter((x) => x.durationMs >= 1000);
        seen('fallback filler repeats early');
        const allCooling = reel.every((x) => { const p = lastStart.get(x.id); return p !== undefined && r.startMs - p < cd; });
        assert.ok(list.kinds.includes('fallback') && allCooling, `${where}: filler item repeated after ${(r.startMs - prev) / MIN} min < item cooldown ${def.filler.itemCooldownMin}`);
      }
    }
    lastStart.set(r.itemId, r.startMs);
  });

  // Random slots: cooldowns (seen in the cursor's record of when each slot was chosen).
  if (m.mode === 'random_slots') {
    let prev: Record<string, number> = {};
    rows.forEach((r, i) => {
      const cur = cursorOf(r).rslots;
      for (const [k, at] of Object.entries(cur)) {
        const was = prev[k];
        if (was !== undefined && was !== at) {
          if (m.slots[Number(k)]!.cooldownMin > 0) seen('random slot re-chosen under a cooldown');
          assert.ok(at - was >= m.slots[Number(k)]!.cooldownMin * MIN, `${label}: row ${i}: random slot ${k} chosen again after ${(at - was) / MIN} min < ${m.slots[Number(k)]!.cooldownMin}`);
        }
      }
      prev = cur;
    });
  }
}

/** Units (programmes) in blocks, time slots and random slots: the right source, fill and grid. */
function checkUnits(b: Built): void {
  const { c, lib, rows, from, to, label, def, tz, windows, m, itemPoolOf, mainItems, fillerItems, spec, commits } = b;
  // Orders, slot fills, multi-part units.
  const slotOccs = m.mode === 'time_slots' ? new Set(slotOccurrences(def, tz, from, to).map((o) => `s${o.index}@${o.start}`)) : new Set<string>();
  for (const cm of commits) {
    const where = `${label}: unit ${cm.unit} of ${cm.source} at ${fmt(cm.t)}`;
    const w = winnerAt(windows, cm.t);
    if (w) {
      assert.equal(cm.source, w.block.source, `${where}: block ${w.index}'s source`);
      seen('units in blocks');
      if (w.block.gridMin) seen('units on a block grid');
      if (w.block.gridMin) assert.equal((cm.t - w.start) % (w.block.gridMin * MIN), 0, `${where}: on block ${w.index}'s ${w.block.gridMin}-minute grid`);
      continue;
    }
    if (m.mode === 'time_slots' && cm.occ) {
      const idx = Number(cm.occ.key.slice(1, cm.occ.key.indexOf('@')));
      const slot = m.slots[idx]!;
      assert.ok(slotOccs.has(cm.occ.key) || cm.occ.at < from, `${where}: occurrence ${cm.occ.key} (${fmt(cm.occ.at)}) is a real slot start`);
      assert.equal(cm.source, slot.source, `${where}: slot ${idx}'s source`);
      if (slot.fill.mode === 'one') assert.ok(cm.occ.n <= 1, where);
      if (slot.fill.mode === 'count') assert.ok(cm.occ.n <= slot.fill.count, `${where}: at most ${slot.fill.count}`);
      if (slot.fill.mode === 'duration') assert.ok(cm.t < cm.occ.at + slot.fill.minutes * MIN, `${where}: starts within the slot's ${slot.fill.minutes} minutes`);
      seen('units in time slots');
      if (m.padToMin && cm.t !== from) {
        seen('padded programme starts');
        const src = spec(cm.source);
        const onGrid = localMsOfDay(cm.t, tz) % (m.padToMin * MIN) === 0;
        const firstOfSlot = cm.t - cm.occ.at <= m.maxLatenessMin * MIN;
        const afterBlock = windows.some((x) => x.end === cm.t);
        assert.ok(onGrid || firstOfSlot || afterBlock || (src.order.kind === 'random' && src.order.cooldownMin > 0),
          `${where}: a programme starts on the local ${m.padToMin}-minute grid (local ${JSON.stringify(wall(cm.t, tz))})`);
      }
    }
    if (m.mode === 'random_slots' && cm.occ) {
      seen('units in random slots');
      const idx = Number(cm.occ.key.slice(1));
      const slot = m.slots[idx]!;
      assert.equal(cm.source, slot.source, `${where}: random slot ${idx}'s source`);
      if (slot.fill.mode === 'count') assert.ok(cm.occ.n <= slot.fill.count, where);
      else assert.ok(cm.t < cm.occ.at + slot.fill.minutes * MIN, where);
    }
  }
}

/** Each source's order: its own units, no unit twice in a row, complete cycles, episode order kept. */
function checkOrders(b: Built): void {
  const { c, lib, rows, from, to, label, def, tz, windows, m, itemPoolOf, mainItems, fillerItems, spec, commits } = b;
  for (const s of def.sources) {
    const mine = commits.filter((x) => x.source === s.key);
    if (!mine.length) continue;
    const units = expectedUnits(c.pools[s.key] ?? [], lib, s.keepMultiPart);
    const pos = new Map(units.map((u, i) => [u.id, i]));
    const where = `${label}: source ${s.key} (${s.order.kind})`;
    for (const x of mine) assert.ok(pos.has(x.unit), `${where}: unit ${x.unit} is one of its units`);
    for (let k = 1; k < mine.length; k++) if (units.length > 1) assert.notEqual(mine[k]!.unit, mine[k - 1]!.unit, `${where}: no unit twice in a row (${fmt(mine[k]!.t)})`);
    if (s.order.kind === 'random') continue;
    const cycles = new Map<number, number[]>();
    for (const x of mine) (cycles.get(x.cycle) ?? cycles.set(x.cycle, []).get(x.cycle)!).push(x.unit);
    for (const [cy, seq] of cycles) {
      const complete = cycles.has(cy + 1);
      if (complete) seen(`complete ${s.order.kind} cycles`);
      assert.equal(new Set(seq).size, seq.length, `${where}: cycle ${cy} plays no unit twice`);
      if (complete) assert.equal(seq.length, units.length, `${where}: cycle ${cy} plays every unit once`);
      if (s.order.kind === 'in_order') {
        const canon: typeof units = s.order.by === 'release'
          ? units.slice().sort((a, b) => { const x = a.items[0]!.releaseDate ?? '9999', y = b.items[0]!.releaseDate ?? '9999'; return x < y ? -1 : x > y ? 1 : 0; })
          : units;
        assert.deepEqual(seq, canon.slice(0, seq.length).map((u) => u.id), `${where}: cycle ${cy} in order`);
      }
      if (s.order.kind === 'cyclic_shuffle' || s.order.kind === 'block_shuffle') {
        const byShow = new Map<string, number[]>();
        for (const u of seq) { const sh = units[pos.get(u)!]!.show; (byShow.get(sh) ?? byShow.set(sh, []).get(sh)!).push(pos.get(u)!); }
        for (const [sh, p] of byShow) assert.deepEqual(p, p.slice().sort((a, b) => a - b), `${where}: cycle ${cy} keeps ${sh}'s episode order`);
      }
      if (s.order.kind === 'block_shuffle') {
        const size = s.order.blockSize;
        const seen = new Map<string, number>();
        seq.forEach((u, k) => {
          const sh = units[pos.get(u)!]!.show;
          const n = seen.get(sh) ?? 0;
          seen.set(sh, n + 1);
          if (n % size !== 0) assert.equal(units[pos.get(seq[k - 1]!)!]!.show, sh, `${where}: cycle ${cy}: ${sh}'s episode ${n + 1} follows its block of ${size} (position ${k})`);
        });
      }
    }
  }
}

/** Multi-part stories play part after part. */
function checkMultiPart(b: Built): void {
  const { c, lib, rows, from, to, label, def, tz, windows, m, itemPoolOf, mainItems, fillerItems, spec, commits } = b;
  // Multi-part stories: part k+1 follows part k (filler and mid-roll breaks aside).
  const items = rows.filter((r) => r.kind === 'item');
  items.forEach((r, i) => {
    const p = lib.parts.get(r.itemId!);
    const src = c.sourceOf.get(r.itemId!);
    if (!p || !src || !spec(src).keepMultiPart) return;
    const it = lib.byId.get(r.itemId!)!;
    const next = items[i + 1];
    if (p.part < p.of && r.outMs === it.durationMs && next) {
      seen('multi-part continuations');
      const np = lib.parts.get(next.itemId!);
      assert.ok(np && np.story === p.story && np.part === p.part + 1 && next.inMs === 0, `${label}: part ${p.part} of story ${p.story} (item ${r.itemId}) is followed by part ${p.part + 1}, not item ${next.itemId}`);
    }
    if (p.part > 1 && r.inMs === 0) {
      const prev = items[i - 1];
      const pp = prev ? lib.parts.get(prev.itemId!) : undefined;
      assert.ok(i === 0 || (pp && pp.story === p.story && pp.part === p.part - 1), `${label}: part ${p.part} of story ${p.story} (item ${r.itemId}) follows part ${p.part - 1}`);
    }
  });
}

// ---- the same kind of library in SQLite ----------------------------------------------------------


/** Inserts a raw library into the store: shows as shows, movie sets and filler reels as manual collections. */
export function storeLibrary(store: Store, timeline: TimelineService, raw: RawGroup[], tag: string): Library {
  const lib: Library = { shows: [], movies: [], fillers: [], byId: new Map(), parts: new Map() };
  const source = addFakeSource(store, `lib-${tag}`);
  for (const g of raw) {
    const ids = addFakeItems(store, source, g.items.map((r) => ({
      title: r.title, durationMs: r.durationMs, ...(g.kind === 'show' ? { show: `${tag} ${r.show}`, season: r.season!, episode: r.episode! } : {}), ...(r.releaseDate ? { releaseDate: r.releaseDate } : {}),
    })));
    g.items.forEach((r, i) => { if (r.story) lib.parts.set(ids[i]!, r.story); });
    let ref: ContentRef;
    if (g.kind === 'show') ref = { type: 'show', id: store.items.get(ids[0]!).showId! };
    else {
      const c = store.collections.create(`${tag} ${g.name}`, 'manual', null);
      store.collections.changeItems(c.id, ids, []);
      ref = { type: 'collection', id: c.id };
    }
    const items = timeline.pool([ref]);
    for (const it of items) lib.byId.set(it.id, it);
    (g.kind === 'show' ? lib.shows : g.kind === 'movies' ? lib.movies : lib.fillers).push({ name: g.name, kind: g.kind, ref, items });
  }
  return lib;
}
