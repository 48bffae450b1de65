// Jellyfin and Emby as sources over the real API, against the fake servers on 127.0.0.1: connect
// (good and bad credentials, unreachable, HTML, timeout), the token kept in a 0600 file and the
// password nowhere, sync of shows/seasons/episodes and movies, incremental resync, edits, removals
// flagged only after a complete listing, failed and paging-ignoring listings that write nothing.
import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tokenFile } from '../../src/engine/library/servers/tokens.js';
import { startFakeJellyfin, type FakeJellyfin } from '../fakes/jellyfin.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { dbSnapshot } from '../helpers/db-snapshot.js';

const PASSWORD = 'correct horse';

async function scan(t: TestApi, sourceId: number) {
  const started = await t.call('POST', `/api/sources/${sourceId}/scan`);
  assert.equal(started.status, 202, JSON.stringify(started.body));
  return t.engine.scans.wait(started.body.id);
}
const changes = (t: TestApi) => (t.engine.store.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;

for (const kind of ['jellyfin', 'emby'] as const) {
  describe(`${kind} as a source`, () => {
    let t: TestApi;
    let jf: FakeJellyfin;
    let tv: string;
    let movies: string;
    let sourceId: number;
    const ep: string[] = [];

    before(async () => {
      t = await startApi();
      t.engine.servers.timeoutMs = 1500;
      jf = await startFakeJellyfin({ kind, users: { alice: PASSWORD } });
      tv = jf.addLibrary('TV Shows', 'tvshows', '/media/tv');
      movies = jf.addLibrary('Movies', 'movies', '/media/movies');
      const a = jf.addSeries(tv, 'Abbott Elementary', { year: 2021, genres: ['Comedy'], tvdb: '399887' });
      const b = jf.addSeries(tv, 'Severance', { year: 2022, genres: ['Drama', 'Mystery'] });
      for (let e = 1; e <= 3; e++) ep.push(jf.addEpisode(tv, a, { season: 1, episode: e, name: `Pilot ${e}`, seconds: 1320 }));
      ep.push(jf.addEpisode(tv, a, { season: 2, episode: 1, name: 'Development Day', seconds: 1290 }));
      for (let e = 1; e <= 2; e++) ep.push(jf.addEpisode(tv, b, { season: 1, episode: e, name: `Good News About Hell ${e}`, seconds: 3300 }));
      jf.addMovie(movies, { name: 'Heat', year: 1995, seconds: 10_200, genres: ['Crime'], imdb: 'tt0113277', tmdb: '949' });
    });
    after(async () => {
      assert.deepEqual(t.serverErrors, [], 'no 5xx replies');
      await t.close();
      await jf.close();
    });

    it('check: user name and password signed in once, server name, version and libraries', async () => {
      const r = await t.call('POST', '/api/servers/check', { kind, url: jf.url, username: 'alice', password: PASSWORD });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.ok, true);
      assert.equal(r.body.serverName, jf.serverName);
      assert.match(r.body.version, /^\d+\.\d+\.\d+/);
      assert.deepEqual(r.body.libraries.map((l: any) => [l.name, l.type]), [['TV Shows', 'tvshows'], ['Movies', 'movies']]);
      const signIn = jf.log.find((q) => q.path === '/Users/AuthenticateByName')!;
      assert.match(signIn.auth ?? '', /^MediaBrowser Client="EXStreamTV", Device="exstreamtv", DeviceId="[^"]+", Version="[^"]+"$/);
      const later = jf.log.filter((q) => q.path === '/System/Info');
      assert.ok(later.length && later.every((q) => /Token="[0-9a-f]{32}"/.test(q.auth ?? '')), 'the token travels in the MediaBrowser header');
    });

    it('bad input: each a 400 naming what to fix, nothing written', async () => {
      const closed = await new Promise<Server>((resolve) => { const s = createServer(); s.listen(0, '127.0.0.1', () => resolve(s)); });
      const deadPort = (closed.address() as { port: number }).port;
      await new Promise<void>((r) => closed.close(() => r()));
      let body = await t.rejects('POST', '/api/servers/sources', { kind, url: jf.url, username: 'alice', password: 'wrong', library: 'TV Shows' }, 400, 'password');
      assert.match(body.message, /refused user "alice": check the user name and password/);
      body = await t.rejects('POST', '/api/servers/sources', { kind, url: jf.url, token: 'f'.repeat(32), library: 'TV Shows' }, 400, 'token');
      assert.match(body.message, /refused the credentials \(HTTP 401\)/);
      body = await t.rejects('POST', '/api/servers/sources', { kind, url: `http://127.0.0.1:${deadPort}`, token: jf.apiKey, library: 'TV Shows' }, 400, 'url');
      assert.match(body.message, /cannot reach .*ECONNREFUSED.*check the URL/);
      body = await t.rejects('POST', '/api/servers/sources', { kind, url: 'jellyfin.local', token: jf.apiKey, library: 'x' }, 400, 'url');
      body = await t.rejects('POST', '/api/servers/sources', { kind, url: jf.url, token: jf.apiKey, library: 'Cartoons' }, 400, 'library');
      assert.match(body.message, /no library "Cartoons"; it has: "TV Shows", "Movies"/);
      await t.rejects('POST', '/api/servers/sources', { kind, url: jf.url, library: 'TV Shows' }, 400, 'token');
      await t.rejects('POST', '/api/servers/sources', { kind: 'plexx', url: jf.url, token: 'x', library: 'TV Shows' }, 400, 'body.kind');
      jf.behaviour.html = true;
      body = await t.rejects('POST', '/api/servers/check', { kind, url: jf.url, token: jf.apiKey }, 400, 'url');
      assert.match(body.message, /answered text\/html .*not the (Jellyfin|Emby) API: check the URL/);
      jf.behaviour.html = false;
      jf.behaviour.hang = true;
      const t0 = Date.now();
      body = await t.rejects('POST', '/api/servers/check', { kind, url: jf.url, token: jf.apiKey }, 400, 'url');
      jf.behaviour.hang = false;
      assert.match(body.message, /did not answer within 2 s/);
      assert.ok(Date.now() - t0 < 5000);
      assert.equal(body.message.split('\n').length, 1, 'one line');
      assert.ok(!JSON.stringify(body).includes(jf.apiKey), 'the token is never echoed');
      assert.deepEqual(await readdir(join(t.engine.config.dataDir, 'secrets')).catch(() => []), [], 'no token file written');
    });

    it('adds a library: token in a 0600 file, the password stored nowhere; health on demand', async () => {
      const r = await t.call('POST', '/api/servers/sources', { kind, url: `${jf.url}/`, username: 'alice', password: PASSWORD, library: 'tv shows' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      sourceId = r.body.id;
      assert.equal(r.body.kind, kind);
      assert.equal(r.body.name, `${jf.serverName} – TV Shows`);
      assert.equal(r.body.config.url, jf.url);
      assert.equal(r.body.config.libraryId, tv);
      const file = tokenFile(t.engine.config.dataDir, sourceId);
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      assert.equal((await stat(join(t.engine.config.dataDir, 'secrets'))).mode & 0o777, 0o700);
      const token = (await readFile(file, 'utf8')).trim();
      assert.match(token, /^[0-9a-f]{32}$/);
      const everything = JSON.stringify(dbSnapshot(t.engine.store)) + JSON.stringify(r.body);
      assert.ok(!everything.includes(PASSWORD) && !everything.includes(token), 'neither the password nor the token is in the database or the answer');
      await t.rejects('POST', '/api/servers/sources', { kind, url: jf.url, token: jf.apiKey, library: 'TV Shows' }, 400, 'library');
      const h = await t.call('GET', `/api/sources/${sourceId}/health`);
      assert.deepEqual([h.status, h.body.ok, h.body.serverName, h.body.reason], [200, true, jf.serverName, null]);
    });

    it('syncs shows, seasons and episodes with numbers, durations and metadata; streams from the media info', async () => {
      const s = await scan(t, sourceId);
      assert.equal(s.state, 'done', s.error ?? '');
      assert.deepEqual([s.found, s.added, s.changed, s.unchanged, s.missing, s.unreadable], [6, 6, 0, 0, 0, 0]);
      const shows = (await t.call('GET', '/api/shows')).body as any[];
      const abbott = shows.find((x) => x.title === 'Abbott Elementary');
      assert.deepEqual([abbott.year, abbott.genres, abbott.episodes, abbott.seasons], [2021, ['Comedy'], 4, [1, 2]]);
      const items = (await t.call('GET', `/api/items?sourceId=${sourceId}`)).body.items as any[];
      assert.deepEqual(items.map((i) => [i.showTitle, i.seasonNumber, i.episodeNumber, i.durationMs]).slice(0, 4),
        [['Abbott Elementary', 1, 1, 1_320_000], ['Abbott Elementary', 1, 2, 1_320_000], ['Abbott Elementary', 1, 3, 1_320_000], ['Abbott Elementary', 2, 1, 1_290_000]]);
      const detail = (await t.call('GET', `/api/items/${items[0].id}`)).body;
      assert.deepEqual(detail.locator, { type: 'resolve', resolver: kind, key: `${ep[0]}|/media/tv/Abbott Elementary/Season 01/Abbott Elementary - S01E01.mp4` });
      assert.deepEqual(detail.streams.map((x: any) => [x.index, x.type, x.codec]), [[0, 'video', 'h264'], [1, 'audio', 'aac']]);
      const row = t.engine.store.db.prepare('SELECT external_ids, images FROM shows WHERE id = ?').get(abbott.id) as { external_ids: string; images: string };
      assert.equal(JSON.parse(row.external_ids).tvdb, '399887');
      assert.match(JSON.parse(row.images).poster, new RegExp(`^${jf.url}/Items/[0-9a-f]+/Images/Primary\\?tag=`));
      assert.equal(jf.mediaRequests().length, 0, 'no media fetched to sync (no ffprobe over the network)');
    });

    it('a movie library: year, genres, rating, plot and imdb/tmdb ids', async () => {
      const r = await t.call('POST', '/api/servers/sources', { kind, url: jf.url, token: jf.apiKey, library: movies, name: 'Films' });
      assert.equal(r.status, 201);
      assert.equal((await scan(t, r.body.id)).state, 'done');
      const [heat] = (await t.call('GET', `/api/items?sourceId=${r.body.id}`)).body.items;
      assert.deepEqual([heat.kind, heat.title, heat.year, heat.genres, heat.durationMs], ['movie', 'Heat', 1995, ['Crime'], 10_200_000]);
      const row = t.engine.store.db.prepare('SELECT external_ids, content_rating, plot FROM media_items WHERE id = ?').get(heat.id) as any;
      assert.deepEqual([JSON.parse(row.external_ids), row.content_rating, row.plot], [{ imdb: 'tt0113277', tmdb: '949' }, 'PG-13', 'Heat, a film.']);
    });

    it('a resync with nothing changed writes nothing', async () => {
      const before = dbSnapshot(t.engine.store);
      const stamps = t.engine.store.db.prepare('SELECT id, updated_at, probed_at FROM media_items ORDER BY id').all();
      const n0 = changes(t);
      const s = await scan(t, sourceId);
      assert.deepEqual([s.state, s.added, s.changed, s.unchanged, s.missing], ['done', 0, 0, 6, 0]);
      // The source row (last scan time) and the scan's running mark (set, then cleared: how a crash
      // mid-scan is told later) — no item, stream or collection row.
      assert.equal(changes(t) - n0, 3, 'only the source row and the running mark were written');
      assert.deepEqual(t.engine.store.db.prepare('SELECT id, updated_at, probed_at FROM media_items ORDER BY id').all(), stamps);
      const after = dbSnapshot(t.engine.store);
      const unmarked = (snap: Record<string, unknown>) => ({ ...snap, media_sources: null,
        settings: (snap.settings as { key: string }[]).filter((r) => r.key !== 'library.scans.running') });
      assert.deepEqual(unmarked(after), unmarked(before));
    });

    it('an edited item updates', async () => {
      jf.edit(ep[1]!, { Name: 'Light Bulb', Overview: 'New plot.' });
      const s = await scan(t, sourceId);
      assert.deepEqual([s.added, s.changed, s.unchanged], [0, 1, 5]);
      const hit = (await t.call('GET', '/api/search?q=Light%20Bulb')).body.items;
      assert.deepEqual(hit.map((i: any) => [i.title, i.plot, i.episodeNumber]), [['Light Bulb', 'New plot.', 2]]);
    });

    it('a listing that fails halfway flags nothing and writes nothing; the reason is the scan error', async () => {
      const gone = jf.items.get(ep[5]!)!;
      jf.items.delete(ep[5]!);
      const t0 = dbSnapshot(t.engine.store);
      jf.behaviour.failAfterPages = 1;
      // A small page size, so that the listing takes several pages.
      const s = await syncWithPageSize(t, sourceId, 2);
      jf.behaviour.failAfterPages = null;
      assert.equal(s.state, 'failed');
      assert.match(s.error!, /answered HTTP 500/);
      assert.deepEqual({ ...dbSnapshot(t.engine.store), media_sources: null }, { ...t0, media_sources: null }, 'nothing written');
      assert.match(t.engine.store.sources.get(sourceId).lastScanStatus!, /^failed: /);
      jf.items.set(ep[5]!, gone);
    });

    it('a server that ignores paging is detected: the scan fails and nothing is flagged', async () => {
      jf.items.delete(ep[5]!);
      jf.behaviour.ignorePaging = true;
      const s = await syncWithPageSize(t, sourceId, 2);
      jf.behaviour.ignorePaging = false;
      assert.equal(s.state, 'failed');
      assert.match(s.error!, /ignored paging \(asked for 2 items from 0, got 7\)/);
      assert.equal(t.engine.store.items.query({ sourceId, status: 'missing', limit: 10, offset: 0 }).total, 0);
    });

    it('an item gone from a complete listing is flagged missing, and comes back when it returns', async () => {
      const s = await syncWithPageSize(t, sourceId, 2);
      assert.deepEqual([s.state, s.missing, s.unchanged], ['done', 1, 5]);
      const missing = t.engine.store.items.query({ sourceId, status: 'missing', limit: 10, offset: 0 }).items;
      assert.deepEqual(missing.map((i) => i.externalKey), [ep[5]]);
      jf.addEpisode(tv, jf.items.get(ep[4]!)!.SeriesId, { season: 1, episode: 3, name: 'Half Loop', seconds: 3000 });
      const s2 = await scan(t, sourceId);
      assert.deepEqual([s2.added, s2.missing], [1, 0]);
    });

    it('health says what to do when the token is revoked', async () => {
      await import('node:fs/promises').then((fs) => fs.writeFile(tokenFile(t.engine.config.dataDir, sourceId), 'revoked\n', { mode: 0o600 }));
      const h = (await t.call('GET', `/api/sources/${sourceId}/health`)).body;
      assert.deepEqual([h.ok, h.serverName], [false, null]);
      assert.match(h.reason, /refused the credentials \(HTTP 401\): check the token/);
    });

    it('removing the source removes its token file', async () => {
      assert.equal((await t.call('DELETE', `/api/sources/${sourceId}`)).status, 204);
      await assert.rejects(stat(tokenFile(t.engine.config.dataDir, sourceId)), { code: 'ENOENT' });
    });
  });
}

/** Runs a sync directly with a small page size (several pages for a small library), recorded like a scan. */
async function syncWithPageSize(t: TestApi, sourceId: number, pageSize: number): Promise<{ state: string; error: string | null; missing: number; unchanged: number }> {
  const { syncServerSource } = await import('../../src/engine/library/servers/sync.js');
  try {
    const s = await syncServerSource({ store: t.engine.store, dataDir: t.engine.config.dataDir, pageSize }, sourceId);
    return { state: 'done', error: null, missing: s.missing, unchanged: s.unchanged };
  } catch (err) {
    return { state: 'failed', error: (err as Error).message, missing: 0, unchanged: 0 };
  }
}
