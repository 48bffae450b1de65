// Property tests of the scheduling engine: randomised libraries and definitions built by the pure
// builder must keep every invariant (gen.ts: checkBuild), be deterministic and piecewise-equal,
// and the engine around it (preview, rebuild on edit, mirror, redirect, on-demand, validation,
// operations) must keep its promises.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Engine } from '../../../src/engine/engine.js';
import { buildSchedule } from '../../../src/engine/schedule/builder.js';
import { stateFromCursor } from '../../../src/engine/schedule/state.js';
import type { PlayableItem } from '../../../src/engine/store/repos/items.js';
import { rng } from '../../../src/engine/schedule/rng.js';
import { rowsOut } from '../../../src/engine/timeline/view.js';
import { channelInput, type ContentRef } from '../../../src/schemas/channel.js';
import { scheduleDefinition, type FillerKind, type ScheduleDefinition, type ScheduleDefinitionInput } from '../../../src/schemas/schedule.js';
import type { PlannedRow } from '../../../src/schemas/timeline.js';
import { startApi, type TestApi } from '../../helpers/api.js';
import { dbSnapshot } from '../../helpers/db-snapshot.js';
import { addFakeItems, addFakeSource, episodes } from '../../helpers/fake-items.js';
import { tempEngine, type TempEngine } from '../../helpers/temp-engine.js';
import {
  assertContiguous, checkBuild, commitsOf, coverage, cursorOf, DAY, HOUR, MIN, pureLibrary, randOf, randOfGen, randomCase, randomRawLibrary, storeLibrary,
  type Case, type Library, type Rand,
} from './gen.js';

/** Window starts: around the Berlin DST changes of 2025 and anywhere in the year, never aligned. */
function windowStart(rand: Rand): number {
  const base = rand.pick([Date.UTC(2025, 2, 29, 9), Date.UTC(2025, 9, 25, 9), Date.UTC(2025, 0, 1) + rand.int(0, 364) * DAY]);
  return base + rand.int(-DAY, DAY) + rand.int(0, 999);
}

const build = (c: Case, seed: number, from: number, to: number, cursor: unknown = null): PlannedRow[] =>
  buildSchedule({ def: c.def, pools: c.pools, seed, state: cursor ? stateFromCursor(cursor) : null, from, to, tz: c.tz });

/** What a row airs (everything but its id and cursor). */
const key = (r: PlannedRow) => [r.startMs, r.endMs, r.kind, r.itemId, r.inMs, r.outMs, r.target ?? null];
const strip = (rows: readonly PlannedRow[]) => rows.map(key);

describe('schedule builder properties (pure, randomised)', () => {
  it('keeps every invariant over hundreds of random libraries and definitions', (t) => {
    let n = -1;
    // fast-check draws every random choice: a failing case shrinks to a small library and definition.
    fc.assert(fc.property(fc.gen(), (g) => {
      n++;
      const rand = randOfGen(g);
      const lib = pureLibrary(randomRawLibrary(rand));
      const c = randomCase(rand, lib, { redirects: ['7', '12.1'] });
      const from = windowStart(rand);
      const to = from + rand.int(2 * HOUR, 4 * DAY);
      const seed = rand.int(0, 2 ** 32 - 1);
      const label = `case ${n} (${c.def.main.mode}, ${c.tz}, seed ${seed})`;
      const rows = build(c, seed, from, to);
      try {
        checkBuild(c, lib, rows, from, to, label);
      } catch (err) {
        (err as Error).message += `\n${JSON.stringify(c.def)}\nfrom ${new Date(from).toISOString()} to ${new Date(to).toISOString()}`;
        throw err;
      }
    }), { numRuns: 400, seed: 0x5eed });
    // None of the properties may hold vacuously.
    const need = ['block boundaries', 'slot starts', 'slot starts next to a DST change', 'slot starts in +05:45', 'random order repeats under a cooldown',
      'filler list reuses under a cooldown', 'filler item repeats under a cooldown', 'fallback filler repeats early', 'random slot re-chosen under a cooldown',
      'units in blocks', 'units on a block grid', 'units in time slots', 'padded programme starts', 'units in random slots', 'multi-part continuations',
      'complete in_order cycles', 'complete shuffle cycles', 'complete cyclic_shuffle cycles', 'complete block_shuffle cycles',
      'item rows', 'filler rows', 'slate rows', 'redirect rows'];
    for (const k of need) assert.ok((coverage[k] ?? 0) >= 5, `exercised "${k}": ${coverage[k] ?? 0} times`);
    t.diagnostic(`exercised: ${JSON.stringify(coverage)}`);
  });
});

