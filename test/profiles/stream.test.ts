// Profiles through the live path: a channel's profile (codec, size, audio) and its picture
// settings (watermark, audio language) reach the per-item ffmpeg, and the spliced stream stays one
// continuous program in HEVC and MPEG-2 as it does in H.264.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startLiveServer, type LiveServer } from '../helpers/live-channel.js';
import { openTs, sleep } from '../helpers/stream.js';
import { avStreams, summary } from '../helpers/ts-analyze.js';
import { ffmpeg, ffprobeJson, frameAt, meanRect, pcm, toneHz } from '../ffmpeg/measure.js';

describe('profiles: live channels stream with their profile and picture settings', () => {
  let live: LiveServer;
  const j = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(live.url + path, { method, headers: { 'x-exstreamtv': '1', ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, body: await res.json() as any };
  };
  before(async () => {
    live = await startLiveServer({
      channels: 2,
      clips: {
        'a.mkv': { duration: 4, size: '320x240', fps: 25, audio: [{ lang: 'eng', freq: 440 }, { lang: 'fre', freq: 880 }] },
        'b.mkv': { duration: 4, size: '320x240', fps: 25, audio: [{ lang: 'eng', freq: 440 }, { lang: 'fre', freq: 880 }] },
      },
      // Two channels captured side by side, then both sessions checked: the first capture to end
      // must not stop its session while the other is watched (idle yield has its own test).
      config: { streamIdleYield: false },
    });
  });
  after(async () => { await live?.close(); });

  async function capture(number: string, ms: number): Promise<{ file: string; report: ReturnType<typeof avStreams> & { summary: string; types: number[]; cc: number; programs: number[] } }> {
    const chunks: Buffer[] = [];
    const c = openTs(`${live.url}/stream/channels/${number}.ts`, (b) => chunks.push(b));
    await sleep(ms);
    const r = await c.close();
    const file = join(live.dir, `capture-${number}.ts`);
    await writeFile(file, Buffer.concat(chunks));
    return { file, report: { ...avStreams(r.report), summary: summary(r.report), types: r.report.streams.map((s) => s.streamType), cc: r.report.ccErrorTotal, programs: r.report.programs } };
  }

  test('HEVC 320×180 with a watermark and French audio; MPEG-2 352×288 with MP2', async () => {
    for (const p of [
      { name: 'hevc-small', codec: 'hevc', width: 320, height: 180, fps: 25, videoBitrateK: 500 },
      { name: 'mpeg2-small', codec: 'mpeg2', width: 352, height: 288, fps: 25, videoBitrateK: 1500, audioCodec: 'mp2', audioBitrateK: 192 },
    ]) assert.equal((await j('POST', '/api/profiles', p)).status, 201);
    await mkdir(join(live.dir, 'images'), { recursive: true }); // images come from <dataDir>/images or a library folder
    const logo = join(live.dir, 'images', 'red.png');
    await ffmpeg(['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=red:s=100x50', '-frames:v', '1', logo]);
    const wm = { image: logo, position: 'top-left', sizePct: 25, marginXPct: 5, marginYPct: 10, opacity: 1 };
    assert.equal((await j('PATCH', '/api/channels/1', { stream: { profile: 'hevc-small', watermark: wm, audio: { languages: ['fre'] } } })).status, 200);
    assert.equal((await j('PATCH', '/api/channels/2', { stream: { profile: 'mpeg2-small' } })).status, 200);

    const [one, two] = await Promise.all([capture('1', 8000), capture('2', 8000)]);
    for (const [what, c, types] of [['HEVC', one, [0x24, 0x0f]], ['MPEG-2', two, [0x02, 0x03]]] as const) {
      assert.deepEqual(c.report.programs, [1], `${what}: one program`);
      assert.deepEqual(c.report.types, types, `${what}: stream types ${c.report.summary}`);
      assert.equal(c.report.cc, 0, what);
      assert.equal(c.report.video.nonMonotonic + c.report.audio.nonMonotonic, 0, what);
      assert.ok(c.report.video.maxGapS <= 0.5 && c.report.audio.maxGapS <= 0.5, `${what}: ${c.report.summary}`);
      assert.ok(c.report.video.lastDtsS! - c.report.video.firstDtsS! > 4, `${what}: spans an item boundary`);
    }
    const v1 = (await ffprobeJson(one.file)).streams.find((s) => s.codec_type === 'video')!;
    const v2 = (await ffprobeJson(two.file)).streams.find((s) => s.codec_type === 'video')!;
    assert.deepEqual([v1.codec_name, v1.width, v1.height], ['hevc', 320, 180]);
    assert.deepEqual([v2.codec_name, v2.width, v2.height], ['mpeg2video', 352, 288]);
    // On a loaded machine the stand-by slate may bridge a slow cold start, even after the first few
    // frames (the piece re-enters at its next keyframe): look at the picture every half second and
    // judge the frames that are the item (bright test pattern, not the dark slate).
    const onAir: { t: number; red: number }[] = [];
    for (let t = 0.5; t < 7.5; t += 0.5) {
      const f = await frameAt(one.file, t, 320, 180).catch(() => null);
      if (!f || meanRect(f, 0, 0, 320, 180) < 60) continue;
      // Watermark: 25 % of 320 = 80×40 at (16, 18): all red on channel 1.
      let red = 0;
      for (let y = 24; y < 52; y++) for (let x = 22; x < 90; x++) {
        const o = (y * 320 + x) * 3;
        if (f.data[o]! > 200 && f.data[o + 1]! < 70 && f.data[o + 2]! < 70) red++;
      }
      onAir.push({ t, red });
    }
    assert.ok(onAir.length >= 2, `the item was on air in channel 1's capture: ${JSON.stringify(onAir)}`);
    assert.ok(onAir.every((f) => f.red > 0.95 * 28 * 68), `watermark on every frame of the item: ${JSON.stringify(onAir)}`);
    // Audio: channel 1 prefers French (880 Hz), channel 2 plays the default (English, 440 Hz).
    // A cold tune may open with the channel's silent stand-by slate: measure from the first sound on.
    const sound = (a: Int16Array) => a.subarray(Math.max(0, a.findIndex((x) => Math.abs(x) > 1000)));
    assert.ok(Math.abs(toneHz(sound(await pcm(one.file))) - 880) <= 3);
    assert.ok(Math.abs(toneHz(sound(await pcm(two.file))) - 440) <= 3);
    const sessions = (await j('GET', '/api/sessions')).body as { number: string; encoder: string }[];
    assert.deepEqual(sessions.map((s) => [s.number, s.encoder]).sort(), [['1', 'libx265 (software)'], ['2', 'mpeg2video (software)']]);
  });

  test('another profile restarts the channel\'s session so it takes effect', async () => {
    const c = openTs(`${live.url}/stream/channels/2.ts`);
    await sleep(1500);
    assert.equal((await j('PATCH', '/api/channels/2', { stream: { profile: 'software-480p' } })).status, 200);
    await Promise.race([c.ended, sleep(5000)]);
    const r = await c.close();
    assert.ok(r.bytes > 0);
    const again = await capture('2', 2500);
    const v = (await ffprobeJson(again.file)).streams.find((s) => s.codec_type === 'video')!;
    assert.deepEqual([v.codec_name, v.width, v.height], ['h264', 854, 480]);
  });
});
