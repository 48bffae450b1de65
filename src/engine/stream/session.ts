// One live channel: walks the timeline from "now", runs one supervised ffmpeg per piece, splices
// the pieces into one continuous MPEG-TS, paces it to the wall clock, and fans it out to every
// MPEG-TS viewer and the HLS window. Failures restart with backoff, then become an error slate
// for the rest of the slot; the next row still starts on time.
import type { EventBus } from '../events.js';
import { FfmpegProcess } from '../ffmpeg/process.js';
import { encoderName, type HwKind } from '../ffmpeg/encoders.js';
import { normaliseArgs } from '../ffmpeg/normalise.js';
import { probeReason } from '../ffmpeg/reason.js';
import { AUDIO_PID, VIDEO_PID, type OutputProfile } from '../ffmpeg/profile.js';
import { DEFAULT_HLS, HlsSegmenter } from './hls.js';
import { errorText, playMs, type MediaPlan, type Plan, type SlatePlan } from './planner.js';
import { slateSeconds, trimSlate, type SlateCache } from './slate.js';
import { TsSplicer, type SplicedPacket } from './splicer.js';
import { PAT_PID, PacketReader } from './ts.js';
import { DEFAULT_VIEWER, Viewer, type ViewerOptions } from './viewer.js';
import type { Writable } from 'node:stream';
import type { SessionStats } from '../../schemas/session.js';

export interface SessionOptions {
  /** How far output may run ahead of the wall clock (the joiner's initial burst). */
  leadMs: number;
  /** Reading but no bytes for this long → the ffmpeg is stalled and gets replaced. */
  stallMs: number;
  /** Failed attempts within one row before the error slate takes the rest of it. */
  maxAttempts: number;
  backoffMs: number[];
  viewer: ViewerOptions;
}

export const DEFAULT_SESSION: SessionOptions = {
  leadMs: 4000, stallMs: 8000, maxAttempts: 3, backoffMs: [200, 1000, 3000], viewer: DEFAULT_VIEWER,
};

export interface SessionDeps {
  channelId: number;
  number: string;
  name: string;
  ffmpegPath: string;
  profile: OutputProfile;
  /** Hardware kind for the next piece (asked per piece, so health changes apply at once); default software. */
  encoder?: () => { kind: HwKind; note: string | null; vaapiDevice?: string };
  /** Told when a hardware encode failed before its first output (then retried in software) or produced output. */
  hw?: { failed(kind: HwKind, reason: string): void; succeeded(kind: HwKind): void };
  slates: SlateCache;
  plan: (t: number) => Plan;
  events: EventBus;
  options?: Partial<SessionOptions>;
}

const PMT_PID = 0x1000;
const MAX_GOP_PACKETS = 40_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** stderr lines kept with a failed piece (the error detail view). */
const STDERR_TAIL_LINES = 20;

export class ChannelSession {
  readonly startedAt = Date.now();
  readonly id = this.startedAt.toString(36);
  readonly opts: SessionOptions;
  readonly hls: HlsSegmenter;
  restarts = 0;
  /** Items re-run in software after a hardware encode failed before its first output. */
  fallbacks = 0;
  private encoderKind: HwKind = 'software';
  private encoderNote: string | null = null;
  lastError: string | null = null;
  /** The last failed piece: its reason, ffmpeg argv and stderr tail (the error detail view). */
  lastFailure: SessionStats['lastFailure'] = null;
  nowPlaying: string | null = null;
  lastHlsRequest = 0;
  private readonly splicer = new TsSplicer(VIDEO_PID, AUDIO_PID);
  private readonly viewers = new Set<Viewer>();
  private readonly waiters = new Set<() => void>();
  private anchorWall = Date.now();
  private anchorDts = 0;
  private pat: Buffer | null = null;
  private pmt: Buffer | null = null;
  private gop: Buffer[] = [];
  /** PAT and PMT as they were just before the GOP's keyframe: what a joiner gets first. */
  private gopHeader: Buffer[] = [];
  private batch: Buffer[] = [];
  private batchKeyAt = -1;
  private batchKeyHeader: Buffer[] = [];
  private proc: FfmpegProcess | null = null;
  private stopped = false;
  private readonly loop: Promise<void>;
  private bytesWindow: { at: number; bytes: number }[] = [];
  private currentRowId: number | string | null | undefined = undefined;

  constructor(private readonly deps: SessionDeps) {
    this.opts = { ...DEFAULT_SESSION, ...deps.options };
    this.hls = new HlsSegmenter(this.id, (dts) => this.wallOf(dts), DEFAULT_HLS);
    deps.events.emit('session.started', { channelId: deps.channelId, number: deps.number });
    this.loop = this.run().catch((err) => this.fail(`session loop crashed: ${(err as Error).message}`));
  }

