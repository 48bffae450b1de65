// A constant picture across boundaries (issue 21 item 3), end to end: a real engine and server on
// loopback, a channel of short clips of mixed frame rates (interlaced 29.97, anamorphic 23.976, 25,
// 24, 30) and odd lengths, read for 60 s of wall clock. The capture must have exactly 30 frames a
// second (every video DTS step one frame), one SPS for every transcoded piece, and at every
// boundary the audio ends and restarts within one video frame of the picture.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { ClipSpec } from '../../src/engine/library/clips.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { esTiming, type EsTiming } from '../helpers/es-timing.js';
import { tempDir } from '../helpers/library.js';
import { FFPROBE } from '../helpers/media.js';
import { api, assertNoFfmpegLeft, makeClips, openTs, scanLibrary, sleep, type TsRead } from '../helpers/stream.js';
import { avStreams, summary } from '../helpers/ts-analyze.js';

const READ_MS = 60_000;
const FRAME = 3000;
const AAC_FRAME = 1920;

/** Lengths that are no whole number of output frames, five frame rates, interlaced and anamorphic. */
const CLIPS: Record<string, ClipSpec> = {
  'a mpeg2 480i 29.97.mkv': { seconds: 3.37, width: 720, height: 480, fps: '30000/1001', vcodec: 'mpeg2video', interlaced: true, pattern: 'smptebars',
    audio: [{ freq: 550, channels: 6, codec: 'ac3' }] },
  'b h264 anamorphic 23.976.mkv': { seconds: 2.71, width: 720, height: 480, fps: '24000/1001', vcodec: 'libx264', sar: '8:9', pattern: 'rgbtestsrc',
    audio: [{ freq: 660, channels: 1, rate: 44100 }] },
  'c h264 25.mp4': { seconds: 3.13, width: 640, height: 360, fps: '25', vcodec: 'libx264', pattern: 'testsrc', audio: [{ freq: 330 }] },
  'd mpeg4 24.avi': { seconds: 2.95, width: 640, height: 480, fps: '24', vcodec: 'mpeg4', audio: [{ freq: 770, codec: 'mp2' }] },
  'e h264 30.mp4': { seconds: 3.07, width: 854, height: 480, fps: '30', vcodec: 'libx264', audio: [{ freq: 440 }] },
};

