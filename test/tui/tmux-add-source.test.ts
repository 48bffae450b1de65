// End to end at 80×24 in a real terminal (tmux), attached to `exstreamtv serve`: the Library view's
// "add source" form adds a library of the fake Jellyfin (user and password, masked; the server's
// answer; the library ticked) and the scan's result shows in the Sources table, all within 80 columns.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeJellyfin, type FakeJellyfin } from '../fakes/jellyfin.js';
import { BIN, freePort, startServe } from '../helpers/cli.js';
import { tmuxServer } from './tmux-server.js';

const ENV = 'env NCURSES_NO_UTF8_ACS=1 LANG=C.UTF-8';
const PASSWORD = 'hunter2 hunter2';

describe('tui: add a media server at 80×24 in tmux', { timeout: 120_000 }, () => {
  let dir: string;
  let jf: FakeJellyfin;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'exs-tui-add-80-'));
    jf = await startFakeJellyfin({ users: { alice: PASSWORD } });
    const shows = jf.addLibrary('TV Shows', 'tvshows', '/media/tv');
    const s = jf.addSeries(shows, 'Severance');
    for (let e = 1; e <= 2; e++) jf.addEpisode(shows, s, { season: 1, episode: e, name: `Good News About Hell ${e}`, seconds: 3300 });
  });
  after(async () => {
    await jf.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('a → Jellyfin → URL, user, password → libraries → added and scanned', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const serve = await startServe(['--data-dir', dir, '--port', String(port), '--bind', '127.0.0.1'], url);
    const t = tmuxServer();
    const { keys, text, waitFor } = t;
    try {
      await t.open(`${ENV} ${process.execPath} ${BIN} --url ${url}`, 80, 24);
      await waitFor((x) => x.includes('Live sessions'), 'the dashboard');
      await keys('4');
      let pane = await waitFor((x) => x.includes('Collections'), 'Library');
      assert.match(pane.trimEnd().split('\n').at(-1)!, /a add/, 'the footer names the add key');
      await keys('a');
      await waitFor((x) => x.includes('Add a source'), 'the kind chooser');
      await keys('Right', 'Enter');
      await waitFor((x) => x.includes('Add source: Jellyfin server'), 'the Jellyfin form');
      await keys('C-u');
      await text(jf.url);
      await keys('Tab');
      await text('alice');
      await keys('Tab');
      await text(PASSWORD);
      pane = await waitFor((x) => x.includes('•'.repeat(PASSWORD.length)), 'the password as dots');
      assert.ok(!pane.includes('hunter2'), 'the password is never on screen');
      await keys('Enter');
      pane = await waitFor((x) => x.includes('add libraries') && x.includes('TV Shows'), 'the libraries step');
      assert.match(pane, /Jellyfin living-room 10\.10\.\d+: add libraries/);
      await keys('Space', 'Enter');
      pane = await waitFor((x) => /living-room – T.*TV Shows\s+2\s+✔ just now/.test(x), 'the source added and scanned', 30_000);
      assert.ok(pane.split('\n').every((l) => [...l].length <= 80), 'nothing past 80 columns');
      assert.equal(jf.log.filter((r) => r.path === '/Users/AuthenticateByName').length, 2, 'signed in once to check, once to add: the password was never stored');
    } finally {
      await t.kill();
      const code = await serve.stop();
      assert.equal(code, 0, serve.output());
    }
  });
});
