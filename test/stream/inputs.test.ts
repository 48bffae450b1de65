// Unit tests of the input model (headers kept, live vs file options, subtitles from the same
// input), the resolver registry (async, timeout, errors, unknown resolver), the prefetch (an error
// becomes a reason, not a throw), the direct-copy match rules and the piece choice.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { audioMismatch, directArgs, videoMismatch } from '../../src/engine/ffmpeg/direct.js';
import { ffmpegHead } from '../../src/engine/ffmpeg/head.js';
import { LIVE_ANALYZE_US, LIVE_RW_TIMEOUT_US, expired, fileInput, headerBlock, inputOptions, urlInput, type MediaInput } from '../../src/engine/ffmpeg/input.js';
import { normaliseArgs } from '../../src/engine/ffmpeg/normalise.js';
import { DEFAULT_PROFILE } from '../../src/engine/ffmpeg/profile.js';
import { subtitleExtractArgs } from '../../src/engine/ffmpeg/subtitle-file.js';
import { slateArgs } from '../../src/engine/stream/slate.js';
import { clipArgs } from '../../src/engine/library/clips.js';
import { choosePiece } from '../../src/engine/stream/choose.js';
import type { MediaPlan } from '../../src/engine/stream/planner.js';
import { InputPrefetch } from '../../src/engine/stream/prefetch.js';
import { ResolveError, ResolverRegistry } from '../../src/engine/stream/resolvers.js';

const V720 = { index: 0, fieldOrder: 'progressive', sar: '1:1', width: 1280, height: 720, codec: 'h264', pixFmt: 'yuv420p', fps: 30 };
const AAC = { index: 1, codec: 'aac', sampleRate: 48000, channels: 2 };
const TEXT_SUB = { index: 2, subIndex: 0, kind: 'text' as const, codec: 'subrip', language: 'eng' };
const REMOTE = urlInput('http://127.0.0.1:9/show.mkv', { 'X-Token': 'secret', 'User-Agent': 'EXStreamTV/1' });

/** The value after an option in an argv (undefined when absent). */
const after = (args: string[], opt: string): string | undefined => {
  const i = args.indexOf(opt);
  return i >= 0 ? args[i + 1] : undefined;
};
/** Options placed before the -i of `url`. */
const beforeInput = (args: string[], url: string): string[] => args.slice(0, args.indexOf(url) - 1);

const plan = (o: Partial<MediaPlan> = {}): MediaPlan => ({
  kind: 'media', rowId: 1, title: 'Show', startsAt: 1_000_000, endsAt: 1_060_000, itemId: 7, locator: { type: 'file', path: '/m/show.mkv' },
  video: V720, audio: { index: 1 }, audioFacts: AAC, seekMs: 0, subtitle: null, watermark: null, ...o,
});