describe('channel stream: constant frame cadence and one SPS across boundaries', () => {
  let t: TestApi;
  let media: string;
  let ts: TsRead;
  let es: EsTiming;
  let capture: Buffer;
  let changes = 0;

  before(async () => {
    t = await startApi({ listen: true });
    media = await tempDir('exstreamtv-cadence');
    await makeClips(media, CLIPS);
    const items = await scanLibrary(t.url, media);
    const names = Object.keys(CLIPS).sort();
    for (const n of names) assert.equal(items.get(n)?.status, 'ok', `${n} is playable`);
    // A small output keeps the encoder cheap (CI runs this twice on shared cores); the rules are the same at any size.
    await api.post(t.url, '/api/profiles', { name: 'cadence-360', width: 640, height: 360, fps: 30, videoBitrateK: 800 });
    const ch = await api.post(t.url, '/api/channels', { number: 30, name: 'Cadence', stream: { profile: 'cadence-360' },
      content: names.map((n) => ({ type: 'item', id: items.get(n)!.id })) });
    t.engine.events.on('item.changed', () => { changes++; });
    const parts: Buffer[] = [];
    const c = openTs(`${t.url}/stream/channels/${ch.number}.ts`, (b) => parts.push(b));
    await Promise.race([sleep(READ_MS), c.ended]);
    ts = await c.close();
    capture = Buffer.concat(parts);
    capture = capture.subarray(0, capture.length - (capture.length % 188));
    es = esTiming(capture, avStreams(ts.report).video.pid);
  });

  after(async () => {
    await t?.close();
    if (media) await rm(media, { recursive: true, force: true });
    await assertNoFfmpegLeft();
  });

  it('exactly 30 frames a second: every video step is one frame, frame count = duration × 30', async () => {
    const { video } = avStreams(ts.report);
    const v = es.dts.get(video.pid)!;
    const steps = v.slice(1).map((d, i) => d - v[i]!);
    const odd = steps.map((s, i) => ({ s, i })).filter((x) => x.s !== FRAME);
    const durationS = (v.at(-1)! - v[0]! + FRAME) / 90_000;
    console.log(`# ${v.length} frames over ${durationS.toFixed(3)} s (${(v.length / durationS).toFixed(3)} fps), ${changes - 1} boundaries; ${summary(ts.report)}`);
    // On a loaded machine the encoder may fall behind the wall clock (the session then skips ahead
    // between pieces): the cadence must hold whatever share of the 60 s the capture holds.
    assert.ok(durationS > 15, `captured ${durationS} s`);
    assert.deepEqual(odd.slice(0, 5), [], `${odd.length} video steps are not one frame`);
    assert.ok(Math.abs(v.length - durationS * 30) <= 1, `${v.length} frames in ${durationS} s`);
    assert.equal(ts.report.ccErrorTotal, 0, summary(ts.report));
    assert.equal(video.nonMonotonic, 0);
    assert.equal(ts.report.pcrNonMonotonic, 0, 'PCR never steps back');
    // What a player's probe sees: ffprobe's frame rate of the capture (it said 240/1 when boundaries lost frames).
    const file = join(media, 'capture.ts');
    await writeFile(file, capture);
    const { stdout } = await promisify(execFile)(FFPROBE, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=r_frame_rate,avg_frame_rate', '-of', 'json', file]);
    const s = JSON.parse(stdout).streams[0];
    console.log(`# ffprobe: r_frame_rate ${s.r_frame_rate}, avg_frame_rate ${s.avg_frame_rate}`);
    assert.equal(s.r_frame_rate, '30/1');
  });

  it('one SPS for the whole session (interlaced, anamorphic and progressive items alike)', () => {
    console.log(`# SPS: ${es.sps.join(' ')}`);
    assert.equal(es.sps.length, 1, `${es.sps.length} different SPS`);
  });

  it('≥ 10 boundaries; at each, audio ends and restarts within one frame of the picture', () => {
    const { video, audio } = avStreams(ts.report);
    const a = es.dts.get(audio.pid)!;
    const v = es.dts.get(video.pid)!;
    assert.equal(audio.nonMonotonic, 0, 'audio never overlaps');
    // Each encoder run (one per piece) starts with x264's SEI: the boundaries in the capture.
    const starts = es.encoderStarts.filter((d) => d > v[0]!);
    assert.ok(starts.length >= 10, `${starts.length} boundaries (item.changed: ${changes - 1})`);
    const report: string[] = [];
    for (const b of starts) {
      const i = a.findIndex((d) => d >= b - AAC_FRAME);
      assert.ok(i > 0, `audio around the boundary at ${b}`);
      // The last audio frame of the previous piece ends, and the first of this one starts, within a frame of its first picture.
      const prevEnd = a[i - 1]! + AAC_FRAME;
      const next = a[i]!;
      report.push(`${((b - v[0]!) / 90_000).toFixed(2)}s: end ${((prevEnd - b) / 90).toFixed(1)} start ${((next - b) / 90).toFixed(1)} ms`);
      assert.ok(Math.abs(prevEnd - b) <= FRAME, `audio ends ${(prevEnd - b) / 90} ms from the picture's boundary`);
      assert.ok(Math.abs(next - b) <= FRAME, `audio starts ${(next - b) / 90} ms from the picture's boundary`);
      assert.ok(next - prevEnd < FRAME, `audio gap ${(next - prevEnd) / 90} ms`);
    }
    console.log(`# boundaries (audio vs picture): ${report.join(' | ')}`);
    // No drift: the audio still ends within a frame of the video at the end of the capture.
    assert.ok(Math.abs(a.at(-1)! + AAC_FRAME - (v.at(-1)! + FRAME)) <= FRAME + AAC_FRAME, 'audio and video end together');
  });
});