  get viewerCount(): number { return this.viewers.size; }
  get isStopped(): boolean { return this.stopped; }
  get hasKeyframe(): boolean { return this.gop.length > 0; }

  /** Wall-clock time of an output timestamp. */
  private wallOf(dts: number): number { return this.anchorWall + (dts - this.anchorDts) / 90; }
  /** Wall-clock time the output has reached: where the next piece starts in the schedule. */
  private scheduleTime(): number { return this.wallOf(this.splicer.nextStart); }
  /** How far the output runs ahead of the wall clock. */
  private aheadMs(): number { return this.wallOf(this.splicer.position) - Date.now(); }

  // ---- viewers -------------------------------------------------------------------------------

  /** Adds an MPEG-TS viewer; it gets PAT, PMT and the current GOP at once. */
  addViewer(out: Writable, label?: string): Viewer {
    const v = new Viewer(out, this.opts.viewer, label);
    this.viewers.add(v);
    // Not the latest PAT/PMT: the GOP holds later ones, whose counters must follow these.
    if (this.gop.length) v.start(this.gopHeader.concat(this.gop));
    else v.awaitKeyframe();
    this.deps.events.emit('viewer.joined', { channelId: this.deps.channelId, number: this.deps.number, viewers: this.viewers.size });
    return v;
  }

  removeViewer(v: Viewer, drop = false): void {
    if (!this.viewers.delete(v)) return;
    v.close(drop);
    this.deps.events.emit('viewer.left', { channelId: this.deps.channelId, number: this.deps.number, viewers: this.viewers.size });
  }

  /** Resolves once the first keyframe is buffered (or the session stops). */
  ready(timeoutMs = 10_000): Promise<boolean> {
    if (this.gop.length) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = () => { clearTimeout(t); this.waiters.delete(done); resolve(this.gop.length > 0); };
      const t = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
  }