describe('input model: what ffmpeg opens and the options that follow', () => {
  test('a URL keeps its headers and user agent, with reconnects; a local file gets none of that', () => {
    const args = normaliseArgs({ input: REMOTE, seekMs: 5000, playMs: 60_000, video: V720, audio: { index: 1 } }, DEFAULT_PROFILE);
    const head = beforeInput(args, REMOTE.url);
    assert.equal(after(head, '-headers'), 'X-Token: secret\r\n', 'the header reaches ffmpeg');
    assert.equal(after(head, '-user_agent'), 'EXStreamTV/1');
    assert.equal(after(head, '-reconnect'), '1');
    assert.equal(after(head, '-ss'), '5.000', 'a remote file still seeks (ranges)');
    assert.ok(!head.includes('-rw_timeout') && !head.includes('-reconnect_streamed'), 'not live');
    const local = inputOptions(fileInput('/m/a.mkv'), 5000);
    assert.deepEqual(local, ['-ss', '5.000']);
  });

  test('a live input: never -re, no seek, a read timeout and streamed reconnects', () => {
    const live: MediaInput = { ...urlInput('http://127.0.0.1:9/live.ts'), live: true, seekable: false };
    const opts = inputOptions(live, 30_000, true);
    assert.ok(!opts.includes('-re'), 'no -re on a live input');
    assert.ok(!opts.includes('-ss'), 'no seek on a live input');
    assert.equal(after(opts, '-rw_timeout'), String(LIVE_RW_TIMEOUT_US));
    assert.equal(after(opts, '-reconnect_streamed'), '1');
    assert.equal(after(opts, '-analyzeduration'), String(LIVE_ANALYZE_US), 'a short analysis: a live input comes in real time');
    assert.deepEqual(inputOptions(fileInput('/a.mkv'), 0, true), ['-re'], 'files may be read in real time');
    assert.deepEqual(inputOptions({ ...fileInput('/pipe'), seekable: false }, 9000), [], 'an unseekable input is not seeked');
  });

  test('header names must be tokens and values one line (no header injection)', () => {
    assert.throws(() => headerBlock({ 'X-A\r\nHost': 'x' }), /header name/);
    assert.throws(() => headerBlock({ 'X-A': 'v\r\nX-B: w' }), /line break/);
    assert.equal(headerBlock({ A: '1', 'B-c': 'two words' }), 'A: 1\r\nB-c: two words\r\n');
    assert.throws(() => inputOptions({ ...REMOTE, userAgent: 'x\ny' }), /line break/);
  });

  test('expiry', () => {
    assert.equal(expired(REMOTE, Date.now()), false, 'no expiry');
    assert.equal(expired({ ...REMOTE, expiresAt: 1000 }, 999), false);
    assert.equal(expired({ ...REMOTE, expiresAt: 1000 }, 990, 20), true, 'within the margin');
  });

  test('text subtitles: a local file is opened by the filter; a remote one only through a copy taken with the same input', () => {
    const local = normaliseArgs({ input: fileInput('/m/a b.mkv'), seekMs: 0, playMs: 10_000, video: V720, audio: null, subtitle: TEXT_SUB }, DEFAULT_PROFILE);
    assert.match(after(local, '-vf')!, /subtitles=filename=\/m\/a b\.mkv:si=0/);
    assert.throws(() => normaliseArgs({ input: REMOTE, seekMs: 0, playMs: 10_000, video: V720, audio: null, subtitle: TEXT_SUB }, DEFAULT_PROFILE),
      /same input/, 'the subtitles filter cannot open an HTTP source with its headers');
    const copy = subtitleExtractArgs(REMOTE, TEXT_SUB, 12_000, 30_000, '/tmp/s.ass');
    assert.deepEqual(beforeInput(copy, REMOTE.url).slice(-inputOptions(REMOTE, 12_000).length), inputOptions(REMOTE, 12_000),
      'the copy opens the input exactly as the piece does (headers, user agent, seek)');
    assert.equal(after(copy, '-map'), '0:2');
    const burnt = normaliseArgs({ input: REMOTE, seekMs: 15_000, playMs: 10_000, video: V720, audio: null, subtitle: TEXT_SUB,
      subtitleFile: { path: '/tmp/s.ass', startMs: 12_000 } }, DEFAULT_PROFILE);
    const vf = after(burnt, '-vf')!;
    assert.match(vf, /setpts=PTS\+3\.000\/TB,subtitles=filename=\/tmp\/s\.ass:si=0,setpts=PTS-STARTPTS/, 'shifted by where this piece starts in the copy');
  });

  test('one argv head for pieces, slates, clips and copies', () => {
    const head = ffmpegHead({ overwrite: true });
    assert.deepEqual(slateArgs(DEFAULT_PROFILE, '/h', '/d', '/o').slice(0, head.length), head);
    assert.deepEqual(clipArgs({ seconds: 1, width: 64, height: 64, fps: '25', vcodec: 'libx264' }, '/o.mp4').slice(0, head.length), head);
    assert.deepEqual(subtitleExtractArgs(REMOTE, TEXT_SUB, 0, 1000, '/o').slice(0, head.length), head);
    const quiet = ffmpegHead({ quiet: true });
    assert.deepEqual(normaliseArgs({ input: 'file:/a', seekMs: 0, playMs: 1000, video: V720, audio: null }, DEFAULT_PROFILE).slice(0, quiet.length), quiet);
  });
});

