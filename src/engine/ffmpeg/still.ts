// Audio-only items on a video channel (music, radio plays): the picture is the file's cover art
// (its attached picture, held for the whole piece), or a plain card in the slates' colour when it
// has none. Pure argv builder; software encoding (a still picture costs little), the same output
// profile, cadence and MPEG-TS tail as every transcoded piece.
import type { MediaStream } from '../../schemas/library.js';
import { CADENCE_TAIL, audioFilter, swGeometry } from './filters.js';
import { ffmpegHead } from './head.js';
import { openInput, type MediaInput } from './input.js';
import { MPEGTS_OUT, audioEncoderArgs, fpsRational, pieceFrames, pieceLengthArgs, pieceSamples, videoEncoderArgs, type OutputProfile } from './profile.js';

/** Background of the card (the colour of the error and offline slates). */
export const CARD_COLOUR = '0x14202c';

export interface StillInput {
  input: MediaInput;
  seekMs: number;
  playMs: number;
  audio: Pick<MediaStream, 'index'>;
  /** Stream index of the attached picture, or null for the card. */
  coverIndex: number | null;
  progressFd?: number;
}

export function stillArgs(s: StillInput, p: OutputProfile): string[] {
  const args = ffmpegHead({ quiet: true });
  if (s.progressFd) args.push('-progress', `pipe:${s.progressFd}`, '-stats_period', '1');
  const rate = fpsRational(p.fps);
  args.push(...openInput(s.input, s.seekMs));
  let picture: string;
  if (s.coverIndex !== null) {
    // The same file again from its start: a seek would cut the attached picture (it sits at time 0).
    args.push(...openInput(s.input, 0));
    picture = [`[1:${s.coverIndex}]loop=loop=-1:size=1`, `setpts=N/(${rate})/TB`, ...swGeometry(p)].join(',');
  } else {
    args.push('-f', 'lavfi', '-i', `color=c=${CARD_COLOUR}:s=${p.width}x${p.height}:r=${rate}`);
    picture = '[1:v]setsar=1';
  }
  const graph = [picture, `fps=${rate}:start_time=0`, 'format=yuv420p', ...CADENCE_TAIL].join(',') + '[vout]';
  const frames = pieceFrames(p, s.playMs);
  args.push('-filter_complex', graph, '-map', '[vout]', '-map', `0:${s.audio.index}`);
  args.push('-af', audioFilter(p, s.playMs, s.input.live, s.input.live ? undefined : pieceSamples(p, frames)));
  args.push(...videoEncoderArgs(p), ...audioEncoderArgs(p));
  args.push(...(s.input.live ? ['-t', (s.playMs / 1000).toFixed(3)] : pieceLengthArgs(p, frames)));
  args.push('-map_metadata', '-1', '-map_chapters', '-1', '-sn', '-dn', ...MPEGTS_OUT);
  return args;
}
