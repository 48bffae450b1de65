// One live channel: walks the timeline from "now", picks a piece source for each stretch
// (transcode, direct copy, live input, or a slate), and feeds the broadcaster, which splices,
// paces and fans the stream out. Inputs are resolved ahead of air; a resolver failure becomes
// the error slate for that row. ffmpeg failures restart with backoff, then become an error slate
// for the rest of the slot; the next row still starts on time. Whenever nothing feeds the output
// (a slow first piece, a hung input, a backoff) the stand-by bridge splices in the stand-by slate;
// a slate that cannot be rendered falls back to one in memory, never to a torn-down session.
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { SessionStats } from '../../schemas/session.js';
import type { EventBus } from '../events.js';
import { encoderName, type HwKind } from '../../schemas/encoders.js';
import { isLocalFile } from '../ffmpeg/input.js';
import { probeReason } from '../ffmpeg/reason.js';
import { shownArgv } from '../ffmpeg/shown.js';
import type { OutputProfile } from '../ffmpeg/profile.js';
import { Broadcaster } from './broadcaster.js';
import { DEFAULT_BRIDGE, SlateBridge, type BridgeOptions } from './bridge.js';
import { choosePiece, type PieceMode } from './choose.js';
import { FfmpegPiece, SlatePiece, type PieceContext, type PieceKind, type PieceResult, type PieceSource } from './pieces.js';
import type { LiveHealth } from './live-health.js';
import { errorText, isLiveLocator, playMs, type MediaPlan, type Plan, type SlatePlan } from './planner.js';
import { InputPrefetch, type Prepared } from './prefetch.js';
import type { ResolverRegistry } from './resolvers.js';
import { slateSeconds, standbyText, type SlateCache, type SlateText } from './slate.js';
import { DEFAULT_VIEWER, type Viewer, type ViewerOptions } from './viewer.js';

export interface SessionOptions {
  /** How far output may run ahead of the wall clock (the joiner's initial burst). */
  leadMs: number;
  /** Reading but no bytes for this long → the ffmpeg is stalled and gets replaced. */
  stallMs: number;
  /** Failed attempts within one row before the error slate takes the rest of it. */
  maxAttempts: number;
  backoffMs: number[];
  /** A live source down after maxAttempts: offline slate this long, doubling per failure, up to liveRetryMaxMs. */
  liveRetryMs: number;
  liveRetryMaxMs: number;
  /** Rows starting within this long of the output position have their inputs resolved already. */
  prefetchMs: number;
  viewer: ViewerOptions;
  /** When the stand-by slate bridges a silent output. */
  bridge: BridgeOptions;
}

export const DEFAULT_SESSION: SessionOptions = {
  leadMs: 4000, stallMs: 8000, maxAttempts: 3, backoffMs: [200, 1000, 3000], liveRetryMs: 5000, liveRetryMaxMs: 60_000, prefetchMs: 15_000, viewer: DEFAULT_VIEWER,
  bridge: DEFAULT_BRIDGE,
};

export interface SessionDeps {
  channelId: number;
  number: string;
  name: string;
  ffmpegPath: string;
  profile: OutputProfile;
  /** transcode (default), direct (copy what matches, else transcode) or auto (same, item by item). */
  mode?: PieceMode;
  /** Hardware kind for the next piece (asked per piece, so health changes apply at once); default software. */
  encoder?: () => { kind: HwKind; note: string | null; vaapiDevice?: string };
  /** Told when a hardware encode failed before its first output (then retried in software) or produced output. */
  hw?: { failed(kind: HwKind, reason: string): void; succeeded(kind: HwKind): void };
  slates: SlateCache;
  resolvers: ResolverRegistry;
  /** Where copies of remote text subtitles go. */
  cacheDir: string;
  plan: (t: number) => Plan;
  events: EventBus;
  options?: Partial<SessionOptions>;
  /** Told how live (IPTV) streams fare: up once a piece delivered, down after its retries. */
  liveHealth?: LiveHealth;
}

