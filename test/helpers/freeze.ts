// What a viewer's picture does, measured on the captured stream: every video frame's output DTS
// and arrival time, played back by a model player that starts at the first frame and shows each
// frame at its timestamp or when it arrives, whichever is later. The longest time between two
// frames shown is the longest stretch without a new picture: a late delivery and a hole in the
// timestamps (sound going on without video) both count.
import { PacketReader, isPayloadStart, pidOf, readPesTimes, unwrap } from '../../src/engine/stream/ts.js';

const VIDEO_PID = 0x100;

export class FrameClock {
  readonly frames: { at: number; dts: number }[] = [];
  private readonly reader = new PacketReader();
  private last = 0;

  /** Feed with every chunk as it arrives (openTs's onChunk). */
  push = (chunk: Buffer, at: number): void => {
    this.reader.push(chunk, (p) => {
      if (pidOf(p) !== VIDEO_PID || !isPayloadStart(p)) return;
      const t = readPesTimes(p);
      const ts = t ? (t.dts ?? t.pts) : undefined;
      if (ts === undefined) return;
      this.last = this.frames.length ? unwrap(ts, this.last) : ts;
      this.frames.push({ at, dts: this.last });
    });
  };

  /** Longest time (ms) the model player went without a new frame, and when (ms after the first frame). */
  longestFreeze(): { ms: number; atMs: number } {
    let shown = this.frames[0]?.at ?? 0, worst = { ms: 0, atMs: 0 };
    for (let i = 1; i < this.frames.length; i++) {
      const f = this.frames[i]!, prev = this.frames[i - 1]!;
      const next = Math.max(f.at, shown + (f.dts - prev.dts) / 90);
      if (next - shown > worst.ms) worst = { ms: Math.round(next - shown), atMs: Math.round(shown - this.frames[0]!.at) };
      shown = next;
    }
    return worst;
  }

  /** Seconds of video (by timestamps) received so far. */
  get spanS(): number {
    return this.frames.length ? (this.frames.at(-1)!.dts - this.frames[0]!.dts) / 90_000 : 0;
  }
}
