// Synthetic clips made by ffmpeg's lavfi sources: the demo library, and media for tests and benches.
import { execa } from 'execa';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ffmpegHead } from '../ffmpeg/head.js';

export interface AudioSpec { freq: number; channels?: 1 | 2 | 6; rate?: number; lang?: string; codec?: 'aac' | 'ac3' | 'mp2' }

export interface ClipSpec {
  /** Seconds of video. */
  seconds: number;
  width: number;
  height: number;
  fps: string;
  vcodec: 'libx264' | 'libx265' | 'mpeg2video' | 'mpeg4';
  pattern?: 'testsrc2' | 'smptebars' | 'rgbtestsrc' | 'mandelbrot' | 'testsrc';
  interlaced?: boolean;
  /** Sample aspect ratio, e.g. "8:9" (anamorphic). */
  sar?: string;
  audio?: AudioSpec[];
  /** Audio shorter than the video by this many seconds. */
  audioShortBy?: number;
  /** SubRip text muxed as a subtitle stream (mkv). */
  subtitles?: { lang: string; text: string };
  /** Chapter marks in seconds (ffmetadata). */
  chapters?: number[];
  title?: string;
}

/** ffmpeg argv (no shell) that renders the clip to `out`; extra input files are returned for the caller to write. */
export function clipArgs(spec: ClipSpec, out: string, extra: { subtitleFile?: string; metadataFile?: string } = {}): string[] {
  const pat = spec.pattern ?? 'testsrc2';
  const size = `${spec.width}x${spec.height}`;
  const args = [...ffmpegHead({ overwrite: true }),
    '-t', String(spec.seconds), '-f', 'lavfi', '-i', `${pat}=size=${size}:rate=${spec.fps}`];
  const audio = spec.audio ?? [];
  const aSeconds = Math.max(0.5, spec.seconds - (spec.audioShortBy ?? 0));
  for (const a of audio) {
    args.push('-f', 'lavfi', '-i', `sine=frequency=${a.freq}:sample_rate=${a.rate ?? 48000}:duration=${aSeconds}`);
  }
  let next = 1 + audio.length;
  const subIdx = spec.subtitles && extra.subtitleFile ? next++ : -1;
  if (subIdx > 0) args.push('-i', extra.subtitleFile!);
  const metaIdx = extra.metadataFile ? next++ : -1;
  if (metaIdx > 0) args.push('-f', 'ffmetadata', '-i', extra.metadataFile!);

  const vf: string[] = [];
  if (spec.sar) vf.push(`setsar=${spec.sar.replace(':', '/')}`);
  if (spec.interlaced) vf.push('setfield=tff');
  args.push('-map', '0:v');
  audio.forEach((_, i) => args.push('-map', `${i + 1}:a`));
  if (subIdx > 0) args.push('-map', `${subIdx}:s`);
  if (metaIdx > 0) args.push('-map_metadata', String(metaIdx), '-map_chapters', String(metaIdx));
  if (vf.length) args.push('-vf', vf.join(','));

  args.push('-c:v', spec.vcodec, '-pix_fmt', 'yuv420p');
  if (spec.vcodec === 'libx264') args.push('-preset', 'ultrafast');
  if (spec.vcodec === 'libx265') args.push('-preset', 'ultrafast', '-x265-params', 'log-level=error');
  if (spec.vcodec === 'mpeg2video' || spec.vcodec === 'mpeg4') args.push('-q:v', '5');
  if (spec.interlaced) args.push('-flags', '+ildct+ilme', '-top', '1');
  audio.forEach((a, i) => {
    args.push(`-c:a:${i}`, a.codec ?? 'aac', `-ac:a:${i}`, String(a.channels ?? 2));
    if (a.lang) args.push(`-metadata:s:a:${i}`, `language=${a.lang}`);
  });
  if (subIdx > 0) args.push('-c:s', out.endsWith('.mp4') ? 'mov_text' : 'srt', '-metadata:s:s:0', `language=${spec.subtitles!.lang}`);
  if (spec.title) args.push('-metadata', `title=${spec.title}`);
  args.push(out);
  return args;
}

const srt = (text: string, seconds: number) => `1\n00:00:00,500 --> 00:00:${String(Math.min(59, Math.max(1, Math.floor(seconds - 1)))).padStart(2, '0')},000\n${text}\n`;

const ffmeta = (chapters: number[], seconds: number) => ';FFMETADATA1\n' + chapters.map((c, i) =>
  `[CHAPTER]\nTIMEBASE=1/1000\nSTART=${Math.round(c * 1000)}\nEND=${Math.round((chapters[i + 1] ?? seconds) * 1000)}\ntitle=Chapter ${i + 1}\n`).join('');

/** Renders one clip (atomically: a half-written file never appears under its real name). */
export async function makeClip(ffmpeg: string, out: string, spec: ClipSpec): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  await mkdir(dirname(out), { recursive: true });
  const tmp = out.replace(/(\.[^.\/]+)$/, '.partial$1');
  const extra: { subtitleFile?: string; metadataFile?: string } = {};
  if (spec.subtitles) await writeFile(extra.subtitleFile = `${tmp}.srt`, srt(spec.subtitles.text, spec.seconds));
  if (spec.chapters?.length) await writeFile(extra.metadataFile = `${tmp}.ffmeta`, ffmeta(spec.chapters, spec.seconds));
  try {
    const r = await execa(ffmpeg, clipArgs(spec, tmp, extra), { timeout: 120_000, forceKillAfterDelay: 2000, stdin: 'ignore', reject: false });
    if (r.failed) throw new Error(`ffmpeg could not make ${out}: ${r.timedOut ? 'timed out' : String(r.stderr).trim().split('\n').at(-1) || r.shortMessage}`);
    await rename(tmp, out);
  } finally {
    await rm(tmp, { force: true });
    if (extra.subtitleFile) await rm(extra.subtitleFile, { force: true });
    if (extra.metadataFile) await rm(extra.metadataFile, { force: true });
  }
}