/**
 * The last pieces played, newest last (what /api/sessions shows). 16: a row's restarts (a hung input
 * is retried, a hardware encode falls back) can take several entries besides its error slate.
 */
const KEEP_PIECES = 16;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** stderr lines kept with a failed piece (the error detail view). */
const STDERR_TAIL_LINES = 20;
/** A failed row with less than this left is not run again: the error slate ends it. */
const FAILED_TAIL_MS = 1500;

export class ChannelSession {
  readonly startedAt = Date.now();
  /** Unique, also across sessions started in the same millisecond (HLS segment names carry it). */
  readonly id = randomUUID();
  readonly opts: SessionOptions;
  readonly out: Broadcaster;
  restarts = 0;
  /** Consecutive failures of a live row's source (the retry backoff). */
  private readonly liveFailures = new Map<number | string, number>();
  /** Items re-run in software after a hardware encode failed before its first output. */
  fallbacks = 0;
  private encoderKind: HwKind = 'software';
  private encoderNote: string | null = null;
  lastError: string | null = null;
  /** The last failed piece: its reason, ffmpeg argv and stderr tail (the error detail view). */
  lastFailure: SessionStats['lastFailure'] = null;
  nowPlaying: string | null = null;
  private readonly pieces: { title: string; kind: PieceKind; at: string; why: string | null }[] = [];
  private piece: PieceSource | null = null;
  private stopped = false;
  private readonly loop: Promise<void>;
  private readonly prefetch: InputPrefetch;
  private readonly prefetchTimer: NodeJS.Timeout;
  /** Schedule time up to which rows have been looked at for prefetching (0: look again from the output position). */
  private aheadUntil = 0;
  private readonly offTimeline: () => void;
  private currentRowId: number | string | null | undefined = undefined;
  /** The live item on air or last tried (its health is in stats().live). */
  private liveItemId: number | null = null;
  private readonly bridge: SlateBridge;
  private readonly standbyText: SlateText;

  constructor(private readonly deps: SessionDeps) {
    this.opts = { ...DEFAULT_SESSION, ...deps.options };
    const ev = { channelId: deps.channelId, number: deps.number };
    this.out = new Broadcaster(this.id, this.opts.viewer, {
      viewerJoined: (viewers) => deps.events.emit('viewer.joined', { ...ev, viewers }),
      viewerLeft: (viewers) => deps.events.emit('viewer.left', { ...ev, viewers }),
      viewerDropped: (label) => deps.events.log('warn', `dropped ${label}: it stopped reading`, deps.number),
    });
    // The stand-by slate is made ready at once (rendered the first time, then from disk or memory).
    this.standbyText = standbyText(deps.name);
    deps.slates.packets(this.standbyText).catch((err: Error) => deps.events.log('warn', `stand-by slate: ${err.message}`, deps.number));
    this.bridge = new SlateBridge(this.out, () => deps.slates.inMemory(this.standbyText), this.opts.bridge,
      () => deps.events.log('info', `no picture${this.nowPlaying ? ` from "${this.nowPlaying}"` : ''} yet: the stand-by slate bridges`, deps.number));
    this.prefetch = new InputPrefetch({ resolvers: deps.resolvers, ffmpegPath: deps.ffmpegPath, dir: deps.cacheDir });
    this.prefetchTimer = setInterval(() => this.prefetchAhead(), 1000);
    this.prefetchTimer.unref();
    // An edited schedule may put other rows ahead: look at them again.
    this.offTimeline = deps.events.on('timeline.changed', (e) => { if (e.channelId === deps.channelId) this.aheadUntil = 0; });
    deps.events.emit('session.started', ev);
    this.loop = this.run().catch((err) => this.fail(`session loop crashed: ${(err as Error).message}`));
  }

