// The stand-by bridge: keeps a channel's output from running dry while nothing feeds it — a cold
// tune whose first piece has not answered yet, an input that hangs, a restart's backoff, a slow
// resolver. When no piece has pushed anything for a while and the output's lead over the wall
// clock runs low, it splices short slices of the stand-by slate (held in memory, each starting
// with a keyframe) into the broadcaster; the late piece is spliced in after them when it starts.
import type { Broadcaster } from './broadcaster.js';
import { trimSlate } from './slate.js';

export interface BridgeOptions {
  /** Cold tune: nothing at all pushed this long after the start → slate (keeps the first byte ≤ 0.5 s). */
  coldMs: number;
  /** Running: no packet pushed this long … */
  silentMs: number;
  /** … and the output less than this far ahead of the wall clock → slate, up to this lead. */
  leadMs: number;
  /** Length of one slate slice (the late piece waits at most this long once it starts). */
  sliceMs: number;
  /** How often the bridge looks. */
  everyMs: number;
}

export const DEFAULT_BRIDGE: BridgeOptions = { coldMs: 200, silentMs: 1000, leadMs: 1000, sliceMs: 500, everyMs: 100 };

export class SlateBridge {
  /** Milliseconds of slate spliced in so far. */
  bridgedMs = 0;
  /** Bridging episodes (a stretch of slices with no other feeder in between). */
  episodes = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly coldTimer: NodeJS.Timeout;

  /**
   * `slate` gives the stand-by slate's packets (one loop, starting with a keyframe) or null while
   * none is available; `onBridge` is told when an episode begins.
   */
  constructor(private readonly out: Broadcaster, private readonly slate: () => readonly Buffer[] | null,
    private readonly opts: BridgeOptions, private readonly onBridge: () => void = () => {}) {
    this.timer = setInterval(() => this.tick(), opts.everyMs);
    this.timer.unref();
    // A cold start is looked at exactly when its bound runs out, not at the next tick.
    this.coldTimer = setTimeout(() => this.tick(!this.out.hasKeyframe), opts.coldMs);
    this.coldTimer.unref();
  }

  /** Is the output due for a slice now? */
  due(now = Date.now()): boolean {
    const silent = now - this.out.lastPushAt;
    if (!this.out.hasKeyframe) return silent >= this.opts.coldMs;
    return silent >= this.opts.silentMs && this.out.aheadMs() < this.opts.leadMs;
  }

  /** `force`: the cold bound ran out without a keyframe. */
  tick(force = false): void {
    if (this.out.isClosed || !(force || this.due())) return;
    const packets = this.slate();
    if (!packets?.length) return;
    if (!this.out.isFeeding(this)) {
      this.episodes++;
      this.onBridge();
    }
    const slice = trimSlate(packets, this.opts.sliceMs * 90);
    // At least one slice (a cold start has no lead to measure yet), then up to the lead.
    for (let n = 0; n < 1 || (this.out.aheadMs() < this.opts.leadMs && n < 20); n++) {
      const from = this.out.position;
      this.out.beginPiece(this);
      for (const p of slice) this.out.push(Buffer.from(p));
      this.out.endPiece();
      this.bridgedMs += (this.out.position - from) / 90;
    }
  }

  stop(): void {
    clearInterval(this.timer);
    clearTimeout(this.coldTimer);
  }
}
