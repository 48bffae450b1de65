// Inputs of the golden argv tests: every hardware kind with the option combinations that change its
// pipeline shape (decode on GPU or CPU, deinterlace, fit/crop/stretch, unknown size, watermark,
// text and image subtitles, codecs, audio and loudness). Expected argv arrays are in golden.test.ts.
import type { HwKind } from '../../src/schemas/encoders.js';
import type { NormaliseInput } from '../../src/engine/ffmpeg/normalise.js';
import type { OutputProfile } from '../../src/engine/ffmpeg/profile.js';
import type { WatermarkSettings } from '../../src/schemas/picture.js';
import { BUILTIN_PROFILES } from '../../src/engine/services/builtin-profiles.js';

const builtin = (name: string): OutputProfile => {
  const p = BUILTIN_PROFILES.find((x) => x.name === name);
  if (!p) throw new Error(name);
  return p;
};

export const V1080 = { index: 0, fieldOrder: 'progressive', sar: '1:1', width: 1920, height: 1080, codec: 'h264', pixFmt: 'yuv420p' };
/** DVD-style NTSC: interlaced top field first, anamorphic 4:3. */
export const V480I = { index: 0, fieldOrder: 'tt', sar: '8:9', width: 720, height: 480, codec: 'mpeg2video', pixFmt: 'yuv420p' };
/** A 4:3 progressive source (pillarbox bars in 16:9). */
export const V43 = { index: 0, fieldOrder: 'progressive', sar: '1:1', width: 640, height: 480, codec: 'mpeg4', pixFmt: 'yuv420p' };
/** 10-bit HEVC: GPU kinds decode it on the CPU (8-bit 4:2:0 only on the GPU path). */
export const V10BIT = { index: 0, fieldOrder: 'progressive', sar: '1:1', width: 3840, height: 2160, codec: 'hevc', pixFmt: 'yuv420p10le' };
/** Nothing known (a URL ffprobe could not size). */
export const VUNKNOWN = { index: 0, fieldOrder: null, sar: null };

export const WM_FADE: WatermarkSettings = {
  image: '/srv/logos/channel 5, "best".png', position: 'top-right', sizePct: 10, marginXPct: 3, marginYPct: 4, opacity: 0.6,
  mode: 'fade', fadeS: 1, everyS: 600, showS: 60, hideDuringFiller: false,
};
export const WM_INTERMITTENT: WatermarkSettings = { ...WM_FADE, image: '/srv/logos/logo.png', position: 'bottom-left', opacity: 1, mode: 'intermittent', everyS: 300, showS: 20 };
export const WM_PERMANENT: WatermarkSettings = { ...WM_FADE, image: '/srv/logos/logo.png', position: 'center', sizePct: 25, mode: 'permanent' };

const TEXT_SUB = { index: 3, subIndex: 1, kind: 'text' as const, codec: 'subrip', language: 'eng' };
const IMAGE_SUB = { index: 4, subIndex: 2, kind: 'image' as const, codec: 'hdmv_pgs_subtitle', language: 'fre' };

const base: NormaliseInput = { input: 'file:/media/Show/S01E01.mkv', seekMs: 0, playMs: 60_000, video: V1080, audio: { index: 1 }, progressFd: 3 };

export interface GoldenCase { name: string; kind: HwKind; input: NormaliseInput; profile: OutputProfile; vaapiDevice?: string }

const c = (name: string, kind: HwKind, profile: OutputProfile, input: Partial<NormaliseInput> = {}, vaapiDevice?: string): GoldenCase =>
  ({ name, kind, profile, input: { ...base, ...input }, ...(vaapiDevice ? { vaapiDevice } : {}) });

const sw720 = builtin('software-720p');
const sw480 = builtin('software-480p');
const sw1080 = builtin('software-1080p');
const nv = builtin('nvenc-1080p');
const va = builtin('vaapi-1080p');
const qsv = builtin('qsv-1080p');
const rpi = builtin('rpi4-v4l2-720p');