describe('schedule builder determinism (pure, randomised)', () => {
  it('the same seed gives the same rows; another seed other rows wherever an order is random', () => {
    let differed = 0, randomCases = 0;
    let n = -1;
    // fast-check draws every random choice: a failing case shrinks to a small library and definition.
    fc.assert(fc.property(fc.gen(), (g) => {
      n++;
      const rand = randOfGen(g);
      const lib = pureLibrary(randomRawLibrary(rand, { shows: rand.int(3, 6) }));
      const c = randomCase(rand, lib, { redirects: ['7'] });
      const from = windowStart(rand);
      const to = from + rand.int(6 * HOUR, 2 * DAY);
      const seed = rand.int(0, 2 ** 32 - 1);
      const a = build(c, seed, from, to);
      assert.deepEqual(build(c, seed, from, to), a, `case ${n}: same seed, same rows (cursors included)`);
      // A source with more than a few units under a random order is asked at least twice: another seed must show.
      const used = new Set(commitsOf(a).map((x) => x.source));
      const random = c.def.sources.some((s) => used.has(s.key) && s.order.kind !== 'in_order' && commitsOf(a).filter((x) => x.source === s.key).length >= 4
        && new Set((c.pools[s.key] ?? []).filter((i) => i.durationMs >= 1000).map((i) => i.showId ?? `i${i.id}`)).size >= 4);
      if (!random) return;
      randomCases += 1;
      const b = build(c, (seed + 1) >>> 0, from, to);
      if (JSON.stringify(strip(a)) !== JSON.stringify(strip(b))) differed += 1;
      else assert.fail(`case ${n}: seeds ${seed} and ${seed + 1} built identical rows for a random order`);
    }), { numRuns: 140, seed: 0xd5 });
    assert.ok(randomCases >= 30, `enough cases with random orders (${randomCases})`);
    assert.equal(differed, randomCases);
  });

  it('building in pieces, each from the previous piece\'s last cursor, equals one build', () => {
    let n = -1;
    // fast-check draws every random choice: a failing case shrinks to a small library and definition.
    fc.assert(fc.property(fc.gen(), (g) => {
      n++;
      const rand = randOfGen(g);
      const lib = pureLibrary(randomRawLibrary(rand));
      const c = randomCase(rand, lib, { redirects: ['7'] });
      const from = windowStart(rand);
      const to = from + rand.int(12 * HOUR, 3 * DAY);
      const seed = rand.int(0, 2 ** 32 - 1);
      const whole = build(c, seed, from, to);
      const pieces: PlannedRow[] = [];
      let at = from;
      let cursor: unknown = null;
      while (at < to) {
        const part = build(c, seed, at, Math.min(to, at + rand.int(1, 8 * HOUR)), cursor);
        pieces.push(...part);
        at = part.at(-1)!.endMs;
        cursor = part.at(-1)!.cursor;
      }
      assert.ok(pieces.length >= whole.length);
      assert.deepEqual(pieces.slice(0, whole.length), whole, `case ${n} (${c.def.main.mode}, ${c.tz}, seed ${seed}): pieces == one build, cursors included`);
    }), { numRuns: 150, seed: 0x91ece5 });
  });

  it('rebuilding from a row inside a programme or at its end continues exactly as planned; inside a filler gap it re-plans the gap only', () => {
    let exact = 0, gaps = 0, resumed = 0;
    let n = -1;
    // fast-check draws every random choice: a failing case shrinks to a small library and definition.
    fc.assert(fc.property(fc.gen(), (g) => {
      n++;
      const rand = randOfGen(g);
      const lib = pureLibrary(randomRawLibrary(rand));
      const c = randomCase(rand, lib, { redirects: ['7'] });
      const from = windowStart(rand);
      const to = from + 2 * DAY;
      const seed = rand.int(0, 2 ** 32 - 1);
      const whole = build(c, seed, from, to);
      const programmeStarts = new Set(commitsOf(whole).map((x) => x.row));
      for (let k = 0; k < 8; k++) {
        const i = rand.int(0, Math.max(0, whole.length - 2));
        const r = whole[i]!;
        if (r.endMs >= to) continue;
        const again = build(c, seed, r.endMs, to, r.cursor);
        const expect = whole.slice(i + 1);
        const label = `case ${n} (${c.def.main.mode}, ${c.tz}, seed ${seed}): rebuilt from row ${i} (${r.kind} ${r.itemId})`;
        const inProgramme = (r.cursor as { resume: unknown }).resume !== null;
        if (inProgramme || programmeStarts.has(i + 1)) {
          exact += 1;
          if (inProgramme) resumed += 1;
          const len = Math.min(again.length, expect.length);
          assert.deepEqual(again.slice(0, len), expect.slice(0, len), `${label}: the same rows, cursors included\n${JSON.stringify(c.def)}`);
        } else {
          // Inside a filler gap: the gap is re-planned from here, the series goes on where it was.
          gaps += 1;
          assert.equal(again[0]!.startMs, r.endMs, label);
          for (let j = 1; j < again.length; j++) assert.equal(again[j]!.startMs, again[j - 1]!.endMs, label);
          const next = commitsOf(again, cursorOf(r).src)[0];
          const planned = commitsOf(expect, cursorOf(r).src)[0];
          if (next && planned && next.source === planned.source && next.cycle === planned.cycle && c.def.sources.find((s) => s.key === next.source)!.order.kind !== 'random') {
            assert.equal(next.unit, planned.unit, `${label}: the next unit of ${next.source} is the planned one`);
          }
        }
      }
    }), { numRuns: 150, seed: 0xc0c0 });
    assert.ok(exact > 300 && resumed > 100 && gaps > 100, `enough of each kind of row (${exact} exact, ${resumed} inside programmes, ${gaps} in gaps)`);
  });
});

/** A show of n episodes of fixed length (ids from `first`), in canonical order. */
function show(first: number, showId: number, n: number, durationMs: number, title = `Show ${showId}`): PlayableItem[] {
  return Array.from({ length: n }, (_, i) => ({ id: first + i, durationMs, title: `${title} E${i + 1}`, showId, seasonNumber: 1, episodeNumber: i + 1, releaseDate: null }));
}

/** The expected share ± 4.5 standard deviations of a binomial count out of n draws (a fixed seed: the bound is about the model, not luck). */
function assertShare(observed: number, n: number, p: number, label: string): void {
  const sd = Math.sqrt(n * p * (1 - p));
  assert.ok(Math.abs(observed - n * p) <= 4.5 * sd + 1, `${label}: ${observed} of ${n} (expected ${(n * p).toFixed(1)} ± ${(4.5 * sd).toFixed(1)})`);
}

describe('weighted choice (pure)', () => {
  it('flood weights: each source is picked (and airs) in proportion to its weight', () => {
    for (const [k, weights] of [[1, 2, 3, 4], [1, 10], [0.5, 0.5, 1], [5, 1, 1, 1, 1]].entries()) {
      const sources = weights.map((_, i) => ({ key: `w${i}`, content: [{ type: 'show' as const, id: i + 1 }], order: { kind: 'in_order' as const } }));
      const pools = Object.fromEntries(weights.map((_, i) => [`w${i}`, show(1000 * (i + 1), i + 1, 50, 5 * MIN)]));
      const def = scheduleDefinition.parse({ sources, main: { mode: 'flood', sources: weights.map((weight, i) => ({ source: `w${i}`, weight })) } });
      const from = Date.UTC(2025, 4, 1, 3, 7);
      const rows = buildSchedule({ def, pools, seed: 1000 + k, state: null, from, to: from + 30 * DAY, tz: 'UTC' });
      const commits = commitsOf(rows);
      const total = weights.reduce((s, w) => s + w, 0);
      assert.ok(commits.length > 8000, 'every 5 minutes a draw for 30 days');
      weights.forEach((w, i) => {
        assertShare(commits.filter((x) => x.source === `w${i}`).length, commits.length, w / total, `weights ${weights}: source ${i} picks`);
        // Equal item lengths: airtime follows the picks.
        const air = rows.filter((r) => r.kind === 'item' && pools[`w${i}`]!.some((it) => it.id === r.itemId)).reduce((s, r) => s + r.endMs - r.startMs, 0);
        assertShare(Math.round(air / (5 * MIN)), commits.length, w / total, `weights ${weights}: source ${i} airtime (in 5-minute items)`);
      });
    }
  });

  it('random slot weights: slots are chosen in proportion to their weights', () => {
    for (const [k, weights] of [[1, 2, 5], [0.5, 1, 1, 2], [10, 1]].entries()) {
      const sources = weights.map((_, i) => ({ key: `r${i}`, content: [{ type: 'show' as const, id: i + 1 }], order: { kind: 'shuffle' as const } }));
      const pools = Object.fromEntries(weights.map((_, i) => [`r${i}`, show(1000 * (i + 1), i + 1, 20, 7 * MIN)]));
      const def = scheduleDefinition.parse({ sources, main: { mode: 'random_slots', slots: weights.map((weight, i) => ({ source: `r${i}`, weight, fill: { mode: 'count', count: 1 } })) } });
      const from = Date.UTC(2025, 6, 1, 0, 0, 1);
      const rows = buildSchedule({ def, pools, seed: 77 + k, state: null, from, to: from + 40 * DAY, tz: 'Europe/Berlin' });
      // A choice shows in the cursor as the slot's "last chosen" time changing.
      const chosen = weights.map(() => 0);
      let prev: Record<string, number> = {};
      for (const r of rows) {
        for (const [i, at] of Object.entries(cursorOf(r).rslots)) if (prev[i] !== at) chosen[Number(i)]! += 1;
        prev = cursorOf(r).rslots;
      }
      const n = chosen.reduce((s, x) => s + x, 0);
      assert.ok(n > 8000, `${n} choices`);
      const total = weights.reduce((s, w) => s + w, 0);
      weights.forEach((w, i) => assertShare(chosen[i]!, n, w / total, `random slot weights ${weights}: slot ${i}`));
    }
  });
});