  get hls() { return this.out.hls; }
  /** Milliseconds of stand-by slate the bridge has spliced in (a late, hung or retried piece). */
  get bridgedMs(): number { return this.bridge.bridgedMs; }
  get lastHlsRequest(): number { return this.out.lastHlsRequest; }
  set lastHlsRequest(at: number) { this.out.lastHlsRequest = at; }
  get viewerCount(): number { return this.out.viewerCount; }
  get isStopped(): boolean { return this.stopped; }
  get hasKeyframe(): boolean { return this.out.hasKeyframe; }
  /** Wall-clock time the output has reached. */
  scheduleTime(): number { return this.out.scheduleTime(); }

  addViewer(out: Writable, label?: string): Viewer { return this.out.addViewer(out, label); }
  removeViewer(v: Viewer, drop = false): void { this.out.removeViewer(v, drop); }
  ready(timeoutMs = 10_000): Promise<boolean> { return this.out.ready(timeoutMs); }
  hlsReady(n = 2, timeoutMs = 15_000): Promise<boolean> { return this.stopped ? Promise.resolve(false) : this.out.hlsReady(n, timeoutMs); }

  // ---- the loop ------------------------------------------------------------------------------

  private get ctx(): PieceContext {
    return { out: this.out, leadMs: this.opts.leadMs, stallMs: this.opts.stallMs, stopped: () => this.stopped };
  }

  private async run(): Promise<void> {
    /** The row of the last pass when that pass put nothing out. */
    let stuckRow: Plan['rowId'] | undefined;
    while (!this.stopped) {
      this.out.catchUp();
      const plan = this.deps.plan(this.out.scheduleTime());
      // Too short to be worth a process — or the little left of a row whose last pass put nothing
      // out (a piece that exited 0 at once, e.g. seeking past the end of a truncated file, with too
      // little of its row left for the error slate): let the clock pass the rest of it instead of
      // starting ffmpeg after ffmpeg on it while the output is ahead of the wall clock.
      if (playMs(plan) < 300 || (stuckRow !== undefined && plan.rowId === stuckRow && playMs(plan) < FAILED_TAIL_MS)) {
        if (playMs(plan) >= 300) this.deps.events.log('warn', `"${plan.title}" put nothing out; its last ${Math.round(playMs(plan))} ms pass`, this.deps.number);
        this.out.skip(playMs(plan));
        stuckRow = undefined;
        continue;
      }
      this.announce(plan);
      // Look ahead once this piece has started (its own input first: a cold tune waits for nothing else).
      setImmediate(() => this.prefetchAhead());
      const position = this.out.position, bridged = this.bridge.bridgedMs;
      if (plan.kind === 'media') await this.playMedia(plan);
      else await this.playSlate(plan);
      // What the pass itself put out (the stand-by bridge may have filled in meanwhile).
      const produced = this.out.position - position - (this.bridge.bridgedMs - bridged) * 90;
      stuckRow = produced < 90 ? plan.rowId : undefined;
    }
  }

