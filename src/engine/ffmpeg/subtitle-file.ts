// Text subtitles of a remote input: the subtitles filter opens its file itself and cannot send the
// input's headers, so the piece's stretch of the subtitle track is first copied out through the
// same input (same headers, user agent, seek) into a local .ass file that the filter then reads.
import { ffmpegHead } from './head.js';
import { openInput, type MediaInput } from './input.js';
import type { SubtitlePick } from './select.js';

/** ffmpeg argv: the subtitle stream from seekMs for playMs, as ASS, into `out` (timestamps from 0). */
export function subtitleExtractArgs(input: MediaInput, sub: Pick<SubtitlePick, 'index'>, seekMs: number, playMs: number, out: string): string[] {
  return [...ffmpegHead({ overwrite: true }), ...openInput(input, seekMs), '-map', `0:${sub.index}`, '-t', (playMs / 1000).toFixed(3),
    '-c:s', 'ass', '-f', 'ass', out];
}
