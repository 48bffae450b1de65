// Required property 1 (continuous) and 6 (HLS), end to end: a real engine and server on loopback,
// a scanned library of short clips in every awkward format, one channel over all of them, and the
// channel's MPEG-TS and HLS read by clients for 30 s of wall clock while the items change.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { liveProcesses } from '../../src/engine/ffmpeg/process.js';
import type { ClipSpec } from '../../src/engine/library/clips.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { tempDir } from '../helpers/library.js';
import { api, ffmpegChildren, makeClips, parsePlaylist, readTs, scanLibrary, sleep, type Playlist, type TsRead } from '../helpers/stream.js';
import { TsAnalyzer, analyzeTs, avStreams, summary, type TsReport } from '../helpers/ts-analyze.js';

const READ_MS = 30_000;

/** 3–5 s each: ≥ 6 boundaries in 30 s. Every one differs in codec, size, rate, audio or container. */
export const MIXED: Record<string, ClipSpec> = {
  '1 h264 720p30 stereo.mp4': { seconds: 4, width: 1280, height: 720, fps: '30', vcodec: 'libx264', audio: [{ freq: 440, channels: 2 }] },
  '2 mpeg2 480i 5.1 ac3.mkv': { seconds: 4, width: 720, height: 480, fps: '30000/1001', vcodec: 'mpeg2video', interlaced: true, pattern: 'smptebars',
    audio: [{ freq: 550, channels: 6, codec: 'ac3' }] },
  '3 h264 anamorphic mono 44k.mkv': { seconds: 3, width: 720, height: 480, fps: '24000/1001', vcodec: 'libx264', sar: '8:9', pattern: 'rgbtestsrc',
    audio: [{ freq: 660, channels: 1, rate: 44100 }] },
  '4 hevc 25 two langs.mkv': { seconds: 4, width: 640, height: 360, fps: '25', vcodec: 'libx265', pattern: 'testsrc',
    audio: [{ freq: 330, lang: 'eng' }, { freq: 880, lang: 'fre' }] },
  '5 mpeg4 24 short audio.avi': { seconds: 5, width: 640, height: 480, fps: '24', vcodec: 'mpeg4', audio: [{ freq: 770, codec: 'mp2' }], audioShortBy: 1.5 },
  '6 h264 no audio.mp4': { seconds: 3, width: 854, height: 480, fps: '30', vcodec: 'libx264', pattern: 'smptebars', audio: [] },
};

