// `exstreamtv tuner` shows the identity and the tune URLs and `tuner set` changes them (as the TUI's
// Tuner `n` does); mistyped commands and options get the right spelling, and an API error about a
// field the user gave as a flag names that flag as typed.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli } from '../helpers/cli.js';

describe('cli: tuner, flag spellings', () => {
  let dir: string;
  const run = (...args: string[]) => cli(['--data-dir', dir, ...args]);
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'exs-tuner-cli-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  it('tuner set changes the friendly name and DeviceID; tuner shows them with the URLs', async () => {
    const set = await run('tuner', 'set', '--friendly-name', 'Den TV', '--device-id', 'new');
    assert.equal(set.code, 0, set.stderr);
    const id = /DeviceID ([0-9A-F]{8}), friendly name "Den TV"/.exec(set.stdout)?.[1];
    assert.ok(id, set.stdout);
    const show = await run('tuner');
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /^Friendly name Den TV$/m);
    assert.match(show.stdout, new RegExp(`^DeviceID      ${id}$`, 'm'));
    assert.match(show.stdout, /^M3U playlist  http:\/\/[\d.]+:8410\/iptv\/channels\.m3u$/m);
    assert.match(show.stdout, /^  Channels    Sources → \+ HDHomeRun: [\d.]+:8410$/m);
    const json = JSON.parse((await run('tuner', 'show', '--json')).stdout) as { deviceId: string; urls: { xmltv: string } };
    assert.equal(json.deviceId, id);
    assert.match(json.urls.xmltv, /\/iptv\/xmltv\.xml$/);
  });

  it('a bad DeviceID is refused naming --device-id, nothing changed', async () => {
    const before = JSON.parse((await run('tuner', 'show', '--json')).stdout) as { deviceId: string };
    const r = await run('tuner', 'set', '--device-id', '12345678');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: --device-id: 12345678 is not a valid HDHomeRun DeviceID/);
    assert.doesNotMatch(r.stderr, /deviceId/);
    const after = JSON.parse((await run('tuner', 'show', '--json')).stdout) as { deviceId: string };
    assert.equal(after.deviceId, before.deviceId);
  });

  it('mistyped commands and options get a suggestion; field errors name the flag (--logo)', async () => {
    const cmd = await run('chanel', 'list');
    assert.equal(cmd.code, 2);
    assert.match(cmd.stderr, /unknown command 'chanel'\n\(Did you mean channel\?\)/);
    const opt = await run('tuner', 'set', '--frendly-name', 'X');
    assert.equal(opt.code, 2);
    assert.match(opt.stderr, /unknown option '--frendly-name'\n\(Did you mean --friendly-name\?\)/);
    const logo = await run('channel', 'add', '5', '--name', 'Five', '--logo', '/etc/hostname');
    assert.equal(logo.code, 1);
    assert.match(logo.stderr, /^error: --logo: must be a readable image file under a library folder or in /);
  });
});
