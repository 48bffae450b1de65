// Collections over the API: manual and saved-search, members, renames, and deletes refused while in use.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../helpers/api.js';
import { addFakeItems, addFakeSource, episodes } from '../helpers/fake-items.js';

describe('API: collections', () => {
  let t: TestApi;
  let ids: number[];
  let docs: number[];
  before(async () => {
    t = await startApi();
    const source = addFakeSource(t.engine.store);
    ids = addFakeItems(t.engine.store, source, episodes('Harbour', 4, 25 * 60_000));
    docs = addFakeItems(t.engine.store, source, [
      { title: 'Deep Ocean', durationMs: 50 * 60_000, genres: ['Documentary'] },
      { title: 'Tall Ships', durationMs: 40 * 60_000, genres: ['Documentary'] },
    ]);
  });
  after(async () => {
    assert.deepEqual(t.serverErrors, [], 'no 5xx replies');
    await t.close();
  });

  it('creates a manual collection with items, reads it back with its item ids in order', async () => {
    const res = await t.call('POST', '/api/collections', { name: 'Harbour picks', itemIds: [ids[2], ids[0]] });
    assert.equal(res.status, 201);
    assert.deepEqual([res.body.name, res.body.kind, res.body.query, res.body.items], ['Harbour picks', 'manual', null, 2]);
    const one = await t.call('GET', `/api/collections/${res.body.id}`);
    assert.deepEqual(one.body.itemIds, [ids[2], ids[0]]);
    const list = await t.call('GET', '/api/collections');
    assert.deepEqual(list.body.map((c: any) => c.name), ['Harbour picks']);
    // Its items in one read, in the collection's order (not episode order), paged.
    const items = await t.call('GET', `/api/items?collectionId=${res.body.id}`);
    assert.deepEqual([items.body.total, items.body.items.map((i: any) => i.id)], [2, [ids[2], ids[0]]]);
    const page = await t.call('GET', `/api/items?collectionId=${res.body.id}&limit=1&offset=1&kind=episode`);
    assert.deepEqual([page.body.total, page.body.items.map((i: any) => i.id)], [2, [ids[0]]]);
    await t.rejects('GET', '/api/items?collectionId=zero', undefined, 400, 'query.collectionId');
  });

  it('creates a saved-search collection whose members follow its query', async () => {
    const res = await t.call('POST', '/api/collections', { name: 'Docs', kind: 'search', query: 'documentary' });
    assert.equal(res.status, 201);
    assert.equal(res.body.query, 'documentary');
    const one = await t.call('GET', `/api/collections/${res.body.id}`);
    assert.deepEqual([...one.body.itemIds].sort(), [...docs].sort());
    // Listed through /api/items like a manual one: its query's matches.
    const items = await t.call('GET', `/api/items?collectionId=${res.body.id}`);
    assert.deepEqual([items.body.total, items.body.items.map((i: any) => i.id).sort()], [2, [...docs].sort()]);
    const narrowed = await t.call('GET', `/api/items?collectionId=${res.body.id}&q=ocean`);
    assert.deepEqual(narrowed.body.items.map((i: any) => i.title), ['Deep Ocean']);
    await t.rejects('GET', '/api/items?collectionId=999', undefined, 404);
    const changed = await t.call('PATCH', `/api/collections/${res.body.id}`, { query: 'harbour' });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.query, 'harbour');
    assert.deepEqual((await t.call('GET', `/api/collections/${res.body.id}`)).body.itemIds, ids);
  });

  it('adds and removes members', async () => {
    const c = (await t.call('POST', '/api/collections', { name: 'Members' })).body;
    let res = await t.call('POST', `/api/collections/${c.id}/items`, { add: [ids[0], ids[1], ids[0]] });
    assert.equal(res.status, 200);
    assert.equal(res.body.items, 2);
    res = await t.call('POST', `/api/collections/${c.id}/items`, { add: [docs[0]], remove: [ids[0]] });
    assert.equal(res.body.items, 2);
    assert.deepEqual((await t.call('GET', `/api/collections/${c.id}`)).body.itemIds, [ids[1], docs[0]]);
    res = await t.call('POST', `/api/collections/${c.id}/items`, {});
    assert.equal(res.status, 200, 'an empty change is fine');
  });

  it('renames; a taken name (any case) is a 409 that changes nothing', async () => {
    const c = (await t.call('POST', '/api/collections', { name: 'Rename me' })).body;
    const res = await t.call('PATCH', `/api/collections/${c.id}`, { name: 'Renamed' });
    assert.equal(res.body.name, 'Renamed');
    await t.rejects('PATCH', `/api/collections/${c.id}`, { name: 'harbour PICKS' }, 409, 'name');
    await t.rejects('POST', '/api/collections', { name: 'RENAMED' }, 409, 'name');
  });

  it('refuses bad bodies with the field named and the database unchanged', async () => {
    await t.rejects('POST', '/api/collections', { name: '' }, 400, 'body.name');
    await t.rejects('POST', '/api/collections', { name: '   ' }, 400, 'body.name');
    await t.rejects('POST', '/api/collections', { name: 'x'.repeat(101) }, 400, 'body.name');
    await t.rejects('POST', '/api/collections', { name: 'tab\there' }, 400, 'body.name');
    await t.rejects('POST', '/api/collections', { name: 'S', kind: 'search' }, 400, 'body.query');
    await t.rejects('POST', '/api/collections', { name: 'M', query: 'x' }, 400, 'body.query');
    await t.rejects('POST', '/api/collections', { name: 'S', kind: 'search', query: 'x', itemIds: [1] }, 400, 'body.itemIds');
    await t.rejects('POST', '/api/collections', { name: 'K', kind: 'smart' }, 400, 'body.kind');
    await t.rejects('POST', '/api/collections', { name: 'U', colour: 'red' }, 400, 'body.colour');
    await t.rejects('POST', '/api/collections', { name: 'I', itemIds: ['1'] }, 400, 'body.itemIds.0');
    await t.rejects('POST', '/api/collections', { name: 'I', itemIds: [-3] }, 400, 'body.itemIds.0');
    const missing = await t.rejects('POST', '/api/collections', { name: 'Ghosts', itemIds: [ids[0], 999_999] }, 400, 'itemIds');
    assert.match(missing.message, /999999/);
    const c = (await t.call('GET', '/api/collections')).body.find((x: any) => x.name === 'Harbour picks');
    await t.rejects('PATCH', `/api/collections/${c.id}`, { kind: 'search' }, 400, 'body.kind');
    await t.rejects('PATCH', `/api/collections/${c.id}`, { query: 'x' }, 409, 'query');
    await t.rejects('POST', `/api/collections/${c.id}/items`, { add: [ids[3], 888_888] }, 400, 'add');
    await t.rejects('POST', `/api/collections/${c.id}/items`, { add: 5 }, 400, 'body.add');
    await t.rejects('POST', `/api/collections/${c.id}/items`, { insert: [1] }, 400, 'body.insert');
    const search = (await t.call('GET', '/api/collections')).body.find((x: any) => x.kind === 'search');
    await t.rejects('POST', `/api/collections/${search.id}/items`, { add: [ids[0]] }, 409, 'add');
  });

  it('404s for collections that do not exist', async () => {
    await t.rejects('GET', '/api/collections/4040', undefined, 404);
    await t.rejects('PATCH', '/api/collections/4040', { name: 'x' }, 404);
    await t.rejects('DELETE', '/api/collections/4040', undefined, 404);
    await t.rejects('POST', '/api/collections/4040/items', { remove: [1] }, 404);
    await t.rejects('GET', '/api/collections/-2', undefined, 400, 'params.id');
  });

  it('deleting a collection a channel airs is a 409 naming the channel; unused ones delete (204)', async () => {
    const c = (await t.call('POST', '/api/collections', { name: 'On air', itemIds: ids })).body;
    const ch = await t.call('POST', '/api/channels', { number: 12, name: 'Harbour TV', content: [{ type: 'collection', id: c.id }] });
    assert.equal(ch.status, 201);
    const refused = await t.rejects('DELETE', `/api/collections/${c.id}`, undefined, 409);
    assert.match(refused.message, /channel 12 \(Harbour TV\)/);
    assert.equal((await t.call('DELETE', '/api/channels/12')).status, 204);
    assert.equal((await t.call('DELETE', `/api/collections/${c.id}`)).status, 204);
    assert.equal((await t.call('GET', `/api/collections/${c.id}`)).status, 404);
  });
});
