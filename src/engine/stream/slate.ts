// Slates: short pre-rendered MPEG-TS loops in the channel profile (error and offline screens).
// Rendered once per text and profile, cached on disk, and looped by the splicer without ffmpeg,
// so a slate starts instantly and cannot fail the way a broken source can.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ffmpegHead } from '../ffmpeg/head.js';
import { FfmpegProcess } from '../ffmpeg/process.js';
import { MPEGTS_OUT, audioEncoderArgs, videoEncoderArgs, type OutputProfile } from '../ffmpeg/profile.js';
import { PacketReader, TS_PACKET, pidOf, readPesTimes } from './ts.js';

export interface SlateText { headline: string; detail: string }

/** One GOP long, so every loop starts with a keyframe. */
export const slateSeconds = (p: OutputProfile): number => p.gopSeconds;

/** ffmpeg argv for a slate; texts come from files (no escaping of titles needed). */
export function slateArgs(p: OutputProfile, headlineFile: string, detailFile: string, out: string, lengths: [number, number] = [20, 40]): string[] {
  const size = `${p.width}x${p.height}`;
  // Shrink long lines to fit the width (DejaVu Sans averages ~0.6 em per character).
  const fit = (px: number, chars: number) => Math.max(10, Math.min(px, Math.floor((p.width * 0.9) / (0.6 * Math.max(1, chars)))));
  const big = fit(Math.round(p.height / 12), lengths[0]), small = fit(Math.round(p.height / 24), lengths[1]);
  const text = (file: string, px: number, y: string, colour: string) =>
    `drawtext=textfile=${file}:expansion=none:fontcolor=${colour}:fontsize=${px}:x=(w-text_w)/2:y=${y}`;
  const vf = [
    text(headlineFile, big, '(h/2)-' + big * 1.5, 'white'),
    text(detailFile, small, '(h/2)+' + small, '0xc8c8c8'),
    'format=yuv420p',
  ].join(',');
  const seconds = String(slateSeconds(p));
  return [...ffmpegHead({ overwrite: true }),
    '-f', 'lavfi', '-i', `color=c=0x14202c:s=${size}:r=${p.fps}:d=${seconds}`,
    '-f', 'lavfi', '-i', `anullsrc=r=${p.audioRate}:cl=stereo`,
    '-map', '0:v', '-map', '1:a', '-vf', vf, ...videoEncoderArgs(p), ...audioEncoderArgs(p), '-t', seconds,
    ...MPEGTS_OUT.slice(0, -1), out];
}

/** Text files for drawtext may only hold printable text: control characters become spaces. */
const clean = (s: string): string => s.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 120);

export class SlateCache {
  private readonly loaded = new Map<string, Promise<Buffer[]>>();

  constructor(private readonly ffmpeg: string, private readonly dir: string, private readonly profile: OutputProfile) {}

  /** The slate's packets, rendering it on first use. */
  packets(text: SlateText): Promise<Buffer[]> {
    const key = createHash('sha1').update(JSON.stringify([clean(text.headline), clean(text.detail), this.profile])).digest('hex').slice(0, 16);
    let p = this.loaded.get(key);
    if (!p) {
      p = this.render(key, text).then(splitPackets);
      p.catch(() => this.loaded.delete(key));
      this.loaded.set(key, p);
    }
    return p;
  }

  private async render(key: string, text: SlateText): Promise<Buffer> {
    const out = join(this.dir, `slate-${key}.ts`);
    if (existsSync(out)) return readFile(out);
    await mkdir(this.dir, { recursive: true });
    const h = join(this.dir, `slate-${key}.headline.txt`), d = join(this.dir, `slate-${key}.detail.txt`), tmp = `${out}.partial`;
    await writeFile(h, clean(text.headline) || ' ');
    await writeFile(d, clean(text.detail) || ' ');
    try {
      const proc = new FfmpegProcess(this.ffmpeg, slateArgs(this.profile, h, d, tmp, [clean(text.headline).length, clean(text.detail).length]));
      const exit = await proc.exited;
      if (exit.code !== 0) throw new Error(`could not render slate: ${FfmpegProcess.reason(exit)}`);
      await rename(tmp, out);
    } finally {
      await Promise.all([rm(h, { force: true }), rm(d, { force: true }), rm(tmp, { force: true })]);
    }
    return readFile(out);
  }
}

function splitPackets(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  const r = new PacketReader();
  r.push(buf, (p) => out.push(p));
  if (!out.length || buf.length % TS_PACKET !== 0) throw new Error('slate file is not MPEG-TS');
  return out;
}

/**
 * The first `maxTicks` (90 kHz) of a slate loop: each stream's packets stop at its first PES that
 * starts that late (whole frames; the slate has no B-frames, so a cut GOP still decodes). Lets the
 * last loop of a slot end with the slot instead of up to a whole loop later.
 */
export function trimSlate(packets: readonly Buffer[], maxTicks: number): Buffer[] {
  let first: number | undefined;
  const cut = new Set<number>();
  const out: Buffer[] = [];
  for (const p of packets) {
    const pid = pidOf(p);
    const t = readPesTimes(p);
    const ts = t ? (t.dts ?? t.pts) : undefined;
    if (ts !== undefined) {
      first ??= ts;
      if (ts - first >= maxTicks) cut.add(pid);
    }
    if (!cut.has(pid)) out.push(p);
  }
  return out;
}
