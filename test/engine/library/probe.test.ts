import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FfprobeUnavailableError, ffprobeReason, parseProbe, probeFile, unplayableReason } from '../../../src/engine/library/probe.js';
import { FFPROBE, makeClip, truncate } from '../../helpers/media.js';

// Shaped like real ffprobe 5.1 output: numbers as strings, a cover picture, an undetermined language.
const SAMPLE = {
  streams: [
    { index: 0, codec_type: 'video', codec_name: 'mpeg2video', profile: 'Main', width: 720, height: 480, sample_aspect_ratio: '8:9',
      display_aspect_ratio: '4:3', pix_fmt: 'yuv420p', field_order: 'tt', r_frame_rate: '60000/1001', avg_frame_rate: '30000/1001',
      bit_rate: '5000000', disposition: { default: 1, forced: 0, attached_pic: 0 }, tags: { language: 'eng' } },
    { index: 1, codec_type: 'audio', codec_name: 'ac3', sample_rate: '48000', channels: 6, channel_layout: '5.1(side)', bit_rate: '384000',
      disposition: { default: 1, forced: 0 }, tags: { language: 'und', title: 'Surround' } },
    { index: 2, codec_type: 'subtitle', codec_name: 'subrip', disposition: { default: 0, forced: 1 }, tags: { language: 'FRA' } },
    { index: 3, codec_type: 'video', codec_name: 'mjpeg', width: 600, height: 900, sample_aspect_ratio: '0:1', avg_frame_rate: '0/0',
      r_frame_rate: '90000/1', disposition: { attached_pic: 1 } },
  ],
  chapters: [{ id: 0, start_time: '0.000000', end_time: '12.500000', tags: { title: 'Opening' } }],
  format: { format_name: 'matroska,webm', duration: '1320.021000', bit_rate: '5500000' },
};

describe('probe: parseProbe (pure)', () => {
  it('maps ffprobe JSON to streams, converting strings and skipping cover art as video', () => {
    const info = parseProbe(SAMPLE);
    assert.equal(info.durationMs, 1_320_021);
    assert.equal(info.container, 'matroska,webm');
    assert.equal(info.bitRate, 5_500_000);
    const [v, a, s, pic] = info.streams;
    assert.deepEqual(v, { index: 0, type: 'video', codec: 'mpeg2video', profile: 'Main', language: 'eng', title: null, isDefault: true, isForced: false,
      width: 720, height: 480, fps: 29.97, fieldOrder: 'tt', sar: '8:9', dar: '4:3', pixFmt: 'yuv420p', channels: null, channelLayout: null,
      sampleRate: null, bitRate: 5_000_000 });
    assert.deepEqual([a?.type, a?.language, a?.title, a?.channels, a?.channelLayout, a?.sampleRate, a?.fps], ['audio', null, 'Surround', 6, '5.1(side)', 48000, null]);
    assert.deepEqual([s?.type, s?.language, s?.isForced], ['subtitle', 'fra', true]);
    assert.deepEqual([pic?.index, pic?.type, pic?.sar], [3, 'attachment', null]);
    assert.deepEqual(info.chapters, [{ index: 0, startMs: 0, endMs: 12_500, title: 'Opening' }]);
    assert.equal(unplayableReason(info), null);
  });

  it('falls back to stream durations and Matroska DURATION tags, and survives junk', () => {
    assert.equal(parseProbe({ format: {}, streams: [{ codec_type: 'video', tags: { DURATION: '00:21:03.125000000' } }] }).durationMs, 1_263_125);
    assert.equal(parseProbe({ format: { duration: 'N/A' }, streams: [{ codec_type: 'video', duration: '5.5' }] }).durationMs, 5_500);
    const junk = parseProbe({ streams: [null, 7, { codec_type: 'weird', avg_frame_rate: 'x' }], chapters: 'no', format: [] });
    assert.deepEqual(junk.streams.map((s) => s.type), ['data', 'data', 'data']);
    assert.equal(parseProbe(null).durationMs, null);
  });

  it('says why probed facts cannot air', () => {
    const only = (streams: unknown[], duration = '10') => unplayableReason(parseProbe({ format: { duration }, streams }));
    // Audio only airs (over its cover art or a plain card); nothing to show or hear does not.
    assert.equal(only([{ codec_type: 'audio' }, { codec_type: 'video', disposition: { attached_pic: 1 } }]), null);
    assert.equal(only([{ codec_type: 'audio' }]), null);
    assert.equal(only([{ codec_type: 'video', disposition: { attached_pic: 1 } }]), 'no video or audio stream');
    assert.equal(only([]), 'no video or audio stream');
    assert.equal(only([{ codec_type: 'video' }], '0.54'), 'too short to air: 0.5 s (channels need at least 1 s)');
    assert.equal(only([{ codec_type: 'video' }], '1.0'), null);
    assert.equal(only([{ codec_type: 'video' }], '0'), 'duration is zero');
    assert.equal(unplayableReason(parseProbe({ streams: [{ codec_type: 'video' }] })), 'duration is unknown');
  });

  it('keeps the meaningful line of ffprobe stderr', () => {
    const err = '[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55bea29bc1c0] moov atom not found\nfile:/m/a.mp4: Invalid data found when processing input\n';
    assert.equal(ffprobeReason(err, '/m/a.mp4'), 'moov atom not found');
    assert.equal(ffprobeReason('file:/m/x y.mkv: No such file or directory\n', '/m/x y.mkv'), 'No such file or directory');
    assert.equal(ffprobeReason('', '/x'), 'ffprobe failed without a message');
  });
});

