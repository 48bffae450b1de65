// Plex push notifications (optional; the periodic rescan stays the safety net): one server-sent
// event stream per Plex server (GET /:/eventsource/notifications?filters=timeline) while the daemon
// runs. Library timeline entries that are done (state 5) or deleted (state 9) name their section;
// a few seconds after the last one, each source of that section is rescanned (a targeted rescan).
// Streams follow the sources (checked every minute), reconnect after a failure, and all end on close().
import type { EventBus } from '../../events.js';
import type { Store } from '../../store/store.js';
import { connOf, serverConfig } from './config.js';
import { baseUrl } from './http.js';
import { plexHeaders } from './plex-api.js';

const DONE = 5;
const DELETED = 9;

interface TimelineEntry { identifier?: string; sectionID?: string | number; state?: number }

/** The library sections named by one SSE `data:` payload of Plex's notification stream. */
export function sectionsOf(data: string): string[] {
  let msg: { NotificationContainer?: { type?: string; TimelineEntry?: TimelineEntry[] } };
  try { msg = JSON.parse(data); } catch { return []; }
  const c = msg.NotificationContainer;
  if (c?.type !== 'timeline') return [];
  return (c.TimelineEntry ?? [])
    .filter((e) => e.identifier === 'com.plexapp.plugins.library' && (e.state === DONE || e.state === DELETED) && e.sectionID !== undefined && Number(e.sectionID) >= 0)
    .map((e) => String(e.sectionID));
}

export interface PlexPushDeps {
  store: Store;
  dataDir: string;
  events: EventBus;
  /** Starts a scan of the source (throws when one cannot start now). */
  rescan: (sourceId: number) => void;
  delayMs?: number;
  reconcileMs?: number;
  retryMs?: number;
}

export class PlexPush {
  private readonly streams = new Map<string, AbortController>();
  private readonly pending = new Set<string>(); // "url|section"
  private timer: NodeJS.Timeout | null = null;
  private reconciler: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly deps: PlexPushDeps) {}

  start(): void {
    this.reconcile();
    this.reconciler = setInterval(() => this.reconcile(), this.deps.reconcileMs ?? 60_000);
    this.reconciler.unref();
  }

  /** Plex sources by server URL (one stream per server, with the first source's token). */
  private servers(): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (const s of this.deps.store.sources.list()) {
      const c = s.kind === 'plex' ? serverConfig.safeParse(s.config) : null;
      if (c?.success) out.set(c.data.url, [...(out.get(c.data.url) ?? []), s.id]);
    }
    return out;
  }

  /** Opens streams for new servers, ends those of servers no source uses any more. */
  reconcile(): void {
    if (this.closed) return;
    const servers = this.servers();
    for (const [url, ac] of this.streams) if (!servers.has(url)) { ac.abort(); this.streams.delete(url); }
    for (const [url, ids] of servers) {
      if (this.streams.has(url)) continue;
      const ac = new AbortController();
      this.streams.set(url, ac);
      void this.follow(url, ids[0]!, ac.signal);
    }
  }

  private async follow(url: string, sourceId: number, signal: AbortSignal): Promise<void> {
    try {
      const conn = connOf(this.deps.dataDir, this.deps.store.sources.get(sourceId));
      const res = await fetch(`${baseUrl(url)}/:/eventsource/notifications?filters=timeline`, {
        headers: { ...plexHeaders({ clientId: conn.deviceId, token: conn.token }), Accept: 'text/event-stream' }, signal,
      });
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      this.deps.events.log('debug', `Plex ${conn.config.serverName}: following its library notifications`);
      let buf = '';
      for await (const chunk of res.body.pipeThrough(new TextDecoderStream())) {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).replace(/\r$/, '');
          buf = buf.slice(nl + 1);
          if (line.startsWith('data:')) for (const section of sectionsOf(line.slice(5).trim())) this.changed(url, section);
        }
      }
      throw new Error('the server ended the stream');
    } catch (err) {
      if (signal.aborted || this.closed) return;
      this.deps.events.log('debug', `Plex notifications from ${url} stopped (${(err as Error).message}); trying again later`);
      // Forget the stream: the next reconcile (or the retry) opens it again.
      setTimeout(() => { if (this.streams.get(url)?.signal === signal) { this.streams.delete(url); this.reconcile(); } }, this.deps.retryMs ?? 30_000).unref();
    }
  }

  private changed(url: string, section: string): void {
    this.pending.add(`${url}|${section}`);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.deps.delayMs ?? 10_000);
    this.timer.unref();
  }

  private flush(): void {
    this.timer = null;
    const due = new Set(this.pending);
    this.pending.clear();
    for (const s of this.deps.store.sources.list()) {
      const c = s.kind === 'plex' ? serverConfig.safeParse(s.config) : null;
      if (!c?.success || !due.has(`${c.data.url}|${c.data.libraryId}`)) continue;
      try {
        this.deps.rescan(s.id);
        this.deps.events.log('info', `Plex reported changes in "${s.name}": rescanning it`);
      } catch (err) {
        this.deps.events.log('debug', `Plex reported changes in "${s.name}" but it cannot be rescanned now (${(err as Error).message}); the periodic rescan will`);
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
