// Push notifications from media servers (optional; the periodic rescan stays the safety net): one
// notification stream per server while the daemon runs (Plex: server-sent events; Jellyfin/Emby:
// their WebSocket). A stream reports the libraries (sections) that changed; a few seconds after the
// last report, each source of those libraries is rescanned (a targeted rescan). Streams follow the
// sources (checked every minute), are opened again after a failure, and all end on close().
import type { MediaSource } from '../../../schemas/library.js';
import type { EventBus } from '../../events.js';
import type { Store } from '../../store/store.js';
import { connOf, isServerKind, serverConfig, type ServerConn } from './config.js';
import { followJellyfin, hasWebSocket } from './jellyfin-push.js';
import { followPlex } from './plex-push.js';

/** Library ids that changed; '*' when the server did not say which. */
export type Report = (libraries: string[]) => void;
/** Follows one server's notifications until the signal aborts (resolves) or the stream fails (rejects). */
export type Follower = (conn: ServerConn, signal: AbortSignal, report: Report) => Promise<void>;

export interface ServerPushDeps {
  store: Store;
  dataDir: string;
  events: EventBus;
  /** Starts a scan of the source (throws when one cannot start now). */
  rescan: (sourceId: number) => void;
  delayMs?: number;
  reconcileMs?: number;
  retryMs?: number;
}

const mediaBrowser = hasWebSocket() ? followJellyfin : null;
const FOLLOWERS: Record<string, Follower | null> = { plex: followPlex, jellyfin: mediaBrowser, emby: mediaBrowser };

export class ServerPush {
  private readonly streams = new Map<string, AbortController>();
  private readonly pending = new Set<string>(); // "server|library"
  private timer: NodeJS.Timeout | null = null;
  private reconciler: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly deps: ServerPushDeps) {}

  start(): void {
    this.reconcile();
    this.reconciler = setInterval(() => this.reconcile(), this.deps.reconcileMs ?? 60_000);
    this.reconciler.unref();
  }

  /** "kind url" of a media-server source and its library id, or null. */
  private where(s: MediaSource): { server: string; library: string } | null {
    if (!isServerKind(s.kind) || !FOLLOWERS[s.kind]) return null;
    const c = serverConfig.safeParse(s.config);
    return c.success ? { server: `${s.kind} ${c.data.url}`, library: c.data.libraryId } : null;
  }

  /** Opens streams for new servers (with their first source's token), ends those no source uses. */
  reconcile(): void {
    if (this.closed) return;
    const servers = new Map<string, MediaSource>();
    for (const s of this.deps.store.sources.list()) {
      const w = this.where(s);
      if (w && !servers.has(w.server)) servers.set(w.server, s);
    }
    for (const [server, ac] of this.streams) if (!servers.has(server)) { ac.abort(); this.streams.delete(server); }
    for (const [server, source] of servers) {
      if (this.streams.has(server)) continue;
      const ac = new AbortController();
      this.streams.set(server, ac);
      void this.follow(server, source, ac.signal);
    }
  }

  private async follow(server: string, source: MediaSource, signal: AbortSignal): Promise<void> {
    try {
      const conn = connOf(this.deps.dataDir, source);
      this.deps.events.log('debug', `${server}: following its library notifications`);
      await FOLLOWERS[source.kind]!(conn, signal, (libs) => this.changed(server, libs));
      if (!signal.aborted) throw new Error('the server ended the stream');
    } catch (err) {
      if (signal.aborted || this.closed) return;
      this.deps.events.log('debug', `notifications from ${server} stopped (${(err as Error).message}); trying again later`);
      // Forget the stream: the next reconcile opens it again.
      setTimeout(() => { if (this.streams.get(server)?.signal === signal) { this.streams.delete(server); this.reconcile(); } }, this.deps.retryMs ?? 30_000).unref();
    }
  }

  private changed(server: string, libraries: string[]): void {
    for (const l of libraries) this.pending.add(`${server}|${l}`);
    if (!libraries.length) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.deps.delayMs ?? 10_000);
    this.timer.unref();
  }

  private flush(): void {
    this.timer = null;
    const due = new Set(this.pending);
    this.pending.clear();
    for (const s of this.deps.store.sources.list()) {
      const w = this.where(s);
      if (!w || (!due.has(`${w.server}|${w.library}`) && !due.has(`${w.server}|*`))) continue;
      try {
        this.deps.rescan(s.id);
        this.deps.events.log('info', `the server reported changes in "${s.name}": rescanning it`);
      } catch (err) {
        this.deps.events.log('debug', `the server reported changes in "${s.name}" but it cannot be rescanned now (${(err as Error).message}); the periodic rescan will`);
      }
    }
  }

  close(): void {
    this.closed = true;
    for (const ac of this.streams.values()) ac.abort();
    this.streams.clear();
    if (this.timer) clearTimeout(this.timer);
    if (this.reconciler) clearInterval(this.reconciler);
    this.timer = null;
    this.reconciler = null;
  }
}
