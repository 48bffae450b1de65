// Real software runs of the normaliser on generated media, checked by measurement: progressive
// output from interlaced input, 4:3 kept with bars, watermark pixels at the corner with the opacity,
// burned subtitles where the cue is, the preferred language's tone, loudness brought to target.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normaliseArgs, type NormaliseInput } from '../../src/engine/ffmpeg/normalise.js';
import { DEFAULT_PROFILE, type OutputProfile } from '../../src/engine/ffmpeg/profile.js';
import { pickSubtitle } from '../../src/engine/ffmpeg/select.js';
import { probeFile } from '../../src/engine/library/probe.js';
import { pickStreams } from '../../src/engine/stream/planner.js';
import type { MediaStream } from '../../src/schemas/library.js';
import type { WatermarkSettings } from '../../src/schemas/picture.js';
import { FFPROBE } from '../helpers/media.js';
import { brightPixels, combing, ffmpeg, ffprobeJson, frameAt, grayFrames, integratedLufs, meanRect, pcm, px, runToFile, tonePower, toneHz } from './measure.js';

const W = 640, H = 360;
const P: OutputProfile = { ...DEFAULT_PROFILE, width: W, height: H, videoBitrateK: 1500, preset: 'ultrafast' };

let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), 'exs-picture-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

async function streamsOf(file: string): Promise<MediaStream[]> {
  const r = await probeFile(file, { ffprobePath: FFPROBE });
  if (!r.info) throw new Error(`probe failed: ${r.error}`);
  return r.info.streams;
}

/** Normalises `file` (first video, chosen audio) with profile p into a .ts and returns its path. */
async function normalise(file: string, name: string, p: OutputProfile, extra: Partial<NormaliseInput> = {}, audioLanguages: string[] = []): Promise<string> {
  const streams = await streamsOf(file);
  const { video, audio } = pickStreams(streams, audioLanguages);
  const out = join(dir, `${name}.ts`);
  await runToFile(normaliseArgs({ input: `file:${file}`, seekMs: 0, playMs: 3000, video, audio, ...extra }, p), out);
  return out;
}

const gen = (args: string[]) => ffmpeg(['-v', 'error', '-y', ...args]);