describe('orders on small pools (pure)', () => {
  const movie = (id: number, durationMs = HOUR): PlayableItem => ({ id, durationMs, title: `Movie ${id}`, showId: null, seasonNumber: null, episodeNumber: null, releaseDate: null });
  const orders = [{ kind: 'shuffle' }, { kind: 'cyclic_shuffle' }, { kind: 'block_shuffle', blockSize: 2 }, { kind: 'block_shuffle', blockSize: 3 }, { kind: 'random', cooldownMin: 0 }, { kind: 'in_order' }] as const;
  it('no unit twice in a row at a cycle seam; every cycle is complete; shows keep episode order and blocks stay whole', () => {
    let seams = 0;
    for (const order of orders) {
      for (let seed = 0; seed < 250; seed++) {
        // One to three single-unit shows (movies) and a show of 2–4 episodes: the seams that can go wrong.
        const pool = [...Array.from({ length: 1 + (seed % 3) }, (_, i) => movie(900 + i)), ...show(1, 1, 2 + (seed % 3), HOUR)];
        const lib: Library = { shows: [], movies: [], fillers: [], byId: new Map(pool.map((i) => [i.id, i])), parts: new Map() };
        const def = scheduleDefinition.parse({ sources: [{ key: 'only', content: [{ type: 'show', id: 1 }], order }], main: { mode: 'flood', sources: [{ source: 'only' }] } });
        const c: Case = { def, pools: { only: pool }, sourceOf: new Map(pool.map((i) => [i.id, 'only'])), listOf: new Map(), tz: 'UTC', redirects: [] };
        const from = Date.UTC(2025, 1, 1);
        const rows = build(c, seed, from, from + 60 * HOUR);
        checkBuild(c, lib, rows, from, from + 60 * HOUR, `${JSON.stringify(order)} seed ${seed}`);
        seams += commitsOf(rows).filter((x, i, all) => i > 0 && x.cycle !== all[i - 1]!.cycle).length;
      }
    }
    assert.ok(seams > 5000, `${seams} cycle seams crossed`);
  });
});

describe('wall clock and time zones (pure)', () => {
  const pools = { a: show(1, 1, 40, 20 * MIN), b: show(100, 2, 40, 25 * MIN), fill: Array.from({ length: 30 }, (_, i): PlayableItem => ({ id: 500 + i, durationMs: (30 + i * 7) * 1000, title: `Bumper ${i}`, showId: null, seasonNumber: null, episodeNumber: null })) };
  const lib: Library = { shows: [], movies: [], fillers: [], byId: new Map(Object.values(pools).flat().map((i) => [i.id, i])), parts: new Map() };
  const caseOf = (def: ScheduleDefinition): Case => ({
    def, pools, tz: def.timezone!, redirects: [],
    sourceOf: new Map([...pools.a.map((i) => [i.id, 'a'] as const), ...pools.b.map((i) => [i.id, 'b'] as const)]), listOf: new Map(pools.fill.map((i) => [i.id, 0])),
  });
  const filler = { lists: [{ source: 'fill', kinds: ['tail', 'fallback'] as FillerKind[] }] };
  const sources = [{ key: 'a', content: [{ type: 'show' as const, id: 1 }] }, { key: 'b', content: [{ type: 'show' as const, id: 2 }] }, { key: 'fill', content: [{ type: 'show' as const, id: 3 }] }];

  it('Berlin across both DST changes: skipped times move forward, repeated times take the first occurrence', () => {
    const times = ['00:30', '01:30', '02:00', '02:30', '03:00', '03:30', '04:00'];
    const def = scheduleDefinition.parse({
      timezone: 'Europe/Berlin', sources, filler,
      main: { mode: 'time_slots', slots: times.map((start, i) => ({ start, source: i % 2 ? 'b' : 'a', fill: { mode: 'one' } })) },
    });
    for (const [from, expect] of [
      // 30 March 2025: 02:00 CET → 03:00 CEST. 02:00 and 02:30 do not exist: they air at 03:00 and 03:30 CEST.
      [Date.UTC(2025, 2, 29, 20, 11), { '00:30': '2025-03-29T23:30:00.000Z', '01:30': '2025-03-30T00:30:00.000Z', '02:00': '2025-03-30T01:00:00.000Z', '02:30': '2025-03-30T01:30:00.000Z', '03:00': '2025-03-30T01:00:00.000Z', '04:00': '2025-03-30T02:00:00.000Z' }],
      // 26 October 2025: 03:00 CEST → 02:00 CET. 02:00–02:59 happen twice: the first (CEST) one counts.
      [Date.UTC(2025, 9, 25, 20, 11), { '00:30': '2025-10-25T22:30:00.000Z', '01:30': '2025-10-25T23:30:00.000Z', '02:00': '2025-10-26T00:00:00.000Z', '02:30': '2025-10-26T00:30:00.000Z', '03:00': '2025-10-26T02:00:00.000Z', '04:00': '2025-10-26T03:00:00.000Z' }],
    ] as const) {
      const c = caseOf(def);
      const rows = build(c, 5, from, from + DAY);
      checkBuild(c, lib, rows, from, from + DAY, `DST from ${new Date(from).toISOString()}`);
      const starts = new Set(rows.map((r) => new Date(r.startMs).toISOString()));
      for (const [local, utc] of Object.entries(expect)) assert.ok(starts.has(utc), `slot ${local} airs at ${utc}`);
      // The slots' occurrences in the cursor are the same instants.
      const occ = new Set(rows.map((r) => cursorOf(r).occ?.at).filter((x): x is number => x !== undefined).map((t) => new Date(t).toISOString()));
      for (const utc of Object.values(expect)) assert.ok(occ.has(utc), `an occurrence at ${utc}`);
    }
  });

  it('Asia/Kathmandu (+05:45): slots at local times, padding on the local :00/:15/:30/:45 grid', () => {
    const def = scheduleDefinition.parse({
      timezone: 'Asia/Kathmandu', sources, filler,
      main: { mode: 'time_slots', padToMin: 30, slots: [{ start: '06:00', source: 'a' }, { start: '20:00', source: 'b' }] },
    });
    const from = Date.UTC(2025, 5, 1, 3, 2, 1);
    const c = caseOf(def);
    const rows = build(c, 9, from, from + 3 * DAY);
    checkBuild(c, lib, rows, from, from + 3 * DAY, 'Kathmandu');
    const starts = new Set(rows.map((r) => r.startMs));
    assert.ok(starts.has(Date.UTC(2025, 5, 1, 14, 15)), '20:00 local is 14:15 UTC');
    assert.ok(starts.has(Date.UTC(2025, 5, 2, 0, 15)), '06:00 local is 00:15 UTC');
    const programmes = commitsOf(rows).filter((x) => x.t !== from);
    assert.ok(programmes.length > 100);
    for (const p of programmes) assert.equal(((p.t + 5.75 * HOUR) % (30 * MIN)), 0, `programme at ${new Date(p.t).toISOString()} is on the local half hour`);
  });
});

