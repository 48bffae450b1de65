// A live HLS window cut from the session's continuous MPEG-TS at keyframes. Timestamps never
// reset within a session, so no discontinuity tags are needed; the playlist text is ours.
import type { SplicedPacket } from './splicer.js';

export interface HlsOptions { targetDuration: number; windowSize: number; keep: number; minSegmentS: number }
export const DEFAULT_HLS: HlsOptions = { targetDuration: 4, windowSize: 6, keep: 12, minSegmentS: 1.5 };

export interface Segment { seq: number; name: string; durationS: number; wallStart: number; data: Buffer }

export class HlsSegmenter {
  private readonly segments: Segment[] = [];
  private current: { packets: Buffer[]; startDts: number; wallStart: number } | null = null;
  private seq = 0;

  constructor(private readonly prefix: string, private readonly wallOf: (dts: number) => number, readonly opts: HlsOptions = DEFAULT_HLS) {}

  get count(): number { return this.segments.length; }

  push(o: SplicedPacket, header: Buffer[]): void {
    if (o.keyframe && o.dts !== undefined) {
      if (!this.current || (o.dts - this.current.startDts) / 90_000 >= this.opts.minSegmentS) {
        this.close(o.dts);
        this.current = { packets: [...header], startDts: o.dts, wallStart: this.wallOf(o.dts) };
      }
    }
    this.current?.packets.push(o.packet);
  }

  private close(endDts: number): void {
    const c = this.current;
    if (!c) return;
    const durationS = (endDts - c.startDts) / 90_000;
    const seq = this.seq++;
    this.segments.push({ seq, name: `${this.prefix}-${seq}.ts`, durationS, wallStart: c.wallStart, data: Buffer.concat(c.packets) });
    while (this.segments.length > this.opts.keep) this.segments.shift();
  }

  segment(name: string): Segment | undefined {
    return this.segments.find((s) => s.name === name);
  }

  playlist(): string {
    const win = this.segments.slice(-this.opts.windowSize);
    const lines = ['#EXTM3U', '#EXT-X-VERSION:3', `#EXT-X-TARGETDURATION:${this.opts.targetDuration}`, `#EXT-X-MEDIA-SEQUENCE:${win[0]?.seq ?? 0}`];
    for (const s of win) {
      lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(s.wallStart).toISOString()}`, `#EXTINF:${s.durationS.toFixed(3)},`, s.name);
    }
    return lines.join('\n') + '\n';
  }
}
