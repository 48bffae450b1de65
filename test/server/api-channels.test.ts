// Channels over the API: create/read/update/delete, canonical numbers, and every way a body can be wrong.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../helpers/api.js';
import { addFakeItems, addFakeSource, episodes } from '../helpers/fake-items.js';

describe('API: channels', () => {
  let t: TestApi;
  let ids: number[];
  let collectionId: number;
  let showId: number;
  before(async () => {
    t = await startApi({ config: { timelineDays: 1 } });
    const source = addFakeSource(t.engine.store);
    ids = addFakeItems(t.engine.store, source, episodes('Lighthouse', 3, 30 * 60_000));
    showId = t.engine.store.items.get(ids[0]!).showId!;
    collectionId = (await t.call('POST', '/api/collections', { name: 'Keepers', itemIds: ids })).body.id;
  });
  after(async () => {
    assert.deepEqual(t.serverErrors, [], 'no 5xx replies');
    await t.close();
  });

  it('creates a channel (201) with defaults and a timeline', async () => {
    const res = await t.call('POST', '/api/channels', { number: '05', name: 'Lighthouse TV', content: [{ type: 'collection', id: collectionId }] });
    assert.equal(res.status, 201);
    assert.equal(res.body.number, '5', 'canonical number');
    assert.deepEqual([res.body.name, res.body.group, res.body.logo, res.body.enabled, res.body.order], ['Lighthouse TV', null, null, true, 'in_order']);
    assert.deepEqual(res.body.stream, { profile: null, alwaysOn: false });
    assert.deepEqual(res.body.content, [{ type: 'collection', id: collectionId }]);
    assert.ok(t.engine.store.timeline.count(res.body.id) > 0, 'timeline built at once');
  });

  it('numbers: 5.1 and 5.01 are the same channel, 5.10 another; lists sort numerically', async () => {
    const sub = await t.call('POST', '/api/channels', { number: 5.1, name: 'Sub', content: [{ type: 'show', id: showId }], order: 'shuffle' });
    assert.equal(sub.status, 201);
    assert.equal(sub.body.number, '5.1');
    assert.equal((await t.call('POST', '/api/channels', { number: 40, name: 'Forty', logo: 'https://example.com/40.png', group: 'Misc' })).status, 201);
    assert.equal((await t.call('GET', '/api/channels/5.01')).body.name, 'Sub');
    assert.equal((await t.call('GET', '/api/channels/5.1')).body.name, 'Sub');
    assert.equal((await t.call('GET', '/api/channels/005')).body.name, 'Lighthouse TV');
    assert.equal((await t.call('POST', '/api/channels', { number: '5.10', name: 'Minor ten' })).status, 201);
    const list = await t.call('GET', '/api/channels');
    assert.deepEqual(list.body.map((c: any) => c.number), ['5', '5.1', '5.10', '40']);
    assert.equal((await t.call('DELETE', '/api/channels/5.10')).status, 204);
  });

  it('a taken number is a 409 that stores nothing (create and renumber)', async () => {
    const dup = await t.rejects('POST', '/api/channels', { number: '5', name: 'Again' }, 409, 'number');
    assert.match(dup.message, /already used by "Lighthouse TV"/);
    await t.rejects('POST', '/api/channels', { number: '5.01', name: 'Again' }, 409, 'number');
    await t.rejects('PATCH', '/api/channels/40', { number: '5.1' }, 409, 'number');
  });

  it('refuses bad bodies naming the field, with the database unchanged', async () => {
    const cases: [unknown, string][] = [
      [{ number: 'abc', name: 'X' }, 'body.number'],
      [{ number: '0', name: 'X' }, 'body.number'],
      [{ number: '-3', name: 'X' }, 'body.number'],
      [{ number: '1.2.3', name: 'X' }, 'body.number'],
      [{ number: '123456', name: 'X' }, 'body.number'],
      [{ number: true, name: 'X' }, 'body.number'],
      [{ name: 'X' }, 'body.number'],
      [{ number: 7, name: '' }, 'body.name'],
      [{ number: 7, name: '  ' }, 'body.name'],
      [{ number: 7, name: 'line\nbreak' }, 'body.name'],
      [{ number: 7, name: 'x'.repeat(101) }, 'body.name'],
      [{ number: 7 }, 'body.name'],
      [{ number: 7, name: 'X', colour: 'blue' }, 'body.colour'],
      [{ number: 7, name: 'X', order: 'random' }, 'body.order'],
      [{ number: 7, name: 'X', enabled: 'yes' }, 'body.enabled'],
      [{ number: 7, name: 'X', logo: 'ftp://x/y.png' }, 'body.logo'],
      [{ number: 7, name: 'X', stream: { profile: '' } }, 'body.stream.profile'],
      [{ number: 7, name: 'X', stream: { bitrate: 5 } }, 'body.stream.bitrate'],
      [{ number: 7, name: 'X', content: {} }, 'body.content'],
      [{ number: 7, name: 'X', content: [{ type: 'playlist', id: 1 }] }, 'body.content.0.type'],
      [{ number: 7, name: 'X', content: [{ type: 'show', id: 'one' }] }, 'body.content.0.id'],
      [{ number: 7, name: 'X', content: [{ type: 'show', id: 1, extra: 1 }] }, 'body.content.0.extra'],
      [{ number: 7, name: 'X', content: [{ type: 'collection', id: 424242 }] }, 'content.0.id'],
      [{ number: 7, name: 'X', content: [{ type: 'item', id: ids[0] }, { type: 'show', id: 999 }] }, 'content.1.id'],
    ];
    for (const [body, field] of cases) await t.rejects('POST', '/api/channels', body, 400, field);
    const missing = await t.rejects('POST', '/api/channels', { number: 7, name: 'X', content: [{ type: 'collection', id: 424242 }] }, 400, 'content.0.id');
    assert.equal(missing.message, 'content.0.id: collection 424242 does not exist');
    const many = await t.rejects('POST', '/api/channels', { number: 'abc', name: '', extra: 1 }, 400, 'body.number');
    assert.deepEqual(many.issues.map((i: any) => i.path), ['body.number', 'body.name', 'body.extra'], 'every problem is listed');
    assert.equal((await t.call('GET', '/api/channels/7')).status, 404);
  });

  it('PATCH edits fields; bad patches change nothing', async () => {
    const res = await t.call('PATCH', '/api/channels/40', { name: 'Forty!', group: null, logo: '', enabled: false, stream: { alwaysOn: true } });
    assert.equal(res.status, 200);
    assert.deepEqual([res.body.name, res.body.group, res.body.logo, res.body.enabled], ['Forty!', null, null, false]);
    assert.deepEqual(res.body.stream, { profile: null, alwaysOn: true });
    const renumbered = await t.call('PATCH', '/api/channels/40', { number: '41' });
    assert.equal(renumbered.body.number, '41');
    assert.equal((await t.call('GET', '/api/channels/40')).status, 404);
    assert.equal((await t.call('PATCH', '/api/channels/41', {})).status, 200, 'an empty patch is fine');
    await t.rejects('PATCH', '/api/channels/41', { name: '' }, 400, 'body.name');
    await t.rejects('PATCH', '/api/channels/41', { number: 'x' }, 400, 'body.number');
    await t.rejects('PATCH', '/api/channels/41', { id: 3 }, 400, 'body.id');
    await t.rejects('PATCH', '/api/channels/41', { content: [{ type: 'collection', id: 31337 }] }, 400, 'content.0.id');
    await t.rejects('PATCH', '/api/channels/41', { stream: { profile: 'x', speed: 2 } }, 400, 'body.stream.speed');
    await t.rejects('PATCH', '/api/channels/99', { name: 'Nobody' }, 404);
    await t.rejects('PATCH', '/api/channels/abc', { name: 'Nobody' }, 400, 'params.number');
  });

  it('GET/DELETE by number: 400 for a malformed number, 404 for an unknown one, 204 on delete', async () => {
    await t.rejects('GET', '/api/channels/abc', undefined, 400, 'params.number');
    await t.rejects('GET', '/api/channels/-1', undefined, 400, 'params.number');
    await t.rejects('GET', '/api/channels/0', undefined, 400, 'params.number');
    await t.rejects('GET', '/api/channels/88', undefined, 404);
    await t.rejects('DELETE', '/api/channels/88', undefined, 404);
    const del = await t.app.inject({ method: 'DELETE', url: '/api/channels/41', headers: { 'x-exstreamtv': '1' } });
    assert.equal(del.statusCode, 204);
    assert.equal(del.body, '');
    assert.equal((await t.call('GET', '/api/channels/41')).status, 404);
    assert.equal(t.engine.store.db.prepare('SELECT count(*) AS n FROM timeline_rows WHERE channel_id NOT IN (SELECT id FROM channels)').pluck().get(), 0, 'its timeline went with it');
  });
});