export const GOLDEN_CASES: GoldenCase[] = [
  // software
  c('software 720p, 1080p progressive source (the default profile)', 'software', sw720),
  c('software 480p, interlaced anamorphic DVD source, seek, no audio', 'software', sw480, { video: V480I, seekMs: 90_500, audio: null }),
  c('software 1080p HEVC, crop', 'software', { ...sw1080, codec: 'hevc', scaling: 'crop', preset: 'faster' }),
  c('software MPEG-2 29.97 fps, stretch, always deinterlace', 'software', { ...sw720, codec: 'mpeg2', fps: 29.97, scaling: 'stretch', deinterlace: 'always' }),
  c('software, deinterlace off on an interlaced source', 'software', { ...sw720, deinterlace: 'off' }, { video: V480I }),
  c('software, fading watermark (path needs no escaping: it is an -i argument)', 'software', sw720, { watermark: WM_FADE }),
  c('software, intermittent watermark on the wall clock', 'software', sw720, { watermark: WM_INTERMITTENT, startsAtMs: Date.UTC(2026, 0, 1, 20, 0, 7) }),
  c('software, text subtitles burned from a path needing filtergraph escaping, after a seek', 'software', sw720,
    { input: "file:/media/It's: a [test], really; no\\really.mkv", subtitle: TEXT_SUB, seekMs: 12_000 }),
  c('software, image subtitles (overlay) on an interlaced source, plus a watermark', 'software', sw720, { video: V480I, subtitle: IMAGE_SUB, watermark: WM_PERMANENT }),
  c('software, loudnorm to -24 LUFS, AC-3 5.1', 'software', { ...sw720, loudness: 'loudnorm', loudnessTarget: -24, audioCodec: 'ac3', audioChannels: 6, audioBitrateK: 384 }),
  c('software, dynaudnorm, MP2 mono 44.1 kHz', 'software', { ...sw720, loudness: 'dynaudnorm', audioCodec: 'mp2', audioChannels: 1, audioRate: 44100, audioBitrateK: 128 }),
  c('software, unknown source size', 'software', sw720, { video: VUNKNOWN }),
  // nvenc
  c('nvenc 1080p, 1080p H.264 source: decode, scale on the GPU, no trip to system memory', 'nvenc', nv),
  c('nvenc, 4:3 MPEG-4 source: GPU decode and scale, pad in system memory', 'nvenc', nv, { video: V43 }),
  c('nvenc, interlaced anamorphic MPEG-2: yadif_cuda, explicit 4:3 size', 'nvenc', nv, { video: V480I }),
  c('nvenc, 10-bit HEVC source decoded on the CPU and uploaded', 'nvenc', nv, { video: V10BIT }),
  c('nvenc HEVC, text subtitles and watermark (system-memory stage)', 'nvenc', { ...nv, codec: 'hevc', preset: 'p6' }, { subtitle: TEXT_SUB, watermark: WM_FADE }),
  c('nvenc, image subtitles force CPU decode', 'nvenc', nv, { subtitle: IMAGE_SUB }),
  c('nvenc, unknown source size, crop', 'nvenc', { ...nv, scaling: 'crop' }, { video: VUNKNOWN }),
  // vaapi
  c('vaapi 1080p, 1080p H.264 source', 'vaapi', va, {}, '/dev/dri/renderD129'),
  c('vaapi, interlaced anamorphic DVD: deinterlace_vaapi, pad in system memory', 'vaapi', va, { video: V480I }),
  c('vaapi, MPEG-4 source decoded on the CPU, crop', 'vaapi', { ...va, scaling: 'crop' }, { video: V43 }),
  c('vaapi MPEG-2, stretch, always deinterlace, watermark', 'vaapi', { ...va, codec: 'mpeg2', scaling: 'stretch', deinterlace: 'always' }, { watermark: WM_INTERMITTENT, startsAtMs: 0 }),
  c('vaapi HEVC, unknown size (force_original_aspect_ratio)', 'vaapi', { ...va, codec: 'hevc' }, { video: VUNKNOWN }),
  // qsv
  c('qsv 1080p (1 s GOP), 1080p H.264 source: h264_qsv decoder', 'qsv', qsv),
  c('qsv, interlaced MPEG-2 source: mpeg2_qsv decode, deinterlace_qsv, pad', 'qsv', qsv, { video: V480I }),
  c('qsv MPEG-2 output, unknown size: CPU filters, one upload', 'qsv', { ...qsv, codec: 'mpeg2' }, { video: VUNKNOWN }),
  c('qsv HEVC, text subtitles', 'qsv', { ...qsv, codec: 'hevc', preset: 'medium' }, { subtitle: TEXT_SUB }),
  // videotoolbox, amf, v4l2m2m: CPU filters, hardware encoder
  c('videotoolbox 1080p H.264', 'videotoolbox', { ...sw1080, kind: 'videotoolbox', preset: null }),
  c('videotoolbox HEVC, interlaced source', 'videotoolbox', { ...sw1080, kind: 'videotoolbox', codec: 'hevc', preset: null }, { video: V480I }),
  c('amf 1080p H.264', 'amf', { ...sw1080, kind: 'amf', preset: 'speed' }),
  c('amf HEVC quality preset, watermark', 'amf', { ...sw1080, kind: 'amf', codec: 'hevc', preset: 'quality' }, { watermark: WM_PERMANENT }),
  c('Raspberry Pi 4 V4L2 M2M 720p', 'v4l2m2m', rpi),
  c('Raspberry Pi 4 V4L2 M2M 720p, interlaced source, subtitles', 'v4l2m2m', rpi, { video: V480I, subtitle: TEXT_SUB }),
];
