// Finding the daemon: its runtime file in the data dir and in the system runtime dir (a temp dir
// here, as /run/exstreamtv for the service), the CLI and TUI attaching to a daemon on another port
// or to the service, one daemon per data dir (a lock that dies with its process), and "not
// running" lines that say where they looked and what to type.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attach } from '../../src/tui/attach.js';
import { acquireDataDirLock, lockHolder } from '../../src/daemon/lock.js';
import { cli, freePort, startServe } from '../helpers/cli.js';

describe('daemon discovery', () => {
  let root: string, dataDir: string, sysDir: string, home: string;
  let port: number;
  let serve: Awaited<ReturnType<typeof startServe>>;
  let env: Record<string, string>;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'exs-discovery-'));
    dataDir = join(root, 'service-data');
    sysDir = join(root, 'run');
    home = join(root, 'home');
    await mkdir(sysDir);
    await mkdir(home);
    // A user on the box: no data dir chosen, their own (empty) default one under $HOME.
    env = { EXSTREAMTV_RUNTIME_DIR: sysDir, HOME: home, XDG_DATA_HOME: '', EXSTREAMTV_DATA_DIR: '', EXSTREAMTV_PORT: '' };
    port = await freePort();
    serve = await startServe(['--data-dir', dataDir, '--port', String(port), '--bind', '127.0.0.1'], `http://127.0.0.1:${port}`, { EXSTREAMTV_RUNTIME_DIR: sysDir });
  });
  after(async () => {
    await serve?.stop();
    await rm(root, { recursive: true, force: true });
  });

  test('the daemon writes its runtime file in its data dir and in the system runtime dir', () => {
    for (const dir of [dataDir, sysDir]) {
      const info = JSON.parse(readFileSync(join(dir, 'daemon.json'), 'utf8')) as Record<string, unknown>;
      assert.equal(info.url, `http://127.0.0.1:${port}`);
      assert.equal(info.pid, serve.child.pid);
      assert.equal(info.dataDir, dataDir);
      assert.equal(info.role, 'serve');
    }
  });

  test('the CLI attaches to the daemon of its data dir on another port, and to the service without one', async () => {
    let r = await cli(['status', '--data-dir', dataDir, '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).mode, 'daemon', 'the configured port (8410) is not where it runs');

    r = await cli(['status', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout) as { mode: string; dataDir: string };
    assert.equal(s.mode, 'daemon');
    assert.equal(s.dataDir, dataDir, "the service's data, not an empty private one under $HOME");
    assert.equal(existsSync(join(home, '.local/share/exstreamtv/exstreamtv.db')), false);

    // A data dir of one's own is not the service's: in-process, saying where it looked.
    const mine = join(root, 'mine');
    r = await cli(['status', '--data-dir', mine], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /daemon not running/);
    assert.ok(r.stdout.includes(join(mine, 'daemon.json')), r.stdout);
    assert.ok(r.stdout.includes(join(sysDir, 'daemon.json')), r.stdout);
    assert.match(r.stdout, /--url http:\/\/HOST:PORT/);
  });

  test('the TUI attaches the same way', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      for (const g of [{}, { dataDir }]) {
        const a = await attach(g);
        try {
          assert.equal(a.info.mode, 'daemon', JSON.stringify(g));
          assert.equal(a.info.apiUrl, `http://127.0.0.1:${port}`);
          assert.equal((await a.client.status()).dataDir, dataDir);
        } finally { await a.close(); }
      }
      // No daemon for a data dir of its own: it serves in-process, says where it looked, and
      // holds the data dir like a daemon (a `serve` there is refused, naming the TUI).
      const mine = join(root, 'tui-own');
      const port2 = await freePort();
      const a = await attach({ dataDir: mine, port: String(port2) });
      try {
        assert.equal(a.info.mode, 'in-process');
        assert.ok(a.info.note?.includes(join(mine, 'daemon.json')), a.info.note);
        assert.match(a.info.note ?? '', /--url http:\/\/HOST:PORT/);
        assert.equal(JSON.parse(readFileSync(join(mine, 'daemon.json'), 'utf8')).role, 'tui');
        const r = await cli(['serve', '--data-dir', mine, '--port', String(await freePort()), '--bind', '127.0.0.1'], env, 30_000);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /already served by exstreamtv pid \d+ \(a terminal UI\)/);
        const s = await cli(['status', '--data-dir', mine, '--json'], env);
        assert.equal(JSON.parse(s.stdout).mode, 'daemon', 'other commands attach to the TUI meanwhile');
      } finally { await a.close(); }
      assert.equal(existsSync(join(mine, 'daemon.json')), false);
    } finally {
      for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
    }
  });

  test('a second daemon on the same data dir is refused, naming the first', async () => {
    const other = await freePort();
    const r = await cli(['serve', '--data-dir', dataDir, '--port', String(other), '--bind', '127.0.0.1'], env, 30_000);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`already served by exstreamtv pid ${serve.child.pid} \\(exstreamtv serve\\) at http://127\\.0\\.0\\.1:${port}`));
    assert.match(r.stderr, new RegExp(`--url http://127\\.0\\.0\\.1:${port}`));
    assert.equal(JSON.parse(readFileSync(join(dataDir, 'daemon.json'), 'utf8')).pid, serve.child.pid, 'its runtime file untouched');
  });
});

