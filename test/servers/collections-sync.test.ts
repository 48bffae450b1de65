// Collections and playlists of a media server become collections here, kept in sync by its
// library sources' scans, against the fake Jellyfin and Plex on 127.0.0.1: members in the server's
// order, a show standing for its episodes, only what the source's library holds, names made unique
// per source, a resync with nothing changed writing nothing, edits and removals followed, a failed
// collection listing changing none of them, and the API refusing edits of a followed collection.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFakeJellyfin, type FakeJellyfin } from '../fakes/jellyfin.js';
import { startFakePlex, type FakePlex } from '../fakes/plex.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { addServerSource, scanDone as scan } from '../helpers/server-sources.js';
const changes = (t: TestApi) => (t.engine.store.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
/** Collections by name: their members' titles in order (episodes as S01E02). */
function collections(t: TestApi): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of t.engine.collections.list()) {
    out[c.name] = t.engine.store.collections.itemIds(c.id).map((id) => {
      const it = t.engine.store.items.get(id);
      return it.episodeNumber !== null ? `S0${it.seasonNumber}E0${it.episodeNumber}` : it.title;
    });
  }
  return out;
}

describe('server collections and playlists: Jellyfin', () => {
  let t: TestApi;
  let jf: FakeJellyfin;
  let moviesId: number;
  let tvId: number;
  const m: Record<string, string> = {};
  let heist: string;
  let friday: string;
  let series: string;

  before(async () => {
    t = await startApi();
    jf = await startFakeJellyfin();
    const movies = jf.addLibrary('Movies', 'movies', '/media/movies');
    const tv = jf.addLibrary('TV Shows', 'tvshows', '/media/tv');
    for (const [name, year] of [['Heat', 1995], ['Ronin', 1998], ['Alien', 1979], ['Thief', 1981]] as const) m[name] = jf.addMovie(movies, { name, year, seconds: 6000 });
    series = jf.addSeries(tv, 'Severance');
    const eps = [2, 1].map((e) => jf.addEpisode(tv, series, { season: 1, episode: e, name: `Episode ${e}`, seconds: 3300 }));
    heist = jf.addGroup('BoxSet', 'Heist Movies', [m.Ronin!, m.Heat!]);
    jf.addGroup('BoxSet', 'Sci-Fi', [m.Alien!, series]);
    friday = jf.addGroup('Playlist', 'Friday Night', [m.Ronin!, eps[0]!, m.Heat!]);
    moviesId = await addServerSource(t, { kind: 'jellyfin', url: jf.url, token: jf.apiKey, library: 'Movies' });
    tvId = await addServerSource(t, { kind: 'jellyfin', url: jf.url, token: jf.apiKey, library: 'TV Shows' });
  });
  after(async () => {
    assert.deepEqual(t.serverErrors, [], 'no 5xx replies');
    await t.close();
    await jf.close();
  });

  it('each source gets the collections with items in its library, in the server order; a series stands for its episodes', async () => {
    await scan(t, moviesId);
    await scan(t, tvId);
    assert.deepEqual(collections(t), {
      'Heist Movies': ['Ronin', 'Heat'],
      'Sci-Fi': ['Alien'],
      'Friday Night': ['Ronin', 'Heat'],
      'Sci-Fi (living-room – TV Shows)': ['S01E01', 'S01E02'],
      'Friday Night (living-room – TV Shows)': ['S01E02'],
    });
    const c = (await t.call('GET', '/api/collections')).body.find((x: { name: string }) => x.name === 'Heist Movies');
    assert.equal(c.sourceId, moviesId, 'the API says which source it follows');
    const edit = await t.call('POST', `/api/collections/${c.id}/items`, { add: [t.engine.store.items.query({ sourceId: moviesId, limit: 10, offset: 0 }).items[0]!.id] });
    assert.equal(edit.status, 409);
    assert.match(edit.body.message, /follows a collection of its media server .*change it there/);
  });

  it('a resync with nothing changed writes nothing', async () => {
    const before = collections(t);
    const n0 = changes(t);
    await scan(t, moviesId);
    assert.equal(changes(t) - n0, 3, 'only the source row and the running mark were written');
    assert.deepEqual(collections(t), before);
  });

  it('members edited, a collection removed on the server, a failed listing changing nothing', async () => {
    jf.setMembers(heist, [m.Heat!, m.Thief!, m.Ronin!]);
    jf.setMembers(friday, null);
    jf.failCollections = true;
    const before = collections(t);
    await scan(t, moviesId);
    assert.deepEqual(collections(t), before, 'a failed collection listing changes none of them');
    assert.match(t.engine.logs.list().map((l) => l.msg).join('\n'), /collections and playlists of "living-room – Movies" were left as they were: .*HTTP 500/);
    jf.failCollections = false;
    await scan(t, moviesId);
    const after = collections(t);
    assert.deepEqual(after['Heist Movies'], ['Heat', 'Thief', 'Ronin']);
    assert.equal(after['Friday Night'], undefined, 'gone from the server: removed here');
    assert.deepEqual(after['Friday Night (living-room – TV Shows)'], ['S01E02'], 'the other source keeps its own until its next scan');
  });
});

describe('server collections and playlists: Plex', () => {
  let t: TestApi;
  let plex: FakePlex;
  let sourceId: number;
  let coll: string;

  before(async () => {
    t = await startApi();
    plex = await startFakePlex();
    const movies = plex.addSection('Movies', 'movie', '/data/movies');
    const tv = plex.addSection('TV Shows', 'show', '/data/tv');
    const heat = plex.addMovie(movies, { title: 'Heat', year: 1995, seconds: 6000 });
    const ronin = plex.addMovie(movies, { title: 'Ronin', year: 1998, seconds: 6000 });
    const show = plex.addShow(tv, 'Bluey');
    const ep = plex.addEpisode(tv, show, { season: 1, episode: 1, title: 'Magic Xylophone', seconds: 420 });
    coll = plex.addCollection(movies, 'Heist Movies', [ronin, heat]);
    plex.addPlaylist('Friday Night', [ep, heat]);
    sourceId = await addServerSource(t, { kind: 'plex', url: plex.url, token: plex.token, library: 'Movies' });
  });
  after(async () => {
    assert.deepEqual(t.serverErrors, [], 'no 5xx replies');
    await t.close();
    await plex.close();
  });

  it('section collections and video playlists, paged, kept in sync; a resync with nothing changed writes nothing', async () => {
    await scan(t, sourceId);
    assert.deepEqual(collections(t), { 'Heist Movies': ['Ronin', 'Heat'], 'Friday Night': ['Heat'] });
    assert.ok(plex.log.filter((r) => /collections|playlists/.test(r.path)).every((r) => r.start !== null && r.size !== null && r.token === plex.token), 'paged, with the token');
    const n0 = changes(t);
    await scan(t, sourceId);
    assert.equal(changes(t) - n0, 3, 'only the source row and the running mark were written');
    plex.setMembers(coll, null);
    await scan(t, sourceId);
    assert.deepEqual(collections(t), { 'Friday Night': ['Heat'] });
  });
});
