// The timeline core: the pure flood builder (flood.ts) and the rolling materialisation (service.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildSchedule, OFFLINE_TITLE } from '../../src/engine/schedule/builder.js';
import { cycleOf } from '../../src/engine/schedule/orders.js';
import { stateFromCursor, type BuildState } from '../../src/engine/schedule/state.js';
import { MIN_ITEM_MS, toUnits } from '../../src/engine/schedule/units.js';
import { toFullDefinition } from '../../src/schemas/schedule.js';
import { rng } from '../../src/engine/schedule/rng.js';
import { TimelineService } from '../../src/engine/timeline/service.js';
import { openStore, type Store } from '../../src/engine/store/store.js';
import type { PlayableItem } from '../../src/engine/store/repos/items.js';
import type { ChannelRecord } from '../../src/engine/store/repos/channels.js';
import type { ContentRef, OrderKind } from '../../src/schemas/channel.js';
import type { PlannedRow, TimelineRow } from '../../src/schemas/timeline.js';
import { addFakeItems, addFakeSource, episodes } from '../helpers/fake-items.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2025, 0, 6, 20, 17, 31, 250); // deliberately not hour-aligned

const item = (id: number, durationMs: number): PlayableItem => ({ id, durationMs, title: `item ${id}`, showId: null, seasonNumber: null, episodeNumber: null });
const pool = (...durations: number[]) => durations.map((d, i) => item(i + 1, d));

function assertContiguous(rows: readonly PlannedRow[], from: number, to: number, label = ''): void {
  if (from >= to) return assert.equal(rows.length, 0, `${label}: empty window gives no rows`);
  assert.ok(rows.length > 0, `${label}: rows exist`);
  assert.equal(rows[0]!.startMs, from, `${label}: first row starts at from`);
  rows.forEach((r, i) => {
    assert.ok(r.endMs > r.startMs, `${label}: row ${i} has a positive length`);
    assert.equal(r.outMs - r.inMs, r.endMs - r.startMs, `${label}: row ${i} airs exactly its in/out span`);
    if (i > 0) assert.equal(r.startMs, rows[i - 1]!.endMs, `${label}: row ${i} starts where row ${i - 1} ends (no gap, no overlap)`);
  });
  assert.ok(rows.at(-1)!.endMs >= to, `${label}: rows cover the window`);
  assert.ok(rows.at(-2) === undefined || rows.at(-2)!.endMs < to, `${label}: no row starts after the window`);
}

function assertHourAlignedSlates(rows: readonly PlannedRow[], to: number): void {
  rows.forEach((r, i) => {
    assert.equal(r.kind, 'slate');
    assert.equal(r.itemId, null);
    assert.equal(r.title, OFFLINE_TITLE);
    if (i > 0) assert.equal(r.startMs % SLATE_BLOCK_MS, 0, `slate ${i} starts on the hour`);
    if (i < rows.length - 1) assert.equal(r.endMs % SLATE_BLOCK_MS, 0, `slate ${i} ends on the hour`);
    assert.ok(r.endMs - r.startMs <= SLATE_BLOCK_MS);
  });
  // Builders stop at natural boundaries (the next hour), so a window built in pieces equals one built at once.
  const last = rows.at(-1)!.endMs;
  assert.ok(last >= to && last - to < SLATE_BLOCK_MS && last % SLATE_BLOCK_MS === 0, 'the last slate ends on the first hour at or after the window end');
}

/** Item ids in the order they air. */
const ids = (rows: readonly PlannedRow[]) => rows.map((r) => r.itemId);

const SLATE_BLOCK_MS = 3_600_000;

/** The simple channel schedule (one source, in order or shuffled) through the full builder. */
type FloodCursor = BuildState | { cycle: number; index: number; lastItemId: number | null };
function buildFlood(o: { pool: PlayableItem[]; order: OrderKind; seed: number; cursor: FloodCursor | null; from: number; to: number }): PlannedRow[] {
  const def = toFullDefinition({ kind: 'flood', order: o.order, content: [{ type: 'item', id: 1 }] });
  return buildSchedule({ def, pools: { main: o.pool }, seed: o.seed, state: o.cursor ? stateFromCursor(o.cursor) : null, from: o.from, to: o.to, tz: 'UTC' });
}