  /** Resolves when the HLS window holds n segments. */
  async hlsReady(n = 2, timeoutMs = 15_000): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (this.hls.count < n && !this.stopped && Date.now() < until) await sleep(50);
    return this.hls.count >= n;
  }

  private header(): Buffer[] {
    return [this.pat, this.pmt].filter((b): b is Buffer => b !== null);
  }

  // ---- output --------------------------------------------------------------------------------

  private deliver = (o: SplicedPacket): void => {
    if (o.pid === PAT_PID) this.pat = o.packet;
    else if (o.pid === PMT_PID) this.pmt = o.packet;
    if (o.keyframe) {
      this.gop = [];
      this.gopHeader = this.header();
      if (this.batchKeyAt < 0) {
        this.batchKeyAt = this.batch.length;
        this.batchKeyHeader = this.gopHeader;
      }
    }
    // The GOP a joiner gets always starts at a keyframe (nothing is kept before the first one).
    if (this.gop.length < MAX_GOP_PACKETS && (this.gop.length > 0 || o.keyframe)) this.gop.push(o.packet);
    this.batch.push(o.packet);
    this.hls.push(o, this.header());
    if (o.keyframe && this.waiters.size) for (const w of [...this.waiters]) w();
  };

  private flush(): void {
    if (!this.batch.length) return;
    const packets = this.batch, keyAt = this.batchKeyAt, header = this.batchKeyHeader;
    this.batch = [];
    this.batchKeyAt = -1;
    const bytes = packets.length * 188;
    this.bytesWindow.push({ at: Date.now(), bytes });
    for (const v of this.viewers) {
      if (!v.offer(packets, keyAt, header)) {
        this.deps.events.log('warn', `dropped ${v.label}: it stopped reading`, this.deps.number);
        this.removeViewer(v, true);
      }
    }
  }

  get bitrateKbps(): number {
    const now = Date.now();
    this.bytesWindow = this.bytesWindow.filter((b) => now - b.at <= 5000);
    const span = Math.max(1000, now - (this.bytesWindow[0]?.at ?? now));
    return Math.round((this.bytesWindow.reduce((s, b) => s + b.bytes, 0) * 8) / span);
  }

  // ---- the loop ------------------------------------------------------------------------------

  private async run(): Promise<void> {
    while (!this.stopped) {
      let t = this.scheduleTime();
      if (t < Date.now() - 1000) {
        // Fell behind (slow encoder, long restart): re-anchor so the schedule stays on time.
        this.anchorWall = Date.now();
        this.anchorDts = this.splicer.nextStart;
        t = this.anchorWall;
      }
      const plan = this.deps.plan(t);
      if (playMs(plan) < 300) {
        // Too short to be worth a process: let the clock pass it.
        this.anchorWall -= playMs(plan);
        continue;
      }
      this.announce(plan);
      if (plan.kind === 'media') await this.playMedia(plan);
      else await this.playSlate(plan);
    }
  }

  private announce(plan: Plan): void {
    this.nowPlaying = plan.title;
    if (plan.rowId !== this.currentRowId) {
      this.currentRowId = plan.rowId;
      this.deps.events.emit('item.changed', { channelId: this.deps.channelId, number: this.deps.number, title: plan.title, kind: plan.kind });
    }
  }

  private async playMedia(first: MediaPlan): Promise<void> {
    let plan: Plan = first;
    for (let attempt = 0; !this.stopped; attempt++) {
      if (plan.kind !== 'media' || plan.rowId !== first.rowId) return;
      const result = await this.runProcess(plan);
      if (this.stopped || result.ok) return;
      this.restarts++;
      this.lastError = result.reason;
      this.deps.events.emit('session.restart', { channelId: this.deps.channelId, number: this.deps.number, restarts: this.restarts, reason: result.reason });
      this.deps.events.log('warn', `ffmpeg failed (${result.reason}); attempt ${attempt + 1} of ${this.opts.maxAttempts}`, this.deps.number);
      if (attempt + 1 >= this.opts.maxAttempts) {
        this.deps.events.emit('session.error', { channelId: this.deps.channelId, number: this.deps.number, message: result.reason });
        const t = this.scheduleTime();
        await this.playSlate({ kind: 'slate', reason: 'error', rowId: first.rowId, title: first.title, startsAt: t,
          endsAt: Math.max(first.endsAt, t + 300), text: errorText(this.deps.name, 'a programme could not be played') });
        return;
      }
      await sleep(this.opts.backoffMs[Math.min(attempt, this.opts.backoffMs.length - 1)]!);
      plan = this.deps.plan(Math.max(this.scheduleTime(), Date.now() - 1000));
    }
  }

  /**
   * Runs one ffmpeg for a media piece. ok = it delivered (nearly) all of the piece. A hardware
   * encode that fails before its first byte is run again in software at once (same item, same offset).
   */
  private async runProcess(plan: MediaPlan): Promise<{ ok: boolean; reason: string }> {
    const enc = this.deps.encoder?.() ?? { kind: 'software' as const, note: null };
    this.encoderKind = enc.kind;
    this.encoderNote = enc.note;
    if (enc.kind === 'software') return this.runPiece(plan, 'software');
    const hw = await this.runPiece(plan, enc.kind, enc.vaapiDevice);
    if (this.stopped || !hw.noOutput) {
      if (!hw.noOutput) this.deps.hw?.succeeded(enc.kind);
      return hw;
    }
    this.fallbacks++;
    this.deps.hw?.failed(enc.kind, hw.reason);
    this.encoderKind = 'software';
    this.encoderNote = `software fallback: ${enc.kind} failed before its first output (${hw.reason})`;
    this.lastError = `${enc.kind}: ${hw.reason}`;
    this.deps.events.log('warn', `${enc.kind} encode failed before any output (${hw.reason}); playing this item in software`, this.deps.number);
    return this.runPiece(plan, 'software');
  }

  private async runPiece(plan: MediaPlan, kind: HwKind, vaapiDevice?: string): Promise<{ ok: boolean; reason: string; noOutput?: boolean }> {
    const wanted = playMs(plan);
    const args = normaliseArgs({ input: plan.input, seekMs: plan.seekMs, playMs: wanted, video: plan.video, audio: plan.audio, progressFd: 3,
      subtitle: plan.subtitle ?? null, watermark: plan.watermark ?? null, startsAtMs: plan.startsAt }, this.deps.profile, { kind, ...(vaapiDevice ? { vaapiDevice } : {}) });
    const proc = new FfmpegProcess(this.deps.ffmpegPath, args);
    this.proc = proc;
    this.splicer.beginPiece();
    const startPos = this.splicer.nextStart;
    const reader = new PacketReader();
    let lastData = Date.now();
    let paused = false;
    let stalled = false;
    const out = proc.stdout;
    let bytes = 0;
    out.on('data', (chunk: Buffer) => {
      lastData = Date.now();
      bytes += chunk.length;
      reader.push(chunk, (p) => this.splicer.push(p, this.deliver));
      this.flush();
      const ahead = this.aheadMs();
      if (ahead > this.opts.leadMs && !paused) {
        paused = true;
        out.pause();
        setTimeout(() => { paused = false; lastData = Date.now(); out.resume(); }, Math.min(2000, ahead - this.opts.leadMs + 20));
      }
    });
    const watchdog = setInterval(() => {
      if (!paused && Date.now() - lastData > this.opts.stallMs) {
        stalled = true;
        void proc.kill();
      }
    }, 500);
    const exit = await proc.exited;
    clearInterval(watchdog);
    this.proc = null;
    this.splicer.endPiece(this.deliver);
    this.flush();
    if (this.stopped) return { ok: true, reason: '' };
    const producedMs = (this.splicer.nextStart - startPos) / 90;
    const failed = (reason: string) => {
      this.lastFailure = { at: new Date().toISOString(), reason, command: [this.deps.ffmpegPath, ...args], stderr: exit.stderr.split('\n').filter((l) => l.trim()).slice(-STDERR_TAIL_LINES) };
      return { ok: false, reason, noOutput: bytes === 0 };
    };
    if (stalled) return failed(`ffmpeg stalled: no output for ${Math.round(this.opts.stallMs / 1000)} s`);
    if (exit.code !== 0) {
      // A hardware failure says why in its first lines (device, driver), not in the last one.
      return failed((kind !== 'software' && bytes === 0 ? probeReason(exit.stderr) : null) ?? FfmpegProcess.reason(exit));
    }
    if (bytes === 0 && kind !== 'software') return { ok: false, reason: 'ffmpeg exited 0 but wrote no output', noOutput: true };
    if (producedMs < wanted - 1500) {
      // Exit 0 but short (truncated file, dead input): fill the rest of the slot with the error slate.
      const t = this.scheduleTime();
      this.lastError = `item ended ${Math.round((wanted - producedMs) / 1000)} s early`;
      await this.playSlate({ kind: 'slate', reason: 'error', rowId: plan.rowId, title: plan.title, startsAt: t, endsAt: plan.endsAt,
        text: errorText(this.deps.name, 'this programme ended early') });
    }
    return { ok: true, reason: '' };
  }

  /** Loops a pre-rendered slate until the slot ends. */
  private async playSlate(plan: SlatePlan): Promise<void> {
    let packets: Buffer[];
    try {
      packets = await this.deps.slates.packets(plan.text);
    } catch (err) {
      this.fail(`cannot render slate: ${(err as Error).message}`);
      return;
    }
    while (!this.stopped && this.scheduleTime() < plan.endsAt - 300) {
      // The last loop is cut to the slot's end so the next row starts on time.
      const leftTicks = (plan.endsAt - this.scheduleTime()) * 90;
      const loop = leftTicks < slateSeconds(this.deps.profile) * 90_000 ? trimSlate(packets, leftTicks) : packets;
      this.splicer.beginPiece();
      for (const p of loop) this.splicer.push(Buffer.from(p), this.deliver);
      this.splicer.endPiece(this.deliver);
      this.flush();
      const ahead = this.aheadMs();
      if (ahead > this.opts.leadMs) await sleep(ahead - this.opts.leadMs);
    }
  }

  private fail(message: string): void {
    this.lastError = message;
    this.deps.events.log('error', message, this.deps.number);
    this.deps.events.emit('session.error', { channelId: this.deps.channelId, number: this.deps.number, message });
    void this.stop();
  }

  stats(): SessionStats {
    return {
      channelId: this.deps.channelId, number: this.deps.number, name: this.deps.name, viewers: this.viewers.size,
      hlsActive: Date.now() - this.lastHlsRequest < 30_000, startedAt: new Date(this.startedAt).toISOString(),
      uptimeS: Math.round((Date.now() - this.startedAt) / 1000), nowPlaying: this.nowPlaying, encoder: this.encoderLabel(),
      bitrateKbps: this.bitrateKbps, restarts: this.restarts, lastError: this.lastError, lastFailure: this.lastFailure, ffmpegPid: this.proc?.pid ?? null,
    };
  }

  /** e.g. "libx264 (software)", "h264_nvenc (nvenc)", "libx264 (software; software fallback: nvenc failed …)". */
  private encoderLabel(): string {
    let name: string;
    try { name = encoderName(this.encoderKind, this.deps.profile.codec ?? 'h264'); } catch { name = this.encoderKind; }
    return `${name} (${this.encoderKind}${this.encoderNote ? `; ${this.encoderNote}` : ''})`;
  }

  /** Stops the loop, kills ffmpeg and closes every viewer. */
  async stop(): Promise<void> {
    if (this.stopped) return this.loop;
    this.stopped = true;
    for (const w of [...this.waiters]) w();
    await this.proc?.kill();
    for (const v of [...this.viewers]) this.removeViewer(v);
    this.deps.events.emit('session.stopped', { channelId: this.deps.channelId, number: this.deps.number });
    await this.loop;
  }
}