describe('resolver registry', () => {
  test('file and url built in; url keeps headers', async () => {
    const r = new ResolverRegistry(1000);
    assert.deepEqual(await r.resolve({ locator: { type: 'file', path: '/m/x.mkv' }, itemId: 1, title: 'x' }), fileInput('/m/x.mkv'));
    const u = await r.resolve({ locator: { type: 'url', url: 'https://h/x', headers: { Authorization: 'Bearer t' } }, itemId: 1, title: 'x' });
    assert.deepEqual(u.headers, { Authorization: 'Bearer t' });
    assert.equal(u.live, false);
  });

  test('async resolvers by name; unknown name, failure and timeout are ResolveErrors that say why', async () => {
    const r = new ResolverRegistry(200);
    let aborted = false;
    r.register('slow', ({ signal }) => new Promise((resolve) => {
      const t = setTimeout(() => resolve(fileInput('/late')), 5000);
      signal.addEventListener('abort', () => { aborted = true; clearTimeout(t); });
    }));
    r.register('quick', async ({ locator }) => { await new Promise((res) => setTimeout(res, 20)); return fileInput(`/q/${locator.type === 'resolve' ? locator.key : ''}`); });
    r.register('broken', async () => { throw new Error('token refused (401)'); });
    const req = (resolver: string) => ({ locator: { type: 'resolve' as const, resolver, key: 'k1' }, itemId: 1, title: 't' });
    assert.equal((await r.resolve(req('quick'))).url, 'file:/q/k1');
    await assert.rejects(r.resolve(req('nope')), (e: Error) => e instanceof ResolveError && /no resolver for "nope"/.test(e.message));
    await assert.rejects(r.resolve(req('broken')), (e: Error) => e instanceof ResolveError && /broken.*token refused/.test(e.message));
    const t0 = Date.now();
    await assert.rejects(r.resolve(req('slow')), (e: Error) => e instanceof ResolveError && /timed out after 0\.2 s/.test(e.message));
    assert.ok(Date.now() - t0 < 1000, 'the timeout does not wait for the resolver');
    assert.ok(aborted, 'the resolver was told to give up');
  });

  test('prefetch: the resolution starts before air and the error becomes a reason (the error slate plan)', async () => {
    const r = new ResolverRegistry(1000);
    let calls = 0;
    r.register('counted', async () => { calls++; await new Promise((res) => setTimeout(res, 100)); return fileInput('/x'); });
    r.register('broken', async () => { throw new Error('gone'); });
    const pf = new InputPrefetch({ resolvers: r, ffmpegPath: '/bin/false', dir: '/tmp' });
    const p1 = plan({ locator: { type: 'resolve', resolver: 'counted', key: 'a' } });
    pf.prefetch(p1);
    pf.prefetch(p1);
    assert.equal(calls, 1, 'resolved once however often asked');
    const got = await pf.take(p1);
    assert.ok(got.ok && got.input.url === 'file:/x');
    assert.equal(calls, 1, 'airing used the prefetched input');
    const bad = await pf.take(plan({ rowId: 2, startsAt: 1_060_000, locator: { type: 'resolve', resolver: 'broken', key: 'b' } }));
    assert.ok(!bad.ok && /broken.*gone/.test(bad.reason), JSON.stringify(bad));
    assert.deepEqual(pf.keys, ['2#7'], 'rows that aired are forgotten');
    await pf.close();
  });
});

