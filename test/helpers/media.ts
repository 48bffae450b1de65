// Generates small real media files with ffmpeg for tests and benchmarks (ultrafast, tiny sizes).
import { execa } from 'execa';
import { truncate as fsTruncate, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';

export const FFMPEG = process.env.FFMPEG ?? '/usr/bin/ffmpeg';
export const FFPROBE = process.env.FFPROBE ?? '/usr/bin/ffprobe';

export interface AudioSpec { lang?: string; freq?: number; channels?: number; rate?: number; title?: string }
export interface SubtitleSpec { lang?: string; text?: string; forced?: boolean }
export interface ChapterSpec { title: string; startMs: number; endMs: number }

export interface ClipSpec {
  /** Seconds; default 2. */
  duration?: number;
  /** WxH; default 160x120. */
  size?: string;
  /** Frames per second, e.g. 25 or '30000/1001'; default 25. */
  fps?: number | string;
  vcodec?: 'libx264' | 'mpeg2video' | 'mpeg4' | 'libx265';
  /** Top field first interlaced encode. */
  interlaced?: boolean;
  /** Sample aspect ratio, e.g. '8:9'. */
  sar?: string;
  /** Audio tracks; default one 48 kHz stereo track. Pass [] for none. */
  audio?: AudioSpec[];
  /** Text subtitle tracks (muxed as srt in mkv, mov_text in mp4). */
  subtitles?: SubtitleSpec[];
  chapters?: ChapterSpec[];
  /** No video at all (audio only). */
  noVideo?: boolean;
  /** Adds a PNG cover picture as an attached_pic video stream (mp4/mkv). */
  coverArt?: boolean;
  /** MP4/MOV: index (moov) before the data, as web-optimised files have it. */
  faststart?: boolean;
}

const srt = (text: string, duration: number) =>
  `1\n00:00:00,000 --> 00:00:0${Math.min(9, Math.max(1, Math.floor(duration)))},000\n${text}\n`;

const ffmetadata = (chapters: ChapterSpec[]) => [';FFMETADATA1',
  ...chapters.map((c) => `[CHAPTER]\nTIMEBASE=1/1000\nSTART=${c.startMs}\nEND=${c.endMs}\ntitle=${c.title.replace(/[=;#\\\n]/g, '\\$&')}`)].join('\n') + '\n';

/** Writes `name` (container from its extension) into dir and returns its absolute path. */
export async function makeClip(dir: string, name: string, spec: ClipSpec = {}): Promise<string> {
  const out = join(dir, name);
  await mkdir(dir, { recursive: true });
  const d = spec.duration ?? 2;
  const sideFiles: string[] = [];
  const ext = extname(name).toLowerCase();
  const mp4ish = ['.mp4', '.m4v', '.mov', '.3gp'].includes(ext);
  const inputs: string[] = [];
  const maps: string[] = [];
  const codecs: string[] = [];
  let n = 0;
  const input = (...args: string[]) => { inputs.push(...args); return n++; };

  if (!spec.noVideo) {
    const v = input('-f', 'lavfi', '-i', `testsrc2=size=${spec.size ?? '160x120'}:rate=${spec.fps ?? 25}:duration=${d}`);
    maps.push('-map', `${v}:v`);
    const filters = [spec.sar ? `setsar=${spec.sar.replace(':', '/')}` : '', spec.interlaced ? 'setfield=tff' : ''].filter(Boolean);
    if (filters.length) codecs.push('-filter:v:0', filters.join(','));
    const vcodec = spec.vcodec ?? 'libx264';
    codecs.push('-c:v:0', vcodec, '-pix_fmt', 'yuv420p', '-g', '25');
    if (vcodec === 'libx264') codecs.push('-preset', 'ultrafast');
    if (vcodec === 'libx265') codecs.push('-preset', 'ultrafast', '-x265-params', 'log-level=error');
    if (spec.interlaced) codecs.push('-flags', '+ildct+ilme', '-top', '1');
  }
  (spec.audio ?? [{}]).forEach((a, i) => {
    const idx = input('-f', 'lavfi', '-i', `sine=frequency=${a.freq ?? 440 + 110 * i}:sample_rate=${a.rate ?? 48000}:duration=${d}`);
    maps.push('-map', `${idx}:a`);
    codecs.push(`-c:a:${i}`, ext === '.ts' || ext === '.mpg' ? 'mp2' : 'aac', `-ac:a:${i}`, String(a.channels ?? 2));
    if (a.lang) codecs.push(`-metadata:s:a:${i}`, `language=${a.lang}`);
    if (a.title) codecs.push(`-metadata:s:a:${i}`, `title=${a.title}`);
  });
  const subs = spec.subtitles ?? [];
  for (const [i, s] of subs.entries()) {
    const file = `${out}.sub${i}.srt`;
    sideFiles.push(file);
    await writeFile(file, srt(s.text ?? `subtitle ${i}`, d));
    const idx = input('-i', file);
    maps.push('-map', `${idx}:s`);
    codecs.push(`-c:s:${i}`, mp4ish ? 'mov_text' : 'srt');
    if (s.lang) codecs.push(`-metadata:s:s:${i}`, `language=${s.lang}`);
    if (s.forced) codecs.push(`-disposition:s:${i}`, 'forced');
  }
  if (spec.coverArt) {
    const idx = input('-f', 'lavfi', '-i', 'color=c=red:size=64x64:duration=0.04');
    maps.push('-map', `${idx}:v`);
    const vi = spec.noVideo ? 0 : 1;
    codecs.push(`-c:v:${vi}`, 'png', `-frames:v:${vi}`, '1', `-disposition:v:${vi}`, 'attached_pic');
  }
  if (spec.chapters?.length) {
    const file = `${out}.chapters.txt`;
    sideFiles.push(file);
    await writeFile(file, ffmetadata(spec.chapters));
    const idx = input('-f', 'ffmetadata', '-i', file);
    codecs.push('-map_chapters', String(idx));
  }
  if (spec.faststart) codecs.push('-movflags', '+faststart');
  try {
    await execa(FFMPEG, ['-nostdin', '-v', 'error', '-y', ...inputs, ...maps, ...codecs, '-t', String(d), out]);
  } finally {
    await Promise.all(sideFiles.map((f) => rm(f, { force: true })));
  }
  return out;
}

/** Cuts a file to `fraction` of its size, like an interrupted copy. */
export async function truncate(file: string, fraction = 0.5): Promise<void> {
  const { size } = await stat(file);
  await fsTruncate(file, Math.floor(size * fraction));
}
