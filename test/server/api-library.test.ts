// Sources, scans, items, search and shows over the API.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../helpers/api.js';
import { addFakeItems, addFakeSource, episodes } from '../helpers/fake-items.js';

describe('API: sources and scans', () => {
  let t: TestApi;
  let media: string;
  before(async () => {
    t = await startApi();
    media = await mkdtemp(join(tmpdir(), 'exstreamtv-media-'));
    await mkdir(join(media, 'empty'));
    await writeFile(join(media, 'a-file.txt'), 'not a folder');
  });
  after(async () => {
    assert.deepEqual(t.serverErrors, [], 'no 5xx replies');
    await t.close();
    await rm(media, { recursive: true, force: true });
  });

  it('adds, lists, shows and removes a local folder source', async () => {
    const created = await t.call('POST', '/api/sources', { path: media, name: 'Movies' });
    assert.equal(created.status, 201);
    assert.equal(created.body.name, 'Movies');
    assert.equal(created.body.kind, 'local');
    assert.equal(created.body.config.path, media);
    assert.deepEqual([created.body.items, created.body.missing, created.body.unreadable], [0, 0, 0]);
    const list = await t.call('GET', '/api/sources');
    assert.deepEqual(list.body.map((s: any) => s.id), [created.body.id]);
    const one = await t.call('GET', `/api/sources/${created.body.id}`);
    assert.deepEqual(one.body, created.body);
    const defaultName = await t.call('POST', '/api/sources', { kind: 'local', path: join(media, 'empty') });
    assert.equal(defaultName.status, 201);
    assert.equal(defaultName.body.name, 'empty', 'named after the folder');
    assert.equal((await t.call('DELETE', `/api/sources/${defaultName.body.id}`)).status, 204);
    assert.equal((await t.call('GET', `/api/sources/${defaultName.body.id}`)).status, 404);
    assert.equal((await t.call('DELETE', `/api/sources/${defaultName.body.id}`)).status, 404);
  });

  it('refuses bad sources with the field named and nothing stored', async () => {
    await t.rejects('POST', '/api/sources', { path: 'relative/dir' }, 400, 'body.path');
    await t.rejects('POST', '/api/sources', { path: '' }, 400, 'body.path');
    await t.rejects('POST', '/api/sources', {}, 400, 'body.path');
    await t.rejects('POST', '/api/sources', { path: media, extra: 1 }, 400, 'body.extra');
    await t.rejects('POST', '/api/sources', { path: media, kind: 'plex' }, 400, 'body.kind');
    await t.rejects('POST', '/api/sources', { path: '/tmp/a\u0000b' }, 400, 'body.path');
    await t.rejects('POST', '/api/sources', { path: join(media, 'does-not-exist') }, 400, 'path');
    await t.rejects('POST', '/api/sources', { path: join(media, 'a-file.txt') }, 400, 'path');
    const dup = await t.rejects('POST', '/api/sources', { path: media, name: 'Other' }, 400, 'path');
    assert.match(dup.message, /already the source "Movies"/);
    const sameName = await t.call('POST', '/api/sources', { path: join(media, 'empty'), name: 'Movies' });
    assert.equal(sameName.status, 409);
    assert.equal(sameName.body.issues[0].path, 'name');
  });

  it('source ids must be positive integers', async () => {
    await t.rejects('GET', '/api/sources/abc', undefined, 400, 'params.id');
    await t.rejects('GET', '/api/sources/-1', undefined, 400, 'params.id');
    await t.rejects('GET', '/api/sources/1.5', undefined, 400, 'params.id');
    await t.rejects('GET', '/api/sources/99999999999999999999', undefined, 400, 'params.id');
    await t.rejects('DELETE', '/api/sources/0', undefined, 400, 'params.id');
    await t.rejects('GET', '/api/sources/424242', undefined, 404);
  });

  it('starts a scan (202), lists it and reports its end', async () => {
    const [source] = (await t.call('GET', '/api/sources')).body;
    const started = await t.call('POST', `/api/sources/${source.id}/scan`);
    assert.equal(started.status, 202);
    assert.equal(started.body.sourceId, source.id);
    assert.equal(started.body.state, 'running');
    const again = await t.call('POST', `/api/sources/${source.id}/scan`);
    assert.ok(again.body.id === started.body.id || again.body.state === 'running', 'a running scan is returned, not doubled');
    const deadline = Date.now() + 15_000;
    let scan = started.body;
    while (scan.state === 'running' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      scan = (await t.call('GET', `/api/scans/${started.body.id}`)).body;
    }
    assert.equal(scan.state, 'done', JSON.stringify(scan));
    assert.ok(scan.finishedAt);
    const list = await t.call('GET', '/api/scans');
    assert.ok(list.body.some((s: any) => s.id === started.body.id));
    await t.rejects('GET', '/api/scans/9999', undefined, 404);
    await t.rejects('POST', '/api/sources/9999/scan', undefined, 404);
    await t.rejects('GET', '/api/scans/x', undefined, 400, 'params.id');
  });

  it('a source being scanned cannot be deleted (409)', async () => {
    const [source] = (await t.call('GET', '/api/sources')).body;
    const scans = t.engine.scans;
    const realList = scans.list.bind(scans);
    // Freeze the scan in the running state instead of racing a real one.
    scans.list = () => [{ ...realList()[0]!, sourceId: source.id, state: 'running' }];
    try {
      const refused = await t.rejects('DELETE', `/api/sources/${source.id}`, undefined, 409);
      assert.match(refused.message, /scan of "Movies" is running/);
    } finally {
      scans.list = realList;
    }
  });
});

