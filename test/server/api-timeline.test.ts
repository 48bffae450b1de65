// Timeline endpoints: the rows of a channel, "now" at exact boundaries, and edits that keep the
// programme on air.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../helpers/api.js';
import { addFakeItems, addFakeSource, episodes } from '../helpers/fake-items.js';

const HOUR = 3_600_000;
const DAYS = 2;

describe('API: timeline', () => {
  let t: TestApi;
  let showIds: number[];
  let movies: number[];
  let showColl: number;
  let movieColl: number;
  let createdAt: number;
  before(async () => {
    t = await startApi({ config: { timelineDays: DAYS } });
    const source = addFakeSource(t.engine.store);
    showIds = addFakeItems(t.engine.store, source, episodes('Night Shift', 4, 40 * 60_000 + 123));
    movies = addFakeItems(t.engine.store, source, [
      { title: 'The Long Road', durationMs: 95 * 60_000 },
      { title: 'Short Cut', durationMs: 80 * 60_000 },
    ]);
    showColl = (await t.call('POST', '/api/collections', { name: 'Night', itemIds: showIds })).body.id;
    movieColl = (await t.call('POST', '/api/collections', { name: 'Movies', itemIds: movies })).body.id;
    createdAt = Date.now();
    assert.equal((await t.call('POST', '/api/channels', { number: 3, name: 'Nights', content: [{ type: 'collection', id: showColl }] })).status, 201);
    assert.equal((await t.call('POST', '/api/channels', { number: 9, name: 'Nothing yet' })).status, 201);
  });
  after(async () => {
    assert.deepEqual(t.serverErrors, [], 'no 5xx replies');
    await t.close();
  });

  const rowsOf = async (number: string, query = '') => {
    const res = await t.call('GET', `/api/channels/${number}/timeline${query}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };

  it('returns contiguous rows covering at least the configured days, with titles resolved', async () => {
    const from = new Date(createdAt - 60_000).toISOString();
    const body = await rowsOf('3', `?from=${from}&hours=${DAYS * 24 + 1}&limit=10000`);
    assert.deepEqual(body.channel, { number: '3', name: 'Nights' });
    const rows = body.rows;
    assert.ok(rows.length > 10);
    for (let i = 1; i < rows.length; i++) assert.equal(rows[i].start, rows[i - 1].end, `row ${i} starts where row ${i - 1} ends`);
    const start = Date.parse(rows[0].start);
    assert.ok(start >= createdAt && start - createdAt < 10_000, 'starts when the channel was created');
    assert.ok(Date.parse(rows.at(-1).end) >= start + DAYS * 24 * HOUR, 'covers the configured days');
    assert.deepEqual(rows.slice(0, 5).map((r: any) => r.itemId), [...showIds, showIds[0]]);
    const r1 = rows[1];
    assert.deepEqual([r1.kind, r1.title, r1.showTitle, r1.seasonNumber, r1.episodeNumber], ['item', 'Night Shift episode 2', 'Night Shift', 1, 2]);
    assert.equal(Date.parse(r1.end) - Date.parse(r1.start), 40 * 60_000 + 123);
    assert.equal(r1.outMs - r1.inMs, 40 * 60_000 + 123);
  });

  it('from/hours/limit select the window; rows overlapping its start are included', async () => {
    const all = (await rowsOf('3', `?from=${new Date(createdAt - 60_000).toISOString()}&hours=6`)).rows;
    const mid = new Date(Date.parse(all[2].start) + 60_000).toISOString();
    const win = (await rowsOf('3', `?from=${encodeURIComponent(mid)}&hours=1`)).rows;
    assert.equal(win[0].id, all[2].id, 'the row airing at from comes first');
    assert.ok(win.every((r: any) => Date.parse(r.start) < Date.parse(mid) + HOUR));
    const limited = (await rowsOf('3', '?limit=2&hours=24')).rows;
    assert.equal(limited.length, 2);
    // The same instant written with a +02:00 offset.
    const zoned = new Date(Date.parse(mid) + 2 * HOUR).toISOString().replace('Z', '+02:00');
    const offset = (await rowsOf('3', `?from=${encodeURIComponent(zoned)}&hours=0.5`)).rows;
    assert.equal(offset[0].id, all[2].id, 'offsets are understood');
    assert.deepEqual((await rowsOf('3', '?from=1999-01-01T00:00:00Z&hours=1')).rows, [], 'no rows before the channel existed');
  });

  it('an empty channel airs hour-aligned Offline slates', async () => {
    const rows = (await rowsOf('9', '?hours=5')).rows;
    assert.ok(rows.length >= 5);
    for (const r of rows) {
      assert.deepEqual([r.kind, r.title, r.itemId, r.showTitle], ['slate', 'Offline', null, null]);
    }
    for (const r of rows.slice(1)) assert.equal(Date.parse(r.start) % HOUR, 0);
  });

  it('refuses bad timeline queries', async () => {
    await t.rejects('GET', '/api/channels/3/timeline?from=yesterday', undefined, 400, 'query.from');
    await t.rejects('GET', '/api/channels/3/timeline?from=2025-01-01', undefined, 400, 'query.from');
    await t.rejects('GET', '/api/channels/3/timeline?hours=0', undefined, 400, 'query.hours');
    await t.rejects('GET', '/api/channels/3/timeline?hours=100000', undefined, 400, 'query.hours');
    await t.rejects('GET', '/api/channels/3/timeline?hours=lots', undefined, 400, 'query.hours');
    await t.rejects('GET', '/api/channels/3/timeline?limit=1000000', undefined, 400, 'query.limit');
    await t.rejects('GET', '/api/channels/3/timeline?channel=4', undefined, 400, 'query.channel');
    await t.rejects('GET', '/api/channels/x/timeline', undefined, 400, 'params.number');
    await t.rejects('GET', '/api/channels/77/timeline', undefined, 404);
  });

  it('/now at exact row boundaries: start → that row at offset 0; end − 1 ms → same row; end → the next row', async () => {
    const rows = (await rowsOf('3', '?hours=4')).rows;
    const [a, b, c] = [rows[1], rows[2], rows[3]];
    let res = await t.call('GET', `/api/channels/3/now?at=${a.start}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.at, a.start);
    assert.deepEqual([res.body.row.id, res.body.offsetMs, res.body.seekMs], [a.id, 0, a.inMs]);
    assert.equal(res.body.next.id, b.id);
    const last = new Date(Date.parse(a.end) - 1).toISOString();
    res = await t.call('GET', `/api/channels/3/now?at=${last}`);
    assert.deepEqual([res.body.row.id, res.body.offsetMs], [a.id, Date.parse(a.end) - Date.parse(a.start) - 1]);
    assert.equal(res.body.seekMs, a.inMs + res.body.offsetMs);
    res = await t.call('GET', `/api/channels/3/now?at=${a.end}`);
    assert.deepEqual([res.body.row.id, res.body.offsetMs, res.body.next.id], [b.id, 0, c.id]);
    assert.deepEqual(res.body.row, b, 'the same row shape as the timeline');
  });

  it('/now defaults to the current time', async () => {
    const before = Date.now();
    const res = await t.call('GET', '/api/channels/3/now');
    assert.equal(res.status, 200);
    const at = Date.parse(res.body.at);
    assert.ok(at >= before && at <= Date.now());
    assert.ok(Date.parse(res.body.row.start) <= at && at < Date.parse(res.body.row.end));
    assert.equal(res.body.offsetMs, at - Date.parse(res.body.row.start));
  });

  it('/now is a clear 404 when nothing is scheduled, 400 for a bad time', async () => {
    const res = await t.rejects('GET', '/api/channels/3/now?at=2001-01-01T00:00:00Z', undefined, 404);
    assert.equal(res.message, 'nothing is scheduled on channel 3 at 2001-01-01T00:00:00.000Z');
    await t.rejects('GET', '/api/channels/3/now?at=noon', undefined, 400, 'query.at');
    await t.rejects('GET', '/api/channels/3/now?when=now', undefined, 400, 'query.when');
    await t.rejects('GET', '/api/channels/31/now', undefined, 404);
  });

  it('PATCH changing content keeps the row on air (same id, start, end) and rebuilds later rows', async () => {
    const before = (await t.call('GET', '/api/channels/3/now')).body;
    const changed = await t.call('PATCH', '/api/channels/3', { content: [{ type: 'collection', id: movieColl }], order: 'shuffle' });
    assert.equal(changed.status, 200);
    assert.deepEqual(changed.body.content, [{ type: 'collection', id: movieColl }]);
    const after = (await t.call('GET', '/api/channels/3/now')).body;
    assert.deepEqual([after.row.id, after.row.start, after.row.end, after.row.itemId], [before.row.id, before.row.start, before.row.end, before.row.itemId]);
    assert.notEqual(after.next.id, before.next.id, 'the next row was rebuilt');
    assert.ok(movies.includes(after.next.itemId));
    const rows = (await rowsOf('3', `?from=${after.row.start}&hours=${DAYS * 24}&limit=10000`)).rows;
    assert.equal(rows[0].id, before.row.id);
    for (let i = 1; i < rows.length; i++) {
      assert.equal(rows[i].start, rows[i - 1].end);
      assert.ok(movies.includes(rows[i].itemId), 'later rows air the new content');
    }
    const allMovies = rows.slice(1).map((r: any) => r.title);
    assert.ok(allMovies.includes('The Long Road') && allMovies.includes('Short Cut'));
  });

  it('a PATCH that does not touch the schedule leaves the timeline alone', async () => {
    const before = (await rowsOf('3', '?hours=3')).rows.map((r: any) => r.id);
    assert.equal((await t.call('PATCH', '/api/channels/3', { name: 'Nights & Movies' })).status, 200);
    assert.deepEqual((await rowsOf('3', '?hours=3')).rows.map((r: any) => r.id), before);
  });

  it('adding content to an empty channel cuts its Offline slate at once', async () => {
    const slate = (await t.call('GET', '/api/channels/9/now')).body.row;
    assert.equal(slate.kind, 'slate');
    assert.equal((await t.call('PATCH', '/api/channels/9', { content: [{ type: 'item', id: movies[1] }] })).status, 200);
    const now = (await t.call('GET', '/api/channels/9/now')).body;
    assert.equal(now.row.itemId, movies[1]);
    assert.equal(now.row.title, 'Short Cut');
    const cut = (await rowsOf('9', `?from=${slate.start}&hours=1`)).rows[0];
    assert.equal(cut.id, slate.id);
    assert.equal(cut.end, now.row.start, 'the slate ends where the programme starts');
  });
});
