// The real detection on this machine (no GPU): software verified for every codec, each hardware
// kind unavailable with ffmpeg's own reason; cached per ffmpeg binary. (Its speed: bench/detect.ts.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus } from '../../src/engine/events.js';
import { HW_KINDS } from '../../src/schemas/encoders.js';
import { HwService, resolveBinary } from '../../src/hw/service.js';
import type { HwReport } from '../../src/schemas/hw.js';
import { FFMPEG } from '../helpers/media.js';

/** What ffmpeg says for each kind here (HARDWARE.md lists the same messages). */
const EXPECTED: Record<string, RegExp> = {
  nvenc: /Cannot load libcuda\.so\.1/,
  vaapi: /No VA display found/,
  qsv: /Device creation failed/,
  v4l2m2m: /Could not find a valid device/,
  amf: /Unknown encoder 'h264_amf'/,
  videotoolbox: /Unknown encoder 'h264_videotoolbox'/,
};

let dir: string;
let report: HwReport;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exs-hw-'));
  report = await new HwService(FFMPEG, dir, new EventBus()).report();
});
after(async () => { await rm(dir, { recursive: true, force: true }); });

describe('hw: the real probe on this machine', () => {
  test('software is verified for H.264, HEVC and MPEG-2 by real encodes', () => {
    const sw = report.kinds.find((k) => k.kind === 'software')!;
    assert.equal(sw.status, 'verified');
    assert.equal(sw.reason, null);
    assert.deepEqual(sw.codecs.map((c) => [c.codec, c.encoder, c.status]), [['h264', 'libx264', 'verified'], ['hevc', 'libx265', 'verified'], ['mpeg2', 'mpeg2video', 'verified']]);
    for (const c of sw.codecs) assert.ok(c.probeMs !== null && c.probeMs > 0);
  });

  test('every hardware kind is unavailable, with the ffmpeg message as the reason', (t) => {
    assert.deepEqual(report.kinds.map((k) => k.kind), [...HW_KINDS]);
    for (const k of report.kinds.filter((x) => x.kind !== 'software')) {
      t.diagnostic(`${k.kind}: ${k.status} — ${k.reason}`);
      assert.equal(k.status, 'unavailable', k.kind);
      assert.match(k.reason ?? '', EXPECTED[k.kind]!, k.kind);
      for (const c of k.codecs) assert.equal(c.status, 'unavailable', `${k.kind} ${c.codec}`);
      assert.ok(k.hints.length > 0, `${k.kind} has device hints`);
    }
    // Compiled in but not working: exactly the trap the probe exists for.
    const nv = report.kinds.find((k) => k.kind === 'nvenc')!;
    assert.equal(nv.codecs[0]!.compiled, true);
    assert.ok(report.capabilities.hwEncoders.includes('h264_nvenc'));
  });


  test('devices and tools as they are here', () => {
    assert.equal(report.devices.nvidia.exists, existsSync('/dev/nvidia0'));
    assert.equal(report.devices.libcuda, null);
    assert.equal(report.devices.render.length, 0);
    assert.equal(report.nvidiaSmi, null, 'nvidia-smi is not installed');
    assert.deepEqual(report.vaapi, [], 'no render node, so no vainfo');
    assert.ok(report.capabilities.hwaccels.includes('cuda'));
    assert.match(report.ffmpeg.version ?? '', /^\d+\.\d+/);
    assert.equal(report.ffmpeg.resolved, resolveBinary(FFMPEG));
  });

  test('cached per ffmpeg binary: in memory, on disk for the next process, and re-run on demand', async () => {
    const events = new EventBus();
    const logs: string[] = [];
    events.on('log', (e) => logs.push(e.msg));
    const svc = new HwService(FFMPEG, dir, events);
    const t0 = performance.now();
    const cached = await svc.report();
    assert.ok(performance.now() - t0 < 500, 'served from the cache file');
    assert.equal(cached.cached, true);
    assert.equal(cached.probedAt, report.probedAt);
    assert.equal(logs.length, 0, 'nothing probed');
    const file = JSON.parse(await readFile(join(dir, 'cache', 'hw.json'), 'utf8'));
    assert.equal(file.key.resolved, resolveBinary(FFMPEG));
    assert.equal(typeof file.key.mtimeMs, 'number');
    const fresh = await svc.report({ refresh: true });
    assert.equal(fresh.cached, false);
    assert.notEqual(fresh.probedAt, report.probedAt);
    assert.match(logs.join('\n'), /hardware probe: software verified/);
    // Another binary path is another cache key: no answer without probing.
    const other = new HwService('/bin/true', dir, new EventBus());
    assert.equal(other.current(), null);
    await other.close();
    await svc.close();
  });

  test('usability: software usable; hardware refused with the reason', async () => {
    const svc = new HwService(FFMPEG, dir, new EventBus());
    assert.deepEqual(svc.usability('software', 'hevc'), { usable: true, encoder: 'libx265', reason: null, status: 'verified' });
    const nv = svc.usability('nvenc', 'h264');
    assert.equal(nv.usable, false);
    assert.match(nv.reason ?? '', /Cannot load libcuda\.so\.1/);
    assert.deepEqual(svc.usability('nvenc', 'mpeg2'), { usable: false, encoder: '-', reason: 'NVIDIA NVENC has no MPEG-2 encoder', status: 'unavailable' });
    await svc.close();
  });

  test('without any cached verdict a single probe decides synchronously (never a guess)', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'exs-hw-empty-'));
    try {
      const svc = new HwService(FFMPEG, empty, new EventBus());
      assert.equal(svc.current(), null);
      const t0 = performance.now();
      const u = svc.usability('vaapi', 'h264');
      assert.equal(u.usable, false);
      assert.match(u.reason ?? '', /No VA display found/);
      assert.ok(performance.now() - t0 < 3000);
      assert.equal(svc.usability('software', 'h264').usable, true);
      await svc.close();
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