// ---- through the engine (SQLite) ---------------------------------------------------------------

const rowsOf = (engine: Engine, channelId: number, from = 0, to = Number.MAX_SAFE_INTEGER) => engine.store.timeline.range(channelId, from, to, 1_000_000);

describe('the engine around the builder (SQLite)', () => {
  let t: TempEngine;
  let engine: Engine;
  let lib: Library;
  let channelNo = 100;
  const rand = randOf(rng(0xe9e1e));
  before(async () => {
    t = await tempEngine();
    engine = t.engine;
    lib = storeLibrary(engine.store, engine.timeline, randomRawLibrary(rand, { shows: 6, movieSets: 2, fillers: 4 }), 'L');
    engine.channels.create(channelInput.parse({ number: '900', name: 'Redirect target', content: [lib.shows[0]!.ref] }), 1);
  });
  after(() => t.close());

  /** A channel with no content (an Offline slate on air) and a known seed. */
  const emptyChannel = (seed: number) => engine.channels.create(channelInput.parse({ number: String(++channelNo), name: `ch ${channelNo}` }), seed);

  it('the engine\'s pools are the library as the generator sees it', () => {
    const c = randomCase(rand, lib);
    const pools = engine.timeline.pools(c.def);
    for (const [k, pool] of Object.entries(c.pools)) assert.deepEqual(pools[k]!.map((i) => i.id), pool.map((i) => i.id), k);
  });

  it('preview == saved: the rows a preview shows are the rows saving the definition stores (same seed)', () => {
    let n = -1;
    fc.assert(fc.property(fc.gen(), (g) => {
      n++;
      const rand = randOfGen(g);
      const c = randomCase(rand, lib, { redirects: ['900'] });
      const seed = rand.int(0, 2 ** 32 - 1);
      const ch = emptyChannel(seed);
      const now = Date.now() + rand.int(MIN, 5 * HOUR) + rand.int(0, 999);
      const hours = rand.int(6, 60);
      const preview = engine.schedules.preview(c.def, { from: now, hours, seed });
      assert.equal(preview.seed, seed);
      engine.schedules.set(ch.number, c.def, now);
      const revision = engine.store.channels.definition(ch.id).revision;
      const saved = rowsOf(engine, ch.id, now).filter((r) => r.startMs >= now);
      const label = `case ${n} (${c.def.main.mode}, ${c.tz})`;
      assert.deepEqual(saved.filter((r) => r.startMs < now + hours * HOUR).map(key), preview.rows.map(key), label);
      // And what is saved keeps every invariant.
      checkBuild(c, lib, saved, now, now + 3 * DAY - HOUR, `${label} saved`);
      // A preview that continues the channel (its seed, its progress) from the end of the rows shows what was saved there.
      const cut = saved[Math.floor(saved.length / 2)]!;
      const cont = engine.schedules.preview(c.def, { from: cut.endMs, hours: 12, channel: ch.number });
      const after = saved.filter((r) => r.startMs >= cut.endMs && r.startMs < cut.endMs + 12 * HOUR);
      if ((cut.cursor as { resume: unknown }).resume !== null) assert.deepEqual(cont.rows.slice(0, after.length).map(key), after.map(key), `${label}: preview from the channel's progress`);
      // A preview never saves anything.
      assert.equal(engine.store.channels.definition(ch.id).revision, revision);
      assert.deepEqual(rowsOf(engine, ch.id, now).filter((r) => r.startMs >= now).map((r) => r.id), saved.map((r) => r.id));
    }), { numRuns: 40, seed: 0x9e1 });
  });

  it('an edit mid-item keeps the row on air (same id, start, end) and the series position', () => {
    let checkedSeries = 0;
    let n = -1;
    fc.assert(fc.property(fc.gen(), (g) => {
      n++;
      const rand = randOfGen(g);
      const c = randomCase(rand, lib, { redirects: ['900'] });
      // Source src-0 becomes a series played in order, and the main schedule uses it.
      const input = structuredClone(c.def);
      input.sources[0]!.order = { kind: 'in_order', by: 'episode' };
      const m = input.main;
      if (m.mode === 'flood') m.sources.push({ source: 'src-0', weight: 2 });
      if (m.mode === 'time_slots') m.slots = [...m.slots.filter((s) => s.start !== '12:07'), { start: '12:07', ...(m.period === 'week' ? { day: 3 } : {}), source: 'src-0', fill: { mode: 'count', count: 3 } }];
      if (m.mode === 'random_slots') m.slots.push({ source: 'src-0', weight: 3, cooldownMin: 0, fill: { mode: 'count', count: 2 } });
      const def1 = scheduleDefinition.parse(input);
      // The edit: another slot or source, other filler.
      const edit = structuredClone(def1);
      const e = edit.main;
      if (e.mode === 'flood') e.sources.push({ source: rand.pick(edit.sources.filter((s) => s.key.startsWith('src'))).key, weight: 1 });
      if (e.mode === 'time_slots' && !e.slots.some((s) => s.start === '17:53' && s.day === (e.period === 'week' ? 5 : undefined))) e.slots.push({ start: '17:53', ...(e.period === 'week' ? { day: 5 } : {}), source: 'src-0', fill: { mode: 'flood' } });
      if (e.mode === 'random_slots') e.slots.push({ source: 'src-0', weight: 1, cooldownMin: 0, fill: { mode: 'duration', minutes: 45 } });
      edit.filler.lists.reverse();
      const def2 = scheduleDefinition.parse(edit);

      const ch = emptyChannel(rand.int(0, 2 ** 32 - 1));
      const t0 = Date.now() + rand.int(MIN, HOUR);
      engine.schedules.set(ch.number, def1, t0);
      const planned = rowsOf(engine, ch.id);
      const items = planned.filter((r) => r.kind === 'item' && r.startMs > t0 + HOUR && r.endMs < t0 + 40 * HOUR);
      if (!items.length) return;
      const x = rand.pick(items);
      const t1 = x.startMs + rand.int(1, x.endMs - x.startMs - 1);
      const onAir = engine.timeline.whatIsOn(ch.id, t1)!.row;
      assert.equal(onAir.id, x.id);
      engine.schedules.set(ch.number, def2, t1);
      const label = `case ${n} (${def1.main.mode})`;
      const now = engine.timeline.whatIsOn(ch.id, t1)!.row;
      assert.deepEqual([now.id, now.startMs, now.endMs, now.kind, now.itemId, now.inMs, now.outMs], [onAir.id, onAir.startMs, onAir.endMs, onAir.kind, onAir.itemId, onAir.inMs, onAir.outMs], `${label}: the row on air survives the edit`);
      const rebuilt = rowsOf(engine, ch.id);
      assert.deepEqual(rebuilt.filter((r) => r.startMs <= onAir.startMs).map((r) => r.id), planned.filter((r) => r.startMs <= onAir.startMs).map((r) => r.id), `${label}: history is kept`);
      assertContiguous(rebuilt, planned[0]!.startMs, t1 + 3 * DAY - HOUR, label);
      // The series goes on where it was: the next src-0 item after the row on air is the one planned before the edit.
      const series = new Set(c.pools['src-0']!.map((i) => i.id));
      const nextOf = (rows: PlannedRow[]) => rows.find((r) => r.kind === 'item' && r.startMs >= onAir.endMs && series.has(r.itemId!));
      const before = nextOf(planned), after = nextOf(rebuilt);
      if (before && after) {
        checkedSeries += 1;
        assert.deepEqual([after.itemId, after.inMs], [before.itemId, before.inMs], `${label}: the series continues with item ${before.itemId}`);
      }
    }), { numRuns: 40, seed: 0xed17 });
    assert.ok(checkedSeries >= 20, `series position checked ${checkedSeries} times`);
  });

  it('mirror: rows are the source channel\'s rows shifted, and follow it when it is edited', () => {
    let n = -1;
    fc.assert(fc.property(fc.gen(), (g) => {
      n++;
      const rand = randOfGen(g);
      const src = emptyChannel(rand.int(0, 2 ** 32 - 1));
      const t0 = Date.now() + rand.int(MIN, HOUR);
      engine.schedules.set(src.number, randomCase(rand, lib, { redirects: ['900'] }).def, t0);
      const mirror = emptyChannel(1);
      const shiftMin = rand.pick([0, 30, 60, 180, 1440]);
      const check = (at: number, now: number, label: string) => {
        const source = rowsOf(engine, src.id);
        const firstSource = source[0]!.startMs;
        const rows = rowsOf(engine, mirror.id).filter((r) => r.startMs >= at);
        assert.ok(rows.length > 0);
        assertContiguous(rows, at, now + 3 * DAY - MIN, label);
        for (const m of rows) {
          const s = m.startMs - shiftMin * MIN;
          if (s < firstSource) { assert.equal(m.kind, 'slate', `${label}: before the source channel existed: Offline`); continue; }
          const r = source.find((x) => x.startMs <= s && s < x.endMs);
          assert.ok(r, `${label}: a source row at ${new Date(s).toISOString()}`);
          assert.deepEqual([m.kind, m.itemId, m.target, m.outMs, m.inMs, Math.min(m.endMs, r.endMs + shiftMin * MIN)], [r.kind, r.itemId, r.target, r.outMs, r.inMs + (s - r.startMs), r.endMs + shiftMin * MIN],
            `${label}: mirror row at ${new Date(m.startMs).toISOString()} is the source's, ${shiftMin} min later`);
        }
      };
      const t1 = t0 + rand.int(MIN, 3 * HOUR);
      engine.schedules.set(mirror.number, scheduleDefinition.parse({ main: { mode: 'mirror', channel: src.number, shiftMin } }), t1);
      check(t1, t1, `mirror ${n} (+${shiftMin} min)`);
      // The source channel is edited: its mirror is rebuilt with it.
      const t2 = t1 + rand.int(MIN, 6 * HOUR);
      engine.schedules.set(src.number, randomCase(rand, lib, { redirects: ['900'] }).def, t2);
      const on = engine.timeline.whatIsOn(mirror.id, t2)!.row;
      check(on.endMs, t2, `mirror ${n} after its source was edited`);
    }), { numRuns: 12, seed: 0x3177 });
  });

  it('redirect blocks air the other channel: one redirect row per block window, naming the target', () => {
    const ch = emptyChannel(5);
    const t0 = Date.UTC(2030, 0, 7, 9, 13); // a Monday, far from now: nothing else interferes
    const def = scheduleDefinition.parse({
      timezone: 'America/New_York',
      sources: [{ key: 'a', content: [lib.shows[1]!.ref] }],
      main: { mode: 'flood', sources: [{ source: 'a' }] },
      blocks: [{ days: [1, 3], start: '20:00', end: '22:30', redirect: '900' }, { days: [2], start: '23:00', end: '01:00', redirect: '900' }],
    });
    engine.schedules.set(ch.number, def, t0);
    const rows = rowsOf(engine, ch.id).filter((r) => r.startMs >= t0);
    const redirects = rows.filter((r) => r.kind === 'redirect');
    assert.deepEqual(redirects.map((r) => [new Date(r.startMs).toISOString(), new Date(r.endMs).toISOString(), r.target, r.itemId]), [
      ['2030-01-08T01:00:00.000Z', '2030-01-08T03:30:00.000Z', '900', null], // Monday 20:00–22:30 EST
      ['2030-01-09T04:00:00.000Z', '2030-01-09T06:00:00.000Z', '900', null], // Tuesday 23:00 – Wednesday 01:00
      ['2030-01-10T01:00:00.000Z', '2030-01-10T03:30:00.000Z', '900', null], // Wednesday
    ]);
    // The API shows them with their target.
    const out = rowsOut(engine.store, redirects);
    assert.deepEqual(out.map((r) => [r.kind, r.target]), redirects.map(() => ['redirect', '900']));
  });

  it('on-demand: paused at t and tuned again at t + 2 h, the paused item carries on from where it stopped', () => {
    const series = lib.shows.map((g) => g.items).sort((a, b) => b.length - a.length)[0]!;
    const reel = lib.fillers[0]!;
    const def = scheduleDefinition.parse({
      onDemand: true, timezone: 'UTC',
      sources: [{ key: 'series', content: [lib.shows.find((g) => g.items === series)!.ref] }, { key: 'reel', content: [reel.ref] }],
      main: { mode: 'flood', sources: [{ source: 'series' }] },
      filler: { lists: [{ source: 'reel', kinds: ['pre', 'mid', 'post'], midMinItemMin: 0, midEveryMin: 4, midAtChapters: false }] },
    });
    const kinds = new Set<string>();
    let n = -1;
    fc.assert(fc.property(fc.gen(), (g) => {
      n++;
      const rand = randOfGen(g);
      const ch = emptyChannel(n);
      const t0 = Date.now() + rand.int(MIN, HOUR);
      engine.schedules.set(ch.number, def, t0);
      const planned = rowsOf(engine, ch.id).filter((r) => r.startMs >= t0);
      // Pause in each kind of row in turn: a pre-roll, an item segment, a mid-roll, a post-roll.
      const kind = (j: number) => {
        const r = planned[j]!, next = planned[j + 1];
        if (r.kind === 'item') return 'item';
        return next?.kind === 'item' && next.inMs === 0 ? 'pre-roll' : next?.kind === 'item' ? 'mid-roll' : 'post-roll';
      };
      const want = ['pre-roll', 'item', 'mid-roll', 'post-roll'][n % 4];
      const candidates = planned.slice(1, 80).filter((_, j) => kind(j + 1) === want);
      const x = rand.pick(candidates);
      const t = x.startMs + rand.int(0, x.endMs - x.startMs - 1);
      const onAir = engine.timeline.whatIsOn(ch.id, t)!;
      engine.timeline.pauseOnDemand(ch.id, t);
      const t2 = t + 2 * HOUR;
      assert.equal(engine.timeline.resumeOnDemand(ch.id, t2), true);
      const label = `pause ${n} in a ${x.kind} row at ${onAir.offsetMs} ms`;
      let resumed = rowsOf(engine, ch.id).filter((r) => r.startMs >= t2);
      let i = planned.indexOf(x);
      if (x.outMs - onAir.seekMs < 1000) {
        // Less than a second left: that remainder is skipped, the next row starts at t + 2 h.
        const next = planned[i + 1]!;
        // (Filler is drawn by time: two hours later another filler item may play.)
        assert.deepEqual([resumed[0]!.startMs, resumed[0]!.kind, next.kind === 'item' ? resumed[0]!.itemId : null, resumed[0]!.inMs], [t2, next.kind, next.kind === 'item' ? next.itemId : null, next.inMs], label);
        resumed = [{ ...resumed[0]!, startMs: t2, endMs: t2 }, ...resumed];
      } else {
      assert.deepEqual([resumed[0]!.startMs, resumed[0]!.kind, resumed[0]!.itemId, resumed[0]!.inMs, resumed[0]!.outMs],
        [t2, x.kind, x.itemId, onAir.seekMs, x.outMs], `${label}: the paused row carries on at t + 2 h`);
      const on = engine.timeline.whatIsOn(ch.id, t2)!;
      assert.deepEqual([on.row.itemId, on.seekMs], [x.itemId, onAir.seekMs]);
      }
      assertContiguous(resumed.slice(1), resumed[0]!.endMs, t2 + 3 * DAY - HOUR, label);
      // What follows is what followed before, two hours later: the rest of the programme (its breaks and
      // post-roll, no second pre-roll), then the next episodes in order.
      i = planned.indexOf(x);
      const shape = (rows: PlannedRow[]) => rows.slice(0, 12).map((r) => (r.kind === 'item' ? `${r.itemId}@${r.inMs}-${r.outMs}` : r.kind));
      assert.deepEqual(shape(resumed.slice(1)), shape(planned.slice(i + 1)), label);
      kinds.add(kind(i));
    }), { numRuns: 30, seed: 0xdd });
    assert.deepEqual([...kinds].sort(), ['item', 'mid-roll', 'post-roll', 'pre-roll']);
  });
});

