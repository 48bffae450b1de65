// Parsers of the detection, on outputs recorded from this machine (ffmpeg 5.1 lists, probe errors,
// ldconfig) and on sample vainfo / nvidia-smi outputs in their documented formats.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isM2mEncoderName, findLibrary, parseGroups } from '../../src/hw/devices.js';
import { kindHints, type Devices } from '../../src/hw/detect.js';
import { isHwEncoder, isHwFilter, parseEncoders, parseFilters, parseHwaccels, parseVersion } from '../../src/hw/ffmpeg-lists.js';
import { parseNvidiaSmi } from '../../src/hw/nvidia-smi.js';
import { probeReason } from '../../src/hw/probe.js';
import { parseVainfo, vaapiCanEncode } from '../../src/hw/vainfo.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/hw/fixtures/${name}`, import.meta.url), 'utf8');

describe('hw: ffmpeg capability lists (recorded from Debian 12 ffmpeg 5.1)', () => {
  test('-encoders: every encoder with its type; hardware ones listed although there is no GPU', () => {
    const enc = parseEncoders(fixture('ffmpeg-5.1-debian-encoders.txt'));
    assert.ok(enc.length > 150, `${enc.length} encoders`);
    const byName = new Map(enc.map((e) => [e.name, e]));
    assert.deepEqual(byName.get('libx264'), { name: 'libx264', type: 'video', flags: 'V....D', description: 'libx264 H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10 (codec h264)' });
    assert.equal(byName.get('aac')?.type, 'audio');
    assert.equal(byName.get('srt')?.type, 'subtitle');
    for (const n of ['h264_nvenc', 'hevc_nvenc', 'h264_qsv', 'h264_vaapi', 'mpeg2_vaapi', 'h264_v4l2m2m', 'libx265', 'mpeg2video']) assert.ok(byName.has(n), n);
    for (const n of ['h264_amf', 'h264_videotoolbox', 'mpeg2_nvenc']) assert.ok(!byName.has(n), `${n} is not built in`);
    // The legend lines above the rule are not encoders.
    assert.ok(!byName.has('=') && !enc.some((e) => e.name === 'Video'));
    const hw = enc.filter((e) => e.type === 'video' && isHwEncoder(e.name)).map((e) => e.name);
    assert.ok(hw.includes('h264_nvenc') && hw.includes('hevc_qsv') && !hw.includes('libx264'));
  });

  test('-hwaccels and -filters', () => {
    assert.deepEqual(parseHwaccels(fixture('ffmpeg-5.1-debian-hwaccels.txt')), ['vdpau', 'cuda', 'vaapi', 'qsv', 'drm', 'opencl', 'vulkan']);
    const filters = parseFilters(fixture('ffmpeg-5.1-debian-filters.txt'));
    const names = new Set(filters.map((f) => f.name));
    for (const n of ['scale_cuda', 'yadif_cuda', 'hwupload_cuda', 'scale_vaapi', 'deinterlace_vaapi', 'vpp_qsv', 'deinterlace_qsv', 'bwdif', 'overlay', 'subtitles', 'loudnorm', 'dynaudnorm']) {
      assert.ok(names.has(n), n);
    }
    assert.ok(!names.has('pad_vaapi') && !names.has('pad_cuda'), 'ffmpeg 5.1 has no GPU pad: we pad in system memory');
    assert.deepEqual(filters.find((f) => f.name === 'overlay'), { flags: 'TSC', name: 'overlay', io: 'VV->V', description: 'Overlay a video source on top of the input.' });
    assert.ok(isHwFilter('scale_cuda') && isHwFilter('hwupload') && isHwFilter('vpp_qsv') && !isHwFilter('scale') && !isHwFilter('bwdif'));
    assert.equal(parseVersion('ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers'), '5.1.9-0+deb12u1');
  });
});

describe('hw: probe failures say why in ffmpeg\'s words (stderr recorded from probes on this machine)', () => {
  const cases: [string, string][] = [
    ['nvenc', 'Cannot load libcuda.so.1'],
    ['vaapi', 'No VA display found for device /dev/dri/renderD128.'],
    ['qsv', 'Device creation failed: -542398533.'],
    ['v4l2m2m', 'Could not find a valid device'],
    ['amf', "Unknown encoder 'h264_amf'"],
    ['videotoolbox', "Unrecognized option 'prio_speed'."],
  ];
  for (const [kind, reason] of cases) {
    test(kind, () => assert.equal(probeReason(fixture(`probe-${kind}.stderr.txt`)), reason));
  }
  test('other shapes: the known line wins over generic ones; else the first line that is not boilerplate', () => {
    assert.equal(probeReason('[h264_nvenc @ 0x55d] OpenEncodeSessionEx failed: out of memory (10): (no details)\n[h264_nvenc @ 0x55d] No capable devices found\nError initializing output stream 0:0 -- Error while opening encoder'),
      'OpenEncodeSessionEx failed: out of memory (10): (no details)');
    assert.equal(probeReason("Failed to set value 'x' for option 'y': z\nsomething specific went wrong\n"), 'something specific went wrong');
    assert.equal(probeReason(''), null);
  });
});