describe('picture and sound: real software runs, measured', { concurrency: 1 }, () => {
  test('interlaced input comes out progressive (combing gone; auto follows the probed field order)', async (t) => {
    // A bar moving fast, woven into top-field-first interlaced frames: real combing on every edge.
    const src = join(dir, 'interlaced.mkv');
    await gen(['-f', 'lavfi', '-i', 'color=c=0x808080:s=720x480:r=60000/1001:d=3[bg];color=c=white:s=60x480:r=60000/1001:d=3[bar];[bg][bar]overlay=x=\'mod(t*1200,660)\':y=0,interlace=scan=tff:lowpass=0',
      '-f', 'lavfi', '-i', 'sine=f=440:d=3', '-c:v', 'mpeg2video', '-b:v', '8M', '-flags', '+ildct+ilme', '-top', '1', '-c:a', 'aac', src]);
    const streams = await streamsOf(src);
    assert.equal(streams.find((s) => s.type === 'video')?.fieldOrder, 'tt', 'ffprobe sees the source as interlaced');
    const sq = { ...P, width: 720, height: 480, scaling: 'stretch' as const };
    const woven = await normalise(src, 'deint-off', { ...sq, deinterlace: 'off' });
    const auto = await normalise(src, 'deint-auto', sq);
    const comb = async (f: string) => {
      const frames = await grayFrames(f, 720, 480);
      const vals = frames.slice(5, 60).map((g) => combing(g, 720, 480));
      return vals.reduce((a, b) => a + b, 0) / vals.length;
    };
    const [off, on] = [await comb(woven), await comb(auto)];
    // The moving bar is there after deinterlacing (a blank picture would not comb either).
    const row = (await grayFrames(auto, 720, 480))[30]!.subarray(240 * 720, 241 * 720);
    assert.ok(Math.max(...row) - Math.min(...row) > 100, 'the bar is in the picture');
    assert.ok(off > 2, `the woven source combs (metric ${off.toFixed(2)})`);
    assert.ok(on < off / 3, `deinterlaced output is ${on.toFixed(2)} vs ${off.toFixed(2)} without`);
    t.diagnostic(`combing metric: deinterlace off ${off.toFixed(2)}, auto ${on.toFixed(2)}`);
    const v = (await ffprobeJson(auto)).streams.find((s) => s.codec_type === 'video')!;
    assert.equal(v.field_order, 'progressive');
  });

  test('a 720×480 SAR 8:9 source keeps 4:3: pillarbox bars left and right, picture between', async () => {
    const src = join(dir, 'anamorphic.mkv');
    await gen(['-f', 'lavfi', '-i', 'color=c=white:s=720x480:r=25:d=2', '-f', 'lavfi', '-i', 'sine=d=2', '-vf', 'setsar=8/9', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', src]);
    assert.equal((await streamsOf(src)).find((s) => s.type === 'video')?.sar, '8:9');
    const out = await normalise(src, 'sar', P);
    const f = await frameAt(out, 1, W, H);
    // 4:3 inside 640×360 is 480×360: bars of 80 px each side.
    const luma = (x: number) => meanRect(f, x, 150, x + 4, 210);
    assert.ok(luma(60) < 30 && luma(616) < 30, `bars are black (${luma(60)}, ${luma(616)})`);
    assert.ok(luma(90) > 220 && luma(546) > 220, `picture is white (${luma(90)}, ${luma(546)})`);
    // The edges sit where 4:3 puts them (±2 px of scaling softness).
    const edge = [...Array(W).keys()].filter((x) => px(f, x, 180)[0]! > 128);
    assert.ok(Math.abs(edge[0]! - 80) <= 2 && Math.abs(edge.at(-1)! - 559) <= 2, `picture spans ${edge[0]}..${edge.at(-1)}`);
    const v = (await ffprobeJson(out)).streams.find((s) => s.codec_type === 'video')!;
    assert.deepEqual([v.width, v.height, v.sample_aspect_ratio, v.display_aspect_ratio], [W, H, '1:1', '16:9']);
    // Stretch fills the frame instead (no bars).
    const stretched = await frameAt(await normalise(src, 'sar-stretch', { ...P, scaling: 'stretch' }), 1, W, H);
    assert.ok(meanRect(stretched, 10, 150, 14, 210) > 220);
  });

  test('the watermark is at the chosen corner with the chosen opacity; fade and intermittent timing hold', async (t) => {
    const src = join(dir, 'gray.mkv');
    const logo = join(dir, 'logo.png');
    await gen(['-f', 'lavfi', '-i', 'color=c=0x404040:s=640x360:r=25:d=3', '-f', 'lavfi', '-i', 'sine=d=3', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', src]);
    await gen(['-f', 'lavfi', '-i', 'color=c=white:s=200x100', '-frames:v', '1', logo]);
    const wm: WatermarkSettings = { image: logo, position: 'top-right', sizePct: 20, marginXPct: 5, marginYPct: 10, opacity: 0.5,
      mode: 'permanent', fadeS: 1, everyS: 600, showS: 60, hideDuringFiller: false };
    const f = await frameAt(await normalise(src, 'wm', P, { watermark: wm }), 1.5, W, H);
    // 20 % of 640 = 128×64 px; x = 640 − 128 − 32 = 480..608, y = 36..100.
    const bg = meanRect(f, 100, 150, 140, 200);
    const inside = meanRect(f, 500, 50, 590, 90);
    const expected = 0.5 * 255 + 0.5 * bg;
    assert.ok(Math.abs(bg - 64) < 8, `background ${bg}`);
    t.diagnostic(`watermark: background ${bg.toFixed(1)}, inside ${inside.toFixed(1)}, expected ${expected.toFixed(1)} at opacity 0.5`);
    assert.ok(Math.abs(inside - expected) < 10, `50 % white over ${bg.toFixed(0)} → ${inside.toFixed(1)} (expected ${expected.toFixed(1)})`);
    assert.ok(Math.abs(meanRect(f, 470, 50, 476, 90) - bg) < 6, 'left of the logo is background');
    assert.ok(Math.abs(meanRect(f, 612, 50, 620, 90) - bg) < 6, 'right margin is background');
    assert.ok(Math.abs(meanRect(f, 500, 20, 590, 32) - bg) < 6, 'top margin is background');
    assert.ok(Math.abs(meanRect(f, 20, 40, 120, 90) - bg) < 6, 'top-left corner is untouched');
    // Fade: nearly invisible at the start, full after fadeS.
    const fade = await normalise(src, 'wm-fade', P, { watermark: { ...wm, mode: 'fade', fadeS: 1.5 } });
    const early = meanRect(await frameAt(fade, 0.08, W, H), 500, 50, 590, 90);
    const later = meanRect(await frameAt(fade, 2, W, H), 500, 50, 590, 90);
    assert.ok(early - bg < 12 && Math.abs(later - expected) < 10, `fade: ${early.toFixed(1)} at 0.08 s, ${later.toFixed(1)} at 2 s`);
    // Intermittent on the wall clock: piece starts at hh:mm:09 → hidden for 1 s, shown 2 s each 10 s.
    const inter = await normalise(src, 'wm-inter', P, { watermark: { ...wm, mode: 'intermittent', everyS: 10, showS: 2 }, startsAtMs: 9000 });
    const hidden = meanRect(await frameAt(inter, 0.5, W, H), 500, 50, 590, 90);
    const shown = meanRect(await frameAt(inter, 1.6, W, H), 500, 50, 590, 90);
    assert.ok(Math.abs(hidden - bg) < 6 && Math.abs(shown - expected) < 10, `intermittent: ${hidden.toFixed(1)} then ${shown.toFixed(1)}`);
  });

  test('burned text subtitles change the frame where the cue is, from a path that needs filtergraph escaping, also after a seek', async () => {
    const weird = join(dir, "it's: a [weird], dir; yes\\no");
    await mkdir(weird, { recursive: true });
    const src = join(weird, 'subs.mkv');
    const srt = join(dir, 'cue.srt');
    await writeFile(srt, '1\n00:00:02,000 --> 00:00:05,000\nHELLO SUBTITLE WORLD\n');
    await gen(['-f', 'lavfi', '-i', 'color=c=black:s=640x360:r=25:d=6', '-f', 'lavfi', '-i', 'sine=d=6', '-i', srt, '-map', '0', '-map', '1', '-map', '2',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-c:s', 'srt', '-metadata:s:s:0', 'language=eng', src]);
    const streams = await streamsOf(src);
    const sub = pickSubtitle(streams, ['en'], 'any');
    assert.ok(sub && sub.kind === 'text' && sub.subIndex === 0);
    const out = await normalise(src, 'subs', P, { subtitle: sub, playMs: 4000 });
    const bottom = (fr: Awaited<ReturnType<typeof frameAt>>) => brightPixels(fr, 0, 270, W, H);
    const before = await frameAt(out, 1, W, H), during = await frameAt(out, 3, W, H);
    assert.equal(bottom(before), 0, 'no text before the cue');
    assert.ok(bottom(during) > 400, `text at the bottom during the cue (${bottom(during)} bright pixels)`);
    assert.equal(brightPixels(during, 0, 0, W, 200), 0, 'the rest of the frame is untouched');
    // Seeking 2.5 s into the item: the cue (2–5 s of the item) is on screen at once.
    const seeked = await normalise(src, 'subs-seek', P, { subtitle: sub, seekMs: 2500, playMs: 2000 });
    assert.ok(bottom(await frameAt(seeked, 0.5, W, H)) > 400, 'the cue shows at item time, not piece time');
  });

  test('image subtitles are overlaid bottom-centre before scaling (wiring checked with a transparent picture stream)', async () => {
    // ffmpeg cannot make PGS/DVD subtitles from text, so a yuva420p picture stream with a white
    // box stands in for the subtitle bitmap: the graph is the same ([0:v][0:<index>]overlay).
    const src = join(dir, 'bitmap.mkv');
    await gen(['-f', 'lavfi', '-i', 'color=c=0x404040:s=320x240:r=25:d=2', '-f', 'lavfi', '-i', 'sine=d=2',
      '-f', 'lavfi', '-i', 'color=c=black@0.0:s=320x240:r=25:d=2,format=yuva420p,drawbox=x=100:y=200:w=120:h=20:color=white@1:t=fill:replace=1',
      '-map', '0', '-map', '1', '-map', '2', '-c:v:0', 'libx264', '-preset', 'ultrafast', '-c:v:1', 'ffv1', '-c:a', 'aac', src]);
    const out = await normalise(src, 'bitmap', P, { subtitle: { index: 2, subIndex: 0, kind: 'image', codec: 'hdmv_pgs_subtitle', language: null } });
    const f = await frameAt(out, 1, W, H);
    // 320×240 (4:3) → 480×360 inside 640×360: x × 1.5 + 80, y × 1.5.
    assert.ok(meanRect(f, 260, 306, 380, 324) > 230, `box is white (${meanRect(f, 260, 306, 380, 324)})`);
    assert.ok(Math.abs(meanRect(f, 120, 100, 200, 200) - 64) < 8, 'the rest is the picture');
  });

  test('two audio tracks (eng 440 Hz, fre 880 Hz): the preferred language is what comes out', async (t) => {
    const src = join(dir, 'langs.mkv');
    await gen(['-f', 'lavfi', '-i', 'color=c=black:s=320x240:r=25:d=3', '-f', 'lavfi', '-i', 'sine=f=440:d=3', '-f', 'lavfi', '-i', 'sine=f=880:d=3',
      '-map', '0', '-map', '1', '-map', '2', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac',
      '-metadata:s:a:0', 'language=eng', '-metadata:s:a:1', 'language=fre', src]);
    const hz = async (langs: string[], name: string) => {
      const s = await pcm(await normalise(src, name, P, {}, langs));
      // One tone only: the other language's frequency is absent.
      const [p440, p880] = [tonePower(s, 440), tonePower(s, 880)];
      assert.ok(Math.max(p440, p880) > 100 * Math.min(p440, p880), `${name}: one track only (440: ${p440.toExponential(1)}, 880: ${p880.toExponential(1)})`);
      return toneHz(s);
    };
    const fre = await hz(['fre', 'eng'], 'a-fre');
    const fr = await hz(['fr'], 'a-fr');
    const eng = await hz(['eng'], 'a-eng');
    const none = await hz(['ger'], 'a-none');
    t.diagnostic(`dominant tone: [fre,eng] ${fre} Hz, [fr] ${fr} Hz, [eng] ${eng} Hz, [ger] ${none} Hz`);
    assert.ok(Math.abs(fre - 880) <= 3, `fre → ${fre} Hz`);
    assert.ok(Math.abs(fr - 880) <= 3, `fr (ISO 639-1) → ${fr} Hz`);
    assert.ok(Math.abs(eng - 440) <= 3, `eng → ${eng} Hz`);
    assert.ok(Math.abs(none - 440) <= 3, `no match → the default track (eng): ${none} Hz`);
  });

  test('loudnorm brings a quiet clip near the target; dynaudnorm raises it', async (t) => {
    const src = join(dir, 'quiet.mkv');
    await gen(['-f', 'lavfi', '-i', 'color=c=black:s=320x240:r=25:d=12', '-f', 'lavfi', '-i', 'sine=f=1000:d=12,volume=-38dB',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-b:a', '192k', src]);
    const input = await integratedLufs(src);
    const out = await normalise(src, 'loud', { ...P, width: 320, height: 240, loudness: 'loudnorm', loudnessTarget: -23 }, { playMs: 12_000 });
    const got = await integratedLufs(out);
    t.diagnostic(`integrated loudness: source ${input} LUFS, loudnorm(-23) ${got} LUFS`);
    assert.ok(input < -38, `source is quiet: ${input} LUFS`);
    assert.ok(Math.abs(got - -23) <= 1.5, `loudnorm: ${input} → ${got} LUFS (target -23)`);
    const a = (await ffprobeJson(out)).streams.find((s) => s.codec_type === 'audio')!;
    assert.equal(a.sample_rate, '48000', 'loudnorm\'s 192 kHz is brought back to 48 kHz');
    const dyn = await integratedLufs(await normalise(src, 'dyn', { ...P, width: 320, height: 240, loudness: 'dynaudnorm' }, { playMs: 12_000 }));
    assert.ok(dyn > input + 10, `dynaudnorm: ${input} → ${dyn} LUFS`);
    t.diagnostic(`dynaudnorm ${dyn} LUFS`);
  });
});
