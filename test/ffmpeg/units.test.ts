// Pure pieces of the argv builders: stream choice, geometry, escaping, decode placement, profile rules.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ENCODERS, HW_KINDS, VIDEO_CODECS, encoderName } from '../../src/schemas/encoders.js';
import { escapeGraph, escapeOptionValue, filterValue, plainPath } from '../../src/engine/ffmpeg/escape.js';
import { hwDecodes, renderChain, wantsDeinterlace } from '../../src/engine/ffmpeg/filters.js';
import { displaySize, sarValue, scaledSize } from '../../src/engine/ffmpeg/geometry.js';
import { normaliseArgs, videoFilter } from '../../src/engine/ffmpeg/normalise.js';
import { DEFAULT_PROFILE, fpsRational, gopFrames, pieceFrames, pieceSamples } from '../../src/engine/ffmpeg/profile.js';
import { normLang, pickAudio, pickSubtitle } from '../../src/engine/ffmpeg/select.js';
import { pictureFor, pickStreams } from '../../src/engine/stream/planner.js';
import { BUILTIN_PROFILES } from '../../src/engine/services/builtin-profiles.js';
import type { MediaStream } from '../../src/schemas/library.js';
import { profileInput } from '../../src/schemas/profile.js';

const s = (o: Partial<MediaStream> & Pick<MediaStream, 'index' | 'type'>): MediaStream => ({
  codec: null, profile: null, language: null, title: null, isDefault: false, isForced: false, width: null, height: null, fps: null,
  fieldOrder: null, sar: null, dar: null, pixFmt: null, channels: null, channelLayout: null, sampleRate: null, bitRate: null, ...o,
});

describe('ffmpeg: audio and subtitle choice from probed streams (absolute indexes)', () => {
  const streams = [
    s({ index: 0, type: 'video', codec: 'h264' }),
    s({ index: 1, type: 'audio', codec: 'ac3', language: 'eng', channels: 6 }),
    s({ index: 2, type: 'audio', codec: 'aac', language: 'eng', channels: 2, isDefault: true }),
    s({ index: 3, type: 'audio', codec: 'aac', language: 'fre', channels: 2 }),
    s({ index: 4, type: 'audio', codec: 'aac', language: 'ger', channels: 6 }),
    s({ index: 5, type: 'subtitle', codec: 'subrip', language: 'eng' }),
    s({ index: 6, type: 'subtitle', codec: 'subrip', language: 'eng', isForced: true }),
    s({ index: 7, type: 'subtitle', codec: 'hdmv_pgs_subtitle', language: 'fre', isDefault: true }),
    s({ index: 8, type: 'subtitle', codec: 'eia_608', language: 'spa' }),
  ];
  test('languages in order, then the default track, then the most channels', () => {
    assert.equal(pickAudio(streams, ['fre', 'eng'])?.index, 3);
    assert.equal(pickAudio(streams, ['fra'])?.index, 3, 'fra = fre');
    assert.equal(pickAudio(streams, ['fr'])?.index, 3, 'fr = fre');
    assert.equal(pickAudio(streams, ['spa', 'eng'])?.index, 2, 'first listed language present; among eng the default one');
    assert.equal(pickAudio(streams, ['de'])?.index, 4);
    assert.equal(pickAudio(streams, [])?.index, 2, 'no preference: the default');
    assert.equal(pickAudio(streams, ['jpn'])?.index, 2, 'no match: the default');
    const noDefault = streams.map((x) => ({ ...x, isDefault: false }));
    assert.equal(pickAudio(noDefault, [])?.index, 1, 'no default: most channels, lowest index');
    assert.equal(pickAudio(noDefault, ['eng'])?.index, 1, 'among eng: most channels');
    assert.equal(pickAudio([s({ index: 0, type: 'video' })], ['eng']), null);
    assert.equal(pickStreams(streams, ['ger']).audio?.index, 4);
    assert.equal(normLang('und'), '');
    assert.equal(normLang('en-US'), 'eng');
  });
  test('subtitles: forced / default / any, languages in order, text or image', () => {
    assert.deepEqual(pickSubtitle(streams, ['eng'], 'any'), { index: 6, subIndex: 1, kind: 'text', codec: 'subrip', language: 'eng' }, 'forced first among eng');
    assert.deepEqual(pickSubtitle(streams, ['fre', 'eng'], 'any'), { index: 7, subIndex: 2, kind: 'image', codec: 'hdmv_pgs_subtitle', language: 'fre' });
    assert.equal(pickSubtitle(streams, ['fre'], 'forced'), null, 'the fre track is not forced');
    assert.equal(pickSubtitle(streams, ['fre'], 'default')?.index, 7);
    assert.equal(pickSubtitle(streams, [], 'forced')?.index, 6);
    assert.equal(pickSubtitle(streams, ['spa'], 'any'), null, 'closed captions are not burnable here');
    assert.equal(pickSubtitle(streams, [], 'any')?.index, 6);
  });
  test('the plan\'s picture: subtitles only when burning; the watermark hidden during filler when asked', () => {
    const wm = { image: '/l.png', position: 'top-left' as const, sizePct: 10, marginXPct: 3, marginYPct: 3, opacity: 1, mode: 'permanent' as const, fadeS: 1, everyS: 600, showS: 60, hideDuringFiller: true };
    const stream = { profile: null, alwaysOn: false, watermark: wm, subtitles: { mode: 'burn' as const, languages: ['eng'], which: 'any' as const }, audio: { languages: [] } };
    assert.deepEqual(pictureFor(stream, streams, false), { subtitle: pickSubtitle(streams, ['eng'], 'any'), watermark: wm });
    assert.deepEqual(pictureFor(stream, streams, true), { subtitle: pickSubtitle(streams, ['eng'], 'any'), watermark: null });
    assert.deepEqual(pictureFor({ ...stream, watermark: { ...wm, hideDuringFiller: false }, subtitles: { ...stream.subtitles, mode: 'off' } }, streams, true).subtitle, null);
    assert.deepEqual(pictureFor(undefined, streams, false), { subtitle: null, watermark: null });
  });
});

