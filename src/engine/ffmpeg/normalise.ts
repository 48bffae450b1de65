// Pure argv builder: one item (or part of it) → the channel profile as MPEG-TS on stdout.
import type { MediaStream } from '../../schemas/library.js';
import { MPEGTS_OUT, audioEncoderArgs, videoEncoderArgs, type OutputProfile } from './profile.js';

export interface NormaliseInput {
  /** ffmpeg input: "file:/abs/path" or a URL. */
  input: string;
  /** Where to start in the item (ms). */
  seekMs: number;
  /** How much to play (ms). */
  playMs: number;
  video: Pick<MediaStream, 'index' | 'fieldOrder' | 'sar'> | null;
  audio: Pick<MediaStream, 'index'> | null;
  /** ffmpeg -progress target fd (heartbeat), e.g. 3. */
  progressFd?: number;
  /** Read input no faster than real time (live sources should not; files may burst). */
  realtime?: boolean;
}

const INTERLACED = new Set(['tt', 'bb', 'tb', 'bt']);
const secs = (ms: number) => (ms / 1000).toFixed(3);

export function videoFilter(v: NormaliseInput['video'], p: OutputProfile): string {
  const f: string[] = [];
  if (v && v.fieldOrder && INTERLACED.has(v.fieldOrder)) f.push('bwdif=mode=send_frame:parity=auto:deint=interlaced');
  // Anamorphic: make pixels square before fitting, or 4:3 comes out 3:2.
  f.push('scale=w=trunc(iw*sar/2)*2:h=trunc(ih/2)*2', 'setsar=1');
  f.push(`scale=w=${p.width}:h=${p.height}:force_original_aspect_ratio=decrease`);
  f.push(`pad=w=${p.width}:h=${p.height}:x=(ow-iw)/2:y=(oh-ih)/2:color=black`, 'setsar=1');
  f.push(`fps=${p.fps}`, 'format=yuv420p');
  return f.join(',');
}

export function audioFilter(p: OutputProfile, playMs: number): string {
  return [
    'aresample=async=1:first_pts=0',
    `aformat=sample_fmts=fltp:sample_rates=${p.audioRate}:channel_layouts=${p.audioChannels === 1 ? 'mono' : 'stereo'}`,
    // Audio shorter than video would leave a hole at the end: pad it to the piece length.
    `apad=whole_dur=${secs(playMs)}`,
  ].join(',');
}

export function normaliseArgs(inp: NormaliseInput, p: OutputProfile): string[] {
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-nostats'];
  if (inp.progressFd) args.push('-progress', `pipe:${inp.progressFd}`, '-stats_period', '1');
  if (inp.realtime) args.push('-re');
  if (inp.seekMs > 0) args.push('-ss', secs(inp.seekMs));
  args.push('-i', inp.input);
  let audioInput = '0';
  if (!inp.audio) {
    args.push('-f', 'lavfi', '-i', `anullsrc=r=${p.audioRate}:cl=stereo`);
    audioInput = '1';
  }
  const vMap = inp.video ? `0:${inp.video.index}` : null;
  if (!vMap) throw new Error('item has no video stream');
  args.push('-map', vMap, '-map', inp.audio ? `0:${inp.audio.index}` : `${audioInput}:a:0`);
  args.push('-vf', videoFilter(inp.video, p), '-af', audioFilter(p, inp.playMs));
  args.push(...videoEncoderArgs(p), ...audioEncoderArgs(p));
  args.push('-t', secs(inp.playMs), '-map_metadata', '-1', '-map_chapters', '-1', '-sn', '-dn');
  args.push(...MPEGTS_OUT);
  return args;
}
