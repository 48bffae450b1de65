// Keeps the library current by itself: every enabled source is rescanned every `everyMs` (a local
// scan probes only new or changed files, so a no-change rescan is a walk and a stat per file; media
// servers, IPTV, Archive.org and YouTube compare fingerprints, so an unchanged one writes nothing), and,
// when watching is on, a source is rescanned `settleMs` after the last change seen in its folder
// (chokidar: inotify on Linux; a file being copied keeps postponing it until the copy is done).
import { watch, type FSWatcher } from 'chokidar';
import type { EventBus } from '../events.js';
import type { Store } from '../store/store.js';
import type { ScanManager } from './scans.js';

export interface RescanOptions {
  /** Milliseconds between full rescans; 0: none. */
  everyMs: number;
  /** Watch the folders of local sources. */
  watch: boolean;
  /** Quiet time after the last change before a watched source is rescanned. */
  settleMs?: number;
}

export class Rescanner {
  private timer: NodeJS.Timeout | null = null;
  private readonly watchers = new Map<number, { path: string; watcher: FSWatcher; ready: Promise<void> }>();
  private readonly pending = new Map<number, NodeJS.Timeout>();
  private offFinished: (() => void) | null = null;

  constructor(private readonly store: Store, private readonly scans: ScanManager, private readonly events: EventBus, private readonly opts: RescanOptions) {}

  start(): void {
    if (this.opts.everyMs > 0) {
      this.timer = setInterval(() => this.rescanAll(), this.opts.everyMs);
      this.timer.unref();
    }
    if (this.opts.watch) {
      // A source added or removed since: its watch follows at its next scan or the next sync.
      this.offFinished = this.events.on('scan.finished', () => this.syncWatches());
      this.syncWatches();
    }
  }

  /** Starts a scan of every enabled source, of every kind (one already running is left to finish). */
  rescanAll(): void {
    let sources;
    try {
      if (this.opts.watch) this.syncWatches();
      sources = this.store.sources.list();
    } catch (err) {
      // It runs from a timer: a throw would end the daemon. (The database is closed after a failed
      // restore, say: the next round tries again.)
      this.events.log('warn', `periodic rescan skipped: ${(err as Error).message}`);
      return;
    }
    for (const s of sources) if (s.enabled) this.scan(s.id, 'periodic rescan');
  }

  private scan(sourceId: number, why: string): void {
    try {
      const st = this.scans.start(sourceId);
      this.events.log('debug', `${why}: scan ${st.id} of source ${sourceId}`);
    } catch (err) {
      // A restore holds scans (503) or the source was just removed: the next round tries again.
      this.events.log('debug', `${why} of source ${sourceId} skipped: ${(err as Error).message}`);
    }
  }

  private syncWatches(): void {
    const want = new Map(this.store.sources.list().filter((s) => s.kind === 'local' && typeof s.config.path === 'string')
      .map((s) => [s.id, String(s.config.path)]));
    for (const [id, w] of this.watchers) {
      if (want.get(id) !== w.path) { void w.watcher.close(); this.watchers.delete(id); }
    }
    for (const [id, path] of want) {
      if (this.watchers.has(id)) continue;
      const watcher = watch(path, { ignoreInitial: true, persistent: false });
      const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
      watcher.on('all', () => this.changed(id));
      watcher.on('error', (err) => this.events.log('warn', `watching ${path} failed: ${(err as Error).message}; periodic rescans go on`));
      this.watchers.set(id, { path, watcher, ready });
    }
  }

  /** Resolves once every watched folder is being watched (changes before that are not seen). */
  async ready(): Promise<void> {
    await Promise.all([...this.watchers.values()].map((w) => w.ready));
  }

  private changed(sourceId: number): void {
    clearTimeout(this.pending.get(sourceId));
    const t = setTimeout(() => { this.pending.delete(sourceId); this.scan(sourceId, 'folder changed'); }, this.opts.settleMs ?? 10_000);
    t.unref();
    this.pending.set(sourceId, t);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.offFinished?.();
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
    await Promise.all([...this.watchers.values()].map((w) => w.watcher.close()));
    this.watchers.clear();
  }
}