describe('ffmpeg: geometry, escaping, rates', () => {
  test('anamorphic sources are made square, then fit / crop / stretch', () => {
    assert.equal(sarValue('8:9'), 8 / 9);
    assert.equal(sarValue(null), 1);
    assert.deepEqual(displaySize(720, 480, '8:9'), { w: 640, h: 480 });
    assert.deepEqual(displaySize(720, 576, '16:15'), { w: 768, h: 576 });
    assert.deepEqual(scaledSize({ w: 640, h: 480 }, { w: 1920, h: 1080 }, 'fit'), { w: 1440, h: 1080 });
    assert.deepEqual(scaledSize({ w: 640, h: 480 }, { w: 1920, h: 1080 }, 'crop'), { w: 1920, h: 1440 });
    assert.deepEqual(scaledSize({ w: 1920, h: 800 }, { w: 1280, h: 720 }, 'fit'), { w: 1280, h: 534 });
    assert.deepEqual(scaledSize({ w: 640, h: 480 }, { w: 1280, h: 720 }, 'stretch'), { w: 1280, h: 720 });
  });
  test('filtergraph escaping: option level then graph level', () => {
    assert.equal(escapeOptionValue("a'b:c\\d"), "a\\'b\\:c\\\\d");
    assert.equal(escapeGraph("a[b],c;d'e\\f"), "a\\[b\\]\\,c\\;d\\'e\\\\f");
    assert.equal(filterValue("/m/It's: [x], y; z.mkv"), "/m/It\\\\\\'s\\\\: \\[x\\]\\, y\\; z.mkv");
    assert.equal(plainPath('file:/a/b.mkv'), '/a/b.mkv');
    assert.equal(plainPath('http://x/y'), 'http://x/y');
  });
  test('NTSC rates stay exact; GOP in frames', () => {
    assert.equal(fpsRational(29.97), '30000/1001');
    assert.equal(fpsRational(23.976), '24000/1001');
    assert.equal(fpsRational(59.94), '60000/1001');
    assert.equal(fpsRational(25), '25');
    assert.equal(gopFrames({ ...DEFAULT_PROFILE, fps: 29.97 }), 60);
  });
  test('deinterlace decisions and GPU decode placement', () => {
    assert.equal(wantsDeinterlace({ fieldOrder: 'tt' }, DEFAULT_PROFILE), true);
    assert.equal(wantsDeinterlace({ fieldOrder: 'progressive' }, DEFAULT_PROFILE), false);
    assert.equal(wantsDeinterlace({ fieldOrder: null }, { ...DEFAULT_PROFILE, deinterlace: 'always' }), true);
    assert.equal(wantsDeinterlace({ fieldOrder: 'bb' }, { ...DEFAULT_PROFILE, deinterlace: 'off' }), false);
    const v = { index: 0, fieldOrder: null, sar: null, codec: 'h264', pixFmt: 'yuv420p' };
    assert.equal(hwDecodes('nvenc', { video: v }), true);
    assert.equal(hwDecodes('nvenc', { video: { ...v, pixFmt: 'yuv420p10le' } }), false);
    assert.equal(hwDecodes('vaapi', { video: { ...v, codec: 'mpeg4' } }), false);
    assert.equal(hwDecodes('qsv', { video: v, subtitle: { index: 2, subIndex: 0, kind: 'image', codec: 'dvd_subtitle', language: null } }), false);
    assert.equal(hwDecodes('software', { video: v }), false);
  });
  test('renderChain: plain chains stay -vf; overlays become a labelled graph', () => {
    assert.deepEqual(renderChain(0, ['a', 'b']), { complex: false, graph: 'a,b' });
    assert.deepEqual(renderChain(2, ['a', { overlay: { side: '[1:v]x', filter: 'overlay' } }, 'c']),
      { complex: true, graph: '[0:2]a[b0];[1:v]x[s0];[b0][s0]overlay,c[vout]' });
    assert.deepEqual(renderChain(0, [{ overlay: { side: '[0:3]', filter: 'overlay' } }]), { complex: true, graph: '[0:0][0:3]overlay[vout]' });
  });
  test('the default profile (software-720p) builds what the streaming engine always built', () => {
    const sw = BUILTIN_PROFILES.find((p) => p.name === 'software-720p')!;
    const inp = { input: 'file:/x.mkv', seekMs: 1000, playMs: 5000, video: { index: 0, fieldOrder: 'tt', sar: '8:9' }, audio: { index: 1 }, progressFd: 3 };
    assert.deepEqual(normaliseArgs(inp, sw), normaliseArgs(inp, DEFAULT_PROFILE));
    assert.equal(videoFilter(inp.video, DEFAULT_PROFILE),
      'bwdif=mode=send_frame:parity=auto:deint=interlaced,scale=w=trunc(iw*sar/2)*2:h=trunc(ih/2)*2,setsar=1,scale=w=1280:h=720:force_original_aspect_ratio=decrease,pad=w=1280:h=720:x=(ow-iw)/2:y=(oh-ih)/2:color=black,setsar=1,fps=30:start_time=0,format=yuv420p,setparams=field_mode=prog,tpad=stop_mode=clone:stop_duration=1');
  });
});

