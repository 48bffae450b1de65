// "Sign in with Plex" over the real API and CLI, against the fake plex.tv and the fake Plex Media
// Server on 127.0.0.1: a strong PIN and its link, waiting until approved, the account's servers
// (local connections first, tokens never shown), adding a library by the PIN with the server's own
// token and the PIN's client identifier persisted; expiry, an unapproved PIN, plex.tv unreachable.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawn } from 'node:child_process';
import { tokenFile } from '../../src/engine/library/servers/tokens.js';
import { PlexSignIn } from '../../src/engine/services/plex-sign-in.js';
import { startFakePlex, type FakePlex } from '../fakes/plex.js';
import { startFakePlexTv, type FakePlexTv } from '../fakes/plex-tv.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { BIN } from '../helpers/cli.js';

describe('plex.tv sign-in', () => {
  let t: TestApi;
  let plex: FakePlex;
  let tv: FakePlexTv;

  before(async () => {
    plex = await startFakePlex();
    const movies = plex.addSection('Movies', 'movie', '/data/movies');
    plex.addMovie(movies, { title: 'Heat', year: 1995, seconds: 10_200 });
    tv = await startFakePlexTv();
    // The relay is listed first by plex.tv; an unreachable local address too: local, then remote, then relay.
    tv.addServer({ name: plex.friendlyName, machineIdentifier: plex.machineIdentifier, accessToken: plex.token, uris: [
      { uri: 'https://203-0-113-7.abc.plex.direct:8443', local: false, relay: true },
      { uri: 'http://127.0.0.1:9', local: true },
      { uri: plex.url, local: true },
    ] });
    t = await startApi({ config: { plexTvUrl: tv.url } });
    t.engine.servers.timeoutMs = 1500;
  });
  after(async () => {
    assert.deepEqual(t.serverErrors, [], 'no 5xx replies');
    await t.close();
    await plex.close();
    await tv.close();
  });

  it('PIN, link, waiting, approval, servers; a library added by the PIN keeps the server token and client id', async () => {
    const start = await t.call('POST', '/api/servers/plex/pins');
    assert.equal(start.status, 201, JSON.stringify(start.body));
    const { id, code, authUrl } = start.body;
    assert.match(code, /^[a-z0-9]{25}$/, 'a strong PIN');
    const link = new URL(authUrl);
    assert.equal(link.origin, 'https://app.plex.tv');
    const clientId = new URLSearchParams(link.hash.slice(2)).get('clientID');
    assert.equal(new URLSearchParams(link.hash.slice(2)).get('code'), code);
    assert.equal(tv.log[0]!.clientId, clientId, 'the PIN was made with the client id the link names');

    assert.deepEqual((await t.call('GET', `/api/servers/plex/pins/${id}`)).body, { id, state: 'waiting', servers: [] });
    const early = await t.rejects('POST', '/api/servers/sources', { kind: 'plex', url: plex.url, plexPin: id, library: 'Movies' }, 400, 'plexPin');
    assert.match(early.message, new RegExp(`not approved yet: open the link, enter code ${code}`));

    tv.approve(id);
    const st = await t.call('GET', `/api/servers/plex/pins/${id}`);
    assert.equal(st.status, 200);
    assert.deepEqual(st.body.servers, [{ name: plex.friendlyName, id: plex.machineIdentifier, version: '1.40.2.8395-c67dce28e', owned: true,
      uris: ['http://127.0.0.1:9', plex.url, 'https://203-0-113-7.abc.plex.direct:8443'] }], 'servers only, local first, relay last');
    assert.ok(!JSON.stringify(st.body).includes(plex.token) && !JSON.stringify(st.body).includes(tv.accountToken), 'no token leaves the box');
    assert.ok(tv.log.every((r) => r.clientId === clientId && r.product === 'EXStreamTV'));

    const added = await t.call('POST', '/api/servers/sources', { kind: 'plex', url: plex.url, plexPin: id, library: 'Movies' });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.equal((await readFile(tokenFile(t.engine.config.dataDir, added.body.id), 'utf8')).trim(), plex.token, "the server's own token");
    assert.equal(added.body.config.deviceId, clientId, 'the PIN\'s client identifier is the persisted X-Plex-Client-Identifier');
    assert.ok(plex.log.filter((r) => r.path !== '/identity').every((r) => r.token === plex.token && r.clientId === clientId));

    tv.expire(id);
    // Approved PINs stay usable here until they expire locally (the tokens are already known).
    assert.equal((await t.call('GET', `/api/servers/plex/pins/${id}`)).body.state, 'signed-in');
  });

  it('expired PIN, unknown PIN, a PIN for Jellyfin, plex.tv unreachable', async () => {
    const { body: { id } } = await t.call('POST', '/api/servers/plex/pins');
    tv.expire(id);
    assert.equal((await t.call('GET', `/api/servers/plex/pins/${id}`)).body.state, 'expired');
    assert.equal((await t.call('GET', `/api/servers/plex/pins/${id}`)).status, 404, 'forgotten once expired');
    await t.rejects('POST', '/api/servers/sources', { kind: 'plex', url: plex.url, plexPin: id, library: 'Movies' }, 400, 'plexPin');
    await t.rejects('POST', '/api/servers/check', { kind: 'jellyfin', url: plex.url, plexPin: 5 }, 400, 'plexPin');
    await t.rejects('POST', '/api/servers/check', { kind: 'plex', url: plex.url, plexPin: 5, token: 'x' }, 400, 'plexPin');
    const down = new PlexSignIn('http://127.0.0.1:9');
    await assert.rejects(down.start(), (err: Error) => /^plexTvUrl: cannot reach plex\.tv at http:\/\/127\.0\.0\.1:9 .*check the URL/.test(err.message));
  });

  it('CLI: source add plex --sign-in shows the code and link, waits, finds the server that answers, adds and scans', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'exstreamtv-cli-plex-'));
    try {
      const child = spawn(process.execPath, [BIN, 'source', 'add', 'plex', '--sign-in', '--library', 'Movies', '--data-dir', dir, '--json'],
        { env: { ...process.env, EXSTREAMTV_PLEX_TV_URL: tv.url }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      const exited = new Promise<number | null>((r) => child.on('close', r));
      const pinId = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no PIN shown:\n${err}`)); }, 60_000);
        child.stderr.on('data', (d) => {
          err += d;
          if (/\(code [a-z0-9]{25};/.test(err)) { clearTimeout(timer); resolve(tv.lastPinId()); }
        });
      });
      tv.approve(pinId);
      const code = await exited;
      assert.equal(code, 0, err);
      assert.match(err, /Sign in with Plex: open https:\/\/app\.plex\.tv\/auth#\?clientID=/);
      assert.match(err, new RegExp(`using ${plex.friendlyName} at ${plex.url.replace(/[.]/g, '\\.')}`), 'the unreachable local address was skipped');
      const [s] = JSON.parse(out);
      assert.deepEqual([s.kind, s.items], ['plex', 1]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