describe('validation through the API', () => {
  let t: TestApi;
  let show: number;
  before(async () => {
    t = await startApi();
    const src = addFakeSource(t.engine.store);
    const ids = addFakeItems(t.engine.store, src, episodes('Valid', 3, 20 * MIN));
    show = t.engine.store.items.get(ids[0]!).showId!;
    for (const number of ['5', '6']) assert.equal((await t.call('POST', '/api/channels', { number, name: `ch ${number}`, content: [{ type: 'show', id: show }] })).status, 201);
    assert.equal((await t.call('PUT', '/api/channels/5/schedule', good())).status, 200);
  });
  after(async () => {
    assert.deepEqual(t.serverErrors, []);
    await t.close();
  });
  const good = (): ScheduleDefinitionInput => ({
    timezone: 'Europe/Berlin',
    sources: [{ key: 'a', content: [{ type: 'show', id: show }] }, { key: 'b', content: [{ type: 'show', id: show }], order: { kind: 'shuffle' } }],
    main: { mode: 'time_slots', slots: [{ start: '08:00', source: 'a' }, { start: '20:00', source: 'b' }] },
  });
  const bad: [string, (d: any) => void, string][] = [
    ['an unknown source key in a slot', (d) => { d.main.slots[1].source = 'nope'; }, 'schedule.main.slots.1.source'],
    ['an unknown source key in a flood', (d) => { d.main = { mode: 'flood', sources: [{ source: 'a' }, { source: 'zz' }] }; }, 'schedule.main.sources.1.source'],
    ['an unknown source key in a filler list', (d) => { d.filler = { lists: [{ source: 'x', kinds: ['tail'] }] }; }, 'schedule.filler.lists.0.source'],
    ['an unknown source key in a block', (d) => { d.blocks = [{ days: [1], start: '10:00', end: '11:00', source: 'x' }]; }, 'schedule.blocks.0.source'],
    ['a source key used twice', (d) => { d.sources[1].key = 'a'; }, 'schedule.sources.1.key'],
    ['content that does not exist', (d) => { d.sources[0].content = [{ type: 'show', id: 999_999 }]; }, 'schedule.sources.0.content.0.id'],
    ['two slots at the same time', (d) => { d.main.slots[1].start = '08:00'; }, 'schedule.main.slots.1.start'],
    ['a week slot without a day', (d) => { d.main.period = 'week'; d.main.slots[0].day = 1; }, 'schedule.main.slots.1.day'],
    ['a day slot with a day', (d) => { d.main.slots[0].day = 1; }, 'schedule.main.slots.0.day'],
    ['a block that starts when it ends', (d) => { d.blocks = [{ days: [1], start: '10:00', end: '10:00', source: 'a' }]; }, 'schedule.blocks.0.end'],
    ['a redirect to itself', (d) => { d.blocks = [{ days: [1], start: '10:00', end: '11:00', redirect: '5' }]; }, 'schedule.blocks.0.redirect'],
    ['a redirect to a channel that does not exist', (d) => { d.blocks = [{ days: [1], start: '10:00', end: '11:00', redirect: '77' }]; }, 'schedule.blocks.0.redirect'],
    ['a mirror of itself', (d) => { d.main = { mode: 'mirror', channel: '5', shiftMin: 60 }; }, 'schedule.main.channel'],
    ['a mirror of a channel that does not exist', (d) => { d.main = { mode: 'mirror', channel: '404', shiftMin: 60 }; }, 'schedule.main.channel'],
    ['an on-demand mirror', (d) => { d.main = { mode: 'mirror', channel: '6', shiftMin: 60 }; d.onDemand = true; }, 'schedule.onDemand'],
    ['an unknown time zone', (d) => { d.timezone = 'Mars/Olympus_Mons'; }, 'schedule.timezone'],
    ['a time of day that does not exist', (d) => { d.main.slots[0].start = '24:00'; }, 'body.main.slots.0.start'],
    ['a block with both a source and a redirect', (d) => { d.blocks = [{ days: [1], start: '10:00', end: '11:00', source: 'a', redirect: '6' }]; }, 'body.blocks.0.source'],
    ['an unknown order', (d) => { d.sources[0].order = { kind: 'sometimes' }; }, 'body.sources.0.order.kind'],
  ];
  for (const [what, spoil, path] of bad) {
    it(`PUT /api/channels/5/schedule with ${what} → 400 naming ${path}, nothing changed`, async () => {
      const d = good();
      spoil(d);
      await t.rejects('PUT', '/api/channels/5/schedule', d, 400, path);
    });
  }
  it('the same checks guard previews (paths under "definition"), and previews change nothing', async () => {
    const d: any = good();
    d.main.slots[1].source = 'nope';
    await t.rejects('POST', '/api/schedules/preview', { definition: d }, 400, 'definition.main.slots.1.source');
    const before = dbSnapshot(t.engine.store);
    const ok = await t.call('POST', '/api/schedules/preview', { definition: good(), hours: 48, seed: 7, from: '2030-03-30T00:00:00Z' });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.seed, 7);
    assert.deepEqual(dbSnapshot(t.engine.store), before);
    // 08:00 and 20:00 in Berlin the day before (CET) and the day the clocks go forward (CEST from 02:00).
    const starts = ok.body.rows.map((r: any) => r.start);
    for (const at of ['2030-03-30T07:00:00.000Z', '2030-03-30T19:00:00.000Z', '2030-03-31T06:00:00.000Z', '2030-03-31T18:00:00.000Z']) assert.ok(starts.includes(at), at);
  });
});

