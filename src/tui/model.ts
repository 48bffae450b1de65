// The TUI's picture of the daemon, shared by the views: polled state (status, tuner identity,
// sessions), the bounded log ring and per-session bitrate history, updated by events in between.
import type { LogEvent } from '../engine/events.js';
import type { ApiClient, StreamedEvent } from '../client/api-client.js';
import type { ServerStatus } from '../schemas/status.js';
import type { SessionStats } from '../schemas/session.js';
import type { FeedState } from './feed.js';

/** A row of /api/sessions (the API's schema is the one definition). */
export type SessionRow = SessionStats;

export interface Discover { FriendlyName: string; DeviceID: string; TunerCount: number; BaseURL: string; LineupURL: string; ModelNumber?: string }

/** Calls fn every intervalMs (never two at once); kick() runs it soon; stop() ends it. */
export class Poller {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private again = false;
  private stopped = true;

  constructor(private readonly fn: () => Promise<void>, private intervalMs: number) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  setInterval(ms: number): void {
    if (ms === this.intervalMs) return;
    this.intervalMs = ms;
    if (!this.stopped && !this.running) this.kick();
  }

  /** Runs now (or right after the run in flight). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) { this.again = true; return; }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = true;
    this.fn().catch(() => {}).finally(() => {
      this.running = false;
      if (this.stopped) return;
      if (this.again) { this.again = false; this.kick(); return; }
      this.timer = setTimeout(() => this.kick(), this.intervalMs);
    });
  }
}

export interface LogLine extends LogEvent { seq: number }

/** Fixed-capacity log buffer: O(1) append, oldest lines fall off. */
export class LogRing {
  private readonly buf: LogLine[] = [];
  private start = 0;
  private seq = 0;
  constructor(readonly capacity = 2000) {}

  push(e: LogEvent): void {
    const line = { ...e, seq: ++this.seq };
    if (this.buf.length < this.capacity) this.buf.push(line);
    else {
      this.buf[this.start] = line;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  get size(): number { return this.buf.length; }
  /** Bumps on every append: a cheap "changed?" check for renderers. */
  get version(): number { return this.seq; }

  /**
   * The newest `n` lines (oldest first) with seq ≤ `upTo`, optionally filtered, and how many
   * matching lines are newer than `upTo`: a window without copying the whole ring.
   */
  tail(n: number, upTo = Infinity, filter?: (l: LogLine) => boolean): { lines: LogLine[]; newer: number } {
    const out: LogLine[] = [];
    let newer = 0;
    for (let i = this.buf.length - 1; i >= 0 && out.length < n; i--) {
      const l = this.buf[(this.start + i) % this.buf.length]!;
      if (filter && !filter(l)) continue;
      if (l.seq > upTo) newer++;
      else out.push(l);
    }
    return { lines: out.reverse(), newer };
  }

  /** Lines oldest first, optionally filtered. */
  lines(filter?: (l: LogLine) => boolean): LogLine[] {
    const out: LogLine[] = [];
    for (let i = 0; i < this.buf.length; i++) {
      const l = this.buf[(this.start + i) % this.buf.length]!;
      if (!filter || filter(l)) out.push(l);
    }
    return out;
  }
}

const HISTORY = 120;
/** Session re-sync poll while events stream live. */
const LIVE_RESYNC_MS = 10_000;

export type ApiState = 'ok' | 'down';

export class Model {
  status: ServerStatus | null = null;
  /** Local time the status was read: uptime counts on from there between polls. */
  statusAt = 0;
  discover: Discover | null = null;
  sessions: SessionRow[] = [];
  sessionsAt = 0;
  readonly kbpsHistory = new Map<number, number[]>();
  readonly logs = new LogRing(2000);
  feed: FeedState = 'connecting';
  api: ApiState = 'ok';
  apiError = '';
  /** Bumps when sessions change (poll or event). */
  sessionsVersion = 0;

  private readonly listeners = new Set<() => void>();
  private readonly sessionPoller: Poller;
  private readonly statusPoller: Poller;

  constructor(private readonly client: ApiClient) {
    this.sessionPoller = new Poller(() => this.loadSessions(), 5000);
    this.statusPoller = new Poller(() => this.loadStatus(), 10_000);
  }

  /** Called after anything changed (the app renders soon). */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }

  start(): void {
    this.sessionPoller.start();
    this.statusPoller.start();
  }

  stop(): void {
    this.sessionPoller.stop();
    this.statusPoller.stop();
  }

  private sessionRate = 5000;
  /**
   * How often sessions are polled: 1 Hz while the dashboard shows them, else every 5 s (the
   * header's tuner count). While the event stream is live, events carry every change (bitrate,
   * viewers, now playing, restarts, errors, start/stop), so a poll every 10 s only re-syncs.
   */
  setSessionRate(ms: number): void {
    this.sessionRate = ms;
    this.sessionPoller.setInterval(this.feed === 'live' ? Math.max(ms, LIVE_RESYNC_MS) : ms);
  }

  setFeed(state: FeedState): void {
    if (state === this.feed) return;
    this.feed = state;
    this.setSessionRate(this.sessionRate);
    if (state === 'live') this.sessionPoller.kick();
    this.changed();
  }
  refreshSessions(): void { this.sessionPoller.kick(); }
  refreshStatus(): void { this.statusPoller.kick(); }

  /** Runs an API call, tracking whether the daemon answers. */
  async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      const r = await fn();
      if (this.api !== 'ok') { this.api = 'ok'; this.apiError = ''; this.changed(); }
      return r;
    } catch (err) {
      const e = err as { status?: number; message?: string };
      if (e.status === 0 && this.api !== 'down') { this.api = 'down'; this.apiError = e.message ?? String(err); this.changed(); }
      throw err;
    }
  }