describe('profiles: schema rules', () => {
  test('defaults, and every kind × codec pair the table allows', () => {
    const p = profileInput.parse({ name: 'p', width: 1280, height: 720, videoBitrateK: 2000 });
    assert.equal(p.kind, 'software');
    assert.equal(p.codec, 'h264');
    assert.equal(p.fps, 30);
    for (const kind of HW_KINDS) {
      for (const codec of VIDEO_CODECS) {
        const r = profileInput.safeParse({ name: 'p', kind, codec, width: 1280, height: 720, videoBitrateK: 2000 });
        assert.equal(r.success, !!ENCODERS[kind][codec], `${kind} ${codec}`);
        if (ENCODERS[kind][codec]) assert.match(encoderName(kind, codec), /^[a-z0-9_]+$/);
      }
    }
    assert.equal(profileInput.safeParse({ name: 'p', width: 1280, height: 720, videoBitrateK: 2000, audioCodec: 'mp2', audioChannels: 6 }).success, false);
    for (const { builtIn: _b, ...b } of BUILTIN_PROFILES) assert.ok(profileInput.safeParse(b).success, `${b.name}: ${JSON.stringify(profileInput.safeParse(b).error?.issues)}`);
  });

  test('pieces are whole frames; their audio whole codec frames ending at most one audio frame before the video', () => {
    const p = DEFAULT_PROFILE;
    assert.equal(pieceFrames(p, 1517), 46, '45.5 frames round to 46');
    assert.equal(pieceFrames(p, 10), 1, 'never no frame');
    assert.equal(pieceFrames({ fps: 29.97 }, 60_000), 1798);
    for (const [codec, per, rate] of [['aac', 1024, 48000], ['ac3', 1536, 48000], ['mp2', 1152, 44100]] as const) {
      for (const frames of [1, 46, 75, 1798]) {
        const n = pieceSamples({ ...p, audioCodec: codec, audioRate: rate }, frames);
        const videoSamples = (frames * rate) / 30;
        assert.equal(n % per, 0, `${codec}: whole frames`);
        assert.ok(n <= Math.max(per, videoSamples) && n > videoSamples - per, `${codec} ${frames} frames: ${n} samples vs ${videoSamples}`);
      }
    }
    const args = normaliseArgs({ input: 'file:/m.mkv', seekMs: 0, playMs: 1517, video: { index: 0, fieldOrder: null, sar: null }, audio: { index: 1 } }, p);
    assert.equal(args[args.indexOf('-frames:v') + 1], '46');
    assert.match(args[args.indexOf('-af') + 1]!, /apad=whole_len=72704,atrim=end_sample=72704$/);
    const live = normaliseArgs({ input: { url: 'http://x/live', seekable: false, live: true, expiresAt: null }, seekMs: 0, playMs: 1517, video: { index: 0, fieldOrder: null, sar: null }, audio: { index: 1 } }, p);
    assert.ok(!live.includes('-frames:v') && !/apad/.test(live[live.indexOf('-af') + 1]!), 'a live input is cut by time and never padded');
    assert.equal(live[live.indexOf('-t') + 1], '1.517');
  });
});