describe('flood schedule (pure builder)', () => {
  it('gives contiguous rows over hundreds of randomised pools, windows and cursors', () => {
    const rand = rng(0xC0FFEE);
    const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
    for (let n = 0; n < 400; n++) {
      const size = int(0, 12);
      const items = Array.from({ length: size }, (_, i) => item(int(1, 15) + (rand() < 0.2 ? 0 : i * 100), rand() < 0.1 ? int(1, MIN_ITEM_MS - 1) : int(MIN_ITEM_MS, 3 * HOUR)));
      const order: OrderKind = rand() < 0.5 ? 'in_order' : 'shuffle';
      const from = T0 + int(-DAY, DAY);
      const to = from + int(0, 3 * DAY);
      const cursor: FloodCursor | null = rand() < 0.5 ? null
        : { cycle: int(0, 5), index: int(0, 14), lastItemId: rand() < 0.5 ? null : (items[int(0, Math.max(0, size - 1))]?.id ?? null) };
      const rows = buildFlood({ pool: items, order, seed: int(0, 2 ** 32 - 1), cursor, from, to });
      const label = `case ${n} (${order}, ${size} items)`;
      assertContiguous(rows, from, to, label);
      const playable = new Set(items.filter((i) => i.durationMs >= MIN_ITEM_MS).map((i) => i.id));
      if (playable.size === 0) assertHourAlignedSlates(rows, to);
      else {
        for (const r of rows) {
          assert.equal(r.kind, 'item', label);
          assert.ok(playable.has(r.itemId!), `${label}: only playable pool items air (got ${r.itemId})`);
        }
      }
    }
  });

  it('an empty pool gives hour-aligned Offline slates', () => {
    const rows = buildFlood({ pool: [], order: 'in_order', seed: 1, cursor: null, from: T0, to: T0 + 5 * HOUR });
    assertContiguous(rows, T0, T0 + 5 * HOUR);
    assertHourAlignedSlates(rows, T0 + 5 * HOUR);
    assert.equal(rows.length, 6, 'a partial first hour, four whole hours, a partial last hour');
    assert.equal(rows[0]!.endMs, Date.UTC(2025, 0, 6, 21));
    // Items too short to schedule count as an empty pool.
    const tiny = buildFlood({ pool: pool(10, 999), order: 'shuffle', seed: 1, cursor: null, from: T0, to: T0 + HOUR });
    assertHourAlignedSlates(tiny, T0 + HOUR);
  });

  it('in order: plays the pool in its order, cycle after cycle', () => {
    const rows = buildFlood({ pool: pool(HOUR, HOUR, HOUR), order: 'in_order', seed: 1, cursor: null, from: T0, to: T0 + 7 * HOUR });
    assert.deepEqual(ids(rows), [1, 2, 3, 1, 2, 3, 1]);
    assert.deepEqual((rows.at(-1)!.cursor as BuildState).src.main, { c: 2, i: 1, last: 1, seam: 3 });
  });

  it('in order: continues after the last aired item even when the pool changed around it', () => {
    const before = buildFlood({ pool: pool(HOUR, HOUR, HOUR, HOUR), order: 'in_order', seed: 1, cursor: null, from: T0, to: T0 + 2 * HOUR });
    assert.deepEqual(ids(before), [1, 2]);
    const cursor = before.at(-1)!.cursor as FloodCursor;
    // Item 5 inserted before item 2, item 1 removed: the series goes on after item 2.
    const changed = [item(5, HOUR), item(2, HOUR), item(3, HOUR), item(4, HOUR)];
    const next = buildFlood({ pool: changed, order: 'in_order', seed: 1, cursor, from: T0 + 2 * HOUR, to: T0 + 6 * HOUR });
    assert.deepEqual(ids(next), [3, 4, 5, 2]);
    // The last aired item left the pool: the cursor's position is kept.
    const gone = buildFlood({ pool: pool(HOUR, HOUR, HOUR, HOUR).filter((i) => i.id !== 2), order: 'in_order', seed: 1, cursor, from: T0, to: T0 + 2 * HOUR });
    assert.deepEqual(ids(gone), [4, 1], 'index 2 of [1, 3, 4] is item 4');
  });

  it('building in pieces from each piece\'s cursor gives the same rows as one build (both orders, many seeds)', () => {
    const rand = rng(7);
    for (let n = 0; n < 300; n++) {
      const size = 1 + Math.floor(rand() * 6);
      const items = Array.from({ length: size }, (_, i) => item(i + 1, MIN_ITEM_MS + Math.floor(rand() * 2 * HOUR)));
      const order: OrderKind = n % 2 ? 'shuffle' : 'in_order';
      const seed = Math.floor(rand() * 2 ** 32);
      const to = T0 + 2 * DAY;
      const whole = buildFlood({ pool: items, order, seed, cursor: null, from: T0, to });
      const pieces: PlannedRow[] = [];
      let from = T0;
      let cursor: FloodCursor | null = null;
      while (from < to) {
        const part = buildFlood({ pool: items, order, seed, cursor, from, to: Math.min(to, from + Math.floor(rand() * 6 * HOUR) + 1) });
        pieces.push(...part);
        from = part.at(-1)!.endMs;
        cursor = part.at(-1)!.cursor as FloodCursor;
      }
      assert.deepEqual(ids(pieces), ids(whole).slice(0, pieces.length), `case ${n} (${order}, ${size} items, seed ${seed})`);
    }
  });

  it('shuffle: the same seed gives the same rows; another seed another order', () => {
    const items = pool(...Array.from({ length: 10 }, () => HOUR));
    const a = buildFlood({ pool: items, order: 'shuffle', seed: 42, cursor: null, from: T0, to: T0 + DAY });
    const b = buildFlood({ pool: items, order: 'shuffle', seed: 42, cursor: null, from: T0, to: T0 + DAY });
    const c = buildFlood({ pool: items, order: 'shuffle', seed: 43, cursor: null, from: T0, to: T0 + DAY });
    assert.deepEqual(a, b);
    assert.notDeepEqual(ids(a), ids(c));
  });

  it('shuffle: every cycle plays each item once, and cycles are reshuffled', () => {
    const items = pool(...Array.from({ length: 8 }, () => HOUR));
    const rows = buildFlood({ pool: items, order: 'shuffle', seed: 9, cursor: null, from: T0, to: T0 + 8 * 6 * HOUR });
    const cycles = Array.from({ length: 6 }, (_, c) => ids(rows.slice(c * 8, c * 8 + 8)));
    for (const cycle of cycles) assert.deepEqual([...cycle].sort((x, y) => x! - y!), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(new Set(cycles.map((c) => c.join(','))).size, 6, 'six different orders');
    assert.notDeepEqual(cycles[0], [1, 2, 3, 4, 5, 6, 7, 8], 'not the pool order');
  });

  it('shuffle: never repeats an item back to back at a cycle seam (many seeds, small pools)', () => {
    for (let seed = 0; seed < 300; seed++) {
      const size = 2 + (seed % 3);
      const rows = buildFlood({ pool: pool(...Array.from({ length: size }, () => HOUR)), order: 'shuffle', seed, cursor: null, from: T0, to: T0 + 40 * HOUR });
      for (let i = 1; i < rows.length; i++) assert.notEqual(rows[i]!.itemId, rows[i - 1]!.itemId, `seed ${seed}: rows ${i - 1} and ${i}`);
    }
  });

  it('shuffle: resuming mid-cycle after the pool changed does not repeat the item just aired', () => {
    for (let seed = 0; seed < 200; seed++) {
      const first = buildFlood({ pool: pool(HOUR, HOUR, HOUR, HOUR), order: 'shuffle', seed, cursor: null, from: T0, to: T0 + 2 * HOUR });
      const last = first.at(-1)!;
      const grown = pool(HOUR, HOUR, HOUR, HOUR, HOUR, HOUR);
      const next = buildFlood({ pool: grown, order: 'shuffle', seed, cursor: last.cursor as FloodCursor, from: last.endMs, to: last.endMs + 6 * HOUR });
      assert.notEqual(next[0]!.itemId, last.itemId, `seed ${seed}`);
    }
  });

  it('a cycle keeps the pool order for in_order and is a permutation for shuffle', () => {
    const units = toUnits(pool(1000, 2000, 3000, 4000), true);
    const ctx = { seed: 5, salt: 1, t: 0, lastPlayed: () => undefined, memo: new Map() };
    assert.deepEqual(cycleOf({ kind: 'in_order', by: 'episode' }, units, ctx, 3, null).map((u) => u.id), [1, 2, 3, 4]);
    assert.deepEqual(cycleOf({ kind: 'shuffle' }, units, ctx, 3, null).map((u) => u.id).sort(), [1, 2, 3, 4]);
  });
});

describe('TimelineService (SQLite store)', () => {
  let store: Store;
  let source: number;
  let showA: number[];
  let showB: number[];
  const days = 2;
  let timeline: TimelineService;
  let channelSeq = 0;

  before(() => {
    store = openStore(':memory:');
    source = addFakeSource(store);
    showA = addFakeItems(store, source, episodes('Alpha', 5, 30 * 60_000));
    showB = addFakeItems(store, source, episodes('Beta', 4, 45 * 60_000));
    timeline = new TimelineService(store, { days });
  });
  after(() => store.close());

  const collection = (name: string, itemIds: number[]): number => {
    const c = store.collections.create(name, 'manual', null);
    store.collections.changeItems(c.id, itemIds, []);
    return c.id;
  };
  const record = (content: ContentRef[], order: OrderKind = 'in_order'): ChannelRecord => ({
    number: String(++channelSeq), name: `ch ${channelSeq}`, group: null, logo: null, enabled: true,
    stream: { profile: null, alwaysOn: false }, definition: { kind: 'flood', order, content },
  });
  const newChannel = (content: ContentRef[], order: OrderKind = 'in_order', now = T0): number => {
    const ch = store.channels.create(record(content, order), 1234);
    timeline.rebuild(ch.id, now);
    return ch.id;
  };
  const setContent = (channelId: number, content: ContentRef[], order: OrderKind = 'in_order'): void => {
    const cur = store.channels.find(channelId)!;
    store.channels.update(channelId, { ...record(content, order), number: cur.number, name: cur.name });
  };
  const allRows = (channelId: number): TimelineRow[] => store.timeline.range(channelId, 0, Number.MAX_SAFE_INTEGER, 1_000_000);

  it('builds rows covering [now, now + days) without gaps', () => {
    const ch = newChannel([{ type: 'show', id: store.items.get(showA[0]!).showId! }]);
    const rows = allRows(ch);
    assertContiguous(rows, T0, T0 + days * DAY);
    assert.deepEqual(ids(rows.slice(0, 6)), [...showA, showA[0]!]);
  });

  it('whatIsOn at row boundaries: start → offset 0, end − 1 ms → same row, end → the next row', () => {
    const ch = newChannel([{ type: 'item', id: showA[0]! }, { type: 'item', id: showB[0]! }]);
    const [r0, r1] = allRows(ch);
    let on = timeline.whatIsOn(ch, r0!.startMs)!;
    assert.equal(on.row.id, r0!.id);
    assert.equal(on.offsetMs, 0);
    assert.equal(on.seekMs, r0!.inMs);
    on = timeline.whatIsOn(ch, r0!.endMs - 1)!;
    assert.equal(on.row.id, r0!.id);
    assert.equal(on.offsetMs, r0!.endMs - r0!.startMs - 1);
    on = timeline.whatIsOn(ch, r0!.endMs)!;
    assert.equal(on.row.id, r1!.id);
    assert.equal(on.offsetMs, 0);
    assert.equal(timeline.whatIsOn(ch, T0 - 1), null, 'nothing before the first row');
  });

  it('a rebuild after an edit keeps the item on air (same row) and replaces the rows after it', () => {
    const ch = newChannel([{ type: 'collection', id: collection('keep-a', showA) }]);
    const t1 = T0 + 45 * 60_000; // 15 minutes into the second episode
    const onAir = timeline.whatIsOn(ch, t1)!.row;
    assert.equal(onAir.itemId, showA[1]);
    setContent(ch, [{ type: 'collection', id: collection('keep-b', showB) }]);
    timeline.rebuild(ch, t1);
    const after = timeline.whatIsOn(ch, t1)!.row;
    assert.deepEqual([after.id, after.startMs, after.endMs, after.itemId], [onAir.id, onAir.startMs, onAir.endMs, onAir.itemId]);
    const rows = allRows(ch);
    assertContiguous(rows, T0, t1 + days * DAY);
    const later = rows.filter((r) => r.startMs >= onAir.endMs);
    assert.ok(later.length > 0 && later.every((r) => showB.includes(r.itemId!)), 'every later row comes from the new content');
    assert.equal(rows.filter((r) => r.startMs < onAir.startMs).length, 1, 'history before the on-air row is kept');
  });

  it('in order: a rebuild continues the series after the episode on air', () => {
    const coll = collection('series', showA.slice(0, 3));
    const ch = newChannel([{ type: 'collection', id: coll }]);
    const t1 = T0 + 70 * 60_000; // in episode 3
    assert.equal(timeline.whatIsOn(ch, t1)!.row.itemId, showA[2]);
    store.collections.changeItems(coll, showA.slice(3), []);
    timeline.rebuild(ch, t1);
    const rows = allRows(ch);
    assert.deepEqual(ids(rows.slice(0, 7)), [showA[0], showA[1], showA[2], showA[3], showA[4], showA[0], showA[1]]);
  });

  it('a rebuild cuts an on-air Offline slate at now and starts the new content right away', () => {
    const ch = newChannel([]);
    const slates = allRows(ch);
    assertHourAlignedSlates(slates, T0 + days * DAY);
    const t1 = T0 + 95 * 60_000 + 17; // 21:52:31.267, inside the second slate, not on the hour
    const slate = timeline.whatIsOn(ch, t1)!.row;
    setContent(ch, [{ type: 'item', id: showB[0]! }]);
    timeline.rebuild(ch, t1);
    const cut = store.timeline.at(ch, t1 - 1)!;
    assert.equal(cut.id, slate.id);
    assert.equal(cut.endMs, t1, 'the slate now ends at the edit');
    assert.equal(cut.outMs - cut.inMs, cut.endMs - cut.startMs);
    const on = timeline.whatIsOn(ch, t1)!;
    assert.equal(on.row.itemId, showB[0]);
    assert.equal(on.row.startMs, t1);
    assertContiguous(allRows(ch), T0, t1 + days * DAY);
  });

  it('a rebuild exactly at a slate\'s start replaces that slate', () => {
    const ch = newChannel([]);
    const t1 = Date.UTC(2025, 0, 6, 23); // an hour boundary: a slate starts here
    assert.equal(timeline.whatIsOn(ch, t1)!.row.startMs, t1);
    setContent(ch, [{ type: 'item', id: showA[0]! }]);
    timeline.rebuild(ch, t1);
    assert.equal(timeline.whatIsOn(ch, t1)!.row.itemId, showA[0]);
    assert.equal(timeline.whatIsOn(ch, t1 - 1)!.row.kind, 'slate');
    assertContiguous(allRows(ch), T0, t1 + days * DAY);
  });

  it('shuffle: a rebuild with the same content keeps the order that was planned', () => {
    const ch = newChannel([{ type: 'collection', id: collection('shuffled', [...showA, ...showB]) }], 'shuffle');
    const planned = allRows(ch);
    for (const k of [3, 9, 14, 30]) {
      const t = planned[k]!.startMs + 1000;
      timeline.rebuild(ch, t);
      const rebuilt = allRows(ch);
      assert.deepEqual(ids(rebuilt).slice(0, planned.length - 5), ids(planned).slice(0, planned.length - 5), `after a rebuild in row ${k}`);
    }
  });

  it('extend: tops up to the horizon, and resumes the series at now after downtime', () => {
    const ch = newChannel([{ type: 'collection', id: collection('extend', showA) }]);
    assert.equal(timeline.extend(ch, T0), 0, 'already covered');
    const t1 = T0 + DAY;
    assert.ok(timeline.extend(ch, t1) > 0);
    assertContiguous(allRows(ch), T0, t1 + days * DAY);
    const last = store.timeline.last(ch)!;
    const down = last.endMs + 5 * DAY + 1234; // the box was off for days
    timeline.extend(ch, down);
    const resumed = timeline.whatIsOn(ch, down)!.row;
    assert.equal(resumed.startMs, down);
    const nextIndex = (showA.indexOf(last.itemId!) + 1) % showA.length;
    assert.equal(resumed.itemId, showA[nextIndex], 'the episode after the last one materialised');
    assertContiguous(allRows(ch).filter((r) => r.startMs >= down), down, down + days * DAY);
  });
});