describe('channel stream: continuous MPEG-TS and HLS across mixed-format items', () => {
  let t: TestApi;
  let media: string;
  let number: string;
  let ts: TsRead;
  /** item.changed events: when emitted, and when the item airs (the output position at that moment). */
  const changes: { at: number; title: string; kind: string; airsAt: number | null }[] = [];
  const polls: { at: number; status: number; headers: Headers; text: string; pl: Playlist | null }[] = [];
  const segments = new Map<number, { uri: string; duration: number; status: number; headers: Headers; data: Buffer; fetchedAt: number }>();
  let hlsError: unknown = null;

  before(async () => {
    t = await startApi({ listen: true });
    media = await tempDir('exstreamtv-mixed');
    await makeClips(media, MIXED);
    const items = await scanLibrary(t.url, media);
    const names = Object.keys(MIXED).sort();
    assert.deepEqual([...items.keys()].sort(), names, 'every clip scanned');
    for (const [n, it] of items) assert.equal(it.status, 'ok', `${n} is playable`);
    const ch = await api.post(t.url, '/api/channels', { number: 7, name: 'Mixed Bag', content: names.map((n) => ({ type: 'item', id: items.get(n)!.id })) });
    number = ch.number;
    t.engine.events.on('item.changed', (e) => {
      const live = t.engine.streams.get(e.channelId) as unknown as { scheduleTime(): number } | undefined;
      changes.push({ at: Date.now(), title: e.title, kind: e.kind, airsAt: live ? live.scheduleTime() : null });
    });

    // One TS viewer for 30 s; meanwhile an HLS client polls the playlist and fetches every segment.
    const t0 = Date.now();
    const hls = (async () => {
      await sleep(500);
      while (Date.now() - t0 < READ_MS - 2000) {
        const res = await fetch(`${t.url}/stream/channels/${number}/index.m3u8`);
        const text = await res.text();
        const pl = res.status === 200 ? parsePlaylist(text) : null;
        polls.push({ at: Date.now(), status: res.status, headers: res.headers, text, pl });
        for (const s of pl?.segments ?? []) {
          if (segments.has(s.seq)) continue;
          const r = await fetch(`${t.url}/stream/channels/${number}/${s.uri}`);
          segments.set(s.seq, { uri: s.uri, duration: s.duration, status: r.status, headers: r.headers, data: Buffer.from(await r.arrayBuffer()), fetchedAt: Date.now() });
        }
        await sleep(1000);
      }
    })().catch((err) => { hlsError = err; });
    ts = await readTs(`${t.url}/stream/channels/${number}.ts`, READ_MS);
    await hls;
  });

  after(async () => {
    await t?.close();
    if (media) await rm(media, { recursive: true, force: true });
    assert.deepEqual(await ffmpegChildren(process.pid), [], 'no ffmpeg left behind');
    assert.equal(liveProcesses(), 0);
  });

  it('MPEG-TS: one program, video + audio throughout, 0 CC errors, monotonic DTS, gaps ≤ 0.5 s, opens with PAT, PMT', () => {
    const r = ts.report;
    console.log(`# TS: ${(ts.bytes / 1e6).toFixed(1)} MB in ${READ_MS / 1000} s; ${summary(r)}`);
    console.log(`# item changes: ${changes.map((c) => `${((c.at - ts.startedAt) / 1000).toFixed(1)}s ${c.kind}:${c.title}`).join(' | ')}`);
    assert.equal(ts.status, 200);
    assert.equal(ts.headers.get('content-type'), 'video/mp2t');
    assert.equal(r.syncLoss, 0);
    assert.equal(r.programs.length, 1, 'one program');
    assert.equal(r.pmtLayouts, 1, 'the PMT never changes');
    assert.equal(r.crcErrors, 0);
    const { video, audio } = avStreams(r);
    assert.equal(video.streamType, 0x1b, 'H.264');
    assert.equal(audio.streamType, 0x0f, 'AAC');
    assert.equal(r.ccErrorTotal, 0, `CC errors: ${summary(r)}`);
    assert.equal(r.discontinuities, 0, 'no discontinuity flags needed');
    assert.equal(video.nonMonotonic, 0, 'video DTS strictly increasing');
    assert.equal(audio.nonMonotonic, 0, 'audio DTS strictly increasing');
    assert.ok(video.maxGapS <= 0.5, `video gap ${video.maxGapS} s`);
    assert.ok(audio.maxGapS <= 0.5, `audio gap ${audio.maxGapS} s`);
    assert.equal(r.pcrNonMonotonic, 0, 'PCR increasing');
    // Both streams run to the end: neither stops while the other goes on.
    assert.ok(Math.abs(video.lastDtsS! - audio.lastDtsS!) < 0.5, `streams end together: v ${video.lastDtsS} a ${audio.lastDtsS}`);
    assert.ok(Math.abs(video.firstDtsS! - audio.firstDtsS!) < 0.5, `streams start together: v ${video.firstDtsS} a ${audio.firstDtsS}`);
    assert.ok(r.startsWithPatPmt, `first packets: ${r.firstPids}`);
    assert.ok(r.firstKeyframe && r.firstKeyframe.mediaOffsetS < 0.05, `first video frame is a keyframe: ${JSON.stringify(r.firstKeyframe)}`);
    // Paced to the wall clock: 30 s of reading holds about 30 s (+ the lead) of media.
    assert.ok(r.durationS > READ_MS / 1000 - 3 && r.durationS < READ_MS / 1000 + 8, `media duration ${r.durationS} s`);
  });

  it('crossed at least 6 item boundaries', () => {
    const boundaries = changes.length - 1;
    assert.ok(boundaries >= 6, `${boundaries} boundaries: ${changes.map((c) => c.title).join(', ')}`);
    assert.ok(changes.every((c) => c.kind === 'media'), 'every item played (no error slate)');
    assert.ok(new Set(changes.map((c) => c.title)).size === Object.keys(MIXED).length, 'every format played');
  });

  it('on time: every item after the first airs within 1 s of its timeline row', async () => {
    const rows = (await api.get(t.url, `/api/channels/${number}/timeline?from=${new Date(ts.startedAt - 10_000).toISOString()}&hours=1&limit=40`)).rows as
      { start: string; title: string }[];
    const offsets = changes.slice(1).map((c) => {
      const row = rows.filter((r) => r.title === c.title).sort((a, b) => Math.abs(Date.parse(a.start) - c.airsAt!) - Math.abs(Date.parse(b.start) - c.airsAt!))[0];
      assert.ok(row, `row of ${c.title}`);
      return (c.airsAt! - Date.parse(row.start)) / 1000;
    });
    console.log(`# item starts vs timeline (s): ${offsets.map((o) => o.toFixed(2)).join(' ')}`);
    for (const o of offsets) assert.ok(Math.abs(o) <= 1, `an item aired ${o.toFixed(2)} s off its row: ${offsets.join(', ')}`);
  });

  it('HLS: live playlist rules over the boundaries', () => {
    assert.equal(hlsError, null, String(hlsError));
    const ok = polls.filter((p) => p.status === 200);
    console.log(`# HLS: ${polls.length} polls, ${segments.size} segments (${[...segments.values()].map((s) => s.duration.toFixed(2)).join(' ')})`);
    assert.ok(ok.length >= 10, `${ok.length} playlists`);
    assert.equal(ok.length, polls.length, 'every poll answered 200');
    const target = ok[0]!.pl!.targetDuration;
    let prev: Playlist | null = null;
    for (const p of ok) {
      const pl = p.pl!;
      assert.equal(p.headers.get('content-type'), 'application/vnd.apple.mpegurl');
      assert.match(p.headers.get('cache-control') ?? '', /no-cache/);
      assert.equal(p.headers.get('access-control-allow-origin'), '*');
      assert.equal(pl.targetDuration, target, 'TARGETDURATION constant');
      assert.equal(pl.endList, false, 'no ENDLIST on live');
      assert.equal(pl.discontinuities, 0, 'continuous timestamps: no discontinuity needed');
      assert.ok(pl.segments.length >= 2);
      for (const s of pl.segments) {
        assert.ok(Math.round(s.duration) <= target, `EXTINF ${s.duration} ≤ target ${target}`);
        assert.ok(s.pdt !== null && Number.isFinite(s.pdt), 'PROGRAM-DATE-TIME on every segment');
      }
      for (let i = 1; i < pl.segments.length; i++) {
        assert.ok(pl.segments[i]!.pdt! > pl.segments[i - 1]!.pdt!, 'PDT increases within a playlist');
      }
      if (prev) {
        const last: Playlist = prev;
        // Same URI ↔ same sequence number; the window slides by exactly the segments dropped.
        const dropped: number = last.segments.filter((s) => !pl.segments.some((n) => n.uri === s.uri)).length;
        assert.equal(pl.mediaSequence - last.mediaSequence, dropped, `MEDIA-SEQUENCE ${last.mediaSequence} → ${pl.mediaSequence}, ${dropped} dropped`);
        for (const s of pl.segments) {
          const was = last.segments.find((o) => o.uri === s.uri);
          if (was) {
            assert.equal(was.seq, s.seq, `${s.uri} keeps its sequence number`);
            assert.equal(was.pdt, s.pdt, `${s.uri} keeps its PROGRAM-DATE-TIME`);
            assert.equal(was.duration, s.duration);
          }
        }
        assert.ok(pl.segments[0]!.pdt! >= last.segments[0]!.pdt!, 'PROGRAM-DATE-TIME never goes backwards');
      }
      prev = pl;
    }
    const spanS = ok.at(-1)!.pl!.segments.at(-1)!.pdt! / 1000 - ok[0]!.pl!.segments[0]!.pdt! / 1000;
    assert.ok(changes.filter((c) => c.at >= ok[0]!.at - 4000 && c.at <= ok.at(-1)!.at).length >= 3, 'the polls spanned ≥ 3 item boundaries');
    assert.ok(spanS > 15, `playlists spanned ${spanS} s`);
  });

  it('HLS: every segment fetchable; concatenated they are one continuous TS', () => {
    const seqs = [...segments.keys()].sort((a, b) => a - b);
    assert.ok(seqs.length >= 6, `${seqs.length} segments`);
    for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1]! + 1, 'no segment missed between polls');
    const a = new TsAnalyzer();
    for (const seq of seqs) {
      const s = segments.get(seq)!;
      assert.equal(s.status, 200, `${s.uri} fetchable`);
      assert.equal(s.headers.get('content-type'), 'video/mp2t');
      assert.equal(s.headers.get('access-control-allow-origin'), '*');
      assert.ok(s.data.length > 0 && s.data.length % 188 === 0, `${s.uri}: whole packets`);
      const r: TsReport = analyzeTs(s.data);
      assert.ok(r.startsWithPatPmt, `${s.uri} opens with PAT, PMT`);
      assert.ok(r.firstKeyframe && r.firstKeyframe.packetIndex <= 3, `${s.uri} starts with a keyframe`);
      const dur = r.durationS;
      assert.ok(Math.abs(dur - s.duration) < 0.25, `${s.uri}: EXTINF ${s.duration} vs content ${dur.toFixed(3)}`);
      a.push(s.data);
    }
    const r = a.end();
    console.log(`# HLS concat: ${summary(r)}`);
    const { video, audio } = avStreams(r);
    // Each segment repeats the latest PAT and PMT packets before its keyframe. Those are the very
    // packets the previous segment already carried (same counter, same bytes): legal duplicates,
    // not counter errors. So across seams: 0 errors and at most 2 duplicates per seam.
    assert.equal(r.ccErrorTotal, 0, summary(r));
    assert.ok(r.ccDuplicates <= 2 * (seqs.length - 1), `duplicates ${r.ccDuplicates}`);
    assert.equal(video.nonMonotonic + audio.nonMonotonic, 0, summary(r));
    assert.ok(video.maxGapS <= 0.5 && audio.maxGapS <= 0.5, summary(r));
    assert.equal(r.programs.length, 1);
  });
});
