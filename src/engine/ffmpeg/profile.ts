// The channel output profile every item is normalised to. The encoder choice per hardware kind
// lives in encoders.ts (videoEncoderArgsFor); videoEncoderArgs() is the software one.
import { SOFTWARE_PRESETS, type HwKind } from '../../schemas/encoders.js';
import type { OutputMode } from '../../schemas/output-mode.js';

export type ScalingMode = 'fit' | 'stretch' | 'crop';
export type DeinterlaceMode = 'auto' | 'off' | 'always';
export type AudioCodec = 'aac' | 'ac3' | 'mp2';
export type LoudnessMode = 'off' | 'loudnorm' | 'dynaudnorm';

export interface OutputProfile {
  width: number;
  height: number;
  /** Frames per second (integer or e.g. 29.97). */
  fps: number;
  videoBitrateK: number;
  gopSeconds: number;
  audioBitrateK: number;
  audioRate: number;
  audioChannels: number;
  // Optional refinements (encoder profiles set them all; absent = the defaults below).
  /** Hardware the profile asks for (the session may fall back to software); default software. */
  kind?: HwKind;
  /** Default h264. */
  codec?: 'h264' | 'hevc' | 'mpeg2';
  /** VBV buffer (kbit); default twice the bitrate. */
  videoBufferK?: number;
  /** Encoder preset (kind-specific names); default the kind's first preset. */
  preset?: string | null;
  /** Default fit (letterbox/pillarbox with black bars). */
  scaling?: ScalingMode;
  /** Default auto (deinterlace sources whose probed field order is interlaced). */
  deinterlace?: DeinterlaceMode;
  /** Default aac. */
  audioCodec?: AudioCodec;
  /** Default off. */
  loudness?: LoudnessMode;
  /** Integrated loudness target of loudnorm (LUFS); default -23 (EBU R128). */
  loudnessTarget?: number;
  /** Default transcode. */
  mode?: OutputMode;
}

export const DEFAULT_PROFILE: OutputProfile = {
  width: 1280, height: 720, fps: 30, videoBitrateK: 2500, gopSeconds: 2, audioBitrateK: 160, audioRate: 48000, audioChannels: 2,
};

export const gopFrames = (p: OutputProfile): number => Math.round(p.fps * p.gopSeconds);

/** The profile's exact frame rate (29.97 → 30000/1001). */
export function exactFps(p: Pick<OutputProfile, 'fps'>): number {
  const [n, d] = fpsRational(p.fps).split('/');
  return Number(n) / Number(d ?? 1);
}

/** Whole frames a piece of `playMs` holds (at least one): every piece is cut to a whole frame count. */
export const pieceFrames = (p: Pick<OutputProfile, 'fps'>, playMs: number): number => Math.max(1, Math.round((playMs * exactFps(p)) / 1000));

/** Samples of one compressed audio frame per codec (AAC 1024, AC-3 1536, MP2 1152). */
const AUDIO_FRAME: Record<AudioCodec, number> = { aac: 1024, ac3: 1536, mp2: 1152 };

/**
 * Audio samples of a piece of `frames` video frames: the video's length rounded down to whole
 * compressed audio frames, so the encoded audio ends at most one audio frame before the video
 * (never after it: the next piece's video starts right at this one's video end).
 */
export function pieceSamples(p: OutputProfile, frames: number): number {
  const per = AUDIO_FRAME[p.audioCodec ?? 'aac'];
  return Math.max(per, Math.floor((frames * p.audioRate) / exactFps(p) / per) * per);
}

/** Output options that cut a file piece to its whole frames (-t only caps a runaway). */
export function pieceLengthArgs(p: Pick<OutputProfile, 'fps'>, frames: number): string[] {
  return ['-frames:v', String(frames), '-t', ((frames / exactFps(p)) + 1).toFixed(3)];
}

/**
 * Colour and chroma-siting tags every encoder writes whatever the source says: the sequence
 * parameters (SPS/VUI) must not change between items (an interlaced MPEG-2 or a BT.601-tagged item
 * otherwise brings its own chroma location and colour description, and strict decoders reinitialise).
 */
export const FIXED_VUI = ['-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv', '-chroma_sample_location', 'left'];

/**
 * Software encoder of the profile's codec (libx264 by default): closed fixed GOP, no B-frames,
 * no scene-cut keyframes, CBR-ish VBV. Slates and the software fallback use it too.
 */
export function videoEncoderArgs(p: OutputProfile): string[] {
  const g = String(gopFrames(p));
  const b = `${p.videoBitrateK}k`;
  const rate = ['-b:v', b, '-maxrate', b, '-bufsize', `${p.videoBufferK ?? p.videoBitrateK * 2}k`];
  const preset = p.preset && (SOFTWARE_PRESETS as readonly string[]).includes(p.preset) ? p.preset : 'veryfast';
  const keys = ['-force_key_frames', `expr:gte(t,n_forced*${p.gopSeconds})`];
  if (p.codec === 'hevc') {
    return ['-c:v', 'libx265', '-preset', preset, '-tune', 'zerolatency', '-pix_fmt', 'yuv420p', ...FIXED_VUI, ...rate,
      '-g', g, '-keyint_min', g, '-bf', '0', '-flags', '+cgop',
      '-x265-params', `keyint=${g}:min-keyint=${g}:scenecut=0:open-gop=0:bframes=0:repeat-headers=1:log-level=error`, ...keys];
  }
  if (p.codec === 'mpeg2') {
    // mpeg2video refuses closed GOPs while scene-change detection is on.
    return ['-c:v', 'mpeg2video', '-pix_fmt', 'yuv420p', ...FIXED_VUI, ...rate, '-g', g, '-keyint_min', g, '-bf', '0',
      '-sc_threshold', '1000000000', '-flags', '+cgop', ...keys];
  }
  return [
    '-c:v', 'libx264', '-preset', preset, '-tune', 'zerolatency', '-profile:v', 'high', '-pix_fmt', 'yuv420p', ...FIXED_VUI, ...rate,
    '-g', g, '-keyint_min', g, '-sc_threshold', '0', '-bf', '0', '-flags', '+cgop', ...keys,
  ];
}

export function audioEncoderArgs(p: OutputProfile): string[] {
  return ['-c:a', p.audioCodec ?? 'aac', '-b:a', `${p.audioBitrateK}k`, '-ar', String(p.audioRate), '-ac', String(p.audioChannels)];
}

/** "30000/1001" for 29.97 (and 23.976, 59.94), else the number: exact NTSC rates for fps= and -r. */
export function fpsRational(fps: number): string {
  for (const base of [24, 30, 48, 60, 120]) if (Math.abs(fps - (base * 1000) / 1001) < 0.006) return `${base * 1000}/1001`;
  return Number.isInteger(fps) ? String(fps) : String(Math.round(fps * 1000) / 1000);
}

/** MPEG-TS muxing shared by every piece so the splicer sees the same PIDs every time. */
export const MPEGTS_OUT = [
  '-f', 'mpegts', '-muxdelay', '0', '-muxpreload', '0', '-mpegts_service_id', '1',
  '-mpegts_pmt_start_pid', '4096', '-mpegts_start_pid', '256', '-pat_period', '0.1', 'pipe:1',
];
export const VIDEO_PID = 0x100;
export const AUDIO_PID = 0x101;
