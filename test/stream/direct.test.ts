// Direct (copy) pieces end to end, real ffmpeg on 127.0.0.1: a channel whose profile says
// mode "direct" plays clips that already match its output (copied: H.264 640×360 30 fps, AAC 48 kHz
// stereo, in MP4, MKV and MPEG-TS) mixed with clips that do not (size, codec, rate, audio codec:
// transcoded), and stays one continuous program across ≥ 10 boundaries; /api/sessions says which
// pieces were direct and why the others were not. Copied pieces carry their source's own SPS (by
// design): mpv must play through every such change.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { liveProcesses } from '../../src/engine/ffmpeg/process.js';
import type { ClipSpec } from '../../src/engine/library/clips.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { tempDir } from '../helpers/library.js';
import { esTiming } from '../helpers/es-timing.js';
import { api, ffmpegChildren, makeClips, openTs, scanLibrary, sleep, type TsRead } from '../helpers/stream.js';
import { haveTools, TOOLS } from '../helpers/tools.js';
import { avStreams, summary } from '../helpers/ts-analyze.js';

const READ_MS = 36_000;
const MATCH = { width: 640, height: 360, fps: '30', vcodec: 'libx264', audio: [{ freq: 440 }] } as const;
/** Alternating matching (m…) and non-matching (n…) clips of 3 s: ≥ 10 boundaries in 36 s. */
const CLIPS: Record<string, ClipSpec> = {
  'm1.mp4': { seconds: 3, ...MATCH, audio: [{ freq: 440 }] },
  'n1 smaller.mp4': { seconds: 3, ...MATCH, width: 480, height: 270, pattern: 'smptebars', audio: [{ freq: 550 }] },
  'm2.mkv': { seconds: 3, ...MATCH, pattern: 'rgbtestsrc', audio: [{ freq: 660 }] },
  'n2 mpeg2.mkv': { seconds: 3, ...MATCH, vcodec: 'mpeg2video', audio: [{ freq: 770 }] },
  'm3.ts': { seconds: 3, ...MATCH, pattern: 'testsrc', audio: [{ freq: 880 }] },
  'n3 25fps.mp4': { seconds: 3, ...MATCH, fps: '25', audio: [{ freq: 990 }] },
  'm4.mp4': { seconds: 3, ...MATCH, pattern: 'smptebars', audio: [{ freq: 330 }] },
  'n4 ac3.mkv': { seconds: 3, ...MATCH, audio: [{ freq: 220, codec: 'ac3' }] },
};
const ORDER = ['m1.mp4', 'n1 smaller.mp4', 'm2.mkv', 'n2 mpeg2.mkv', 'm3.ts', 'n3 25fps.mp4', 'm4.mp4', 'n4 ac3.mkv'];

