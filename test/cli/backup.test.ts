// `exstreamtv backup …`: the real binary, in-process over a temp data dir (no daemon).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';

describe('cli: backup', () => {
  let dir: string;
  const run = (...args: string[]) => cli([...args, '--data-dir', dir]);
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'exs-backup-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  test('every backup subcommand has --help', async () => {
    for (const c of ['backup', 'backup list', 'backup create', 'backup restore', 'backup delete']) {
      const r = await cli([...c.split(' '), '--help']);
      assert.equal(r.code, 0, `${c}: ${r.stderr}`);
      assert.match(r.stdout, /Usage: exstreamtv backup/, c);
    }
    assert.match((await cli(['backup', '--help'])).stdout, /EXSTREAMTV_BACKUP_KEEP/);
  });

  test('list (empty), create, list, restore (needs --yes), delete', async () => {
    let r = await run('backup', 'list');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /no backups yet/);

    r = await run('channel', 'add', '5', '--name', 'Five');
    assert.equal(r.code, 0, r.stderr);
    r = await run('backup', 'create');
    assert.equal(r.code, 0, r.stderr);
    const name = /backed up to (exstreamtv-\d{8}T\d{6}Z-manual\.db) \(/.exec(r.stdout)?.[1];
    assert.ok(name, r.stdout);
    r = await run('backup', 'create', '--reason', 'before-upgrade', '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).reason, 'before-upgrade');
    r = await run('backup', 'create', '--reason', 'Not OK');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /reason: must be lowercase words/);

    r = await run('backup', 'list');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /NAME\s+TAKEN\s+SIZE\s+REASON\s+SCHEMA/);
    assert.match(r.stdout, new RegExp(`${name!.replace(/\./g, '\\.')}\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\s+[\\d.]+ KiB\\s+manual\\s+v\\d+`));
    r = await run('backup', 'list', '--json');
    const list = JSON.parse(r.stdout) as { dir: string; keep: number; backups: { name: string; reason: string }[] };
    assert.equal(list.dir, join(dir, 'backups'));
    assert.equal(list.keep, 7);
    assert.deepEqual(list.backups.map((b) => b.reason), ['before-upgrade', 'manual']);

    r = await run('channel', 'add', '6', '--name', 'Six');
    assert.equal(r.code, 0, r.stderr);
    r = await run('backup', 'restore', name!);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /replaces channels, schedules, library and settings .*repeat with --yes/);
    r = await run('backup', 'restore', name!, '--yes');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`restored ${name!.replace(/\./g, '\\.')}`));
    assert.match(r.stdout, /the database as it was before is exstreamtv-\d{8}T\d{6}Z-pre-restore\.db/);
    r = await run('channel', 'list', '--json');
    assert.deepEqual((JSON.parse(r.stdout) as { number: string }[]).map((c) => c.number), ['5']);

    r = await run('backup', 'restore', 'exstreamtv-20990101T000000Z-manual.db', '--yes');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /not found/);
    r = await run('backup', 'delete', name!);
    assert.equal(r.code, 2);
    r = await run('backup', 'rm', name!, '--yes');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /deleted backup/);
    r = await run('backup', 'list', '--json');
    assert.deepEqual((JSON.parse(r.stdout) as { backups: { reason: string }[] }).backups.map((b) => b.reason), ['pre-restore', 'before-upgrade']);
  });
});
