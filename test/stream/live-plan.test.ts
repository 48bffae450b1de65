// Live (IPTV) items in the stream planner and their health: back-to-back rows of one live item
// are planned as one endless piece (no rejoin at each slot seam), other items keep their rows;
// the health of live streams summarised per source (unknown → ok → degraded → down).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LiveHealth } from '../../src/engine/stream/live-health.js';
import { Planner } from '../../src/engine/stream/planner.js';
import type { Channel } from '../../src/schemas/channel.js';
import type { MediaSource } from '../../src/schemas/library.js';
import { startIptvServer, type IptvServer } from '../fakes/iptv-http.js';
import { startApi, type TestApi } from '../helpers/api.js';

describe('live items in the planner', () => {
  let t: TestApi;
  let fake: IptvServer;
  before(async () => {
    fake = await startIptvServer();
    fake.page('/tv.m3u', `#EXTM3U\n#EXTINF:-1 tvg-id="a",Alpha\n${fake.url}/live/a.ts\n#EXTINF:-1 tvg-id="b",Bravo\n${fake.url}/live/b.ts\n`);
    t = await startApi();
  });
  after(async () => { await t?.close(); await fake?.close(); });

  it('plans back-to-back rows of one live item as one piece; alternating items keep their rows', async () => {
    const src = (await t.call('POST', '/api/sources/iptv', { playlist: `${fake.url}/tv.m3u`, slotMinutes: 1 })).body as MediaSource;
    const [alpha] = (await t.call('POST', `/api/sources/${src.id}/channels`, { entries: ['a'], probe: false })).body as Channel[];
    const items = t.engine.library.items({ sourceId: src.id, limit: 10, offset: 0 });
    const mixed = (await t.call('POST', '/api/channels', { number: 90, name: 'Mixed', content: items.items.map((i) => ({ type: 'item', id: i.id })) })).body as Channel;
    const now = Date.now();
    const live = new Planner(t.engine.store, t.engine.timeline, alpha!.id, alpha!.name).at(now);
    assert.equal(live.kind, 'media');
    assert.ok(live.endsAt - now > 23 * 3_600_000, `one piece for a day, not a 1-minute row: ${Math.round((live.endsAt - now) / 60_000)} min`);
    const other = new Planner(t.engine.store, t.engine.timeline, mixed.id, mixed.name).at(now);
    assert.ok(other.endsAt - now <= 60_000, 'alternating live items: one row each');
  });

  it('summarises stream health per source', () => {
    const h = new LiveHealth();
    const at = Date.UTC(2026, 11, 7, 12);
    assert.deepEqual(h.summary([1, 2, 3]), { state: 'unknown', summary: 'no stream has aired yet' });
    h.up(1, at);
    assert.equal(h.summary([1, 2, 3]).state, 'ok');
    h.down(2, 'Server returned 404 Not Found', at + 5000, at + 1000);
    const s = h.summary([1, 2, 3]);
    assert.deepEqual(s, { state: 'degraded', summary: '1 of 2 streams seen down (last: Server returned 404 Not Found)', checkedAt: new Date(at + 1000).toISOString() });
    h.down(1, 'the live stream ended after 3 s', null, at + 2000);
    assert.equal(h.summary([1, 2, 3]).state, 'down');
    assert.deepEqual(h.get(1), { itemId: 1, state: 'down', since: new Date(at + 2000).toISOString(), lastOkAt: new Date(at).toISOString(),
      lastError: 'the live stream ended after 3 s', failures: 1, nextRetryAt: null, checkedAt: new Date(at + 2000).toISOString() });
    h.down(2, 'again', at + 20_000, at + 10_000);
    assert.equal(h.get(2)!.failures, 2);
    assert.equal(h.get(2)!.since, new Date(at + 1000).toISOString(), 'down since the first failure');
    h.up(2, at + 30_000);
    assert.equal(h.get(2)!.failures, 0);
    assert.equal(h.summary([2]).state, 'ok');
  });
});
