// End-to-end in a real terminal (tmux): `exstreamtv serve` with the demo library, the TUI attached
// to it at 120×40; create a channel through the form, tune it with an outside client, watch the
// dashboard show the session, its viewer and its bitrate, quit with exit code 0. And a crash:
// the terminal is restored and the exit code is 1.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, cli, freePort, startServe } from '../helpers/cli.js';
import { haveTools, TOOLS } from '../helpers/tools.js';
import { tmuxServer } from './tmux-server.js';

const CRASH = fileURLToPath(new URL('./fixtures/crash.js', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const ENV = 'env NCURSES_NO_UTF8_ACS=1 LANG=C.UTF-8';

describe('tui: end to end in tmux', { timeout: 240_000 }, () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'exs-tui-e2e-'));
    const demo = await cli(['demo', '--data-dir', dir], {}, 180_000);
    assert.equal(demo.code, 0, demo.stderr);
  });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  test('attach to the daemon, add a channel, tune it, see the session live, quit with 0', async (ctx) => {
    if (!haveTools(ctx, [TOOLS.tmux])) return;
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const serve = await startServe(['--data-dir', dir, '--port', String(port)], url);
    const t = tmuxServer();
    const ac = new AbortController();
    try {
      // The exit status: tmux 3.3a's pane_dead_status (and the pane's last lines) race the pane's
      // end here — sometimes the status never arrives, sometimes the last output is dropped — so the
      // shell also writes it to a file. remain-on-exit keeps the pane to check the screen mode.
      const statusFile = join(dir, 'tui-exit-status');
      await t.open(`${ENV} ${process.execPath} ${BIN} --data-dir ${dir} --port ${port}; echo $? > ${statusFile}`);
      let pane = await t.waitFor((x) => x.includes('Live sessions') && x.includes('● live'), 'the dashboard attached to the daemon');
      assert.match(pane, new RegExp(`http://127\\.0\\.0\\.1:${port} \\(daemon\\)`));

      await t.keys('2');
      await t.waitFor((x) => x.includes('Demo Movies'), 'the demo channels');
      await t.keys('a');
      await t.waitFor((x) => x.includes('Add channel') && x.includes('collection Demo movies'), 'the add form');
      await t.text('7');
      await t.keys('Tab');
      await t.text('E2E Seven');
      for (let i = 0; i < 6; i++) await t.keys('Tab');
      await t.keys('Space');
      await t.waitFor((x) => x.includes('[x] collection Demo movies'), 'content chosen');
      await t.keys('Enter');
      await t.waitFor((x) => x.includes('added channel 7 "E2E Seven"'), 'the channel added');
      await t.waitFor((x) => /│7\s+E2E Seven\s+✔ on/.test(x), 'the channel listed');

      // An outside client tunes it.
      await t.keys('1');
      let bytes = 0;
      const res = await fetch(`${url}/stream/channels/7.ts`, { signal: ac.signal });
      assert.equal(res.status, 200);
      const reading = (async () => {
        try { for await (const c of res.body as unknown as AsyncIterable<Uint8Array>) bytes += c.length; } catch { /* aborted */ }
      })();
      pane = await t.waitFor((x) => /│7\s+E2E Seven\s+1\s+\d+m\d\ds .*libx264.*\s[1-9]\d*k\s+[▁▂▃▄▅▆▇█ ]+\s+\d+ /.test(x), 'the session: 1 viewer, non-zero bitrate', 60_000);
      assert.match(pane, /tuners 1\/\d+/);
      assert.match(pane, /\[7\] session started/);
      assert.ok(bytes > 0, 'the client received MPEG-TS');
      ac.abort();
      await reading;
      await t.waitFor((x) => /│7\s+E2E Seven\s+0\s/.test(x), 'the viewer left', 20_000);

      await t.keys('q');
      await t.waitFor((x) => x.includes('Quit EXStreamTV?') && x.includes('[y/N]'), 'quit asks');
      await t.keys('y');
      const end = Date.now() + 15_000;
      let status = '';
      while (!(status = await readFile(statusFile, 'utf8').catch(() => '')) && Date.now() < end) await sleep(100);
      assert.equal(status.trim(), '0', 'exit code 0');
      const st = await t.dead();
      assert.equal(st.alt, false, 'the terminal is back on the normal screen');
      if (st.status !== null) assert.equal(st.status, 0);
    } finally {
      ac.abort();
      await t.kill();
      const code = await serve.stop();
      assert.equal(code, 0, serve.output());
    }
  });

  test('a hang-up (terminal gone, as when SSH drops) stops the in-process server and exits', async (ctx) => {
    if (!haveTools(ctx, [TOOLS.tmux])) return;
    const hupDir = await mkdtemp(join(tmpdir(), 'exs-tui-hup-'));
    const port = await freePort();
    const t = tmuxServer();
    try {
      await t.open(`exec ${ENV} ${process.execPath} ${BIN} --data-dir ${hupDir} --port ${port}`);
      await t.waitFor((x) => x.includes('Live sessions') && x.includes('(in-process)'), 'the TUI serving in-process');
      const pid = Number((await t.tmux('display-message', '-p', '-t', t.session, '#{pane_pid}')).trim());
      assert.equal((await fetch(`http://127.0.0.1:${port}/api/status`)).status, 200);
      await t.tmux('kill-session', '-t', t.session);
      const end = Date.now() + 15_000;
      const alive = () => { try { process.kill(pid, 0); return true; } catch { return false; } };
      while (alive() && Date.now() < end) await sleep(100);
      assert.equal(alive(), false, 'the TUI process ended');
      await assert.rejects(fetch(`http://127.0.0.1:${port}/api/status`), 'its server is closed');
    } finally {
      await t.kill();
      await rm(hupDir, { recursive: true, force: true });
    }
  });

  test('a crash restores the terminal (normal screen, cooked mode), prints the error, exits 1', async (ctx) => {
    if (!haveTools(ctx, [TOOLS.tmux])) return;
    const crashDir = await mkdtemp(join(tmpdir(), 'exs-tui-crash-'));
    const port = await freePort();
    const t = tmuxServer();
    try {
      await t.open(`${ENV} ${process.execPath} ${CRASH} ${crashDir} ${port}; echo "EXIT=$?"; stty -a | tr ' ;' '\\n\\n' | grep -x -e -icanon -e icanon; sleep 60`, 100, 30);
      await t.waitFor((x) => x.includes('Live sessions') && x.includes('in-process'), 'the TUI up (serving in-process)');
      assert.equal((await t.dead()).alt, true, 'on the alternate screen while up');
      // The shell prints EXIT= and then stty's answer: wait for both.
      const pane = await t.waitFor((x) => x.includes('EXIT=') && /^-?icanon$/m.test(x), 'the crash and the tty mode after it', 20_000);
      assert.match(pane, /exstreamtv: the terminal UI crashed: Error: boom: a bug in a view/);
      assert.match(pane, /stopping the in-process server/);
      assert.match(pane, /EXIT=1/);
      assert.match(pane, /^icanon$/m, 'the tty is back in cooked (canonical) mode');
      assert.equal((await t.dead()).alt, false, 'back on the normal screen');
    } finally {
      await t.kill();
      await rm(crashDir, { recursive: true, force: true });
    }
  });
});
