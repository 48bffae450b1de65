// `exstreamtv source` against the fake Jellyfin, in-process mode over a temp data dir: list
// libraries, add one (password from the environment, exchanged once), check it, refuse bad tokens.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFakeJellyfin, type FakeJellyfin } from '../fakes/jellyfin.js';
import { cli } from '../helpers/cli.js';

describe('CLI: source (Jellyfin)', () => {
  let jf: FakeJellyfin;
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'exstreamtv-cli-source-'));
    jf = await startFakeJellyfin({ users: { alice: 'pw 1' } });
    const lib = jf.addLibrary('Movies', 'movies', '/media/movies');
    jf.addMovie(lib, { name: 'Heat', year: 1995, seconds: 10_200 });
    jf.addMovie(lib, { name: 'Ronin', year: 1998, seconds: 7_320 });
  });
  after(async () => {
    await jf.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('every source subcommand has --help', async () => {
    for (const c of ['source', 'source libraries', 'source add', 'source check', 'source path-map', 'source guide-reload']) {
      const r = await cli([...c.split(' '), '--help']);
      assert.equal(r.code, 0, `${c}: ${r.stderr}`);
      assert.match(r.stdout, /Usage: exstreamtv source/, c);
    }
  });

  it('libraries, add (and scan), check; a wrong token is one line naming what to fix', async () => {
    let r = await cli(['source', 'libraries', 'jellyfin', jf.url, '--data-dir', dir], { EXSTREAMTV_SERVER_TOKEN: jf.apiKey });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`ok: ${jf.serverName} 10\\.10\\.\\d+`));
    assert.match(r.stdout, /Movies\s+movies\s+\/media\/movies/);
    r = await cli(['source', 'add', 'jellyfin', jf.url, '--user', 'alice', '--library', 'Movies', '--path-map', '/media/movies=/mnt/movies', '--data-dir', dir, '--json'],
      { EXSTREAMTV_SERVER_PASSWORD: 'pw 1' });
    assert.equal(r.code, 0, r.stderr);
    const [s] = JSON.parse(r.stdout);
    assert.deepEqual([s.kind, s.items, s.config.pathMap], ['jellyfin', 2, [{ from: '/media/movies', to: '/mnt/movies' }]]);
    r = await cli(['source', 'check', String(s.id), '--data-dir', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /ok: living-room/);
    r = await cli(['source', 'libraries', 'jellyfin', jf.url, '--data-dir', dir], { EXSTREAMTV_SERVER_TOKEN: 'nope' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: token: Jellyfin at http:\/\/127\.0\.0\.1:\d+ refused the credentials \(HTTP 401\): check the token/);
    r = await cli(['source', 'add', 'jellyfin', jf.url, '--library', 'Movies', '--data-dir', dir], { EXSTREAMTV_SERVER_TOKEN: '' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /give --user NAME/);
  });
});