describe('probe: real ffprobe on generated media', () => {
  let dir = '';
  const clip = (name: string) => join(dir, name);
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'probe-'));
    await Promise.all([
      makeClip(dir, 'interlaced.mkv', { vcodec: 'mpeg2video', size: '720x480', sar: '8:9', fps: '30000/1001', interlaced: true }),
      makeClip(dir, 'multi.mkv', { audio: [{ lang: 'eng' }, { lang: 'fra', channels: 1, rate: 44100 }], subtitles: [{ lang: 'eng' }],
        chapters: [{ title: 'One', startMs: 0, endMs: 1000 }, { title: 'Two', startMs: 1000, endMs: 2000 }] }),
      makeClip(dir, 'cover.mp4', { noVideo: true, coverArt: true }),
      makeClip(dir, "-lead 'q' \"dq\" 100% [x]: é.mp4", { vcodec: 'mpeg4' }),
      makeClip(dir, 'cut.mkv', { audio: [] }),
      makeClip(dir, 'whole.mkv', { audio: [] }),
      makeClip(dir, 'cut-fast.mp4', { faststart: true }),
      makeClip(dir, 'cut-moov.mp4', {}),
      makeClip(dir, 'cut.flv', {}),
      makeClip(dir, 'cut.ts', { vcodec: 'mpeg2video' }),
      makeClip(dir, 'hevc.mp4', { vcodec: 'libx265', faststart: true }),
    ]);
    await Promise.all(['cut.mkv', 'cut-fast.mp4', 'cut-moov.mp4', 'cut.flv', 'cut.ts'].map((n) => truncate(clip(n), 0.6)));
  });
  after(() => rm(dir, { recursive: true, force: true }));
  const probe = (name: string) => probeFile(clip(name), { ffprobePath: FFPROBE });

  it('reads field order, SAR and frame rate of an interlaced anamorphic file', async () => {
    const r = await probe('interlaced.mkv');
    assert.equal(r.error, null);
    const v = r.info!.streams.find((s) => s.type === 'video')!;
    assert.deepEqual([v.codec, v.width, v.height, v.sar, v.fieldOrder, v.fps], ['mpeg2video', 720, 480, '8:9', 'tt', 29.97]);
    assert.ok(Math.abs(r.info!.durationMs! - 2000) < 100);
  });

  it('reads audio languages, subtitles and chapters with absolute indexes', async () => {
    const { info, error } = await probe('multi.mkv');
    assert.equal(error, null);
    assert.deepEqual(info!.streams.map((s) => [s.index, s.type, s.codec, s.language]),
      [[0, 'video', 'h264', null], [1, 'audio', 'aac', 'eng'], [2, 'audio', 'aac', 'fra'], [3, 'subtitle', 'subrip', 'eng']]);
    assert.deepEqual(info!.streams.slice(1, 3).map((s) => [s.channels, s.sampleRate]), [[2, 48000], [1, 44100]]);
    assert.deepEqual(info!.chapters.map((c) => [c.title, c.startMs, c.endMs]), [['One', 0, 1000], ['Two', 1000, 2000]]);
  });

  it('handles hostile file names and HEVC', async () => {
    const r = await probe("-lead 'q' \"dq\" 100% [x]: é.mp4");
    assert.equal(r.error, null);
    assert.equal(r.info!.streams[0]!.codec, 'mpeg4');
    assert.equal((await probe('hevc.mp4')).info!.streams[0]!.codec, 'hevc');
  });

  it('takes an audio-only file with cover art as playable, the picture kept as an attachment', async () => {
    const r = await probe('cover.mp4');
    assert.equal(r.error, null);
    assert.ok(r.info!.streams.some((s) => s.type === 'attachment'));
  });

  it('detects truncated files, including those ffprobe opens without complaint', async () => {
    assert.match((await probe('cut.mkv')).error ?? '', /^file is truncated/);
    assert.match((await probe('cut-fast.mp4')).error ?? '', /^file is truncated/);
    assert.match((await probe('cut.flv')).error ?? '', /^file is truncated/);
    assert.equal((await probe('cut-moov.mp4')).error, 'moov atom not found');
    assert.equal((await probe('whole.mkv')).error, null);
    const ts = await probe('cut.ts'); // MPEG-TS durations come from the data that is there: shorter, but playable
    assert.equal(ts.error, null);
    assert.ok(ts.info!.durationMs! < 1600, `ts duration ${ts.info!.durationMs}`);
  });

  it('reports missing files, timeouts and aborts without leaving ffprobe running', async () => {
    assert.equal((await probe('nope.mkv')).error, 'No such file or directory');
    const fifo = clip('hang.mkv');
    await execa('mkfifo', [fifo]); // ffprobe blocks opening a FIFO nobody writes to
    const t = await probeFile(fifo, { ffprobePath: FFPROBE, timeoutMs: 300 });
    assert.deepEqual([t.retry, /did not finish within/.test(t.error ?? '')], [true, true]);
    const ac = new AbortController();
    const pending = probeFile(fifo, { ffprobePath: FFPROBE, signal: ac.signal });
    setTimeout(() => ac.abort(new Error('stop')), 200);
    await assert.rejects(pending, /stop/);
    assert.equal((await execa('pgrep', ['-f', `ffprobe .*${fifo}`], { reject: false })).exitCode, 1, 'no ffprobe left behind');
  });

  it('throws a clear error when ffprobe cannot be started', async () => {
    await assert.rejects(probeFile(clip('multi.mkv'), { ffprobePath: '/nonexistent/ffprobe' }),
      (e: unknown) => e instanceof FfprobeUnavailableError && /cannot run ffprobe at "\/nonexistent\/ffprobe" \(ENOENT\): install ffmpeg/.test(e.message));
  });
});
