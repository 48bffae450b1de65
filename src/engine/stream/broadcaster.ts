// The broadcaster of one channel: splices the pieces' MPEG-TS into one stream (splicer), paces it
// to the wall clock (anchor), keeps the current GOP for joiners, and fans every packet out to the
// MPEG-TS viewers and the HLS window. Piece sources push packets into it; it knows no ffmpeg.
import type { Writable } from 'node:stream';
import { AUDIO_PID, VIDEO_PID } from '../ffmpeg/profile.js';
import { DEFAULT_HLS, HlsSegmenter } from './hls.js';
import { TsSplicer, type SplicedPacket } from './splicer.js';
import { PAT_PID } from './ts.js';
import { Viewer, type ViewerOptions } from './viewer.js';

const PMT_PID = 0x1000;
const MAX_GOP_PACKETS = 40_000;
const NO_HEADER: Buffer[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface BroadcasterHooks {
  viewerJoined(count: number): void;
  viewerLeft(count: number): void;
  viewerDropped(label: string): void;
}

export class Broadcaster {
  readonly hls: HlsSegmenter;
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
  private bytesWindow: { at: number; bytes: number }[] = [];
  private closed = false;
  /** Who pushes now (a piece source, the bridge): a piece that finds another there re-enters at a keyframe. */
  private feeder: object | null = null;
  /** When the last packet was pushed (the bridge's measure of silence). */
  lastPushAt = Date.now();

  constructor(id: string, private readonly viewerOpts: ViewerOptions, private readonly hooks: BroadcasterHooks) {
    this.hls = new HlsSegmenter(id, (dts) => this.wallOf(dts), DEFAULT_HLS);
  }

  get viewerCount(): number { return this.viewers.size; }
  get hasKeyframe(): boolean { return this.gop.length > 0; }

  // ---- clock ---------------------------------------------------------------------------------

  /** Wall-clock time of an output timestamp. */
  private wallOf(dts: number): number { return this.anchorWall + (dts - this.anchorDts) / 90; }
  /** Wall-clock time the output has reached: where the next piece starts in the schedule. */
  scheduleTime(): number { return this.wallOf(this.splicer.nextStart); }
  /** How far the output runs ahead of the wall clock. */
  aheadMs(): number { return this.wallOf(this.splicer.position) - Date.now(); }
  /** Output ticks (90 kHz) since the start: what a piece produced is the difference. */
  get position(): number { return this.splicer.nextStart; }

  /** Fell behind (slow encoder, long restart)? Re-anchor so the schedule stays on time. */
  catchUp(): void {
    if (this.scheduleTime() >= Date.now() - 1000) return;
    this.anchorWall = Date.now();
    this.anchorDts = this.splicer.nextStart;
  }

  /**
   * Lets the clock pass a stretch of schedule that is not worth playing: the output position now
   * stands for a schedule time `ms` later (the next row starts there; pacing holds the output back
   * by as much, so it stays on the wall clock).
   */
  skip(ms: number): void { this.anchorWall += ms; }

  /** Waits until the output is at most leadMs ahead of the wall clock. */
  async pace(leadMs: number): Promise<void> {
    const ahead = this.aheadMs();
    if (ahead > leadMs) await sleep(ahead - leadMs);
  }

  // ---- pieces --------------------------------------------------------------------------------

  /** Starts a piece (a splice point) fed by `owner`; `videoClock`: false for a copied (direct) piece (see TsSplicer.beginPiece). */
  beginPiece(owner: object = {}, videoClock = true): void {
    this.feeder = owner;
    this.splicer.beginPiece(videoClock);
  }
  /** Is `owner` the one whose piece the output is in? */
  isFeeding(owner: object): boolean { return this.feeder === owner; }
  get isClosed(): boolean { return this.closed; }
  push(packet: Buffer): void {
    this.lastPushAt = Date.now();
    this.splicer.push(packet, this.deliver);
  }
  /** Ends the piece and sends what it left to the viewers. */
  endPiece(): void {
    this.splicer.endPiece(this.deliver);
    this.flush();
  }

  // ---- viewers -------------------------------------------------------------------------------

  /** Adds an MPEG-TS viewer; it gets PAT, PMT and the current GOP at once. */
  addViewer(out: Writable, label?: string): Viewer {
    const v = new Viewer(out, this.viewerOpts, label);
    this.viewers.add(v);
    // Not the latest PAT/PMT: the GOP holds later ones, whose counters must follow these.
    if (this.gop.length) v.start(this.gopHeader.concat(this.gop));
    else v.awaitKeyframe();
    this.hooks.viewerJoined(this.viewers.size);
    return v;
  }

  removeViewer(v: Viewer, drop = false): void {
    if (!this.viewers.delete(v)) return;
    v.close(drop);
    this.hooks.viewerLeft(this.viewers.size);
  }

  /** Resolves once the first keyframe is buffered (or the broadcaster closes). */
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
    while (this.hls.count < n && !this.closed && Date.now() < until) await sleep(50);
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
    // The segmenter only needs PAT and PMT where a segment starts (a keyframe).
    this.hls.push(o, o.keyframe ? this.gopHeader : NO_HEADER);
    if (o.keyframe && this.waiters.size) for (const w of [...this.waiters]) w();
  };

  /** Sends the packets gathered since the last flush to every viewer. */
  flush(): void {
    if (!this.batch.length) return;
    const packets = this.batch, keyAt = this.batchKeyAt, header = this.batchKeyHeader;
    this.batch = [];
    this.batchKeyAt = -1;
    this.bytesWindow.push({ at: Date.now(), bytes: packets.length * 188 });
    for (const v of this.viewers) {
      if (!v.offer(packets, keyAt, header)) {
        this.hooks.viewerDropped(v.label);
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

  /** Wakes every waiter and closes every viewer. */
  close(): void {
    this.closed = true;
    for (const w of [...this.waiters]) w();
    for (const v of [...this.viewers]) this.removeViewer(v);
  }
}