describe('direct pieces: copied and transcoded items mixed in one continuous stream', () => {
  let t: TestApi;
  let media: string;
  let ts: TsRead;
  let capture: Buffer;
  let number: string;
  let channelId: number;
  const changes: { at: number; title: string; kind: string }[] = [];
  const pieces = new Map<string, { title: string; kind: string; why: string | null }>();

  before(async () => {
    t = await startApi({ listen: true });
    media = await tempDir('exstreamtv-direct');
    await makeClips(media, CLIPS);
    const items = await scanLibrary(t.url, media);
    await api.post(t.url, '/api/profiles', { name: 'direct-360', width: 640, height: 360, fps: 30, videoBitrateK: 800, mode: 'direct' });
    const ch = await api.post(t.url, '/api/channels', {
      number: 21, name: 'Direct', stream: { profile: 'direct-360' }, content: ORDER.map((n) => ({ type: 'item', id: items.get(n)!.id })),
    });
    number = ch.number;
    channelId = t.engine.store.channels.findByNumber(number)!.id;
    t.engine.events.on('item.changed', (e) => { if (e.channelId === channelId) changes.push({ at: Date.now(), title: e.title, kind: e.kind }); });
    // The sessions list keeps the last few pieces: gather them as they pass.
    const poll = setInterval(() => {
      for (const p of t.engine.streams.get(channelId)?.stats().pieces ?? []) pieces.set(`${p.at} ${p.title}`, p);
    }, 500);
    const parts: Buffer[] = [];
    const c = openTs(`${t.url}/stream/channels/${number}.ts`, (b) => parts.push(b));
    await Promise.race([sleep(READ_MS), c.ended]);
    ts = await c.close();
    capture = Buffer.concat(parts);
    capture = capture.subarray(0, capture.length - (capture.length % 188));
    clearInterval(poll);
  });

  after(async () => {
    await t?.close();
    if (media) await rm(media, { recursive: true, force: true });
    assert.deepEqual(await ffmpegChildren(process.pid), [], 'no ffmpeg left behind');
    assert.equal(liveProcesses(), 0);
  });

  it('one program, 0 CC errors, monotonic DTS, no gaps across ≥ 10 direct/transcoded boundaries', () => {
    const r = ts.report;
    const { video, audio } = avStreams(r);
    console.log(`# direct channel: ${(ts.bytes / 1e6).toFixed(1)} MB; ${summary(r)}`);
    console.log(`# pieces: ${[...pieces.values()].map((p) => `${p.kind}:${p.title}`).join(' | ')}`);
    assert.equal(ts.status, 200);
    assert.equal(r.programs.length, 1, 'one program');
    assert.equal(r.pmtLayouts, 1, 'the PMT never changes');
    assert.equal(r.ccErrorTotal, 0, `CC errors: ${summary(r)}`);
    assert.equal(video.nonMonotonic, 0, 'video DTS strictly increasing');
    assert.equal(audio.nonMonotonic, 0, 'audio DTS strictly increasing');
    assert.ok(video.maxGapS <= 0.5 && audio.maxGapS <= 0.5, `gaps ≤ 0.5 s: ${summary(r)}`);
    assert.equal(video.streamType, 0x1b, 'H.264 throughout');
    assert.equal(audio.streamType, 0x0f, 'AAC throughout');
    assert.ok(r.firstKeyframe && r.firstKeyframe.mediaOffsetS < 0.05, `starts on a keyframe: ${JSON.stringify(r.firstKeyframe)}`);
    assert.ok(r.durationS > READ_MS / 1000 - 4, `paced to the clock: ${r.durationS} s of media`);
    const boundaries = changes.length - 1;
    assert.ok(boundaries >= 10, `${boundaries} boundaries: ${changes.map((c) => c.title).join(', ')}`);
    assert.ok(changes.every((c) => c.kind === 'media'), 'no error slate');
  });

  it('matching items were copied, the others transcoded, each with its reason', () => {
    const all = [...pieces.values()];
    const kindOf = (prefix: string) => new Set(all.filter((p) => p.title.startsWith(prefix)).map((p) => p.kind));
    for (const m of ['m1', 'm2', 'm3', 'm4']) if (kindOf(m).size) assert.deepEqual([...kindOf(m)], ['direct'], `${m} copied`);
    for (const n of ['n1', 'n2', 'n3', 'n4']) if (kindOf(n).size) assert.deepEqual([...kindOf(n)], ['transcode'], `${n} transcoded`);
    assert.ok(all.filter((p) => p.kind === 'direct').length >= 4, 'several direct pieces');
    const why = (prefix: string) => all.find((p) => p.title.startsWith(prefix))?.why ?? '';
    assert.match(why('n1'), /size 480×270/);
    assert.match(why('n2'), /codec mpeg2video/);
    assert.match(why('n3'), /frame rate 25/);
    assert.match(why('n4'), /audio codec ac3/);
  });

  it('mpv plays through every SPS change of the copied pieces: no decode error, to the end', async (tc) => {
    if (!haveTools(tc, [TOOLS.mpv])) return;
    const sps = esTiming(capture, avStreams(ts.report).video.pid).sps;
    assert.ok(sps.length >= 2, `${sps.length} SPS: copied and transcoded pieces differ`);
    const file = join(media, 'capture.ts');
    await writeFile(file, capture);
    const { stdout, stderr } = await promisify(execFile)(TOOLS.mpv.cmd, ['--no-config', '--vo=null', '--ao=null', '--untimed',
      '--msg-level=all=warn,cplayer=info', file], { timeout: 120_000 });
    const out = `${stdout}\n${stderr}`;
    console.log(`# mpv: ${sps.length} SPS; ${out.split('\n').filter((l) => l.trim()).slice(-3).join(' / ')}`);
    assert.match(out, /Exiting\.\.\. \(End of file\)/);
    assert.doesNotMatch(out, /error while decoding|decoding error|Invalid data|non-existing PPS|no frame!/i);
  });
});
