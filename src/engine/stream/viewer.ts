// One MPEG-TS viewer: a bounded queue in front of its socket. A viewer that falls behind stops
// receiving, then rejoins at the next keyframe (skips ahead); one stalled too long is dropped.
// Either way it never slows the channel or the other viewers.
import type { Writable } from 'node:stream';

export interface ViewerOptions {
  /** Bytes allowed in the socket's queue before the viewer counts as behind. */
  maxQueueBytes: number;
  /** Behind this long without draining → dropped. */
  dropAfterMs: number;
}

export const DEFAULT_VIEWER: ViewerOptions = { maxQueueBytes: 4 * 1024 * 1024, dropAfterMs: 20_000 };

let nextId = 1;

export class Viewer {
  readonly id = nextId++;
  readonly joinedAt = Date.now();
  bytes = 0;
  skips = 0;
  private behindSince: number | null = null;
  private awaitingKey = false;
  closed = false;

  constructor(private readonly out: Writable, private readonly opts: ViewerOptions = DEFAULT_VIEWER, readonly label = 'viewer') {}

  /**
   * Offers a batch of packets. `keyAt` is the index of the first packet that starts a keyframe
   * (or -1) and `header` the PAT+PMT to resend before it when the viewer rejoins.
   * Returns false when the viewer should be dropped.
   */
  offer(packets: Buffer[], keyAt: number, header: Buffer[]): boolean {
    if (this.closed) return false;
    if (this.awaitingKey) {
      // Joined before the channel's first keyframe: start at one, after PAT and PMT.
      if (keyAt < 0) return true;
      this.awaitingKey = false;
      this.write([...header, ...packets.slice(keyAt)]);
      return true;
    }
    if (this.behindSince !== null) {
      if (this.out.writableLength > this.opts.maxQueueBytes / 4 || keyAt < 0) {
        return Date.now() - this.behindSince < this.opts.dropAfterMs;
      }
      this.behindSince = null;
      this.skips++;
      this.write([...header, ...packets.slice(keyAt)]);
      return true;
    }
    if (this.out.writableLength > this.opts.maxQueueBytes) {
      this.behindSince = Date.now();
      return true;
    }
    this.write(packets);
    return true;
  }

  /** The joiner's first bytes: PAT, PMT and the GOP from the latest keyframe. */
  start(packets: Buffer[]): void {
    this.write(packets);
  }

  /** No keyframe yet (cold start): send nothing until the first one arrives. */
  awaitKeyframe(): void {
    this.awaitingKey = true;
  }

  private write(packets: Buffer[]): void {
    if (!packets.length) return;
    const chunk = packets.length === 1 ? packets[0]! : Buffer.concat(packets);
    this.bytes += chunk.length;
    this.out.write(chunk);
  }

  /** Ends the viewer's stream; `drop` (a stalled viewer) closes the connection at once instead of
   * leaving it to drain a full queue to a client that may never read again. */
  close(drop = false): void {
    if (this.closed) return;
    this.closed = true;
    if (drop) this.out.destroy();
    else this.out.end();
  }
}
