// Scan progress: counts, throttled to ~10 reports a second plus one at every phase change.

export type ScanPhase = 'walking' | 'probing' | 'saving' | 'done';

export interface ScanCounts {
  /** Video files found by the walk. */
  found: number;
  /** Files that need probing (new or changed). */
  total: number;
  /** Files probed so far. */
  probed: number;
  /** New files saved. */
  added: number;
  /** Known files whose size/mtime (or NFO) changed, saved again. */
  changed: number;
  /** Known files left as they were (not probed). */
  unchanged: number;
  /** Items flagged missing by this scan (their file is gone). */
  missing: number;
  /** Files found that are unreadable: probed now and failed, or unchanged since an earlier failed probe. */
  unreadable: number;
}

export interface ScanProgress extends ScanCounts {
  phase: ScanPhase;
  /** Path (relative to the source root) of the file being looked at, if any. */
  current: string | null;
}

export const emptyCounts = (): ScanCounts => ({ found: 0, total: 0, probed: 0, added: 0, changed: 0, unchanged: 0, missing: 0, unreadable: 0 });

export class ProgressReporter {
  readonly counts = emptyCounts();
  phase: ScanPhase = 'walking';
  current: string | null = null;
  private last = 0;

  constructor(private readonly emit?: (p: ScanProgress) => void, private readonly intervalMs = 100) {}

  snapshot(): ScanProgress {
    return { phase: this.phase, ...this.counts, current: this.current };
  }

  /** Reports if the last report is older than the interval. */
  tick(current?: string | null): void {
    if (current !== undefined) this.current = current;
    const now = performance.now();
    if (this.emit && now - this.last >= this.intervalMs) this.report(now);
  }

  /** Enters a phase and always reports it. */
  enter(phase: ScanPhase): void {
    this.phase = phase;
    if (phase !== 'probing') this.current = null;
    if (this.emit) this.report(performance.now());
  }

  private report(now: number): void {
    this.last = now;
    try {
      this.emit?.(this.snapshot());
    } catch {
      // a listener's bug must not break the scan
    }
  }
}
