// Owns the live channel sessions: one per channel however many viewers, started on first tune,
// stopped a while after the last viewer (MPEG-TS connections and HLS requests both count). Idle
// sessions yield: while another channel is watched, a session nobody watches stops at once (its
// encoder would take the CPU the watched one needs; a re-tune is a cold start, ≤ 0.5 s).
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { Channel } from '../../schemas/channel.js';
import { AppError } from '../errors.js';
import type { EventBus } from '../events.js';
import { killAll } from '../ffmpeg/process.js';
import type { HwKind } from '../../schemas/encoders.js';
import { DEFAULT_PROFILE, type OutputProfile } from '../ffmpeg/profile.js';
import type { Store } from '../store/store.js';
import type { TimelineService } from '../timeline/service.js';
import { LiveHealth } from './live-health.js';
import { Planner } from './planner.js';
import { ResolverRegistry } from './resolvers.js';
import { ChannelSession, type SessionOptions } from './session.js';
import type { Viewer } from './viewer.js';
import type { SessionStats } from '../../schemas/session.js';
import { SlateCache } from './slate.js';
import { StandbyPrep, type StandbyTarget } from './standby.js';

export interface StreamConfig {
  ffmpegPath: string;
  dataDir: string;
  /** Seconds a session lives on after its last viewer. */
  idleS: number;
  /** Stop a session nobody watches at once while another channel is watched (default true). */
  idleYield?: boolean;
  session?: Partial<SessionOptions>;
  /** Output profile of channels when no encoder resolver is given (default: 720p software). */
  profile?: OutputProfile;
  /** Per-channel encoder profiles and hardware (the engine passes its profile service). */
  encoders?: EncoderResolver;
  /** How locators become inputs (default: file and url only). */
  resolvers?: ResolverRegistry;
  /** Render every channel's stand-by slate in the background after start and after changes (default true). */
  slatesAhead?: boolean;
}

/** One MPEG-TS viewer of a channel, for whoever serves it (the HTTP route): leave() when its connection ends. */
export interface ViewerHandle {
  session: ChannelSession;
  viewer: Viewer;
  /** Removes the viewer (idempotent) and lets the session idle out when it was the last. */
  leave(): void;
}

/** Why a tune is refused: the database is being restored (held), or every tuner is busy. */
export type Refusal = { reason: 'held' | 'busy'; message: string };

/** HLS requests this recent count as someone watching (players poll every segment, 2 s). */
const HLS_WATCHING_MS = 10_000;
/** A session this young counts as watched (its first viewer is on the way). */
const START_GRACE_MS = 5_000;

/** Quiet time before stand-by slates are rendered ahead (after start, after a batch of changes). */
const SLATES_AHEAD_DELAY_MS = 3000;

/** A key of what a session's output depends on: a change restarts the session. */
const profileKey = (p: OutputProfile): string => JSON.stringify(p);

/** Which profile a channel streams with, and which hardware encodes that profile now. */
export interface EncoderResolver {
  /** The channel's profile, fixed for the life of its session (note: why it is not the one asked for). */
  profileFor(channel: Channel): { profile: OutputProfile; note: string | null };
  /** The kind to encode this profile with now: asked per piece, so health changes apply at once. */
  kindFor(profile: OutputProfile): { kind: HwKind; note: string | null; vaapiDevice?: string };
  failed(kind: HwKind, reason: string): void;
  succeeded(kind: HwKind): void;
}

export class SessionManager {
  /** How live (IPTV) streams fared when they last aired (per item; /api/sources, /api/sessions). */
  readonly liveHealth = new LiveHealth();
  private readonly sessions = new Map<number, ChannelSession>();
  private readonly idleTimers = new Map<number, NodeJS.Timeout>();
  /** Slates per output profile (rendered once each, in software). */
  private readonly slates = new Map<string, SlateCache>();
  /** The profile each live session started with (another one, or an edited one, restarts it). */
  private readonly profileKeys = new Map<number, string>();
  private readonly unsubscribe: () => void;
  private readonly profile: OutputProfile;
  /** How locators become inputs: sources register their resolvers here. */
  readonly resolvers: ResolverRegistry;
  private statsTimer: NodeJS.Timeout | null = null;
  private graceTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Why new sessions are refused now (a database restore runs), or null. */
  private holdReason: string | null = null;
  /** Renders stand-by slates ahead of the first tunes. */
  readonly standby: StandbyPrep;
  private offStandby: (() => void)[] = [];

