// Runs library scans as jobs: one at a time per source, progress as events, summary kept for the API.
import type { ScanState } from '../../schemas/library.js';
import type { EventBus } from '../events.js';
import type { Store } from '../store/store.js';
import { AppError, ConflictError } from '../errors.js';
import { scanLocalSource } from './scanner.js';
import { scanIptvSource } from './iptv/import.js';

const KEEP = 50;

export interface ScanOptions { ffprobePath: string; concurrency: number; afterScan?: () => void }

export class ScanManager {
  private readonly scans = new Map<number, ScanState>();
  private readonly running = new Map<number, { scanId: number; abort: AbortController; done: Promise<ScanState> }>();
  private nextId = 1;
  /** Why new scans are refused now (a database restore runs), or null. */
  private held: string | null = null;

  constructor(private readonly store: Store, private readonly events: EventBus, private readonly opts: ScanOptions) {}

  list(): ScanState[] { return [...this.scans.values()].reverse(); }
  get(id: number): ScanState | undefined { return this.scans.get(id); }
  get active(): number { return this.running.size; }

  /** Refuses new scans (start() throws a 503 with `reason`) until unhold(); running ones go on (stopAll stops them). */
  hold(reason: string): void { this.held = reason; }
  unhold(): void { this.held = null; }

  /** Starts a scan of the source, or returns the one already running for it. */
  start(sourceId: number): ScanState {
    if (this.held) throw new AppError(503, this.held);
    const source = this.store.sources.get(sourceId);
    const existing = this.running.get(sourceId);
    if (existing) return this.scans.get(existing.scanId)!;
    if (source.kind !== 'local' && source.kind !== 'iptv') throw new ConflictError(`scanning ${source.kind} sources is not supported yet`);
    const id = this.nextId++;
    const state: ScanState = {
      id, sourceId, state: 'running', phase: 'walking', found: 0, total: 0, probed: 0, added: 0, changed: 0, unchanged: 0,
      missing: 0, unreadable: 0, current: null, error: null, startedAt: new Date().toISOString(), finishedAt: null,
    };
    this.remember(state);
    const abort = new AbortController();
    const done = this.run(state, abort.signal);
    this.running.set(sourceId, { scanId: id, abort, done });
    return state;
  }

  /** Resolves when the scan ends (whatever its outcome). */
  async wait(scanId: number): Promise<ScanState> {
    const r = [...this.running.values()].find((x) => x.scanId === scanId);
    return r ? r.done : this.scans.get(scanId)!;
  }

  async stopAll(): Promise<void> {
    const all = [...this.running.values()];
    for (const r of all) r.abort.abort();
    await Promise.allSettled(all.map((r) => r.done));
  }

  private remember(state: ScanState): void {
    this.scans.set(state.id, state);
    while (this.scans.size > KEEP) this.scans.delete(this.scans.keys().next().value!);
  }

  private async run(state: ScanState, signal: AbortSignal): Promise<ScanState> {
    const source = this.store.sources.get(state.sourceId);
    this.events.log('info', `scan of "${source.name}" started`);
    try {
      const onProgress = (p: object) => {
        Object.assign(state, p, { id: state.id, sourceId: state.sourceId, state: 'running' });
        this.events.emit('scan.progress', { ...state });
      };
      const summary = source.kind === 'iptv'
        ? await scanIptvSource({ store: this.store, signal, onProgress }, state.sourceId)
        : await scanLocalSource({
          store: this.store, ffprobePath: this.opts.ffprobePath, concurrency: this.opts.concurrency, signal, onProgress,
          log: (level, msg) => this.events.log(level, msg),
        }, state.sourceId);
      Object.assign(state, summary, { state: 'done', phase: 'done', current: null });
      this.opts.afterScan?.();
      this.events.log('info', `scan of "${source.name}" done: ${summary.added} added, ${summary.changed} changed, ${summary.missing} missing, ${summary.unreadable} unreadable`);
    } catch (err) {
      Object.assign(state, { state: 'failed', phase: 'done', current: null, error: (err as Error).message });
      this.events.log('error', `scan of "${source.name}" failed: ${(err as Error).message}`);
    } finally {
      state.finishedAt = new Date().toISOString();
      this.running.delete(state.sourceId);
      this.events.emit('scan.finished', { ...state });
    }
    return state;
  }
}