  /** Starts resolving the inputs of the rows that air within prefetchMs of the output position. */
  private prefetchAhead(): void {
    if (this.stopped) return;
    try {
      const now = this.out.scheduleTime();
      const until = now + this.opts.prefetchMs;
      // Rows already looked at are not planned again (a tick usually plans nothing).
      let t = Math.max(now, this.aheadUntil);
      for (let n = 0; n < 8 && t < until; n++) {
        const p = this.deps.plan(t);
        if (p.kind === 'media') this.prefetch.prefetch(p);
        if (p.endsAt <= t) break;
        t = p.endsAt;
      }
      this.aheadUntil = t;
    } catch (err) {
      this.deps.events.log('warn', `looking ahead failed: ${(err as Error).message}`, this.deps.number);
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
      // What a failure left of the row is too short to start another process for.
      if (attempt > 0 && playMs(plan) < FAILED_TAIL_MS) return this.errorSlate(first, 'a programme could not be played', this.lastError ?? 'failed');
      const prepared = await this.prefetch.take(plan);
      if (this.stopped) return;
      if (isLiveLocator(plan.locator)) this.liveItemId = plan.itemId;
      if (!prepared.ok) {
        if (isLiveLocator(plan.locator)) this.deps.liveHealth?.down(plan.itemId, prepared.reason, null);
        this.lastError = `${first.title}: ${prepared.reason}`;
        this.deps.events.log('warn', `input of "${first.title}" not available (${prepared.reason}); error slate for this programme`, this.deps.number);
        this.deps.events.emit('session.error', { channelId: this.deps.channelId, number: this.deps.number, message: this.lastError });
        await this.errorSlate(first, 'this programme is unavailable', prepared.reason);
        return;
      }
      const result = await this.runProcess(plan, prepared);
      if (result.ok) this.liveFailures.delete(first.rowId ?? -1);
      if (this.stopped || result.ok) return;
      // A remote input may have gone stale (a signed URL refused before its stated expiry, a token
      // revoked): the next attempt resolves it again. A local file is what it is.
      if (!isLocalFile(prepared.input)) this.prefetch.forget(plan);
      this.restarts++;
      this.lastError = result.reason;
      this.deps.events.emit('session.restart', { channelId: this.deps.channelId, number: this.deps.number, restarts: this.restarts, reason: result.reason });
      this.deps.events.log('warn', `ffmpeg failed (${result.reason}); attempt ${attempt + 1} of ${this.opts.maxAttempts}`, this.deps.number);
      if (attempt + 1 >= this.opts.maxAttempts) {
        this.deps.events.emit('session.error', { channelId: this.deps.channelId, number: this.deps.number, message: result.reason });
        if (prepared.input.live) return this.liveOffline(first, result.reason);
        await this.errorSlate(first, 'a programme could not be played', result.reason);
        return;
      }
      await sleep(this.opts.backoffMs[Math.min(attempt, this.opts.backoffMs.length - 1)]!);
      plan = this.deps.plan(Math.max(this.out.scheduleTime(), Date.now() - 1000));
    }
  }

  /**
   * A live source that keeps failing: the offline slate for a while (doubling each time, up to
   * liveRetryMaxMs), then the loop plans the same row again and the source is tried anew.
   */
  private async liveOffline(row: MediaPlan, why: string): Promise<void> {
    const key = row.rowId ?? -1;
    const n = this.liveFailures.get(key) ?? 0;
    this.liveFailures.clear();
    this.liveFailures.set(key, n + 1);
    const wait = Math.min(this.opts.liveRetryMs * 2 ** n, this.opts.liveRetryMaxMs);
    const t = this.out.scheduleTime();
    this.deps.liveHealth?.down(row.itemId, why, Date.now() + Math.min(wait, row.endsAt - t));
    this.deps.events.log('warn', `live source of "${row.title}" is down (${why}); offline slate, trying again in ${Math.round(wait / 1000)} s`, this.deps.number);
    await this.playSlate({ kind: 'slate', reason: 'error', rowId: row.rowId, title: row.title, startsAt: t,
      endsAt: Math.min(row.endsAt, t + wait), text: errorText(this.deps.name, 'the live source is offline; retrying') }, `live source down: ${why}`);
  }

  /** The error slate from now to the end of the row (at least a moment). */
  private errorSlate(row: MediaPlan, detail: string, why: string): Promise<void> {
    const t = this.out.scheduleTime();
    return this.playSlate({ kind: 'slate', reason: 'error', rowId: row.rowId, title: row.title, startsAt: t,
      endsAt: Math.max(row.endsAt, t + 300), text: errorText(this.deps.name, detail) }, why);
  }

