// Slates: short pre-rendered MPEG-TS loops in the channel profile (error, offline and stand-by
// screens). Rendered once per text and profile into memory (ffmpeg writes to a pipe, the texts go
// inline: no file is needed, so a read-only or full data dir cannot stop it), cached on disk when
// the disk allows, and looped by the splicer without ffmpeg, so a slate starts instantly and
// cannot fail the way a broken source can. Every slate rendered stays in memory: the last resort
// when another cannot be rendered.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { filterValue } from '../ffmpeg/escape.js';
import { ffmpegHead } from '../ffmpeg/head.js';
import { FfmpegProcess } from '../ffmpeg/process.js';
import { MPEGTS_OUT, audioEncoderArgs, videoEncoderArgs, type OutputProfile } from '../ffmpeg/profile.js';
import { PacketReader, TS_PACKET, pidOf, readPesTimes } from './ts.js';

export interface SlateText { headline: string; detail: string }

/** What a channel shows while its output waits for a piece (the bridge). */
export const standbyText = (channelName: string): SlateText => ({ headline: channelName, detail: 'please stand by' });

/** One GOP long, so every loop starts with a keyframe. */
export const slateSeconds = (p: OutputProfile): number => p.gopSeconds;

/** ffmpeg argv for a slate written to `out` (pipe:1 by default); texts go inline, escaped for drawtext. */
export function slateArgs(p: OutputProfile, headline: string, detail: string, out = 'pipe:1'): string[] {
  const lengths: [number, number] = [headline.length, detail.length];
  const size = `${p.width}x${p.height}`;
  // Shrink long lines to fit the width (DejaVu Sans averages ~0.6 em per character).
  const fit = (px: number, chars: number) => Math.max(10, Math.min(px, Math.floor((p.width * 0.9) / (0.6 * Math.max(1, chars)))));
  const big = fit(Math.round(p.height / 12), lengths[0]), small = fit(Math.round(p.height / 24), lengths[1]);
  const text = (s: string, px: number, y: string, colour: string) =>
    `drawtext=text=${filterValue(s || ' ')}:expansion=none:fontcolor=${colour}:fontsize=${px}:x=(w-text_w)/2:y=${y}`;
  const vf = [
    text(headline, big, '(h/2)-' + big * 1.5, 'white'),
    text(detail, small, '(h/2)+' + small, '0xc8c8c8'),
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
  /** Slates rendered (or read) so far, by key: what a failed render falls back to. */
  private readonly ready = new Map<string, Buffer[]>();
  /** Rendered ahead (or tried): not again, even where the disk would not keep it. */
  private readonly prepared = new Set<string>();

  constructor(private readonly ffmpeg: string, private readonly dir: string, private readonly profile: OutputProfile) {}

  private key(text: SlateText): string {
    return createHash('sha1').update(JSON.stringify([clean(text.headline), clean(text.detail), this.profile])).digest('hex').slice(0, 16);
  }

  /** The slate's packets, rendering it on first use. */
  packets(text: SlateText): Promise<Buffer[]> {
    const key = this.key(text);
    let p = this.loaded.get(key);
    if (!p) {
      p = this.load(key, text).then(splitPackets);
      p.then((packets) => this.ready.set(key, packets), () => this.loaded.delete(key));
      this.loaded.set(key, p);
    }
    return p;
  }

  /** A slate already in memory, without waiting: this text's if rendered, else any of this profile's. */
  inMemory(text?: SlateText): Buffer[] | null {
    return (text && this.ready.get(this.key(text))) ?? this.ready.values().next().value ?? null;
  }

  /**
   * Renders the slate onto disk ahead of its first use, without keeping it in memory (a session
   * reads it back in milliseconds). False when it was there already or was tried before.
   */
  async prepare(text: SlateText): Promise<boolean> {
    const key = this.key(text);
    if (this.ready.has(key) || this.loaded.has(key) || this.prepared.has(key) || existsSync(this.file(key))) return false;
    this.prepared.add(key);
    await this.save(this.file(key), await this.render(text, true));
    return true;
  }

  private file(key: string): string { return join(this.dir, `slate-${key}.ts`); }

  private async load(key: string, text: SlateText): Promise<Buffer> {
    const file = this.file(key);
    if (existsSync(file)) {
      try { return await readFile(file); } catch { /* unreadable: render it again */ }
    }
    const data = await this.render(text);
    await this.save(file, data);
    return data;
  }

  /** `background`: at the lowest CPU priority (rendered ahead, while channels may be encoding). */
  private async render(text: SlateText, background = false): Promise<Buffer> {
    const proc = new FfmpegProcess(this.ffmpeg, slateArgs(this.profile, clean(text.headline), clean(text.detail)));
    if (background) proc.background();
    const chunks: Buffer[] = [];
    proc.stdout.on('data', (c: Buffer) => chunks.push(c));
    const exit = await proc.exited;
    if (exit.code !== 0) throw new Error(`could not render slate: ${FfmpegProcess.reason(exit)}`);
    return Buffer.concat(chunks);
  }

  /** Keeps a copy on disk for the next start when the disk allows (read-only or full: memory only). */
  private async save(file: string, data: Buffer): Promise<void> {
    const tmp = `${file}.partial`;
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFile(tmp, data);
      await rename(tmp, file);
    } catch {
      await rm(tmp, { force: true }).catch(() => {});
    }
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