  constructor(private readonly store: Store, private readonly timeline: TimelineService, private readonly events: EventBus, private readonly cfg: StreamConfig) {
    this.profile = cfg.profile ?? DEFAULT_PROFILE;
    this.resolvers = cfg.resolvers ?? new ResolverRegistry();
    // A profile edited or a channel given another one: sessions whose output changes restart.
    this.unsubscribe = events.on('encoding.changed', () => this.applyProfileChanges());
    this.standby = new StandbyPrep(() => this.standbyTargets(), events, SLATES_AHEAD_DELAY_MS);
  }

  /** Every enabled channel with the slate cache of the profile it would stream with now. */
  private standbyTargets(): StandbyTarget[] {
    return this.store.channels.list().filter((c) => c.enabled).map((c) => ({
      number: c.number, name: c.name, slates: this.slatesFor(this.cfg.encoders ? this.cfg.encoders.profileFor(c).profile : this.profile),
    }));
  }

  private slatesFor(p: OutputProfile): SlateCache {
    const key = JSON.stringify([p.width, p.height, p.fps, p.gopSeconds, p.codec ?? 'h264', p.videoBitrateK, p.audioCodec ?? 'aac', p.audioBitrateK, p.audioRate, p.audioChannels]);
    let c = this.slates.get(key);
    if (!c) this.slates.set(key, c = new SlateCache(this.cfg.ffmpegPath, join(this.cfg.dataDir, 'cache', 'slates'), p));
    return c;
  }

  /** Starts always-on channels and the once-a-second bitrate events. */
  start(): void {
    for (const c of this.store.channels.list()) if (c.enabled && c.stream.alwaysOn) this.acquire(c);
    if (this.cfg.slatesAhead !== false) {
      // New channels, renames, other profiles: each may need a slate that is not rendered yet.
      const again = () => this.standby.schedule();
      this.offStandby = [this.events.on('timeline.changed', again), this.events.on('encoding.changed', again)];
      this.standby.schedule();
    }
    this.statsTimer = setInterval(() => {
      // HLS viewers leave without a word: their sessions yield once the requests stop.
      this.yieldIdle();
      for (const s of this.sessions.values()) {
        const st = s.stats();
        this.events.emit('session.bitrate', { channelId: st.channelId, number: st.number, kbps: st.bitrateKbps, viewers: st.viewers });
      }
    }, 1000);
    this.statsTimer.unref();
  }

  get(channelId: number): ChannelSession | undefined {
    const s = this.sessions.get(channelId);
    return s && !s.isStopped ? s : undefined;
  }

  /** Channels that hold a tuner now: a live session with an MPEG-TS viewer or recent HLS requests. */
  tunersInUse(): number[] {
    return [...this.sessions.values()].filter((s) => !s.isStopped && (s.viewerCount > 0 || s.stats().hlsActive)).map((s) => s.stats().channelId);
  }

  /** Viewers of one channel share a tuner; a new channel needs a free one. */
  canTune(channelId: number, tunerCount: number): boolean {
    const inUse = this.tunersInUse();
    return inUse.includes(channelId) || inUse.length < tunerCount;
  }

  /** May this channel be tuned now? null, or why not (the one admission rule of every tuning route). */
  admission(channelId: number, tunerCount: number): Refusal | null {
    if (this.holdReason) return { reason: 'held', message: this.holdReason };
    if (!this.canTune(channelId, tunerCount)) return { reason: 'busy', message: `all ${tunerCount} tuners are in use` };
    return null;
  }

  /** Refuses new sessions (acquire() throws a 503 with `reason`) until unhold(); live ones go on (stop them apart). */
  hold(reason: string): void { this.holdReason = reason; }
  unhold(): void { this.holdReason = null; }
  /** Why new sessions are refused now, or null. */
  get held(): string | null { return this.holdReason; }

