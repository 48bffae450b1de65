// Property tests (fast-check) of filler order: a filler list plays its source's order, a shuffled
// list is used up before any item repeats, and no filler item follows itself when its list has
// two or more items — over whole days of pre/mid/post-rolls and tail filler between time slots.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { buildSchedule } from '../../../src/engine/schedule/builder.js';
import { stateFromCursor } from '../../../src/engine/schedule/state.js';
import type { PlayableItem } from '../../../src/engine/store/repos/items.js';
import { scheduleDefinition, type FillerKind, type ScheduleDefinitionInput } from '../../../src/schemas/schedule.js';
import type { PlannedRow } from '../../../src/schemas/timeline.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const FROM = Date.UTC(2025, 4, 5, 3, 17);

const episode = (id: number, durationMs: number): PlayableItem => ({ id, durationMs, title: `Episode ${id}`, showId: 1, seasonNumber: 1, episodeNumber: id });
const bumper = (id: number, durationMs: number): PlayableItem => ({ id, durationMs, title: `Bumper ${id}`, showId: null, seasonNumber: null, episodeNumber: null });

const orderArb = fc.constantFrom(
  { kind: 'in_order' as const }, { kind: 'shuffle' as const }, { kind: 'random' as const, cooldownMin: 0 },
  { kind: 'cyclic_shuffle' as const }, { kind: 'block_shuffle' as const, blockSize: 2 },
);

function build(def: ScheduleDefinitionInput, pools: Record<string, PlayableItem[]>, seed: number, from: number, to: number, cursor: unknown = null): PlannedRow[] {
  return buildSchedule({ def: scheduleDefinition.parse(def), pools, seed, state: cursor ? stateFromCursor(cursor) : null, from, to, tz: 'UTC' });
}

describe('filler order (fast-check)', () => {
  it('never airs a filler item right after itself when its list has two or more items', () => {
    let fillerRows = 0;
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 1000, max: 4 * MIN }), { minLength: 2, maxLength: 12 }),
      orderArb,
      fc.subarray(['pre', 'mid', 'post', 'tail', 'fallback'] as FillerKind[], { minLength: 1 }),
      fc.constantFrom('flood', 'time_slots'),
      fc.constantFrom(0, 5, 30),
      fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      (durations, order, kinds, mode, cooldownMin, seed) => {
        const pools = { show: Array.from({ length: 7 }, (_, i) => episode(1 + i, (17 + i * 5) * MIN)), reel: durations.map((d, i) => bumper(100 + i, d)) };
        const main: ScheduleDefinitionInput['main'] = mode === 'flood'
          ? { mode: 'flood', sources: [{ source: 'show' }] }
          : { mode: 'time_slots', padToMin: 30, slots: [{ start: '06:00', source: 'show', fill: { mode: 'count', count: 2 } }, { start: '20:00', source: 'show', fill: { mode: 'one' } }] };
        const def: ScheduleDefinitionInput = {
          sources: [{ key: 'show', content: [{ type: 'show', id: 1 }] }, { key: 'reel', content: [{ type: 'collection', id: 1 }], order }],
          main, filler: { lists: [{ source: 'reel', kinds, midMinItemMin: 0, midEveryMin: 7, midAtChapters: false }], itemCooldownMin: cooldownMin },
        };
        const rows = build(def, pools, seed, FROM, FROM + 24 * HOUR);
        rows.forEach((r, i) => {
          if (r.kind !== 'filler') return;
          fillerRows++;
          assert.notEqual(r.itemId, rows[i - 1]?.itemId, `row ${i}: filler ${r.itemId} follows itself (${JSON.stringify(order)}, ${kinds})`);
        });
      },
    ), { numRuns: 120, seed: 0x0f111e });
    assert.ok(fillerRows > 10_000, `${fillerRows} filler rows checked`);
  });

  it('a shuffled list plays every item once per round; an in-order list plays its order; rebuilt from any row it carries on the same', () => {
    fc.assert(fc.property(
      fc.integer({ min: 2, max: 15 }),
      fc.constantFrom('shuffle', 'in_order'),
      fc.subarray(['pre', 'mid', 'post'] as FillerKind[], { minLength: 1 }),
      fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      fc.nat(),
      (n, kind, kinds, seed, cut) => {
        // Flood mode: every pre/mid/post-roll fits, so the order alone decides.
        const reel = Array.from({ length: n }, (_, i) => bumper(100 + i, (5 + ((i * 7) % 20)) * 1000));
        const pools = { show: Array.from({ length: 5 }, (_, i) => episode(1 + i, (20 + i) * MIN)), reel };
        const def: ScheduleDefinitionInput = {
          sources: [{ key: 'show', content: [{ type: 'show', id: 1 }] }, { key: 'reel', content: [{ type: 'collection', id: 1 }], order: { kind } }],
          main: { mode: 'flood', sources: [{ source: 'show' }] },
          filler: { lists: [{ source: 'reel', kinds, midMinItemMin: 0, midEveryMin: 9, midAtChapters: false }] },
        };
        const to = FROM + 24 * HOUR;
        const rows = build(def, pools, seed, FROM, to);
        const aired = rows.filter((r) => r.kind === 'filler').map((r) => r.itemId!);
        assert.ok(aired.length >= 3 * n, `${aired.length} filler rows for a list of ${n}`);
        const ids = reel.map((b) => b.id);
        for (let k = 0; k + n <= aired.length; k += n) {
          const round = aired.slice(k, k + n);
          if (kind === 'in_order') assert.deepEqual(round, ids, `round ${k / n} plays the list in its order`);
          else assert.deepEqual(round.slice().sort((a, b) => a - b), ids, `round ${k / n} of a shuffle uses every item once: ${round}`);
        }
        // Rebuilding from any row gives the same rows after it.
        const at = 1 + (cut % (rows.length - 2));
        const again = build(def, pools, seed, rows[at]!.endMs, to, rows[at]!.cursor);
        const strip = (rs: PlannedRow[]) => rs.map((r) => [r.startMs, r.kind, r.itemId, r.inMs, r.outMs]);
        assert.deepEqual(strip(again), strip(rows.slice(at + 1, at + 1 + again.length)));
      },
    ), { numRuns: 150, seed: 0x5eed });
  });

  it('tail filler between time slots keeps the order of what fits: every 8-s bumper airs before one repeats', () => {
    // The newcomer's case: a slot, then bumpers to the next slot.
    const reel = Array.from({ length: 6 }, (_, i) => bumper(200 + i, 8000));
    const pools = { show: [episode(1, 22 * MIN), episode(2, 23 * MIN)], reel };
    const def: ScheduleDefinitionInput = {
      sources: [{ key: 'show', content: [{ type: 'show', id: 1 }] }, { key: 'reel', content: [{ type: 'collection', id: 1 }], order: { kind: 'shuffle' } }],
      main: { mode: 'time_slots', slots: [{ start: '18:00', source: 'show', fill: { mode: 'one' } }, { start: '20:00', source: 'show', fill: { mode: 'one' } }] },
      filler: { lists: [{ source: 'reel', kinds: ['tail', 'fallback'] }] },
    };
    const rows = build(def, pools, 7, FROM, FROM + 24 * HOUR);
    const aired = rows.filter((r) => r.kind === 'filler').map((r) => r.itemId!);
    assert.ok(aired.length > 10_000);
    let repeats = 0;
    for (let k = 0; k + 6 <= aired.length; k += 6) if (new Set(aired.slice(k, k + 6)).size !== 6) repeats++;
    assert.equal(repeats, 0);
    assert.equal(aired.filter((id, i) => id === aired[i - 1]).length, 0);
  });
});
