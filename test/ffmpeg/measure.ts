// Measurements on real ffmpeg output: run a normaliser argv into a file, read pixels and PCM back.
import { execFile, spawn } from 'node:child_process';
import { FFMPEG, FFPROBE } from '../helpers/media.js';

/** Runs ffmpeg with args whose last element (the output) is replaced by `out`. Rejects with ffmpeg's stderr. */
export function runToFile(args: string[], out: string): Promise<void> {
  const a = [...args.slice(0, -1), '-y', out].filter((x, i, all) => !(x === '-progress' || all[i - 1] === '-progress' || x === '-stats_period' || all[i - 1] === '-stats_period'));
  return new Promise((resolve, reject) => {
    const child = spawn(FFMPEG, a, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}: ${err.trim()}\nargs: ${JSON.stringify(a)}`))));
  });
}

/** ffmpeg with argv (no shell), resolving stdout as a Buffer and stderr as text. */
export function ffmpeg(args: string[]): Promise<{ stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(FFMPEG, ['-hide_banner', '-nostdin', ...args], { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr.toString()}`));
      else resolve({ stdout, stderr: stderr.toString() });
    });
  });
}

export async function ffprobeJson(file: string): Promise<{ streams: Record<string, unknown>[]; format: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    execFile(FFPROBE, ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', file], (err, stdout) => {
      if (err) reject(err); else resolve(JSON.parse(stdout));
    });
  });
}

export interface Frame { w: number; h: number; data: Buffer; channels: number }

/** One decoded frame at time t (s) as 8-bit gray or rgb24. */
export async function frameAt(file: string, t: number, w: number, h: number, fmt: 'gray' | 'rgb24' = 'rgb24'): Promise<Frame> {
  const { stdout } = await ffmpeg(['-v', 'error', '-i', file, '-ss', t.toFixed(3), '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', fmt, 'pipe:1']);
  const channels = fmt === 'gray' ? 1 : 3;
  if (stdout.length !== w * h * channels) throw new Error(`expected a ${w}x${h} frame, got ${stdout.length} bytes`);
  return { w, h, data: stdout, channels };
}

/** Every decoded frame as 8-bit gray. */
export async function grayFrames(file: string, w: number, h: number): Promise<Buffer[]> {
  const { stdout } = await ffmpeg(['-v', 'error', '-i', file, '-map', '0:v:0', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1']);
  const size = w * h;
  const out: Buffer[] = [];
  for (let o = 0; o + size <= stdout.length; o += size) out.push(stdout.subarray(o, o + size));
  return out;
}

/** Pixel [r, g, b] (or [y]) at x, y. */
export function px(f: Frame, x: number, y: number): number[] {
  const o = (y * f.w + x) * f.channels;
  return [...f.data.subarray(o, o + f.channels)];
}

/** Mean of channel 0..2 over a rectangle. */
export function meanRect(f: Frame, x0: number, y0: number, x1: number, y1: number): number {
  let s = 0, n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) { for (const v of px(f, x, y)) s += v; n += f.channels; }
  return s / n;
}

/**
 * Combing: mean |2·p(y) − p(y−1) − p(y+1)| over the picture. Woven fields of a moving picture make
 * every other line disagree with its neighbours; a deinterlaced (or progressive) frame does not.
 */
export function combing(gray: Buffer, w: number, h: number): number {
  let s = 0;
  for (let y = 1; y < h - 1; y++) {
    const a = (y - 1) * w, b = y * w, c = (y + 1) * w;
    for (let x = 0; x < w; x++) s += Math.abs(2 * gray[b + x]! - gray[a + x]! - gray[c + x]!);
  }
  return s / (w * (h - 2));
}

/** Decoded audio of the first audio stream as mono 48 kHz signed 16-bit samples. */
export async function pcm(file: string, seconds?: number): Promise<Int16Array> {
  const { stdout } = await ffmpeg(['-v', 'error', '-i', file, '-map', '0:a:0', ...(seconds ? ['-t', String(seconds)] : []), '-ac', '1', '-ar', '48000', '-f', 's16le', 'pipe:1']);
  return new Int16Array(stdout.buffer, stdout.byteOffset, Math.floor(stdout.length / 2));
}

/** Goertzel power of one frequency over samples[from, from+n). */
export function tonePower(samples: Int16Array, hz: number, rate = 48000, from = 4800, n = 24000): number {
  const k = 2 * Math.cos((2 * Math.PI * hz) / rate);
  let s1 = 0, s2 = 0;
  const end = Math.min(samples.length, from + n);
  for (let i = from; i < end; i++) {
    const s0 = samples[i]! + k * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - k * s1 * s2;
}

/** The dominant frequency (1 Hz resolution) between lo and hi: a spectrum scan by Goertzel. */
export function toneHz(samples: Int16Array, lo = 200, hi = 2000, rate = 48000): number {
  let best = 0, bestP = -1;
  for (let hz = lo; hz <= hi; hz += 2) {
    const p = tonePower(samples, hz, rate);
    if (p > bestP) { bestP = p; best = hz; }
  }
  for (let hz = best - 2; hz <= best + 2; hz++) {
    const p = tonePower(samples, hz, rate);
    if (p > bestP) { bestP = p; best = hz; }
  }
  return best;
}

/** Count of pixels brighter than `level` (any channel) in a rectangle. */
export function brightPixels(f: Frame, x0: number, y0: number, x1: number, y1: number, level = 128): number {
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (Math.max(...px(f, x, y)) > level) n++;
  return n;
}

/** Integrated loudness (LUFS) of the first audio stream by ebur128. */
export async function integratedLufs(file: string): Promise<number> {
  const { stderr } = await ffmpeg(['-v', 'info', '-nostats', '-i', file, '-map', '0:a:0', '-af', 'ebur128=framelog=verbose', '-f', 'null', '-']);
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const m = /I:\s+(-?[\d.]+|-inf) LUFS/.exec(summary);
  if (!m) throw new Error(`no integrated loudness in: ${summary}`);
  return m[1] === '-inf' ? -Infinity : Number(m[1]);
}
