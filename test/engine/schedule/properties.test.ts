// Property tests of the scheduling engine: randomised libraries and definitions built by the pure
// builder must keep every invariant (gen.ts: checkBuild), be deterministic and piecewise-equal,
// and the engine around it (preview, rebuild on edit, mirror, redirect, on-demand, validation,
// operations) must keep its promises.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSchedule } from '../../../src/engine/schedule/builder.js';
import { stateFromCursor } from '../../../src/engine/schedule/state.js';
import { rng } from '../../../src/engine/timeline/rng.js';
import type { PlannedRow } from '../../../src/schemas/timeline.js';
import { checkBuild, coverage, commitsOf, cursorOf, DAY, HOUR, MIN, pureLibrary, randOf, randomCase, randomRawLibrary, type Case, type Library, type Rand } from './gen.js';

/** Window starts: around the Berlin DST changes of 2025 and anywhere in the year, never aligned. */
function windowStart(rand: Rand): number {
  const base = rand.pick([Date.UTC(2025, 2, 29, 9), Date.UTC(2025, 9, 25, 9), Date.UTC(2025, 0, 1) + rand.int(0, 364) * DAY]);
  return base + rand.int(-DAY, DAY) + rand.int(0, 999);
}

const build = (c: Case, seed: number, from: number, to: number, cursor: unknown = null): PlannedRow[] =>
  buildSchedule({ def: c.def, pools: c.pools, seed, state: cursor ? stateFromCursor(cursor) : null, from, to, tz: c.tz });

const strip = (rows: readonly PlannedRow[]) => rows.map((r) => [r.startMs, r.endMs, r.kind, r.itemId, r.inMs, r.outMs, r.target ?? null]);

describe('schedule builder properties (pure, randomised)', () => {
  it('keeps every invariant over hundreds of random libraries and definitions', () => {
    const rand = randOf(rng(0x5eed));
    for (let n = 0; n < 400; n++) {
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
    }
    // None of the properties may hold vacuously.
    const need = ['block boundaries', 'slot starts', 'slot starts next to a DST change', 'slot starts in +05:45', 'random order repeats under a cooldown',
      'filler list reuses under a cooldown', 'filler item repeats under a cooldown', 'fallback filler repeats early', 'random slot re-chosen under a cooldown',
      'units in blocks', 'units on a block grid', 'units in time slots', 'padded programme starts', 'units in random slots', 'multi-part continuations',
      'complete in_order cycles', 'complete shuffle cycles', 'complete cyclic_shuffle cycles', 'complete block_shuffle cycles',
      'item rows', 'filler rows', 'slate rows', 'redirect rows'];
    for (const k of need) assert.ok((coverage[k] ?? 0) >= 5, `exercised "${k}": ${coverage[k] ?? 0} times`);
    console.log(JSON.stringify(coverage));
  });
});

describe('schedule builder determinism (pure, randomised)', () => {
  it('the same seed gives the same rows; another seed other rows wherever an order is random', () => {
    const rand = randOf(rng(0xd5));
    let differed = 0, randomCases = 0;
    for (let n = 0; n < 120; n++) {
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
      if (!random) continue;
      randomCases += 1;
      const b = build(c, (seed + 1) >>> 0, from, to);
      if (JSON.stringify(strip(a)) !== JSON.stringify(strip(b))) differed += 1;
      else assert.fail(`case ${n}: seeds ${seed} and ${seed + 1} built identical rows for a random order`);
    }
    assert.ok(randomCases >= 30, `enough cases with random orders (${randomCases})`);
    assert.equal(differed, randomCases);
  });

  it('building in pieces, each from the previous piece\'s last cursor, equals one build', () => {
    const rand = randOf(rng(0x91ece5));
    for (let n = 0; n < 150; n++) {
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
    }
  });

  it('rebuilding from a row inside a programme or at its end continues exactly as planned; inside a filler gap it re-plans the gap only', () => {
    const rand = randOf(rng(0xc0c0));
    let exact = 0, gaps = 0, resumed = 0;
    for (let n = 0; n < 150; n++) {
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
    }
    assert.ok(exact > 300 && resumed > 100 && gaps > 100, `enough of each kind of row (${exact} exact, ${resumed} inside programmes, ${gaps} in gaps)`);
  });
});