describe('operations on definitions', () => {
  let t: TempEngine;
  let engine: Engine;
  const shows: { ref: ContentRef; minutes: number }[] = [];
  before(async () => {
    t = await tempEngine();
    engine = t.engine;
    const src = addFakeSource(engine.store);
    for (const minutes of [10, 30, 90, 45]) {
      const ids = addFakeItems(engine.store, src, episodes(`Len ${minutes}`, 12, minutes * MIN));
      shows.push({ ref: { type: 'show', id: engine.store.items.get(ids[0]!).showId! }, minutes });
    }
  });
  after(() => t.close());

  const airtime = (rows: PlannedRow[], groups: Map<number, string>) => {
    const out = new Map<string, number>();
    for (const r of rows) if (r.kind === 'item') out.set(groups.get(r.itemId!)!, (out.get(groups.get(r.itemId!)!) ?? 0) + r.endMs - r.startMs);
    return out;
  };
  /** Shares of airtime within ±4.5 sd of 1/k: a source's share moves with the number of its picks, a binomial count. */
  const assertEven = (air: Map<string, number>, avgMs: Map<string, number>, label: string) => {
    const total = [...air.values()].reduce((s, x) => s + x, 0);
    const k = avgMs.size;
    // Picks of group g: airtime / its average length; p_g = picks_g / picks.
    const picks = new Map([...avgMs].map(([g, avg]) => [g, (air.get(g) ?? 0) / avg]));
    const n = [...picks.values()].reduce((s, x) => s + x, 0);
    for (const [g, avg] of avgMs) {
      const p = (total / k / avg) / n;
      const sdShare = (1 / k) * Math.sqrt((1 - p) / (n * p));
      const share = (air.get(g) ?? 0) / total;
      assert.ok(Math.abs(share - 1 / k) <= 4.5 * sdShare + 0.002, `${label}: ${g} has ${(share * 100).toFixed(1)} % of the airtime (expected ${(100 / k).toFixed(1)} ± ${(450 * sdShare).toFixed(1)})`);
    }
  };

  it('balance: equal airtime per source over a long window (sources of 10-, 30- and 90-minute items)', () => {
    const def = scheduleDefinition.parse({
      timezone: 'UTC',
      sources: shows.slice(0, 3).map((s, i) => ({ key: `s${i}`, content: [s.ref] })),
      main: { mode: 'flood', sources: shows.slice(0, 3).map((_, i) => ({ source: `s${i}` })) },
    });
    const balanced = engine.schedules.transform(def, { op: 'balance' });
    const m = balanced.main as Extract<ScheduleDefinition['main'], { mode: 'flood' }>;
    assert.deepEqual(m.sources.map((s) => s.weight), [1, 0.333, 0.111]);
    const pools = engine.timeline.pools(def);
    const groups = new Map(Object.entries(pools).flatMap(([k, p]) => p.map((i) => [i.id, k] as [number, string])));
    const from = Date.UTC(2030, 0, 1);
    const rows = engine.timeline.plan(balanced, 3, null, from, from + 120 * DAY);
    assertEven(airtime(rows, groups), new Map(shows.slice(0, 3).map((s, i) => [`s${i}`, s.minutes * MIN])), 'balanced');
    // Unbalanced, the 90-minute source would take most of the air.
    const raw = airtime(engine.timeline.plan(def, 3, null, from, from + 30 * DAY), groups);
    assert.ok(raw.get('s2')! > 0.6 * [...raw.values()].reduce((s, x) => s + x, 0));
  });

  it('balance with split: one source of four shows becomes one per show, each with an equal share of the air', () => {
    const def = scheduleDefinition.parse({
      timezone: 'UTC',
      sources: [{ key: 'all', content: shows.map((s) => s.ref), order: { kind: 'shuffle' } }],
      main: { mode: 'flood', sources: [{ source: 'all' }] },
    });
    const balanced = engine.schedules.transform(def, { op: 'balance', split: 'all' });
    assert.equal(balanced.sources.length, 4);
    assert.ok(balanced.sources.every((s) => s.order.kind === 'in_order'), 'each show keeps its episode order');
    const pools = engine.timeline.pools(balanced);
    const groups = new Map(Object.entries(pools).flatMap(([k, p]) => p.map((i) => [i.id, k] as [number, string])));
    const from = Date.UTC(2030, 0, 1);
    const rows = engine.timeline.plan(balanced, 11, null, from, from + 120 * DAY);
    assertEven(airtime(rows, groups), new Map(balanced.sources.map((s) => [s.key, pools[s.key]![0]!.durationMs])), 'split');
    // And each show airs in episode order.
    for (const s of balanced.sources) {
      const order = pools[s.key]!.map((i) => i.id);
      const aired = rows.filter((r) => groups.get(r.itemId!) === s.key).map((r) => r.itemId!);
      assert.deepEqual(aired.slice(0, order.length), order, s.key);
    }
  });

  it('replicate: copies a slot every N minutes; the copies are honoured like the original', () => {
    const def = scheduleDefinition.parse({
      timezone: 'Europe/Berlin',
      sources: [{ key: 'a', content: [shows[0]!.ref] }, { key: 'b', content: [shows[1]!.ref] }],
      main: { mode: 'time_slots', slots: [{ start: '20:00', source: 'b' }, { start: '08:00', source: 'a', fill: { mode: 'count', count: 2 } }] },
    });
    const out = engine.schedules.transform(def, { op: 'replicate', slot: 1, times: 3, everyMin: 90 });
    const m = out.main as Extract<ScheduleDefinition['main'], { mode: 'time_slots' }>;
    assert.deepEqual(m.slots.map((s) => [s.start, s.source, s.fill]), [
      ['08:00', 'a', { mode: 'count', count: 2 }], ['09:30', 'a', { mode: 'count', count: 2 }], ['11:00', 'a', { mode: 'count', count: 2 }],
      ['12:30', 'a', { mode: 'count', count: 2 }], ['20:00', 'b', { mode: 'flood' }],
    ]);
    const from = Date.UTC(2030, 5, 3, 1, 2, 3);
    const rows = engine.timeline.plan(out, 1, null, from, from + 3 * DAY);
    const starts = new Set(rows.map((r) => r.startMs));
    for (const d of [3, 4, 5]) for (const [h, mi] of [[8, 0], [9, 30], [11, 0], [12, 30], [20, 0]] as const) assert.ok(starts.has(Date.UTC(2030, 5, d, h - 2, mi)), `${d} June ${h}:${mi} CEST`);
    assert.throws(() => engine.schedules.transform(def, { op: 'replicate', slot: 0, times: 3, everyMin: 90 }), /after midnight/);
    assert.throws(() => engine.schedules.transform(def, { op: 'replicate', slot: 1, times: 8, everyMin: 90 }), /already starts at 20:00/);
  });

  it('consolidate: merges repeated flood slots and duplicate sources without changing what airs', () => {
    const from = Date.UTC(2030, 2, 1, 4, 5, 6);
    const itemsOf = (rows: PlannedRow[]) => rows.filter((r) => r.kind === 'item' && r.inMs === 0).map((r) => r.itemId);
    // Repeated flood slots of one source: one slot; the source's episodes follow each other as before.
    for (const order of [{ kind: 'in_order' }, { kind: 'shuffle' }, { kind: 'cyclic_shuffle' }, { kind: 'block_shuffle', blockSize: 2 }] as const) {
      const def = scheduleDefinition.parse({
        timezone: 'Europe/Berlin',
        sources: [{ key: 'a', content: [shows[0]!.ref, shows[3]!.ref], order }, { key: 'b', content: [shows[1]!.ref] }],
        main: { mode: 'time_slots', maxLatenessMin: 10, slots: [{ start: '06:00', source: 'a' }, { start: '09:00', source: 'a' }, { start: '12:00', source: 'a' }, { start: '18:00', source: 'b' }] },
      });
      const merged = engine.schedules.transform(def, { op: 'consolidate' });
      assert.deepEqual((merged.main as Extract<ScheduleDefinition['main'], { mode: 'time_slots' }>).slots.map((s) => s.start), ['06:00', '18:00']);
      const a = new Set(engine.timeline.pools(def).a!.map((i) => i.id));
      const seqA = (rows: PlannedRow[]) => itemsOf(rows).filter((id) => a.has(id!));
      const x = seqA(engine.timeline.plan(def, 5, null, from, from + 7 * DAY)), y = seqA(engine.timeline.plan(merged, 5, null, from, from + 7 * DAY));
      const n = Math.min(x.length, y.length);
      assert.ok(n > 50);
      assert.deepEqual(y.slice(0, n), x.slice(0, n), `${order.kind}: the same episodes in the same order`);
    }
    // A source listed twice in a flood: one entry with the weights added; the rows are identical.
    const twice = scheduleDefinition.parse({
      timezone: 'UTC', sources: [{ key: 'a', content: [shows[0]!.ref], order: { kind: 'shuffle' } }],
      main: { mode: 'flood', sources: [{ source: 'a', weight: 1 }, { source: 'a', weight: 2 }] },
    });
    const once = engine.schedules.transform(twice, { op: 'consolidate' });
    assert.deepEqual((once.main as Extract<ScheduleDefinition['main'], { mode: 'flood' }>).sources, [{ source: 'a', weight: 3 }]);
    assert.deepEqual(engine.timeline.plan(once, 9, null, from, from + 3 * DAY).map(key), engine.timeline.plan(twice, 9, null, from, from + 3 * DAY).map(key));
    // A duplicate source (same content, order) used for filler and in a block: merged away; the rows are identical.
    const dup = scheduleDefinition.parse({
      timezone: 'UTC',
      sources: [{ key: 'a', content: [shows[0]!.ref] }, { key: 'b', content: [shows[1]!.ref] }, { key: 'a2', content: [shows[0]!.ref] }],
      main: { mode: 'flood', sources: [{ source: 'b' }] },
      filler: { lists: [{ source: 'a2', kinds: ['tail', 'fallback'] }] },
      blocks: [{ days: [0, 1, 2, 3, 4, 5, 6], start: '03:00', end: '04:00', source: 'b', gridMin: 30 }],
    });
    const dedup = engine.schedules.transform(dup, { op: 'consolidate' });
    assert.deepEqual(dedup.sources.map((s) => s.key), ['a', 'b']);
    assert.equal(dedup.filler.lists[0]!.source, 'a');
    assert.deepEqual(engine.timeline.plan(dedup, 4, null, from, from + 3 * DAY).map(key), engine.timeline.plan(dup, 4, null, from, from + 3 * DAY).map(key));
    // Consolidating twice changes nothing more.
    assert.deepEqual(engine.schedules.transform(dedup, { op: 'consolidate' }), dedup);
  });

  it('POST /api/schedules/operations applies an operation without saving it; a bad one is a 400 naming the field', async () => {
    const api = await startApi();
    try {
      const src = addFakeSource(api.engine.store);
      const ids = addFakeItems(api.engine.store, src, episodes('Ops', 3, 20 * MIN));
      const ref = { type: 'show', id: api.engine.store.items.get(ids[0]!).showId! };
      const definition = { sources: [{ key: 'a', content: [ref] }], main: { mode: 'time_slots', slots: [{ start: '08:00', source: 'a' }] } };
      const res = await api.call('POST', '/api/schedules/operations', { definition, operation: { op: 'replicate', slot: 0, times: 2, everyMin: 60 } });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.definition.main.slots.map((s: any) => s.start), ['08:00', '09:00', '10:00']);
      await api.rejects('POST', '/api/schedules/operations', { definition, operation: { op: 'replicate', slot: 0, times: 20, everyMin: 60 } }, 400, 'times');
      await api.rejects('POST', '/api/schedules/operations', { definition, operation: { op: 'balance' } }, 400, 'definition.main.mode');
      assert.deepEqual(api.serverErrors, []);
    } finally {
      await api.close();
    }
  });
});