  /** The channel's live session, started if needed. */
  acquire(channel: Channel): ChannelSession {
    if (this.closed) throw new Error('shutting down');
    if (this.holdReason) throw new AppError(503, this.holdReason);
    this.cancelIdle(channel.id);
    const live = this.get(channel.id);
    if (live) return live;
    if (!this.timeline.resumeOnDemand(channel.id)) this.timeline.extend(channel.id);
    const planner = new Planner(this.store, this.timeline, channel.id, channel.name);
    const enc = this.cfg.encoders;
    const chosen = enc ? enc.profileFor(channel) : { profile: this.profile, note: null };
    const profile = chosen.profile;
    const note = chosen.note ?? enc?.kindFor(profile).note;
    if (note) this.events.log('warn', note, channel.number);
    const session = new ChannelSession({
      channelId: channel.id, number: channel.number, name: channel.name, ffmpegPath: this.cfg.ffmpegPath, profile,
      slates: this.slatesFor(profile), plan: (t) => planner.at(t), events: this.events, ...(this.cfg.session ? { options: this.cfg.session } : {}),
      liveHealth: this.liveHealth,
      resolvers: this.resolvers, cacheDir: join(this.cfg.dataDir, 'cache', 'subtitles'), mode: profile.mode ?? 'transcode',
      ...(enc ? { encoder: () => enc.kindFor(profile), hw: { failed: (k: HwKind, r: string) => enc.failed(k, r), succeeded: (k: HwKind) => enc.succeeded(k) } } : {}),
    });
    this.sessions.set(channel.id, session);
    this.profileKeys.set(channel.id, profileKey(profile));
    this.events.log('info', `session started`, channel.number);
    if (!channel.stream.alwaysOn) this.scheduleIdle(channel.id);
    return session;
  }

  /**
   * A new MPEG-TS viewer of the channel writing to `out` (PAT+PMT+latest GOP first, live packets
   * after); the session starts if needed. The caller owns the connection and calls leave() when it ends.
   */
  watch(channel: Channel, out: Writable, label: string): ViewerHandle {
    const session = this.acquire(channel);
    const viewer = session.addViewer(out, label);
    this.yieldIdle();
    let left = false;
    return {
      session, viewer,
      leave: () => {
        if (left) return;
        left = true;
        session.removeViewer(viewer);
        this.release(channel.id);
      },
    };
  }

  /** Call when a viewer leaves or an HLS request is served: re-arms the idle timer. */
  release(channelId: number): void {
    const s = this.get(channelId);
    if (!s) return;
    const ch = this.store.channels.find(channelId);
    if (ch?.stream.alwaysOn) return;
    this.scheduleIdle(channelId);
    this.yieldIdle();
  }

  touchHls(channelId: number): void {
    const s = this.get(channelId);
    if (!s) return;
    s.lastHlsRequest = Date.now();
    this.scheduleIdle(channelId);
    this.yieldIdle();
  }

  /**
   * Waits (up to 15 s) until the channel's HLS has `n` segments. A playlist request waiting here is
   * a viewer: it keeps the session from idling out (with a short streamIdleS, a session slower than
   * real time was stopped under the waiting request, which then got a 503 and started it again).
   */
  async waitHls(channelId: number, session: ChannelSession, n = 2): Promise<boolean> {
    this.touchHls(channelId);
    const keep = setInterval(() => this.touchHls(channelId), 1000);
    keep.unref();
    try {
      return await session.hlsReady(n);
    } finally {
      clearInterval(keep);
      this.touchHls(channelId);
    }
  }

  /** Someone watches it now: an MPEG-TS viewer, HLS requests within HLS_WATCHING_MS, or it has just started. */
  private watched(s: ChannelSession): boolean {
    const now = Date.now();
    return s.viewerCount > 0 || now - s.lastHlsRequest < HLS_WATCHING_MS || now - s.startedAt < START_GRACE_MS;
  }

