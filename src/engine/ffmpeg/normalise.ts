// Pure argv builder: one item (or part of it) → the channel profile as MPEG-TS on stdout, for the
// hardware kind chosen (input → filters → encoder → output). The output side (MPEGTS_OUT, PIDs,
// closed fixed GOP) is the same for every kind: that is what the splicer relies on.
import type { MediaStream } from '../../schemas/library.js';
import type { WatermarkSettings } from '../../schemas/picture.js';
import { videoEncoderArgsFor } from './encoders.js';
import { type HwKind } from '../../schemas/encoders.js';
import { audioFilter, hwDecodeArgs, hwDeviceArgs, renderChain, videoSteps, type HwDevice, type VideoFacts } from './filters.js';
import { MPEGTS_OUT, audioEncoderArgs, fpsRational, pieceFrames, pieceLengthArgs, pieceSamples, type OutputProfile } from './profile.js';
import { ffmpegHead } from './head.js';
import { asInput, audioMapOf, effectiveSeekMs, inputCount, isLocalFile, openInput, type MediaInput } from './input.js';
import type { SubtitlePick } from './select.js';

export { audioFilter } from './filters.js';

export interface NormaliseInput {
  /** What to open: a MediaInput, or a plain local ffmpeg input ("file:/abs/path", or a lavfi graph with inputFormat 'lavfi'). */
  input: string | MediaInput;
  /** Where to start in the item (ms). */
  seekMs: number;
  /** How much to play (ms). */
  playMs: number;
  video: VideoFacts | null;
  audio: Pick<MediaStream, 'index'> | null;
  /** ffmpeg -progress target fd (heartbeat), e.g. 3. */
  progressFd?: number;
  /** Read input no faster than real time (live sources should not; files may burst). */
  realtime?: boolean;
  /** Input format (-f before -i), e.g. 'lavfi' for the encoder probes. */
  inputFormat?: string;
  /** Subtitles to burn into the picture. */
  subtitle?: SubtitlePick | null;
  /**
   * A text subtitle already taken out of a remote input (through the same input options) into a
   * local file whose time 0 is `startMs` of the item: the subtitles filter cannot send the input's headers.
   */
  subtitleFile?: { path: string; startMs: number } | null;
  /** Watermark over the picture (already null when hidden, e.g. during filler). */
  watermark?: WatermarkSettings | null;
  /** Wall-clock epoch ms at which this piece starts (intermittent watermark phase). */
  startsAtMs?: number;
}

export interface EncoderChoice extends Partial<HwDevice> {
  /** Hardware kind to encode with; default software. */
  kind?: HwKind;
}

const secs = (ms: number) => (ms / 1000).toFixed(3);

/** Where the subtitles filter reads a text subtitle: the local file itself, or the copy taken out of a remote input. */
function subtitleSource(source: MediaInput, inp: NormaliseInput): { subtitleFile?: { path: string; offsetMs: number } } {
  if (inp.subtitle?.kind !== 'text') return {};
  if (inp.subtitleFile) return { subtitleFile: { path: inp.subtitleFile.path, offsetMs: effectiveSeekMs(source, inp.seekMs) - inp.subtitleFile.startMs } };
  if (!isLocalFile(source)) throw new Error('a text subtitle of a remote input must be taken out through the same input first (subtitleFile)');
  return {};
}

/** The software video chain as -vf text (no watermark or subtitles). */
export function videoFilter(v: NormaliseInput['video'], p: OutputProfile): string {
  if (!v) throw new Error('item has no video stream');
  return renderChain(v.index, videoSteps('software', { video: v, input: '', seekMs: 0, playMs: 0 }, p, -1)).graph;
}

export function normaliseArgs(inp: NormaliseInput, p: OutputProfile, enc: EncoderChoice = {}): string[] {
  const kind = enc.kind ?? 'software';
  if (!inp.video) throw new Error('item has no video stream');
  const source = asInput(inp.input, inp.inputFormat);
  const picture = { video: inp.video, input: source.url, seekMs: inp.seekMs, playMs: inp.playMs, subtitle: inp.subtitle ?? null,
    watermark: inp.watermark ?? null, ...(inp.startsAtMs !== undefined ? { startsAtMs: inp.startsAtMs } : {}),
    ...subtitleSource(source, inp) };
  const args = ffmpegHead({ quiet: true });
  if (inp.progressFd) args.push('-progress', `pipe:${inp.progressFd}`, '-stats_period', '1');
  args.push(...hwDeviceArgs(kind, enc));
  args.push(...openInput(source, inp.seekMs, inp.realtime, hwDecodeArgs(kind, picture)));
  let next = inputCount(source);
  const wmInput = inp.watermark ? next++ : -1;
  if (inp.watermark) args.push('-framerate', fpsRational(p.fps), '-loop', '1', '-i', inp.watermark.image);
  let audioMap = inp.audio ? audioMapOf(source, inp.audio.index) : '';
  if (!inp.audio) {
    args.push('-f', 'lavfi', '-i', `anullsrc=r=${p.audioRate}:cl=stereo`);
    audioMap = `${next++}:a:0`;
  }
  const video = renderChain(inp.video.index, videoSteps(kind, picture, p, wmInput));
  if (video.complex) args.push('-filter_complex', video.graph, '-map', '[vout]', '-map', audioMap);
  else args.push('-map', `0:${inp.video.index}`, '-map', audioMap, '-vf', video.graph);
  const live = source.live;
  // A constant cadence across pieces: a file piece is exactly N frames and the audio of N frames
  // (whole audio frames, ending at most one before the video); -t only caps a runaway. A live
  // input is cut by time: it may die, and padding would hide that.
  const frames = pieceFrames(p, inp.playMs);
  args.push('-af', audioFilter(p, inp.playMs, live, live ? undefined : pieceSamples(p, frames)));
  args.push(...videoEncoderArgsFor(kind, p), ...audioEncoderArgs(p));
  if (live) args.push('-t', secs(inp.playMs));
  else args.push(...pieceLengthArgs(p, frames));
  args.push('-map_metadata', '-1', '-map_chapters', '-1', '-sn', '-dn');
  args.push(...MPEGTS_OUT);
  return args;
}
