// Direct (copy) pieces: when an item's probed streams already match the channel's output, ffmpeg
// copies them into MPEG-TS instead of transcoding (a few % of one core instead of most of it).
// Pure: the match rules and the argv. The output side (MPEGTS_OUT, PIDs) is the transcoder's.
import type { MediaStream } from '../../schemas/library.js';
import { audioFilter } from './filters.js';
import { ffmpegHead } from './head.js';
import { audioMapOf, effectiveSeekMs, inputCount, openInput, type MediaInput } from './input.js';
import { MPEGTS_OUT, audioEncoderArgs, type OutputProfile } from './profile.js';

/** Probed codec name of each output codec. */
const CODEC_NAME = { h264: 'h264', hevc: 'hevc', mpeg2: 'mpeg2video' } as const;
/** Bitstream filters MPEG-TS needs for a copied stream (MP4/MKV store length-prefixed NAL units). */
const VIDEO_BSF: Record<string, string> = { h264: 'h264_mp4toannexb', hevc: 'hevc_mp4toannexb' };
const PLANAR_420 = new Set(['yuv420p', 'yuvj420p']);
const INTERLACED = new Set(['tt', 'bb', 'tb', 'bt']);

export type StreamFacts = Partial<Pick<MediaStream, 'codec' | 'width' | 'height' | 'fps' | 'pixFmt' | 'sar' | 'fieldOrder' | 'sampleRate' | 'channels'>>;

/** Why a probed video stream cannot be copied into this profile's output, or null when it can. */
export function videoMismatch(v: StreamFacts, p: OutputProfile): string | null {
  const codec = CODEC_NAME[p.codec ?? 'h264'];
  if (v.codec !== codec) return `video codec ${v.codec ?? 'unknown'} ≠ ${codec}`;
  if (v.width !== p.width || v.height !== p.height) return `size ${v.width ?? '?'}×${v.height ?? '?'} ≠ ${p.width}×${p.height}`;
  if (!v.fps || Math.abs(v.fps - p.fps) > 0.01) return `frame rate ${v.fps ?? '?'} ≠ ${p.fps}`;
  if (!v.pixFmt || !PLANAR_420.has(v.pixFmt)) return `pixel format ${v.pixFmt ?? 'unknown'} ≠ yuv420p`;
  if (v.sar && v.sar !== '1:1' && v.sar !== '0:1') return `anamorphic (SAR ${v.sar})`;
  if (v.fieldOrder && INTERLACED.has(v.fieldOrder) && (p.deinterlace ?? 'auto') !== 'off') return 'interlaced';
  if ((p.deinterlace ?? 'auto') === 'always') return 'the profile always deinterlaces';
  return null;
}

/** Why a probed audio stream cannot be copied, or null when it can (no audio: it cannot). */
export function audioMismatch(a: StreamFacts | null, p: OutputProfile): string | null {
  if (!a) return 'no audio';
  const codec = p.audioCodec ?? 'aac';
  if (a.codec !== codec) return `audio codec ${a.codec ?? 'unknown'} ≠ ${codec}`;
  if (a.sampleRate !== p.audioRate) return `audio rate ${a.sampleRate ?? '?'} ≠ ${p.audioRate}`;
  if (a.channels !== p.audioChannels) return `${a.channels ?? '?'} audio channels ≠ ${p.audioChannels}`;
  if (p.loudness && p.loudness !== 'off') return 'loudness normalisation';
  return null;
}

export interface DirectInput {
  input: MediaInput;
  seekMs: number;
  playMs: number;
  video: Pick<MediaStream, 'index'> & Partial<Pick<MediaStream, 'codec'>>;
  audio: Pick<MediaStream, 'index'> | null;
  /** Copy the audio too (else it is encoded to the profile: video-only copy). */
  copyAudio: boolean;
  progressFd?: number;
}

/**
 * argv of a copied piece. A seek starts at the keyframe at or before the in-point (ffmpeg's input
 * seek with stream copy), so the piece always opens on a keyframe.
 */
export function directArgs(d: DirectInput, p: OutputProfile): string[] {
  const secs = (ms: number) => (ms / 1000).toFixed(3);
  const args = ffmpegHead({ quiet: true });
  if (d.progressFd) args.push('-progress', `pipe:${d.progressFd}`, '-stats_period', '1');
  args.push(...openInput(d.input, effectiveSeekMs(d.input, d.seekMs)));
  if (!d.copyAudio && !d.audio) args.push('-f', 'lavfi', '-i', `anullsrc=r=${p.audioRate}:cl=stereo`);
  args.push('-map', `0:${d.video.index}`, '-map', d.audio ? audioMapOf(d.input, d.audio.index) : `${inputCount(d.input)}:a:0`, '-c:v', 'copy');
  const bsf = VIDEO_BSF[d.video.codec ?? ''];
  if (bsf) args.push('-bsf:v', bsf);
  if (d.copyAudio) args.push('-c:a', 'copy');
  else args.push('-af', audioFilter(p, d.playMs), ...audioEncoderArgs(p));
  args.push('-t', secs(d.playMs), '-map_metadata', '-1', '-map_chapters', '-1', '-sn', '-dn', ...MPEGTS_OUT);
  return args;
}
