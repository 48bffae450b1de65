// Timelines and previews past 1,000 rows: the API says how many rows the window holds and where a
// cut list goes on (pages walked to the end agree with the total), the CLI prints the cut and
// jumps to a time of day, and the TUI preview pages with ] / [ and jumps with @.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../helpers/api.js';
import { cli } from '../helpers/cli.js';
import { addFakeItems, addFakeSource, episodes } from '../helpers/fake-items.js';
import { KEY, startTui } from '../tui/harness.js';

const HOUR = 3_600_000;

describe('timelines past 1,000 rows', () => {
  let t: TestApi;
  let coll: number;
  before(async () => {
    t = await startApi({ listen: true, config: { timelineDays: 2 } });
    const src = addFakeSource(t.engine.store);
    // 8-second items: 450 an hour, 10,800 a day.
    const ids = addFakeItems(t.engine.store, src, episodes('Bumps', 5, 8000));
    coll = (await t.call('POST', '/api/collections', { name: 'Bumps', itemIds: ids })).body.id;
    assert.equal((await t.call('POST', '/api/channels', { number: 4, name: 'Bumps', content: [{ type: 'collection', id: coll }] })).status, 201);
  });
  after(async () => {
    assert.deepEqual(t.serverErrors, []);
    await t.close();
  });

  it('GET timeline: 1,000 rows by default, the window\'s total, and pages from nextFrom that add up to it', async () => {
    const from = new Date(Date.now() + 60_000).toISOString();
    const first = (await t.call('GET', `/api/channels/4/timeline?from=${from}&hours=24`)).body;
    assert.equal(first.rows.length, 1000);
    assert.ok(first.total > 10_000 && first.total < 11_000, `total ${first.total}`);
    assert.equal(first.nextFrom, first.rows[999].end, 'goes on where the last row shown ends');
    // Walk the same window to its end.
    const end = Date.parse(from) + 24 * HOUR;
    let seen = first.rows.length;
    let next: string | null = first.nextFrom;
    let pages = 1;
    while (next) {
      const hours = (end - Date.parse(next)) / HOUR;
      const page = (await t.call('GET', `/api/channels/4/timeline?from=${next}&hours=${hours}&limit=4000`)).body;
      assert.equal(page.rows[0].start, next, 'a page starts where the last one was cut');
      assert.equal(page.total, first.total - seen, 'counts agree');
      seen += page.rows.length;
      next = page.nextFrom;
      pages++;
    }
    assert.equal(seen, first.total);
    assert.equal(pages, 4);
    const whole = (await t.call('GET', `/api/channels/4/timeline?from=${from}&hours=24&limit=10000`)).body;
    assert.deepEqual([whole.rows.length, whole.total, whole.nextFrom], [10_000, first.total, whole.rows[9999].end]);
    const small = (await t.call('GET', `/api/channels/4/timeline?from=${from}&hours=1`)).body;
    assert.deepEqual([small.rows.length, small.total, small.nextFrom], [small.total, small.total, null], 'an hour is not cut');
  });

  it('POST preview: limit cuts, total counts every row of the window', async () => {
    const definition = (await t.call('GET', '/api/channels/4/schedule')).body.definition;
    const from = new Date(Date.now() + HOUR).toISOString();
    const all = (await t.call('POST', '/api/schedules/preview', { definition, from, hours: 24, seed: 5 })).body;
    const cut = (await t.call('POST', '/api/schedules/preview', { definition, from, hours: 24, seed: 5, limit: 1000 })).body;
    assert.ok(all.rows.length > 10_000);
    assert.deepEqual([all.total, all.nextFrom], [all.rows.length, null]);
    assert.deepEqual([cut.rows.length, cut.total, cut.nextFrom], [1000, all.rows.length, all.rows[1000].start]);
    assert.deepEqual(cut.rows, all.rows.slice(0, 1000));
    await t.rejects('POST', '/api/schedules/preview', { definition, limit: 0 }, 400, 'body.limit');
  });

  it('CLI timeline says when it is cut and how to go on; --from 20:30 jumps to the next 20:30', async () => {
    const r = await cli(['--url', t.url, 'timeline', '4', '--hours', '24']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1 + 1 + 1000 + 1, 'title, header, 1,000 rows, the notice');
    assert.match(lines.at(-1)!, /^\(1000 of 1\d{4} rows in 24 h; cut at \w+ \d\d:\d\d:\d\d: go on with --from \d{4}-\d\d-\d\dT[\d:.]+Z, or raise --limit\)$/);
    const jump = await cli(['--url', t.url, 'timeline', '4', '--from', '20:30', '--hours', '0.1', '--json'], { TZ: 'UTC' });
    assert.equal(jump.code, 0, jump.stderr);
    const rows = (JSON.parse(jump.stdout) as { rows: { start: string; end: string }[] }).rows;
    const at = new Date(); at.setUTCHours(20, 30, 0, 0);
    if (at.getTime() < Date.now()) at.setUTCDate(at.getUTCDate() + 1);
    assert.ok(Date.parse(rows[0]!.start) <= at.getTime() && Date.parse(rows[0]!.end) > at.getTime(), `first row ${rows[0]!.start} airs at ${at.toISOString()}`);
    const bad = await cli(['--url', t.url, 'timeline', '4', '--from', 'tonight']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /--from: "tonight" is neither a time of day like 20:30 nor an ISO 8601 time/);
  });

  it('TUI preview: says "2000 of N rows, cut at", pages with ] and [, jumps with @', async () => {
    const tui = await startTui({ api: t, initialView: 'channels', cols: 100, rows: 30 });
    try {
      const text = await tui.waitFor((x) => /2000 of 1\d{4} rows, cut at \d\d:\d\d \(\] more\) · Next 24 h — 4 Bumps/.test(x), 'the cut notice');
      const cutAt = /cut at (\d\d:\d\d)/.exec(text)![1]!;
      await tui.keys(KEY.tab);
      await tui.keys(']');
      await tui.waitFor((x) => x.includes(`more) · 24 h from ${cutAt} — 4 Bumps`), 'the next part');
      await tui.keys('[');
      await tui.waitFor((x) => x.includes('more) · Next 24 h — 4 Bumps'), 'back to the start');
      // Jump to a time inside the loaded rows: the row airing then is selected.
      const target = new Date(Date.now() + 2 * HOUR);
      const hh = `${String(target.getHours()).padStart(2, '0')}:${String(target.getMinutes()).padStart(2, '0')}`;
      await tui.keys('@');
      await tui.waitFor((x) => x.includes('Jump to time'), 'the prompt');
      await tui.keys(hh, KEY.enter);
      await tui.waitFor((x) => new RegExp(`(${hh}–\\d\\d:\\d\\d|\\d\\d:\\d\\d–${hh}) +8s item`).test(x) && !x.includes('Jump to time'), `the row at ${hh} on screen`);
      await tui.keys('@');
      await tui.keys('later', KEY.enter);
      await tui.waitFor((x) => x.includes('"later" is not a time: type one like 20:30'), 'a readable refusal');
    } finally { await tui.close(); }
  });
});