  /** Looks again when the youngest session spared by its start grace comes out of it (flips faster than the grace). */
  private yieldAgainAfterGrace(live: ChannelSession[]): void {
    const young = live.filter((s) => s.viewerCount === 0 && Date.now() - s.startedAt < START_GRACE_MS);
    if (!young.length || this.graceTimer) return;
    const wait = Math.max(...young.map((s) => s.startedAt)) + START_GRACE_MS - Date.now() + 50;
    this.graceTimer = setTimeout(() => { this.graceTimer = null; this.yieldIdle(); }, wait);
    this.graceTimer.unref();
  }

  /**
   * Idle sessions yield: when any channel is watched, every session nobody watches (always-on
   * channels excepted) stops now instead of encoding on for idleS. Five sessions just left starved
   * a watched one on a 2-core box; with nothing watched they stay for a quick re-tune.
   */
  private yieldIdle(): void {
    if (this.cfg.idleYield === false || this.closed) return;
    const live = [...this.sessions.entries()].filter(([, s]) => !s.isStopped);
    if (!live.some(([, s]) => this.watched(s))) return;
    for (const [id, s] of live) {
      if (this.watched(s) || this.store.channels.find(id)?.stream.alwaysOn) continue;
      void this.stopSession(id, 'idle: another channel is being watched');
    }
    this.yieldAgainAfterGrace(live.map(([, s]) => s));
  }

  private scheduleIdle(channelId: number): void {
    this.cancelIdle(channelId);
    const t = setTimeout(() => {
      this.idleTimers.delete(channelId);
      const s = this.get(channelId);
      if (!s) return;
      const hlsIdleMs = Date.now() - s.lastHlsRequest;
      if (s.viewerCount > 0 || hlsIdleMs < this.cfg.idleS * 1000) {
        if (s.viewerCount === 0) this.scheduleIdle(channelId);
        return;
      }
      void this.stopSession(channelId, 'idle');
    }, this.cfg.idleS * 1000);
    t.unref();
    this.idleTimers.set(channelId, t);
  }

  private cancelIdle(channelId: number): void {
    const t = this.idleTimers.get(channelId);
    if (t) clearTimeout(t);
    this.idleTimers.delete(channelId);
  }

  async stopSession(channelId: number, why: string): Promise<void> {
    const s = this.sessions.get(channelId);
    if (!s) return;
    this.sessions.delete(channelId);
    this.profileKeys.delete(channelId);
    this.cancelIdle(channelId);
    try {
      this.timeline.pauseOnDemand(channelId);
    } catch (err) {
      this.events.log('warn', `could not remember the on-demand position: ${(err as Error).message}`, s.stats().number);
    }
    await s.stop();
    this.events.log('info', `session stopped (${why})`, s.stats().number);
  }

  /**
   * A channel given another encoder profile (or whose profile was edited: size, codec…) restarts
   * its session so it takes effect; picture settings (watermark, subtitles, audio) apply from the
   * next item anyway.
   */
  private applyProfileChanges(): void {
    const enc = this.cfg.encoders;
    if (!enc) return;
    for (const [id, started] of this.profileKeys) {
      if (!this.get(id)) continue;
      const ch = this.store.channels.find(id);
      if (!ch) continue;
      const now = profileKey(enc.profileFor(ch).profile);
      if (now === started) continue;
      this.profileKeys.set(id, now);
      this.events.log('info', `encoder profile ${ch.stream.profile ?? '(default)'} changed: restarting the session`, ch.number);
      void this.stopSession(id, 'encoder profile changed').then(() => {
        if (!this.closed && !this.holdReason && ch.enabled && ch.stream.alwaysOn) this.acquire(ch);
      }).catch((err) => this.events.log('error', `restarting the session failed: ${(err as Error).message}`, ch.number));
    }
  }

  stats(): SessionStats[] {
    return [...this.sessions.values()].filter((s) => !s.isStopped).map((s) => s.stats());
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.statsTimer) clearInterval(this.statsTimer);
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.unsubscribe();
    this.standby.stop();
    for (const off of this.offStandby) off();
    await Promise.all([...this.sessions.keys()].map((id) => this.stopSession(id, 'shutdown')));
    await killAll();
    await this.standby.idle();
  }
}
