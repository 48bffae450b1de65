// Piece sources behind one interface: what fills one stretch of a channel's schedule. An ffmpeg
// piece (transcode, direct copy, or a live input) runs one supervised ffmpeg and pushes its
// MPEG-TS into the broadcaster (through a PieceFeed: keyframe re-entry, early picture end, row-end
// cut), paced to the wall clock; a slate piece loops pre-rendered packets.
import { FfmpegProcess, type FfmpegExit } from '../ffmpeg/process.js';
import type { Broadcaster } from './broadcaster.js';
import { PieceFeed } from './feed.js';
import { trimSlate } from './slate.js';
import { PacketReader } from './ts.js';

export type PieceKind = 'transcode' | 'direct' | 'live' | 'slate';

export interface PieceContext {
  out: Broadcaster;
  /** How far output may run ahead of the wall clock. */
  leadMs: number;
  /** Reading but no bytes for this long → the ffmpeg is stalled and gets killed. */
  stallMs: number;
  stopped(): boolean;
}

export interface PieceResult {
  /** The process exited 0 (or the piece was stopped); what it produced is in producedMs. */
  ok: boolean;
  reason: string;
  /** Not one byte came out (a hardware encoder that failed at once, a dead input). */
  noOutput: boolean;
  producedMs: number;
  exit?: FfmpegExit;
  /** Cut where its row ends (it started late). */
  cut?: boolean;
  /** Its picture ended early (the sound went on): stopped there. */
  videoEnded?: boolean;
}

export interface PieceSource {
  readonly kind: PieceKind;
  play(ctx: PieceContext): Promise<PieceResult>;
  /** Ends the piece now (session stop). */
  stop(): Promise<void>;
  readonly pid: number | null;
}

/** One ffmpeg writing MPEG-TS on stdout: transcoded, copied (direct) or read from a live input. */
export class FfmpegPiece implements PieceSource {
  private proc: FfmpegProcess | null = null;

  /** `endsAt`: wall-clock end of its row (a late piece is cut there). */
  constructor(readonly kind: Exclude<PieceKind, 'slate'>, private readonly ffmpegPath: string, readonly args: string[], private readonly endsAt?: number) {}

  get pid(): number | null { return this.proc?.pid ?? null; }

  async play(ctx: PieceContext): Promise<PieceResult> {
    const proc = new FfmpegProcess(this.ffmpegPath, this.args);
    this.proc = proc;
    const out = ctx.out;
    const feed = new PieceFeed(out, this.endsAt, this.kind !== 'direct');
    const reader = new PacketReader();
    let lastData = Date.now();
    let paused = false;
    let stalled = false;
    let bytes = 0;
    const stdout = proc.stdout;
    stdout.on('data', (chunk: Buffer) => {
      lastData = Date.now();
      bytes += chunk.length;
      if (feed.stopped) return;
      reader.push(chunk, (p) => feed.packet(p));
      out.flush();
      // Cut at the row's end, or the picture ended: nothing more of this process goes out.
      if (feed.stopped) return void proc.kill(0);
      const ahead = out.aheadMs();
      if (ahead > ctx.leadMs && !paused) {
        paused = true;
        stdout.pause();
        setTimeout(() => { paused = false; lastData = Date.now(); stdout.resume(); }, Math.min(2000, ahead - ctx.leadMs + 20));
      }
    });
    const watchdog = setInterval(() => {
      if (!paused && Date.now() - lastData > ctx.stallMs) {
        stalled = true;
        // No grace: a process blocked on a hung input ignores SIGTERM (its read restarts).
        void proc.kill(0);
      }
    }, 500);
    const exit = await proc.exited;
    clearInterval(watchdog);
    feed.end();
    const producedMs = feed.producedMs;
    const noOutput = bytes === 0;
    if (ctx.stopped()) return { ok: true, reason: '', noOutput, producedMs, exit };
    if (feed.stopped === 'cut') return { ok: true, reason: '', noOutput, producedMs, exit, cut: true };
    if (feed.stopped === 'video-ended') return { ok: true, reason: 'the picture ended while the sound went on', noOutput, producedMs, exit, videoEnded: true };
    if (stalled) return { ok: false, reason: `ffmpeg stalled: no output for ${Math.round(ctx.stallMs / 1000)} s`, noOutput, producedMs, exit };
    if (exit.code !== 0) return { ok: false, reason: FfmpegProcess.reason(exit), noOutput, producedMs, exit };
    return { ok: true, reason: '', noOutput, producedMs, exit };
  }

  async stop(): Promise<void> { await this.proc?.kill(); }
}

/** A pre-rendered slate looped until `endsAt` (wall clock); the last loop is cut to end on time. */
export class SlatePiece implements PieceSource {
  readonly kind = 'slate' as const;
  readonly pid = null;
  private stopped = false;

  constructor(private readonly packets: readonly Buffer[], private readonly loopSeconds: number, private readonly endsAt: number) {}

  async play(ctx: PieceContext): Promise<PieceResult> {
    const out = ctx.out;
    const start = out.position;
    while (!this.stopped && !ctx.stopped() && out.scheduleTime() < this.endsAt - 300) {
      const leftTicks = (this.endsAt - out.scheduleTime()) * 90;
      const loop = leftTicks < this.loopSeconds * 90_000 ? trimSlate(this.packets, leftTicks) : this.packets;
      out.beginPiece(this);
      for (const p of loop) out.push(Buffer.from(p));
      out.endPiece();
      await out.pace(ctx.leadMs);
    }
    return { ok: true, reason: '', noOutput: false, producedMs: (out.position - start) / 90 };
  }

  async stop(): Promise<void> { this.stopped = true; }
}
