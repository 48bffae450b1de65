// End-to-end: the real binary, real ffmpeg, real SQLite in a temp dir, real HTTP on 127.0.0.1.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, freePort, startServe } from '../helpers/cli.js';

const SUBCOMMANDS = ['serve', 'status', 'library', 'library add', 'library scan', 'library list', 'library items', 'library search', 'library rm', 'source', 'source add',
  'collection', 'collection add', 'collection list', 'collection add-items', 'collection remove-items', 'collection rm', 'collection rename', 'show', 'show list',
  'channel', 'channel add', 'channel edit', 'channel rm', 'channel list', 'timeline', 'demo',
  'schedule', 'schedule show', 'schedule set', 'schedule preview', 'schedule balance', 'schedule replicate', 'schedule consolidate',
  'session', 'session list', 'session stop', 'hw', 'profile', 'profile list', 'profile add', 'profile test', 'backup', 'backup list', 'backup create', 'backup restore', 'backup delete', 'logs'];

describe('cli: help and usage', () => {
  test('bare exstreamtv and --help print the command list', async () => {
    for (const args of [[], ['--help']]) {
      const r = await cli(args);
      assert.equal(r.code, 0, r.stderr);
      for (const c of ['serve', 'library', 'collection', 'channel', 'timeline', 'status', 'demo']) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
    }
  });

  test('every subcommand has --help', async () => {
    for (const c of SUBCOMMANDS) {
      const r = await cli([...c.split(' '), '--help']);
      assert.equal(r.code, 0, `${c}: ${r.stderr}`);
      assert.match(r.stdout, /Usage: exstreamtv/, c);
    }
  });

  test('unknown command and bad option exit 2', async () => {
    assert.equal((await cli(['nonsense'])).code, 2);
    assert.equal((await cli(['channel', 'list', '--bogus'])).code, 2);
  });

  test('invalid configuration names the key and exits 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'exs-cfg-'));
    try {
      let r = await cli(['status', '--data-dir', dir], { EXSTREAMTV_PORT: '99999' });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /port/);
      assert.match(r.stderr, /EXSTREAMTV_PORT/);
      await writeFile(join(dir, 'config.json'), JSON.stringify({ timelineDays: 'many' }));
      r = await cli(['status', '--data-dir', dir]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /timelineDays/);
      await writeFile(join(dir, 'config.json'), '{ not json');
      r = await cli(['status', '--data-dir', dir]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /config\.json/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('cli: demo, serve, list channels', () => {
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'exs-cli-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  test('demo builds a library and channels in-process; serve then answers the CLI over HTTP', async () => {
    const demo = await cli(['demo', '--data-dir', dir, '--json']);
    assert.equal(demo.code, 0, demo.stderr);
    const channels = JSON.parse(demo.stdout) as { number: string; name: string }[];
    assert.deepEqual(channels.map((c) => c.number), ['1', '2', '2.1']);

    const again = await cli(['demo', '--data-dir', dir]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /exists; left as it is/);

    const items = JSON.parse((await cli(['library', 'items', '--data-dir', dir, '--json'])).stdout) as { total: number; items: { status: string }[] };
    assert.equal(items.total, 6);
    assert.ok(items.items.every((i) => i.status === 'ok'));

    const port = await freePort();
    const flags = ['--data-dir', dir, '--port', String(port), '--bind', '127.0.0.1'];
    const serve = await startServe(flags, `http://127.0.0.1:${port}`);
    try {
      const status = JSON.parse((await cli(['status', ...flags, '--json'])).stdout) as { mode: string; channels: number };
      assert.equal(status.mode, 'daemon');
      assert.equal(status.channels, 3);

      const list = await cli(['channel', 'list', ...flags]);
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stdout, /2\.1\s+Demo Movies/);

      const tl = await cli(['timeline', '1', ...flags, '--hours', '1', '--json']);
      assert.equal(tl.code, 0, tl.stderr);
      const rows = (JSON.parse(tl.stdout) as { rows: { start: string; end: string; kind: string }[] }).rows;
      assert.ok(rows.length >= 100, `an hour of 20 s episodes: ${rows.length} rows`);
      for (let i = 1; i < rows.length; i++) assert.equal(rows[i]!.start, rows[i - 1]!.end);
      assert.ok(rows.every((r) => r.kind === 'item'));

      const shown = await cli(['schedule', 'show', '1', ...flags]);
      assert.equal(shown.code, 0, shown.stderr);
      const def = (JSON.parse(shown.stdout) as { definition: { main: { mode: string }; sources: unknown[] } }).definition;
      assert.equal(def.main.mode, 'flood');
      // The slot times are in UTC and the preview starts at a pinned midnight: the row count is the
      // same at any hour and in any server time zone (the 12:00 slot holds only 2 episodes).
      const slots = { ...def, timezone: 'UTC', main: { mode: 'time_slots', padToMin: 5, slots: [{ start: '00:00', source: 'main' }, { start: '12:00', source: 'main', fill: { mode: 'count', count: 2 } }] } };
      const file = join(dir, 'slots.json');
      await writeFile(file, JSON.stringify(slots));
      const prev = await cli(['schedule', 'preview', file, '--from', '2026-03-02T00:00:00Z', '--hours', '1', '--seed', '3', ...flags, '--json']);
      assert.equal(prev.code, 0, prev.stderr);
      assert.ok((JSON.parse(prev.stdout) as { rows: unknown[] }).rows.length > 10);
      const set = await cli(['schedule', 'set', '1', file, ...flags]);
      assert.equal(set.code, 0, set.stderr);
      await writeFile(file, JSON.stringify({ ...slots, main: { mode: 'time_slots', slots: [{ start: '00:00', source: 'nope' }] } }));
      const refused = await cli(['schedule', 'set', '1', file, ...flags]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /schedule\.main\.slots\.0\.source: no source "nope"/);

      const bad = await cli(['channel', 'add', 'abc', '--name', 'X', ...flags]);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /number/);
      const dup = await cli(['channel', 'add', '2.1', '--name', 'Dup', ...flags]);
      assert.equal(dup.code, 1);
      assert.match(dup.stderr, /already used/);

      const created = await cli(['channel', 'add', '7', '--name', 'Movies "Quoted" 100%', '--collection', 'Demo movies', '--order', 'shuffle', ...flags, '--json']);
      assert.equal(created.code, 0, created.stderr);
      assert.equal(JSON.parse(created.stdout).name, 'Movies "Quoted" 100%');
      const rm7 = await cli(['channel', 'rm', '7', '--yes', ...flags]);
      assert.equal(rm7.code, 0, rm7.stderr);
    } finally {
      assert.equal(await serve.stop(), 0, serve.output());
    }
  });
});
