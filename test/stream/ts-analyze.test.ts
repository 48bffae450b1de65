// The test-side MPEG-TS analyzer, checked on a real ffmpeg-made TS and on deliberately broken
// copies: each kind of damage it is meant to catch must make it report the damage.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { tempDir } from '../helpers/library.js';
import { FFMPEG } from '../helpers/media.js';
import { PACKET, TsAnalyzer, analyzeTs, avStreams, crc32mpeg, summary } from '../helpers/ts-analyze.js';

const run = promisify(execFile);

/** Header fields of the packet at index i. */
const pidAt = (b: Buffer, i: number) => ((b[i * PACKET + 1]! & 0x1f) << 8) | b[i * PACKET + 2]!;
const afcAt = (b: Buffer, i: number) => (b[i * PACKET + 3]! >> 4) & 3;
const pusiAt = (b: Buffer, i: number) => (b[i * PACKET + 1]! & 0x40) !== 0;

describe('ts-analyze: the test-side MPEG-TS analyzer', () => {
  let dir: string;
  let ts: Buffer;
  before(async () => {
    dir = await tempDir('exstreamtv-tsan');
    const out = join(dir, 'clip.ts');
    // 3 s, H.264 (GOP 1 s, no B-frames) + AAC, the same muxer settings as the channel pieces.
    await run(FFMPEG, ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30:duration=3',
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=3',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '30', '-bf', '0', '-c:a', 'aac', '-ar', '48000', '-ac', '2',
      '-f', 'mpegts', '-muxdelay', '0', '-muxpreload', '0', '-mpegts_start_pid', '256', '-mpegts_pmt_start_pid', '4096', out]);
    ts = await readFile(out);
  });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  it('reads a clean ffmpeg TS: one program, H.264 + AAC, no errors, PAT then PMT, IDR first', () => {
    const r = analyzeTs(ts);
    assert.equal(r.syncLoss, 0);
    assert.deepEqual(r.programs, [1]);
    assert.deepEqual(r.pmtPids, { 1: 0x1000 });
    assert.equal(r.pmtLayouts, 1);
    assert.equal(r.crcErrors, 0);
    const { video, audio } = avStreams(r);
    assert.equal(video.pid, 0x100);
    assert.equal(video.streamType, 0x1b);
    assert.equal(audio.pid, 0x101);
    assert.equal(audio.streamType, 0x0f);
    assert.equal(video.pes, 90, 'one PES per frame');
    assert.equal(r.ccErrorTotal, 0, summary(r));
    assert.equal(r.ccDuplicates, 0);
    assert.equal(video.nonMonotonic + audio.nonMonotonic, 0);
    assert.ok(Math.abs(video.maxGapS - 1 / 30) < 0.001, `video steps one frame: ${video.maxGapS}`);
    assert.ok(audio.maxGapS < 0.5);
    assert.equal(r.pcrNonMonotonic, 0);
    // A file from ffmpeg opens with its SDT (PID 0x11); the channel stream must open with PAT, PMT.
    assert.deepEqual(r.firstPids, [0x11, 0]);
    assert.equal(r.startsWithPatPmt, false);
    const noSdt = Buffer.concat(Array.from({ length: ts.length / PACKET }, (_, i) => i).filter((i) => pidAt(ts, i) !== 0x11).map((i) => ts.subarray(i * PACKET, (i + 1) * PACKET)));
    const r2 = analyzeTs(noSdt);
    assert.deepEqual(r2.firstPids, [0, 0x1000]);
    assert.ok(r2.startsWithPatPmt);
    assert.ok(r.firstKeyframe, 'a keyframe');
    assert.ok(r.firstKeyframe.randomAccess && r.firstKeyframe.idrNal, 'flagged and an IDR NAL');
    assert.ok(r.firstKeyframe.mediaOffsetS < 0.05, `first IDR at the start: ${r.firstKeyframe.mediaOffsetS}`);
    assert.equal(r.keyframes, 3, 'GOP 1 s over 3 s');
    assert.ok(Math.abs(r.durationS - 3) < 0.1, `duration ${r.durationS}`);
    assert.equal(r.encoderStarts.length, 1, 'one x264 run');
  });

  it('gives the same report however the bytes are chunked (odd sizes, 1-byte pieces)', () => {
    const whole = analyzeTs(ts);
    const a = new TsAnalyzer();
    for (let i = 0, n = 1; i < ts.length; i += n, n = (n * 7 + 3) % 1000 + 1) a.push(ts.subarray(i, i + n));
    assert.deepEqual(a.end(), whole);
  });

  it('catches a flipped continuity counter on the video PID', () => {
    const bad = Buffer.from(ts);
    // A video payload packet in the middle.
    let i = Math.floor(bad.length / PACKET / 2);
    while (!(pidAt(bad, i) === 0x100 && afcAt(bad, i) & 1)) i++;
    bad[i * PACKET + 3] = (bad[i * PACKET + 3]! & 0xf0) | ((bad[i * PACKET + 3]! + 5) & 0x0f);
    const r = analyzeTs(bad);
    assert.ok((r.ccErrors[0x100] ?? 0) >= 1, summary(r));
    assert.equal(r.ccErrors[0x101], undefined, 'only the damaged PID');
  });

  it('does not count a counter jump flagged with discontinuity_indicator, nor a legal duplicate', () => {
    const bad = Buffer.from(ts);
    // Find a video packet with an adaptation field of length > 0 (a keyframe one), after the first.
    let i = 1;
    let seen = 0;
    for (; i < bad.length / PACKET; i++) {
      if (pidAt(bad, i) === 0x100 && afcAt(bad, i) === 3 && bad[i * PACKET + 4]! > 0 && pusiAt(bad, i) && seen++ > 0) break;
    }
    bad[i * PACKET + 3] = (bad[i * PACKET + 3]! & 0xf0) | ((bad[i * PACKET + 3]! + 5) & 0x0f);
    assert.ok(analyzeTs(bad).ccErrors[0x100]! >= 1, 'the jump is an error without the flag');
    bad[i * PACKET + 5] = bad[i * PACKET + 5]! | 0x80;
    const r = analyzeTs(bad);
    assert.equal(r.discontinuities, 1);
    // The next packet continues from the new counter: the one after the flagged packet is now an error
    // only if the chain breaks, so check just that the flagged packet itself is excused.
    assert.ok((r.ccErrors[0x100] ?? 0) <= 1, summary(r));
    // A duplicate: repeat one audio packet right after itself.
    let j = 10;
    while (!(pidAt(ts, j) === 0x101 && afcAt(ts, j) & 1)) j++;
    const dup = Buffer.concat([ts.subarray(0, (j + 1) * PACKET), ts.subarray(j * PACKET, (j + 1) * PACKET), ts.subarray((j + 1) * PACKET)]);
    const d = analyzeTs(dup);
    assert.equal(d.ccDuplicates, 1);
    assert.equal(d.ccErrorTotal, 0);
    // The same counter with different bytes is not a duplicate but an error.
    const fake = Buffer.from(dup);
    fake[(j + 1) * PACKET + 100] = fake[(j + 1) * PACKET + 100]! ^ 0xff;
    assert.equal(analyzeTs(fake).ccErrors[0x101], 1);
  });

  it('catches timestamps that go backwards and a hole: two ffmpeg outputs simply concatenated', () => {
    const r = analyzeTs(Buffer.concat([ts, ts]));
    const { video, audio } = avStreams(r);
    assert.equal(video.nonMonotonic, 1, 'video restarts at 0');
    assert.equal(audio.nonMonotonic, 1);
    assert.ok(r.ccErrorTotal >= 2, summary(r));
    assert.equal(r.pcrNonMonotonic, 1);
    assert.equal(r.encoderStarts.length, 2);
    // A hole: drop 1 s of packets (video and audio) from the middle.
    const n = ts.length / PACKET;
    const cut = Buffer.concat([ts.subarray(0, Math.floor(n * 0.3) * PACKET), ts.subarray(Math.floor(n * 0.7) * PACKET)]);
    const h = analyzeTs(cut);
    assert.ok(avStreams(h).video.maxGapS > 0.5, `video gap seen: ${avStreams(h).video.maxGapS}`);
  });

  it('rejects a PAT with a bad CRC and reports a stream that does not open with PAT, PMT', () => {
    const bad = Buffer.from(ts);
    let pat = 0;
    while (pidAt(bad, pat) !== 0) pat++;
    bad[pat * PACKET + 12] = bad[pat * PACKET + 12]! ^ 0x01; // the program number of the first PAT
    const r = analyzeTs(bad);
    assert.ok(r.crcErrors >= 1);
    const late = analyzeTs(ts.subarray(PACKET * 12));
    assert.equal(late.startsWithPatPmt, false);
    assert.equal(crc32mpeg(Buffer.from('123456789')), 0x0376e6e7, 'CRC-32/MPEG-2 check value');
  });

  it('unwraps 33-bit timestamps (a stream crossing 2^33 ticks stays monotonic)', async () => {
    const out = join(dir, 'wrap.ts');
    // Start 2 s before the wrap: -output_ts_offset in seconds (2^33 / 90000 ≈ 95443.7 s).
    await run(FFMPEG, ['-nostdin', '-v', 'error', '-y', '-i', join(dir, 'clip.ts'), '-c', 'copy', '-output_ts_offset', String(2 ** 33 / 90000 - 1.5),
      '-f', 'mpegts', '-muxdelay', '0', '-muxpreload', '0', out]);
    const r = analyzeTs(await readFile(out));
    const { video, audio } = avStreams(r);
    assert.equal(video.nonMonotonic + audio.nonMonotonic, 0, summary(r));
    assert.ok(video.maxGapS < 0.1 && audio.maxGapS < 0.5, summary(r));
    assert.equal(r.pcrNonMonotonic, 0);
    assert.ok(video.lastDtsS! > 2 ** 33 / 90000, 'crossed the wrap');
  });
});
