// Runs library scans as jobs: one at a time per source, progress as events, summary kept for the API.
import type { ScanState } from '../../schemas/library.js';
import type { EventBus } from '../events.js';
import type { Store } from '../store/store.js';
import { AppError, ConflictError } from '../errors.js';
import { processAlive } from '../process-alive.js';
import { assertLibraryFolder, type FolderRules } from './allowed-paths.js';
import { scanLocalSource, type ScanLogLevel, type ScanProgress } from './scanner.js';
import { isServerKind } from './servers/config.js';
import { syncServerSource } from './servers/sync.js';
import { scanIptvSource } from './iptv/import.js';
import { scanArchiveSource } from './archive/scan.js';
import { scanYoutubeSource } from './youtube/videos.js';

/** Archive.org's address and the yt-dlp path, for scans of online sources. */
export interface OnlineScanSettings { archiveUrl: string; ytDlpPath?: string | undefined }
const isOnlineKind = (kind: string): kind is 'archive' | 'youtube' => kind === 'archive' || kind === 'youtube';

const KEEP = 50;

/** Scans of different sources running at once; one more is a 429. */
export const MAX_RUNNING_SCANS = 2;

/** Settings key: source id → pid of the process scanning it (what a crash leaves behind). */
const RUNNING_KEY = 'library.scans.running';
type RunningMarks = Record<string, number>;

export interface ScanOptions { ffprobePath: string; concurrency: number; /** Archive.org's address and the yt-dlp path. */ online?: OnlineScanSettings; afterScan?: () => void; /** Folder rules; its dataDir is also where media-server tokens live. */ folders?: FolderRules }

export class ScanManager {
  private readonly scans = new Map<number, ScanState>();
  private readonly running = new Map<number, { scanId: number; abort: AbortController; done: Promise<ScanState> }>();
  private nextId = 1;
  /** Why new scans are refused now (a database restore runs), or null. */
  private held: string | null = null;

  constructor(private readonly store: Store, private readonly events: EventBus, private readonly opts: ScanOptions) {
    this.recordInterrupted();
  }

  /**
   * Scans whose process is gone (killed, crashed, power lost) are recorded as interrupted: their
   * source's last scan status says so, instead of whatever the scan before them left.
   */
  recordInterrupted(): number[] {
    const marks = this.store.settings.get<RunningMarks>(RUNNING_KEY, {});
    const dead = Object.entries(marks).filter(([, pid]) => pid === process.pid ? !this.running.size : !processAlive(pid));
    if (!dead.length) return [];
    const ids: number[] = [];
    this.store.tx(() => {
      for (const [id, pid] of dead) {
        delete marks[id];
        const sourceId = Number(id);
        if (!this.store.sources.list().some((s) => s.id === sourceId)) continue;
        this.store.sources.recordScan(sourceId, `interrupted: exstreamtv (pid ${pid}) stopped during the scan; scan again`);
        ids.push(sourceId);
      }
      this.store.settings.set(RUNNING_KEY, marks);
    });
    for (const id of ids) this.events.log('warn', `the last scan of source ${id} was interrupted (exstreamtv stopped during it): scan it again`);
    return ids;
  }

  private mark(sourceId: number, on: boolean): void {
    const marks = this.store.settings.get<RunningMarks>(RUNNING_KEY, {});
    if (on) marks[sourceId] = process.pid; else delete marks[sourceId];
    this.store.settings.set(RUNNING_KEY, marks);
  }

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
    if (source.kind !== 'local' && source.kind !== 'iptv' && !isServerKind(source.kind) && !isOnlineKind(source.kind)) throw new ConflictError(`scanning ${source.kind} sources is not supported yet`);
    // A source added before folders were checked (or by editing the database) is not scanned either.
    if (this.opts.folders && typeof source.config.path === 'string') {
      try { assertLibraryFolder(source.config.path, this.opts.folders); } catch (err) { throw new ConflictError(`source "${source.name}": ${(err as Error).message}`); }
    }
    if (this.running.size >= MAX_RUNNING_SCANS) {
      throw new AppError(429, `${this.running.size} scans are running (at most ${MAX_RUNNING_SCANS} at once): try again when one has finished`);
    }
    const id = this.nextId++;
    const state: ScanState = {
      id, sourceId, state: 'running', phase: 'walking', found: 0, total: 0, probed: 0, added: 0, changed: 0, unchanged: 0,
      missing: 0, unreadable: 0, current: null, error: null, startedAt: new Date().toISOString(), finishedAt: null,
    };
    this.remember(state);
    this.mark(sourceId, true);
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
      const common = {
        store: this.store, signal,
        onProgress: (p: ScanProgress) => {
          Object.assign(state, p, { id: state.id, sourceId: state.sourceId, state: 'running' });
          this.events.emit('scan.progress', { ...state });
        },
        log: (level: ScanLogLevel, msg: string) => this.events.log(level, msg),
      };
      const summary = isServerKind(source.kind)
        ? await syncServerSource({ ...common, dataDir: this.opts.folders?.dataDir ?? '' }, state.sourceId)
        : source.kind === 'iptv' ? await scanIptvSource({ store: this.store, signal, onProgress: common.onProgress }, state.sourceId)
        : source.kind === 'youtube' ? await scanYoutubeSource({ ...common, ytDlpPath: this.opts.online?.ytDlpPath }, state.sourceId)
        : source.kind === 'archive' ? await scanArchiveSource({ ...common, dataDir: this.opts.folders?.dataDir ?? '', baseUrl: this.opts.online?.archiveUrl ?? 'https://archive.org' }, state.sourceId)
        : await scanLocalSource({ ...common, ffprobePath: this.opts.ffprobePath, concurrency: this.opts.concurrency }, state.sourceId);
      Object.assign(state, summary, { state: 'done', phase: 'done', current: null });
      this.opts.afterScan?.();
      this.events.log('info', `scan of "${source.name}" done: ${summary.added} added, ${summary.changed} changed, ${summary.missing} missing, ${summary.unreadable} unreadable`);
    } catch (err) {
      Object.assign(state, { state: 'failed', phase: 'done', current: null, error: (err as Error).message });
      this.events.log('error', `scan of "${source.name}" failed: ${(err as Error).message}`);
    } finally {
      state.finishedAt = new Date().toISOString();
      this.running.delete(state.sourceId);
      try { this.mark(state.sourceId, false); } catch (err) { this.events.log('warn', `could not clear the running mark of a scan: ${(err as Error).message}`); }
      this.events.emit('scan.finished', { ...state });
    }
    return state;
  }
}