describe('hw: vainfo', () => {
  test('Intel iHD (profile : entrypoint lines): H.264, HEVC and MPEG-2 encode', () => {
    const v = parseVainfo(fixture('vainfo-intel-ihd.txt'));
    assert.equal(v.driver, 'Intel iHD driver for Intel(R) Gen Graphics - 23.1.1 ()');
    assert.equal(v.error, null);
    assert.equal(v.entrypoints.length, 31);
    assert.deepEqual(v.entrypoints[0], { profile: 'VAProfileNone', entrypoint: 'VAEntrypointVideoProc' });
    assert.ok(v.entrypoints.some((e) => e.profile === 'VAProfileH264ConstrainedBaseline' && e.entrypoint === 'VAEntrypointEncSliceLP'));
    assert.deepEqual(vaapiCanEncode(v.entrypoints), { h264: true, hevc: true, mpeg2: true });
  });
  test('AMD radeonsi with -a (profile/entrypoint blocks with attributes)', () => {
    const v = parseVainfo(fixture('vainfo-amd-radeonsi-attributes.txt'));
    assert.match(v.driver ?? '', /^Mesa Gallium driver 23\.2\.1 for AMD Radeon RX 6600/);
    assert.equal(v.entrypoints.length, 11);
    assert.deepEqual(vaapiCanEncode(v.entrypoints), { h264: true, hevc: true, mpeg2: false });
  });
  test('a decode-only driver (Mesa built without the encoders) and a missing device', () => {
    const d = parseVainfo(fixture('vainfo-amd-decode-only.txt'));
    assert.equal(d.error, null);
    assert.deepEqual(vaapiCanEncode(d.entrypoints), { h264: false, hevc: false, mpeg2: false });
    const e = parseVainfo(fixture('vainfo-no-device.txt'));
    assert.equal(e.error, 'vaInitialize failed with error code -1 (unknown libva error),exit');
    assert.deepEqual(e.entrypoints, []);
    // A hint names the missing encode entrypoint.
    const devices: Devices = { render: [{ path: '/dev/dri/renderD128', exists: true, readable: true, writable: true, group: 'render', note: null }],
      nvidia: { path: '/dev/nvidia0', exists: false, readable: false, writable: false, group: null, note: null }, libcuda: null, v4l2m2m: [],
      mpp: { path: '/dev/mpp_service', exists: false, readable: false, writable: false, group: null, note: null } };
    const hints = kindHints('vaapi', devices, [{ device: '/dev/dri/renderD128', driver: d.driver, error: null, entrypoints: d.entrypoints, canEncode: vaapiCanEncode(d.entrypoints) }]);
    assert.match(hints.join('\n'), /has no H\.264 encode entrypoint/);
  });
});

describe('hw: nvidia-smi --query-gpu=index,name,driver_version --format=csv,noheader', () => {
  test('one and two GPUs', () => {
    assert.deepEqual(parseNvidiaSmi(fixture('nvidia-smi-rtx3060.txt')), { gpus: [{ index: 0, name: 'NVIDIA GeForce RTX 3060', driverVersion: '535.129.03' }], error: null });
    assert.deepEqual(parseNvidiaSmi(fixture('nvidia-smi-two-gpus.txt')).gpus.map((g) => g.name), ['NVIDIA GeForce GTX 1660 SUPER', 'Tesla P4']);
  });
  test('no driver: the complaint is the error', () => {
    const r = parseNvidiaSmi(fixture('nvidia-smi-no-driver.txt'));
    assert.deepEqual(r.gpus, []);
    assert.match(r.error ?? '', /couldn't communicate with the NVIDIA driver/);
  });
});

describe('hw: devices', () => {
  test('ldconfig -p: libcuda.so.1 found (64-bit first) or not (this machine)', () => {
    assert.equal(findLibrary(fixture('ldconfig-nvidia.txt'), 'libcuda.so.1'), '/lib/x86_64-linux-gnu/libcuda.so.1');
    assert.equal(findLibrary(fixture('ldconfig-this-machine.txt'), 'libcuda.so.1'), null);
    assert.match(findLibrary(fixture('ldconfig-this-machine.txt'), 'libc.so.6') ?? '', /libc\.so\.6$/);
  });
  test('/etc/group and V4L2 names', () => {
    const g = parseGroups('root:x:0:\nvideo:x:44:alice\nrender:x:105:alice,bob\n');
    assert.equal(g.get(105), 'render');
    assert.equal(g.get(44), 'video');
    // Raspberry Pi 4's /sys/class/video4linux/video11/name is the encoder; 10 decodes, 12 is the ISP.
    assert.ok(isM2mEncoderName('bcm2835-codec-encode'));
    assert.ok(!isM2mEncoderName('bcm2835-codec-decode') && !isM2mEncoderName('bcm2835-codec-isp') && !isM2mEncoderName('UVC Camera (046d:0825)'));
  });
});
