// The Library view's "add source" form against the real API and the fake servers: Jellyfin with a
// user and password (masked; a wrong one shown at its field), the health check's answer, choosing
// libraries, adding and scanning (the server's playlist a collection); Plex signed in with plex.tv (code and link, then the account's
// servers); an Archive.org identifier (a bad count at its field); an IPTV playlist; a source row's health summary coloured by state.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, injectTransport } from '../../src/client/api-client.js';
import { startFakeArchive, type FakeArchive } from '../fakes/archive.js';
import { startFakeJellyfin, type FakeJellyfin } from '../fakes/jellyfin.js';
import { startFakePlex, type FakePlex } from '../fakes/plex.js';
import { startFakePlexTv, type FakePlexTv } from '../fakes/plex-tv.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { KEY, startTui } from './harness.js';

const PASSWORD = 'correct horse';

describe('tui: add a source', () => {
  let api: TestApi;
  let jf: FakeJellyfin;
  let plex: FakePlex;
  let tv: FakePlexTv;
  let archive: FakeArchive;
  let dir: string;
  before(async () => {
    jf = await startFakeJellyfin({ users: { alice: PASSWORD } });
    const shows = jf.addLibrary('TV Shows', 'tvshows', '/media/tv');
    jf.addLibrary('Movies', 'movies', '/media/movies');
    const s = jf.addSeries(shows, 'Abbott Elementary');
    const eps = [1, 2, 3].map((e) => jf.addEpisode(shows, s, { season: 1, episode: e, name: `Pilot ${e}`, seconds: 1320 }));
    jf.addGroup('Playlist', 'Pilots', eps);
    plex = await startFakePlex();
    const movies = plex.addSection('Films', 'movie', '/data/movies');
    plex.addMovie(movies, { title: 'Heat', year: 1995, seconds: 10_200 });
    tv = await startFakePlexTv();
    tv.addServer({ name: plex.friendlyName, machineIdentifier: plex.machineIdentifier, accessToken: plex.token, uris: [{ uri: plex.url, local: true }] });
    archive = await startFakeArchive();
    archive.addItem('his_girl_friday_1940');
    api = await startApi({ config: { plexTvUrl: tv.url, archiveUrl: archive.url } });
    api.engine.servers.timeoutMs = 2000;
    dir = await mkdtemp(join(tmpdir(), 'exs-tui-add-'));
  });
  after(async () => {
    assert.deepEqual(api.serverErrors, [], 'no 5xx replies');
    await api.close();
    await jf.close();
    await plex.close();
    await tv.close();
    await archive.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('Jellyfin: masked password, a wrong one at its field, the server answer, libraries chosen, added and scanned', async () => {
    const t = await startTui({ api, initialView: 'library' });
    try {
      await t.waitFor((x) => x.includes('Sources'), 'the library');
      await t.keys('a');
      await t.waitFor((x) => x.includes('Add a source') && x.includes('local folder'), 'the kind chooser');
      await t.keys(KEY.right, KEY.enter);
      await t.waitFor((x) => x.includes('Add source: Jellyfin server') && x.includes('Server URL'), 'the Jellyfin form');
      await t.keys(KEY.ctrlU, jf.url, KEY.tab, 'alice', KEY.tab, 'wrong', KEY.enter);
      let text = await t.waitFor((x) => x.includes('check the user name and password'), 'the refusal');
      assert.match(text, /✖ .*refused user "alice"/);
      assert.doesNotMatch(text, /wrong/, 'the password is not shown');
      assert.match(text, /Password\s+\[•••••/);
      // The form focused the password field, the one named by the error.
      await t.keys(KEY.ctrlU, PASSWORD, KEY.enter);
      text = await t.waitFor((x) => x.includes('add libraries'), 'the libraries step');
      assert.match(text, /Jellyfin living-room 10\.10\.\d+: add libraries/);
      assert.match(text, /\[ \] TV Shows \(tvshows\) \/media\/tv/);
      await t.keys(KEY.enter);
      await t.waitFor((x) => x.includes('choose at least one library'), 'nothing chosen is refused');
      await t.keys(' ', KEY.enter);
      text = await t.waitFor((x) => /living-room – TV.*jellyfin\s+living-room: TV Shows\s+3\s.*✔ just now/.test(x), 'added and scanned', 20_000);
      assert.doesNotMatch(text, new RegExp(PASSWORD));
      await t.waitFor((x) => /Pilots\s+server\s+3/.test(x), "the server's playlist as a collection");
    } finally { await t.close(); }
  });

  test('Plex with plex.tv: code and link, approved, the server chosen, a library added', async () => {
    const t = await startTui({ api, initialView: 'library' });
    try {
      await t.waitFor((x) => x.includes('Sources'), 'the library');
      await t.keys('a');
      await t.waitFor((x) => x.includes('Add a source'), 'the kind chooser');
      await t.keys(KEY.right, KEY.right, KEY.right, KEY.enter);
      await t.waitFor((x) => x.includes('Add source: Plex server'), 'the Plex form');
      await t.keys(KEY.right, KEY.enter);
      const text = await t.waitFor((x) => x.includes('Sign in with Plex') && x.includes('app.plex.tv/auth'), 'the code and link');
      assert.match(text, /code [a-z0-9]{25} · valid until \d\d:\d\d UTC/);
      tv.approve(tv.lastPinId());
      await t.waitFor((x) => x.includes('Signed in with Plex: 1 server') && x.includes(plex.friendlyName) && !x.includes('app.plex.tv'), 'the servers step, the link closed', 10_000);
      await t.keys(KEY.enter);
      await t.waitFor((x) => x.includes(`Plex ${plex.friendlyName} 1.40.2.8395-c67dce28e: add libraries`), 'the libraries step');
      await t.keys(' ', KEY.enter);
      await t.waitFor((x) => /basement-plex – .*\s1\s.*✔ just now/.test(x), 'added and scanned', 20_000);
    } finally { await t.close(); }
  });

  test('an Archive.org item by identifier: a bad count at its field, then added and scanned', async () => {
    const t = await startTui({ api, initialView: 'library', cols: 140 });
    try {
      await t.waitFor((x) => x.includes('Sources'), 'the library');
      await t.keys('a');
      await t.waitFor((x) => x.includes('Add a source'), 'the kind chooser');
      await t.keys(KEY.left, KEY.left, KEY.left, KEY.enter);
      await t.waitFor((x) => x.includes('Add source: Archive.org'), 'the Archive.org form');
      await t.keys(KEY.right, KEY.right, KEY.tab, KEY.ctrlU, 'his_girl_friday_1940', KEY.tab, KEY.ctrlU, '0', KEY.enter);
      await t.waitFor((x) => x.includes('must be a whole number, 1 or more'), 'a bad count at its field');
      await t.keys(KEY.ctrlU, '5', KEY.enter);
      await t.waitFor((x) => x.includes('added Archive.org source'), 'added');
      const src = (await api.engine.sources.list()).find((s) => s.kind === 'archive');
      assert.ok(src, 'an archive source exists');
    } finally { await t.close(); }
  });

  test('an IPTV playlist; a row\'s health summary coloured by its state', async () => {
    const file = join(dir, 'news.m3u');
    await writeFile(file, '#EXTM3U\n#EXTINF:-1 tvg-id="news",News 24\nhttp://127.0.0.1:9/news.ts\n');
    // The API adds `health` to live sources' rows; here a transport adds it to every row.
    const inject = injectTransport(api.app);
    const client = new ApiClient(async (method, path, body) => {
      const r = await inject(method, path, body);
      if (method !== 'GET' || path !== '/api/sources') return r;
      const rows = (JSON.parse(r.text) as { kind: string }[]).map((s) => (s.kind === 'iptv' ? { ...s, health: { state: 'down', summary: '1 of 1 streams down' } } : s));
      return { ...r, text: JSON.stringify(rows) };
    });
    const t = await startTui({ api, client, initialView: 'library', cols: 140 });
    try {
      await t.waitFor((x) => x.includes('Sources'), 'the library');
      await t.keys('a');
      await t.waitFor((x) => x.includes('Add a source'), 'the kind chooser');
      await t.keys(KEY.left, KEY.enter);
      await t.waitFor((x) => x.includes('Add source: IPTV playlist'), 'the IPTV form');
      await t.keys(file, KEY.tab, KEY.ctrlU, 'x', KEY.enter);
      await t.waitFor((x) => x.includes('must be a whole number of minutes'), 'a bad slot at its field');
      await t.keys(KEY.ctrlU, '30', KEY.enter);
      const text = await t.waitFor((x) => x.includes('added IPTV source') && x.includes('1 of 1 streams down'), 'added, with its health');
      assert.match(text, /news\.m3u\s+1\s.*1 of 1 streams down/);
    } finally { await t.close(); }
  });
});
