// Stand-by slates ready before the first tune. The bridge covers a cold tune whose first piece is
// late with the channel's own stand-by slate — read from disk in milliseconds once rendered. A
// channel never tuned before had none yet: its first tune waited for the render (0.5–1 s on a
// small box) and bridged with another channel's slate meanwhile. This renders each enabled
// channel's stand-by slate in the background, one at a time, after start and whenever channels or
// profiles change; a slate already on disk costs a stat.
import type { EventBus } from '../events.js';
import { standbyText, type SlateCache } from './slate.js';

/** One channel's stand-by slate to have ready: its name in the slate cache of its profile. */
export interface StandbyTarget { number: string; name: string; slates: SlateCache }

export class StandbyPrep {
  /** Slates rendered ahead so far. */
  rendered = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly targets: () => StandbyTarget[], private readonly events: EventBus, private readonly delayMs: number) {}

  /** Looks at every channel after the delay; calls meanwhile (a batch of channels imported) are merged. */
  schedule(): void {
    if (this.stopped) return;
    if (this.running) { this.again = true; return; }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.pass().finally(() => {
        this.running = null;
        if (this.again) { this.again = false; this.schedule(); }
      });
    }, this.delayMs);
    this.timer.unref();
  }

  /** Resolves when no pass runs (or is due). */
  async idle(): Promise<void> {
    while (this.running || this.timer) await (this.running ?? new Promise((r) => setTimeout(r, 20)));
  }

  /** No new renders from now on (one under way is killed with every other ffmpeg on shutdown). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async pass(): Promise<void> {
    let targets: StandbyTarget[];
    try {
      targets = this.targets();
    } catch (err) {
      this.events.log('warn', `stand-by slates: cannot list the channels: ${(err as Error).message}`);
      return;
    }
    for (const t of targets) {
      if (this.stopped) return;
      try {
        if (await t.slates.prepare(standbyText(t.name))) this.rendered++;
      } catch (err) {
        if (!this.stopped) this.events.log('warn', `stand-by slate not rendered ahead (the first tune renders it): ${(err as Error).message}`, t.number);
      }
    }
  }
}