  /**
   * Runs one ffmpeg piece for a media row. ok = it delivered (nearly) all of the piece. A hardware
   * encode that fails before its first byte is run again in software at once (same item, same offset).
   */
  private async runProcess(plan: MediaPlan, prepared: Extract<Prepared, { ok: true }>): Promise<{ ok: boolean; reason: string }> {
    const enc = this.deps.encoder?.() ?? { kind: 'software' as const, note: null };
    this.encoderKind = enc.kind;
    this.encoderNote = enc.note;
    if (enc.kind === 'software') return this.runPiece(plan, prepared, 'software');
    const hw = await this.runPiece(plan, prepared, enc.kind, enc.vaapiDevice);
    // A direct (copied) piece used no encoder: its outcome says nothing about the hardware.
    if (this.stopped || !hw.noOutput || hw.kind === 'direct') {
      if (!hw.noOutput && hw.kind !== 'direct') this.deps.hw?.succeeded(enc.kind);
      return hw;
    }
    this.fallbacks++;
    this.deps.hw?.failed(enc.kind, hw.reason);
    this.encoderKind = 'software';
    this.encoderNote = `software fallback: ${enc.kind} failed before its first output (${hw.reason})`;
    this.lastError = `${enc.kind}: ${hw.reason}`;
    this.deps.events.log('warn', `${enc.kind} encode failed before any output (${hw.reason}); playing this item in software`, this.deps.number);
    return this.runPiece(plan, prepared, 'software');
  }

  private async runPiece(plan: MediaPlan, prepared: Extract<Prepared, { ok: true }>, kind: HwKind, vaapiDevice?: string):
    Promise<{ ok: boolean; reason: string; noOutput?: boolean; kind: PieceKind }> {
    const wanted = playMs(plan);
    const choice = choosePiece(this.deps.mode ?? 'transcode', plan, prepared, this.deps.profile, { kind, ...(vaapiDevice ? { vaapiDevice } : {}) });
    const piece = new FfmpegPiece(choice.kind, this.deps.ffmpegPath, choice.args, plan.endsAt);
    const live = prepared.input.live;
    const r = live ? await this.playLive(piece, plan, choice.why) : await this.playPiece(piece, plan.title, choice.why);
    if (this.stopped) return { ok: true, reason: '', kind: piece.kind };
    if (!r.ok) {
      // A hardware failure says why in its first lines (device, driver), not in the last one.
      const hwWhy = kind !== 'software' && r.noOutput && r.exit ? probeReason(r.exit.stderr) : null;
      const reason = hwWhy ?? r.reason;
      this.lastFailure = { at: new Date().toISOString(), reason, command: [this.deps.ffmpegPath, ...shownArgv(choice.args)],
        stderr: (r.exit?.stderr ?? '').split('\n').filter((l) => l.trim()).slice(-STDERR_TAIL_LINES) };
      return { ok: false, reason, noOutput: r.noOutput, kind: piece.kind };
    }
    if (r.noOutput && kind !== 'software' && piece.kind !== 'direct') return { ok: false, reason: 'ffmpeg exited 0 but wrote no output', noOutput: true, kind: piece.kind };
    if (live && (r.videoEnded || r.producedMs < wanted - 1500)) {
      // A live source that ended or lost its picture (a dropped connection can exit 0): retried with backoff, then the offline slate.
      return { ok: false, reason: r.videoEnded ? r.reason : `the live stream ended after ${Math.round(r.producedMs / 1000)} s`, noOutput: r.noOutput, kind: piece.kind };
    }
    if (!r.cut && r.producedMs < wanted - 1500) {
      // Exit 0 but short (truncated file, dead input, a picture that ended while the padded sound
      // went on): fill the rest of the slot with the error slate.
      this.lastError = `item ${r.videoEnded ? 'picture ' : ''}ended ${Math.round((wanted - r.producedMs) / 1000)} s early`;
      const t = this.out.scheduleTime();
      await this.playSlate({ kind: 'slate', reason: 'error', rowId: plan.rowId, title: plan.title, startsAt: t, endsAt: plan.endsAt,
        text: errorText(this.deps.name, 'this programme ended early') }, this.lastError);
    }
    return { ok: true, reason: '', kind: piece.kind };
  }

