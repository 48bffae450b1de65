// The CLI: `exstreamtv hw` and `exstreamtv profile …`, the real binary in-process against a temp data dir.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';
import { FFMPEG } from '../helpers/media.js';

describe('profiles: CLI (hw, profile list|show|add|edit|rm|test|assign)', () => {
  let dir: string;
  const run = (...args: string[]) => cli([...args, '--data-dir', dir], { EXSTREAMTV_FFMPEG: FFMPEG, EXSTREAMTV_PORT: '1' });
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'exs-cli-hw-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  test('every new command has --help', async () => {
    for (const c of ['hw', 'profile', 'profile list', 'profile show', 'profile add', 'profile edit', 'profile rm', 'profile test', 'profile assign']) {
      const r = await cli([...c.split(' '), '--help']);
      assert.equal(r.code, 0, `${c}: ${r.stderr}`);
      assert.match(r.stdout, /Usage: exstreamtv/, c);
    }
    assert.match((await cli(['--help'])).stdout, /\bhw\b[\s\S]*\bprofile\b/);
  });

  test('hw: each kind verified or unavailable with the reason; --json; cached the second time; --refresh probes again', async () => {
    const r = await run('hw');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^software\s+verified\s+h264✓ hevc✓ mpeg2✓/m);
    assert.match(r.stdout, /^nvenc\s+unavailable\s+.*Cannot load libcuda\.so\.1/m);
    assert.match(r.stdout, /^vaapi\s+unavailable\s+.*No VA display found/m);
    assert.match(r.stdout, /^qsv\s+unavailable\s+.*Device creation failed/m);
    assert.match(r.stdout, /^v4l2m2m\s+unavailable\s+.*Could not find a valid device/m);
    assert.match(r.stdout, /^amf\s+unavailable\s+.*Unknown encoder 'h264_amf'/m);
    assert.match(r.stdout, /^videotoolbox\s+unavailable/m);
    assert.match(r.stdout, /Hints:\n[\s\S]*nvenc: no \/dev\/nvidia0/);
    const j = await run('hw', '--json');
    const report = JSON.parse(j.stdout);
    assert.equal(report.cached, true);
    assert.equal(report.kinds.length, 7);
    const fresh = JSON.parse((await run('hw', '--json', '--refresh')).stdout);
    assert.equal(fresh.cached, false);
  });

  test('profile list / show / add / edit / test / assign / rm', async () => {
    let r = await run('profile', 'list');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^software-720p\s+software\s+h264\s+1280x720\s+30\s+2500k\s+aac 160k\s+yes/m);
    assert.match(r.stdout, /^nvenc-1080p\s+nvenc.*no: NVIDIA NVENC \(h264_nvenc\) is unavailable here: Cannot load libcuda\.so\.1/m);
    r = await run('profile', 'show', 'vaapi-1080p');
    assert.match(r.stdout, /^usable\s+no: VA-API .* No VA display found/m);
    r = await run('profile', 'add', 'sd-25', '--from', 'software-480p', '--fps', '25', '--loudness', 'loudnorm', '--size', '720x576');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /added profile sd-25: software h264 720x576@25/);
    r = await run('profile', 'add', 'x', '--kind', 'nvenc', '--codec', 'mpeg2', '--size', '1280x720', '--bitrate', '2000');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /NVIDIA NVENC has no MPEG-2 encoder/);
    r = await run('profile', 'add', 'y');
    assert.equal(r.code, 2);
    r = await run('profile', 'edit', 'sd-25', '--bitrate', '1800', '--json');
    assert.equal(JSON.parse(r.stdout).videoBitrateK, 1800);
    r = await run('profile', 'test', 'sd-25', '--seconds', '1');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /sd-25 \(libx264\): ok — 25 frames in [\d.]+ s, [\d.]+ fps, [\d.]+x real time/);
    r = await run('profile', 'test', 'nvenc-1080p', '--seconds', '1');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /nvenc-1080p \(h264_nvenc\): failed — Cannot load libcuda\.so\.1/);
    assert.equal((await run('channel', 'add', '9', '--name', 'Nine')).code, 0);
    r = await run('profile', 'assign', 'sd-25', '9');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /channel 9 "Nine" now uses sd-25/);
    r = await run('profile', 'assign', 'qsv-1080p', '9');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot be used: Intel Quick Sync \(QSV\) \(h264_qsv\) is unavailable here: Device creation failed/);
    r = await run('profile', 'rm', 'sd-25', '--yes');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /used by channel 9/);
    assert.equal((await run('profile', 'assign', 'default', '9')).code, 0);
    r = await run('profile', 'rm', 'sd-25', '--yes');
    assert.equal(r.code, 0, r.stderr);
  });
});
