// Plex as a source over the real API, against the fake Plex on 127.0.0.1: connect (good and bad
// token, HTML, unreachable), sync of a show section (shows, seasons, episodes) and a movie section,
// incremental resync, edits, removals only after a complete listing, a failed or paging-ignoring
// listing that writes nothing, and air-time resolution to {base}{Part.key} with the token header.
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { syncServerSource } from '../../src/engine/library/servers/sync.js';
import { tokenFile } from '../../src/engine/library/servers/tokens.js';
import { startFakePlex, type FakePlex } from '../fakes/plex.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { dbSnapshot } from '../helpers/db-snapshot.js';

describe('plex as a source', () => {
  let t: TestApi;
  let plex: FakePlex;
  let media: string;
  let tvId: number;
  const eps: string[] = [];
  const sync = (pageSize = 2) => syncServerSource({ store: t.engine.store, dataDir: t.engine.config.dataDir, pageSize }, tvId);

  before(async () => {
    t = await startApi();
    t.engine.servers.timeoutMs = 1500;
    media = await mkdtemp(join(tmpdir(), 'exstreamtv-plex-'));
    await writeFile(join(media, 'e1.mp4'), Buffer.alloc(4096, 7));
    plex = await startFakePlex();
    const tv = plex.addSection('TV Shows', 'show', '/data/tv');
    const movies = plex.addSection('Movies', 'movie', '/data/movies');
    const show = plex.addShow(tv, 'Bluey', 2018);
    for (let e = 1; e <= 3; e++) eps.push(plex.addEpisode(tv, show, { season: 1, episode: e, title: `Magic Xylophone ${e}`, seconds: 420, ...(e === 1 ? { file: join(media, 'e1.mp4') } : {}) }));
    eps.push(plex.addEpisode(tv, show, { season: 2, episode: 1, title: 'Dance Mode', seconds: 430 }));
    plex.addMovie(movies, { title: 'Heat', year: 1995, seconds: 10_200, genres: ['Crime'] });
  });
  after(async () => {
    assert.deepEqual(t.serverErrors, [], 'no 5xx replies');
    await t.close();
    await plex.close();
    await rm(media, { recursive: true, force: true });
  });

  it('check with the token: name, version, sections; bad token, HTML, no username', async () => {
    const r = await t.call('POST', '/api/servers/check', { kind: 'plex', url: plex.url, token: plex.token });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual([r.body.serverName, r.body.version], [plex.friendlyName, '1.40.2.8395-c67dce28e']);
    assert.deepEqual(r.body.libraries.map((l: any) => [l.name, l.type, l.locations]), [['TV Shows', 'show', ['/data/tv']], ['Movies', 'movie', ['/data/movies']]]);
    const body = await t.rejects('POST', '/api/servers/check', { kind: 'plex', url: plex.url, token: 'wrong' }, 400, 'token');
    assert.match(body.message, /Plex at .* refused the credentials \(HTTP 401\)/);
    await t.rejects('POST', '/api/servers/check', { kind: 'plex', url: plex.url, username: 'alice', password: 'x' }, 400, 'username');
    plex.behaviour.html = true;
    await t.rejects('POST', '/api/servers/sources', { kind: 'plex', url: plex.url, token: plex.token, library: 'TV Shows' }, 400, 'url');
    plex.behaviour.html = false;
    assert.ok(plex.log.filter((q) => q.path !== '/identity').every((q) => q.clientId && q.token !== null), 'token and client identifier on every request');
  });

  it('adds and syncs a show section: shows, seasons, episodes, ms durations, ids; a movie section', async () => {
    const r = await t.call('POST', '/api/servers/sources', { kind: 'plex', url: plex.url, token: plex.token, library: 'TV Shows' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    tvId = r.body.id;
    assert.equal((await stat(tokenFile(t.engine.config.dataDir, tvId))).mode & 0o777, 0o600);
    assert.ok(!JSON.stringify(dbSnapshot(t.engine.store)).includes(plex.token), 'the token is not in the database');
    const s = await sync();
    assert.deepEqual([s.found, s.added, s.unreadable], [4, 4, 0]);
    const items = t.engine.store.items.query({ sourceId: tvId, limit: 10, offset: 0 }).items;
    assert.deepEqual(items.map((i) => [i.showTitle, i.seasonNumber, i.episodeNumber, i.durationMs]),
      [['Bluey', 1, 1, 420_000], ['Bluey', 1, 2, 420_000], ['Bluey', 1, 3, 420_000], ['Bluey', 2, 1, 430_000]]);
    const first = t.engine.store.items.get(items[0]!.id);
    assert.deepEqual(first.streams.map((x) => [x.index, x.type, x.codec]), [[0, 'video', 'h264'], [1, 'audio', 'aac']]);
    assert.match(first.locator.type === 'resolve' ? first.locator.key : '', /^\/library\/parts\/\d+\/\d+\/file\.mp4\|\/data\/tv\/Bluey\/Season 1\//);
    const show = t.engine.store.shows.findByTitle('Bluey')[0]!;
    assert.deepEqual([show.year, show.genres, show.seasons], [2018, ['Comedy'], [1, 2]]);
    const m = await t.call('POST', '/api/servers/sources', { kind: 'plex', url: plex.url, token: plex.token, library: 'Movies' });
    assert.equal((await syncServerSource({ store: t.engine.store, dataDir: t.engine.config.dataDir }, m.body.id)).added, 1);
    const heat = t.engine.store.items.query({ sourceId: m.body.id, limit: 1, offset: 0 }).items[0]!;
    assert.deepEqual([heat.kind, heat.year, heat.genres, heat.durationMs], ['movie', 1995, ['Crime'], 10_200_000]);
    const ids = t.engine.store.db.prepare('SELECT external_ids FROM media_items WHERE id = ?').get(heat.id) as { external_ids: string };
    assert.deepEqual(JSON.parse(ids.external_ids), { imdb: 'tt0113277', tmdb: '949' });
  });

  it('resync with nothing changed writes nothing; an edit updates; a failed or paging-ignoring listing writes nothing', async () => {
    const before = (t.engine.store.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
    const s = await sync();
    assert.deepEqual([s.unchanged, s.added, s.changed], [4, 0, 0]);
    assert.equal((t.engine.store.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n - before, 1, 'only the scan status');
    plex.edit(eps[1]!, { title: 'Hammerbarn' });
    assert.equal((await sync()).changed, 1);
    assert.equal(t.engine.store.items.search('Hammerbarn').length, 1);
    plex.metadata.delete(eps[3]!);
    const snap = dbSnapshot(t.engine.store);
    plex.behaviour.failAfterPages = 1;
    await assert.rejects(sync(), /answered text\/html \(HTTP 500\)|HTTP 500/);
    plex.behaviour.failAfterPages = null;
    plex.behaviour.ignorePaging = true;
    await assert.rejects(sync(), /Plex ignored paging \(asked for 2 items from 0, got 3\)/);
    plex.behaviour.ignorePaging = false;
    assert.deepEqual({ ...dbSnapshot(t.engine.store), media_sources: null }, { ...snap, media_sources: null }, 'nothing written');
    const done = await sync();
    assert.equal(done.missing, 1, 'flagged after a complete listing');
    assert.deepEqual(t.engine.store.items.query({ sourceId: tvId, status: 'missing', limit: 5, offset: 0 }).items.map((i) => i.externalKey), [eps[3]]);
  });

  it('plays {base}{Part.key} with the token in a header (ranges served); health on demand', async () => {
    const item = t.engine.store.items.query({ sourceId: tvId, limit: 1, offset: 0 }).items[0]!;
    const input = await t.engine.streams.resolvers.resolve({ locator: item.locator, itemId: item.id, title: item.title });
    assert.match(input.url, new RegExp(`^${plex.url}/library/parts/\\d+/\\d+/file\\.mp4$`));
    assert.equal(input.headers?.['X-Plex-Token'], plex.token);
    assert.ok(!input.url.includes(plex.token), 'the token is not in the URL');
    const r = await fetch(input.url, { headers: { ...input.headers, Range: 'bytes=0-99' } });
    assert.equal(r.status, 206);
    assert.equal((await r.arrayBuffer()).byteLength, 100);
    assert.equal((await fetch(input.url)).status, 401, 'not without the token');
    const h = (await t.call('GET', `/api/sources/${tvId}/health`)).body;
    assert.deepEqual([h.ok, h.kind, h.serverName], [true, 'plex', plex.friendlyName]);
  });
});