describe('API: items, search and shows', () => {
  let t: TestApi;
  let ids: number[];
  let movie: number;
  let broken: number;
  before(async () => {
    t = await startApi();
    const source = addFakeSource(t.engine.store, 'tv');
    ids = addFakeItems(t.engine.store, source, episodes('Northern Lights', 3, 20 * 60_000));
    const more = addFakeItems(t.engine.store, source, [
      { title: 'Arctic Summer', durationMs: 90 * 60_000, genres: ['Documentary'] },
      { title: 'Broken Reel', durationMs: 0, status: 'unreadable' },
    ]);
    movie = more[0]!;
    broken = more[1]!;
  });
  after(async () => {
    assert.deepEqual(t.serverErrors, [], 'no 5xx replies');
    await t.close();
  });

  it('GET /api/items lists with total, filters and paging', async () => {
    const all = await t.call('GET', '/api/items');
    assert.equal(all.status, 200);
    assert.equal(all.body.total, 5);
    assert.equal(all.body.items.length, 5);
    const unreadable = await t.call('GET', '/api/items?status=unreadable');
    assert.deepEqual(unreadable.body.items.map((i: any) => i.id), [broken]);
    assert.equal(unreadable.body.items[0].error, 'moov atom not found');
    const page = await t.call('GET', '/api/items?kind=episode&limit=2&offset=1');
    assert.equal(page.body.total, 3);
    assert.deepEqual(page.body.items.map((i: any) => i.id), ids.slice(1, 3));
    const words = await t.call('GET', '/api/items?q=arctic');
    assert.deepEqual(words.body.items.map((i: any) => i.id), [movie]);
    const show = await t.call('GET', `/api/items?showId=${page.body.items[0].showId}`);
    assert.equal(show.body.total, 3);
    const punctuation = await t.call('GET', '/api/items?q=%22%22%2A');
    assert.deepEqual(punctuation.body, { total: 0, items: [] });
  });

  it('GET /api/items refuses bad queries', async () => {
    await t.rejects('GET', '/api/items?limit=100000', undefined, 400, 'query.limit');
    await t.rejects('GET', '/api/items?limit=0', undefined, 400, 'query.limit');
    await t.rejects('GET', '/api/items?offset=-5', undefined, 400, 'query.offset');
    await t.rejects('GET', '/api/items?status=lost', undefined, 400, 'query.status');
    await t.rejects('GET', '/api/items?sourceId=abc', undefined, 400, 'query.sourceId');
    await t.rejects('GET', '/api/items?bogus=1', undefined, 400, 'query.bogus');
    await t.rejects('GET', '/api/items?limit=1&limit=2', undefined, 400, 'query.limit');
  });

  it('GET /api/items/:id gives the item with streams and chapters', async () => {
    const res = await t.call('GET', `/api/items/${ids[1]}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.title, 'Northern Lights episode 2');
    assert.equal(res.body.showTitle, 'Northern Lights');
    assert.deepEqual([res.body.seasonNumber, res.body.episodeNumber, res.body.durationMs], [1, 2, 20 * 60_000]);
    assert.equal(res.body.streams[0].codec, 'h264');
    assert.deepEqual(res.body.chapters, []);
    await t.rejects('GET', '/api/items/77777', undefined, 404);
    await t.rejects('GET', '/api/items/-1', undefined, 400, 'params.id');
    await t.rejects('GET', '/api/items/abc', undefined, 400, 'params.id');
  });

  it('GET /api/search ranks matches; q is required and not blank', async () => {
    const res = await t.call('GET', '/api/search?q=northern%20epis&limit=2');
    assert.equal(res.status, 200);
    assert.equal(res.body.items.length, 2);
    assert.ok(res.body.items.every((i: any) => i.showTitle === 'Northern Lights'));
    const genre = await t.call('GET', '/api/search?q=documentary');
    assert.deepEqual(genre.body.items.map((i: any) => i.id), [movie]);
    const none = await t.call('GET', '/api/search?q=zzzz');
    assert.deepEqual(none.body, { items: [] });
    const missing = await t.rejects('GET', '/api/search', undefined, 400, 'query.q');
    assert.match(missing.message, /required/);
    const blank = await t.rejects('GET', '/api/search?q=%20%20', undefined, 400, 'query.q');
    assert.match(blank.message, /blank/);
    await t.rejects('GET', '/api/search?q=a&limit=100000', undefined, 400, 'query.limit');
  });

  it('GET /api/shows and /api/shows/:id', async () => {
    const list = await t.call('GET', '/api/shows');
    assert.equal(list.status, 200);
    assert.equal(list.body.length, 1);
    assert.deepEqual([list.body[0].title, list.body[0].episodes, list.body[0].seasons], ['Northern Lights', 3, [1]]);
    const one = await t.call('GET', `/api/shows/${list.body[0].id}`);
    assert.deepEqual(one.body, list.body[0]);
    await t.rejects('GET', '/api/shows/555', undefined, 404);
    await t.rejects('GET', '/api/shows/zero', undefined, 400, 'params.id');
  });

  it('status counts items by state', async () => {
    const res = await t.call('GET', '/api/status');
    assert.deepEqual(res.body.items, { ok: 4, missing: 0, unreadable: 1 });
    assert.equal(res.body.sources, 1);
  });

  it('deleting a source removes its items', async () => {
    const [source] = (await t.call('GET', '/api/sources')).body;
    assert.equal((await t.call('DELETE', `/api/sources/${source.id}`)).status, 204);
    assert.equal((await t.call('GET', '/api/items')).body.total, 0);
    assert.deepEqual((await t.call('GET', '/api/shows')).body, []);
  });
});