describe('direct pieces: what may be copied', () => {
  test('video and audio match rules name what differs', () => {
    const p = DEFAULT_PROFILE;
    assert.equal(videoMismatch(V720, p), null);
    assert.match(videoMismatch({ ...V720, codec: 'hevc' }, p)!, /codec hevc/);
    assert.match(videoMismatch({ ...V720, width: 1920, height: 1080 }, p)!, /size 1920×1080/);
    assert.match(videoMismatch({ ...V720, fps: 25 }, p)!, /frame rate 25/);
    assert.equal(videoMismatch({ ...V720, fps: 30.004 }, p), null, 'probed rates are rounded');
    assert.match(videoMismatch({ ...V720, pixFmt: 'yuv420p10le' }, p)!, /pixel format/);
    assert.match(videoMismatch({ ...V720, sar: '4:3' }, p)!, /anamorphic/);
    assert.match(videoMismatch({ ...V720, fieldOrder: 'tt' }, p)!, /interlaced/);
    assert.equal(audioMismatch(AAC, p), null);
    assert.match(audioMismatch({ ...AAC, codec: 'ac3' }, p)!, /codec ac3/);
    assert.match(audioMismatch({ ...AAC, sampleRate: 44100 }, p)!, /rate 44100/);
    assert.match(audioMismatch({ ...AAC, channels: 6 }, p)!, /6 audio channels/);
    assert.match(audioMismatch(AAC, { ...p, loudness: 'loudnorm' })!, /loudness/);
    assert.equal(audioMismatch(null, p), 'no audio');
  });

  test('direct argv: copy with the MPEG-TS bitstream filter, the same input options, no filters', () => {
    const args = directArgs({ input: REMOTE, seekMs: 4000, playMs: 20_000, video: V720, audio: { index: 1 }, copyAudio: true }, DEFAULT_PROFILE);
    assert.equal(after(args, '-c:v'), 'copy');
    assert.equal(after(args, '-c:a'), 'copy');
    assert.equal(after(args, '-bsf:v'), 'h264_mp4toannexb');
    assert.equal(after(args, '-headers'), 'X-Token: secret\r\n');
    assert.equal(after(args, '-ss'), '4.000');
    assert.ok(!args.includes('-vf') && !args.includes('-filter_complex'));
    const videoOnly = directArgs({ input: REMOTE, seekMs: 0, playMs: 20_000, video: V720, audio: { index: 1 }, copyAudio: false }, DEFAULT_PROFILE);
    assert.equal(after(videoOnly, '-c:a'), 'aac', 'sound encoded to the profile');
    assert.match(after(videoOnly, '-af')!, /apad=whole_dur=20\.000/);
  });

  test('piece choice per mode', () => {
    const ok = { ok: true as const, input: fileInput('/m/show.mkv'), subtitle: null };
    const p = DEFAULT_PROFILE;
    assert.equal(choosePiece('transcode', plan(), ok, p, {}).kind, 'transcode');
    assert.equal(choosePiece('direct', plan(), ok, p, {}).kind, 'direct');
    assert.equal(choosePiece('auto', plan(), ok, p, {}).kind, 'direct');
    const ac3 = plan({ audioFacts: { ...AAC, codec: 'ac3' } });
    const d = choosePiece('direct', ac3, ok, p, {});
    assert.equal(d.kind, 'transcode', 'direct copies both streams or neither');
    assert.match(d.why!, /audio codec ac3/);
    const a = choosePiece('auto', ac3, ok, p, {});
    assert.equal(a.kind, 'direct', 'auto copies the picture and encodes the sound');
    assert.match(a.why!, /audio encoded/);
    assert.equal(choosePiece('direct', plan({ video: { ...V720, width: 640, height: 360 } }), ok, p, {}).kind, 'transcode');
    assert.equal(choosePiece('direct', plan({ subtitle: TEXT_SUB }), ok, p, {}).kind, 'transcode', 'burnt-in subtitles need the picture');
    const live = { ...ok, input: { ...urlInput('http://h/live'), live: true, seekable: false } };
    assert.equal(choosePiece('transcode', plan(), live, p, {}).kind, 'live');
  });
});
