// End to end at 80×24 in a real terminal (tmux), attached to `exstreamtv serve` with the demo
// library whose movies were overwritten with junk: the footer keeps each view's own keys, the
// error detail of a failing channel shows the whole error, its ffmpeg command and stderr lines, a
// prompt's last value is replaced by typing, and the `:` palette runs another view's action.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, cli, freePort, startServe } from '../helpers/cli.js';
import { tmuxServer } from './tmux-server.js';
const ENV = 'env NCURSES_NO_UTF8_ACS=1 LANG=C.UTF-8';

describe('tui: 80×24 in tmux', { timeout: 240_000 }, () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'exs-tui-80-'));
    const demo = await cli(['demo', '--data-dir', dir], {}, 180_000);
    assert.equal(demo.code, 0, demo.stderr);
    // Channel 2.1 plays the movies: junk in their place makes ffmpeg fail on them.
    const movies = join(dir, 'demo-media', 'Movies');
    for (const f of await readdir(movies)) await writeFile(join(movies, f), 'not a video at all\n'.repeat(100));
  });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  test('footer keys, error detail, prompt replacement, palette across views', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const serve = await startServe(['--data-dir', dir, '--port', String(port), '--bind', '127.0.0.1'], url);
    const t = tmuxServer();
    const { keys, text, waitFor } = t;
    const footer = (pane: string) => pane.trimEnd().split('\n').at(-1)!;
    const ac = new AbortController();
    try {
      await t.open(`${ENV} ${process.execPath} ${BIN} --url ${url}`, 80, 24);
      let pane = await waitFor((x) => x.includes('Live sessions'), 'the dashboard');
      assert.match(footer(pane), /X stop/, 'the Dashboard keeps its stop key at 80 columns');

      // A viewer tunes the broken channel: its session fails.
      const res = await fetch(`${url}/stream/channels/2.1.ts`, { signal: ac.signal });
      const reading = (async () => { try { for await (const _ of res.body as unknown as AsyncIterable<Uint8Array>) { /* drain */ } } catch { /* aborted */ } })();
      pane = await waitFor((x) => /2\.1 .*✖ /.test(x), 'the session with its error', 60_000);
      await keys('i');
      pane = await waitFor((x) => x.includes('Error detail — channel 2.1'), 'the error detail');
      assert.match(pane, /Error: Invalid data found when processing input +│\n.*│ \(file:.*Movies/, 'the reason first, then the file');
      assert.match(pane, /ffmpeg command \(y copies it\):/);
      assert.match(pane, /ffmpeg -hide_banner .*\n.* -i\s/);
      await keys('G');
      pane = await waitFor((x) => /Last \d+ stderr lines?:/.test(x) && / \d+-(\d+)\/\1 /.test(x), 'scrolled to the stderr lines');
      assert.match(pane, /Invalid data found when processing input|EBML header|moov atom/);
      assert.ok(pane.split('\n').every((l) => [...l].length <= 80));
      await keys('Escape');
      ac.abort();
      await reading;

      // Footers of other views keep their own keys.
      await keys('2');
      pane = await waitFor((x) => x.includes('Demo Movies'), 'Channels');
      assert.match(footer(pane), /a add .*t tune .*X stop/);
      await keys('4');
      pane = await waitFor((x) => x.includes('Collections'), 'Library');
      assert.match(footer(pane), /n new coll/);

      // Prompt replacement: the last search is pre-filled and selected; typing replaces it.
      await keys('f');
      await waitFor((x) => x.includes('Search the library'), 'the search prompt');
      await text('Pilot');
      await keys('Enter');
      await waitFor((x) => x.includes('Search "Pilot"'), 'the first search');
      await keys('f');
      await waitFor((x) => x.includes('type to replace'), 'the prompt with the last value selected');
      await text('Zoom');
      await keys('Enter');
      pane = await waitFor((x) => x.includes('Search "Zoom"'), 'the second search replaced the first');
      assert.doesNotMatch(pane, /PilotZoom/);

      // The palette finds another view's action and runs it there.
      await keys('1');
      await waitFor((x) => x.includes('Live sessions'), 'back on the dashboard');
      await keys(':');
      await waitFor((x) => x.includes('Command'), 'the palette');
      await text('back up the database');
      pane = await waitFor((x) => x.includes('Tuner: back up the database now'), 'a Tuner action found from the Dashboard');
      await keys('Enter');
      await waitFor((x) => x.includes('[6 Tuner]') && /backed up to /.test(x), 'the Tuner view ran it');
    } finally {
      ac.abort();
      await t.kill();
      const code = await serve.stop();
      assert.equal(code, 0, serve.output());
    }
  });
});