  /** Plays a live piece; its stream counts as up once a second of it went out. */
  private async playLive(piece: PieceSource, plan: MediaPlan, why: string | null): Promise<PieceResult> {
    const start = this.out.position;
    const check = setInterval(() => {
      if (this.out.position - start < 90_000) return;
      clearInterval(check);
      this.deps.liveHealth?.up(plan.itemId);
    }, 250);
    try {
      return await this.playPiece(piece, plan.title, why);
    } finally {
      clearInterval(check);
    }
  }

  private async playPiece(piece: PieceSource, title: string, why: string | null): Promise<PieceResult> {
    this.piece = piece;
    this.pieces.push({ title, kind: piece.kind, at: new Date().toISOString(), why });
    if (this.pieces.length > KEEP_PIECES) this.pieces.shift();
    try {
      return await piece.play(this.ctx);
    } finally {
      this.piece = null;
    }
  }

  /**
   * Loops a pre-rendered slate until the slot ends. One that cannot be rendered is replaced by a
   * slate in memory (the stand-by one, else any); with none at all the bridge's silence rules apply
   * and the slot passes — the viewers stay either way.
   */
  private async playSlate(plan: SlatePlan, why: string | null = null): Promise<void> {
    let settled = false;
    const rendering = this.deps.slates.packets(plan.text).catch((err: Error) => {
      this.lastError = `cannot render slate: ${err.message}`;
      const fallback = this.deps.slates.inMemory(this.standbyText);
      this.deps.events.log('error', `${this.lastError}; ${fallback ? 'showing a slate held in memory' : 'no slate in memory either'}`, this.deps.number);
      return fallback;
    }).finally(() => { settled = true; });
    // A render never holds up the schedule: past the slot's end the loop goes on (the bridge,
    // with a slate in memory, fills the wait).
    const packets = await Promise.race([rendering, this.waitUntil(plan.endsAt, () => settled).then(() => (settled ? rendering : undefined))]);
    if (packets === undefined) return;
    if (!packets) return this.waitUntil(plan.endsAt);
    if (this.stopped) return;
    await this.playPiece(new SlatePiece(packets, slateSeconds(this.deps.profile), plan.endsAt), plan.title, why ?? (plan.reason === 'offline' ? 'off the air' : null));
  }

  /** Lets the schedule pass to `endsAt` (or until `done`) with nothing to show (the output's clock follows the wall). */
  private async waitUntil(endsAt: number, done: () => boolean = () => false): Promise<void> {
    while (!this.stopped && !done() && Date.now() < endsAt) await sleep(Math.min(100, endsAt - Date.now()));
    this.out.catchUp();
  }

  private fail(message: string): void {
    this.lastError = message;
    this.deps.events.log('error', message, this.deps.number);
    this.deps.events.emit('session.error', { channelId: this.deps.channelId, number: this.deps.number, message });
    void this.stop();
  }

  stats(): SessionStats {
    const current = this.piece ? this.pieces.at(-1) : undefined;
    return {
      channelId: this.deps.channelId, number: this.deps.number, name: this.deps.name, viewers: this.out.viewerCount,
      hlsActive: Date.now() - this.out.lastHlsRequest < 30_000, startedAt: new Date(this.startedAt).toISOString(),
      uptimeS: Math.round((Date.now() - this.startedAt) / 1000), nowPlaying: this.nowPlaying, encoder: this.encoderLabel(),
      bitrateKbps: this.out.bitrateKbps, restarts: this.restarts, lastError: this.lastError, lastFailure: this.lastFailure, ffmpegPid: this.piece?.pid ?? null,
      piece: current?.kind ?? null, pieces: [...this.pieces],
      live: this.liveItemId === null ? null : this.deps.liveHealth?.get(this.liveItemId) ?? null,
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
    clearInterval(this.prefetchTimer);
    this.bridge.stop();
    this.offTimeline();
    await this.piece?.stop();
    this.out.close();
    this.deps.events.emit('session.stopped', { channelId: this.deps.channelId, number: this.deps.number });
    await this.loop;
    await this.prefetch.close();
  }
}