  async loadStatus(): Promise<void> {
    const [status, discover] = await Promise.all([
      this.call(() => this.client.status()),
      this.call(() => this.client.request<Discover>('GET', '/discover.json')).catch(() => this.discover),
    ]);
    this.status = status;
    this.statusAt = Date.now();
    this.discover = discover;
    this.changed();
  }

  async loadSessions(): Promise<void> {
    const rows = (await this.call(() => this.client.request<SessionRow[]>('GET', '/api/sessions'))).sort(byChannelNumber);
    const now = Date.now();
    // Without bitrate events (an older daemon, a dropped stream), the polls feed the sparklines.
    if (now - this.lastBitrateEvent > 2500) for (const r of rows) this.pushKbps(r.channelId, r.bitrateKbps);
    const live = new Set(rows.map((r) => r.channelId));
    for (const id of this.kbpsHistory.keys()) if (!live.has(id)) this.kbpsHistory.delete(id);
    this.sessions = rows;
    this.sessionsAt = now;
    this.sessionsVersion++;
    this.changed();
  }

  private lastBitrateEvent = 0;

  private pushKbps(channelId: number, kbps: number): void {
    let h = this.kbpsHistory.get(channelId);
    if (!h) this.kbpsHistory.set(channelId, (h = []));
    h.push(kbps);
    if (h.length > HISTORY) h.splice(0, h.length - HISTORY);
  }

  /** Tuners held now: sessions with an MPEG-TS viewer or an active HLS player (the daemon's rule). */
  tunersInUse(): number {
    return this.sessions.filter((s) => s.viewers > 0 || s.hlsActive).length;
  }

  uptimeS(): number | null {
    return this.status ? this.status.uptimeS + Math.floor((Date.now() - this.statusAt) / 1000) : null;
  }

  onEvent(e: StreamedEvent): void {
    const d = e.data as Record<string, unknown>;
    switch (e.event) {
      case 'log':
        this.logs.push(d as unknown as LogEvent);
        this.changed();
        return;
      case 'session.bitrate': {
        this.lastBitrateEvent = Date.now();
        const id = d.channelId as number;
        this.pushKbps(id, d.kbps as number);
        const row = this.sessions.find((s) => s.channelId === id);
        if (row) { row.bitrateKbps = d.kbps as number; row.viewers = d.viewers as number; this.sessionsVersion++; }
        else this.sessionPoller.kick();
        this.changed();
        return;
      }
      case 'viewer.joined':
      case 'viewer.left': {
        const row = this.sessions.find((s) => s.channelId === d.channelId);
        if (row) { row.viewers = d.viewers as number; this.sessionsVersion++; this.changed(); }
        this.sessionPoller.kick();
        return;
      }
      case 'session.error': {
        const row = this.sessions.find((s) => s.channelId === d.channelId);
        if (row) { row.lastError = d.message as string; this.sessionsVersion++; this.changed(); }
        return;
      }
      case 'session.restart': {
        const row = this.sessions.find((s) => s.channelId === d.channelId);
        if (row) { row.restarts = d.restarts as number; this.sessionsVersion++; this.changed(); }
        return;
      }
      case 'item.changed': {
        const row = this.sessions.find((s) => s.channelId === d.channelId);
        if (row) { row.nowPlaying = d.title as string; this.sessionsVersion++; this.changed(); }
        return;
      }
      case 'session.started':
      case 'session.stopped':
        this.sessionPoller.kick();
        return;
      case 'scan.finished':
        this.statusPoller.kick();
        return;
      default:
    }
  }
}

/** 2 < 2.1 < 10 (major, then minor). */
export function byChannelNumber(a: { number: string }, b: { number: string }): number {
  const [am = 0, an = 0] = a.number.split('.').map(Number);
  const [bm = 0, bn = 0] = b.number.split('.').map(Number);
  return am - bm || an - bn;
}