describe('the data dir lock', () => {
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'exs-lock-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  test('a live holder whose API is silent: the CLI refuses to open the database in-process', async () => {
    const data = join(dir, 'held');
    const silent = `http://127.0.0.1:${await freePort()}`;
    const lock = await acquireDataDirLock(data, { url: silent, pid: process.pid, dataDir: data, role: 'serve', startedAt: new Date().toISOString() });
    try {
      const r = await cli(['channel', 'list', '--data-dir', data], { EXSTREAMTV_RUNTIME_DIR: join(dir, 'run') });
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`already served by exstreamtv pid ${process.pid} .* at ${silent}`));
      assert.equal(existsSync(join(data, 'exstreamtv.db')), false, 'never opened');
    } finally { await lock.release(); }
    const r = await cli(['channel', 'list', '--data-dir', data, '--json'], { EXSTREAMTV_RUNTIME_DIR: join(dir, 'run') });
    assert.equal(r.code, 0, r.stderr);
  });

  test('clients that hang up at once do not hurt the holder', async () => {
    const data = join(dir, 'hangups');
    const info = { url: 'http://127.0.0.1:1', pid: process.pid, dataDir: data, role: 'serve' as const, startedAt: new Date().toISOString() };
    const lock = await acquireDataDirLock(data, info);
    try {
      const name = `\0exstreamtv/datadir/${statSync(data).dev}:${statSync(data).ino}`;
      // Connect and hang up before reading the holder's answer: its write meets EPIPE/ECONNRESET.
      await Promise.all(Array.from({ length: 50 }, () => new Promise<void>((resolve) => {
        const s = connect({ path: name }, () => { s.destroy(); resolve(); });
        s.on('error', () => resolve());
      })));
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(await lockHolder(data), info, 'still holding and answering');
    } finally { await lock.release(); }
  });

  test('dies with its process: after a SIGKILL a new daemon starts and a stale runtime file is ignored', async () => {
    const data = join(dir, 'killed');
    const port = await freePort();
    const run = join(dir, 'run2');
    const first = await startServe(['--data-dir', data, '--port', String(port), '--bind', '127.0.0.1'], `http://127.0.0.1:${port}`, { EXSTREAMTV_RUNTIME_DIR: run });
    const pid = first.child.pid!;
    first.child.kill('SIGKILL');
    await first.stop();
    assert.equal(JSON.parse(readFileSync(join(data, 'daemon.json'), 'utf8')).pid, pid, 'left behind by the kill');

    // Stale file: the CLI works in-process and says the daemon is not running.
    const r = await cli(['status', '--data-dir', data], { EXSTREAMTV_RUNTIME_DIR: run });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /daemon not running/);

    const port2 = await freePort();
    const second = await startServe(['--data-dir', data, '--port', String(port2), '--bind', '127.0.0.1'], `http://127.0.0.1:${port2}`, { EXSTREAMTV_RUNTIME_DIR: run });
    try {
      const info = JSON.parse(readFileSync(join(run, 'daemon.json'), 'utf8')) as { pid: number; url: string };
      assert.equal(info.pid, second.child.pid, 'the system slot of a dead daemon is taken over');
      assert.equal(info.url, `http://127.0.0.1:${port2}`);
    } finally {
      // A clean stop may wait for the hardware probe the daemon started (long on a loaded
      // machine): more patience than stop()'s SIGKILL after 10 s.
      const exited = new Promise<number | null>((r) => second.child.once('close', (code) => r(code)));
      second.child.kill('SIGTERM');
      assert.equal(await exited, 0, second.output());
    }
    assert.equal(existsSync(join(data, 'daemon.json')), false, 'removed on a clean stop');
    assert.equal(existsSync(join(run, 'daemon.json')), false);
  });

  test('the system slot belongs to the first live daemon', async () => {
    const run = join(dir, 'run3');
    await mkdir(run);
    // A live process (this one) holds the slot; a daemon started next leaves it alone.
    const mine = JSON.stringify({ url: 'http://127.0.0.1:1', pid: process.pid, dataDir: '/elsewhere', role: 'serve', startedAt: new Date().toISOString() });
    await writeFile(join(run, 'daemon.json'), mine);
    const port = await freePort();
    const d = await startServe(['--data-dir', join(dir, 'third'), '--port', String(port), '--bind', '127.0.0.1'], `http://127.0.0.1:${port}`, { EXSTREAMTV_RUNTIME_DIR: run });
    try {
      assert.equal(readFileSync(join(run, 'daemon.json'), 'utf8'), mine);
    } finally { await d.stop(); }
    assert.equal(readFileSync(join(run, 'daemon.json'), 'utf8'), mine, 'not removed by a daemon it does not belong to');
  });
});

