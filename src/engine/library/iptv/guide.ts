// The guide of IPTV live channels: the provider's XMLTV (the source's configured guide, else the
// playlist's x-tvg-url) matched by tvg-id, cached per source and refreshed when stale (every 6 h
// by default, sooner when a new live channel wants a tvg-id the cache lacks). Where it has no
// programme — no guide, a failed fetch, a gap — the channel gets hour blocks (local clock hours)
// titled with its name. A failing guide is logged and the last good copy kept: it never breaks
// the guide of the box.
import type { Channel } from '../../../schemas/channel.js';
import type { EventBus } from '../../events.js';
import type { Store } from '../../store/store.js';
import type { IptvConfig } from './import.js';
import { readXmltv, type LiveProgramme } from './xmltv-read.js';

export const GUIDE_REFRESH_MS = 6 * 3_600_000;
const FETCH_TIMEOUT_MS = 60_000;
const DAY_MS = 86_400_000;

interface Cached { location: string; at: number; wanted: Set<string>; programmes: Map<string, LiveProgramme[]>; error: string | null }

/** The live item a channel airs, when it is a live channel (one live IPTV item, the simple schedule). */
export interface LiveChannelItem { itemId: number; sourceId: number; tvgId: string | null }

export interface IptvGuideOptions { refreshMs?: number; days?: number; now?: () => number }

export class IptvGuide {
  private readonly cache = new Map<number, Cached>();
  private readonly running = new Map<number, Promise<void>>();
  private readonly refreshMs: number;
  private readonly now: () => number;

  constructor(private readonly store: Store, private readonly events: EventBus, private readonly opts: IptvGuideOptions = {}) {
    this.refreshMs = opts.refreshMs ?? GUIDE_REFRESH_MS;
    this.now = opts.now ?? Date.now;
  }

  /** The live item of a live channel, or null for any other channel. */
  liveItem(c: Channel): LiveChannelItem | null {
    if (c.customSchedule || c.content.length !== 1 || c.content[0]!.type !== 'item') return null;
    const r = this.store.db.prepare(`SELECT i.source_id, i.external_ids, i.locator FROM media_items i JOIN media_sources s ON s.id = i.source_id
      WHERE i.id = ? AND s.kind = 'iptv'`).get(c.content[0]!.id) as { source_id: number; external_ids: string; locator: string } | undefined;
    if (!r) return null;
    const locator = JSON.parse(r.locator) as { type: string; live?: boolean };
    if (locator.type !== 'url' || !locator.live) return null;
    const ids = JSON.parse(r.external_ids || '{}') as Record<string, string>;
    return { itemId: c.content[0]!.id, sourceId: r.source_id, tvgId: ids.tvgId ?? null };
  }

  /** Where a source's guide is: the configured one, else the playlist's x-tvg-url. */
  private location(sourceId: number): string | null {
    const cfg = this.store.sources.get(sourceId).config as unknown as IptvConfig;
    return cfg.guide ?? cfg.tvgUrl ?? null;
  }

  /** tvg-ids of the enabled live channels, per source. */
  private wantedBySource(): Map<number, Set<string>> {
    const out = new Map<number, Set<string>>();
    for (const c of this.store.channels.list()) {
      const live = c.enabled ? this.liveItem(c) : null;
      if (!live?.tvgId) continue;
      if (!out.has(live.sourceId)) out.set(live.sourceId, new Set());
      out.get(live.sourceId)!.add(live.tvgId);
    }
    return out;
  }

  private stale(sourceId: number, wanted: ReadonlySet<string>): boolean {
    const c = this.cache.get(sourceId);
    const loc = this.location(sourceId);
    if (!loc) return false;
    return !c || c.location !== loc || this.now() - c.at >= this.refreshMs || [...wanted].some((id) => !c.wanted.has(id));
  }

  /** Fetches one source's guide now (one at a time per source); a failure keeps the last good copy. */
  refresh(sourceId: number, wanted: Set<string>): Promise<void> {
    const busy = this.running.get(sourceId);
    if (busy) return busy;
    const run = this.fetch(sourceId, wanted).finally(() => this.running.delete(sourceId));
    this.running.set(sourceId, run);
    return run;
  }

  private async fetch(sourceId: number, wanted: Set<string>): Promise<void> {
    const location = this.location(sourceId);
    if (!location) return;
    const now = this.now();
    const old = this.cache.get(sourceId);
    try {
      const programmes = await readXmltv(location, { wanted, from: now - DAY_MS, to: now + (this.opts.days ?? 8) * DAY_MS, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      this.cache.set(sourceId, { location, at: now, wanted, programmes, error: null });
      this.events.log('info', `IPTV guide of source ${sourceId}: ${[...programmes.values()].reduce((n, l) => n + l.length, 0)} programmes for ${programmes.size} of ${wanted.size} channels`);
    } catch (err) {
      const error = (err as Error).message;
      // The last good copy stays; retried at the next refresh.
      this.cache.set(sourceId, { location, at: now, wanted, programmes: old?.location === location ? old.programmes : new Map(), error });
      this.events.log('warn', `IPTV guide of source ${sourceId} could not be read (${error}); ${old ? 'keeping the last copy' : 'hour blocks until it can'}`);
    }
  }

  /** Refreshes every stale guide; waits at most `waitMs` (the rest goes on in the background). */
  async refreshStale(waitMs = 10_000): Promise<void> {
    const jobs: Promise<void>[] = [];
    for (const [sourceId, wanted] of this.wantedBySource()) if (this.stale(sourceId, wanted)) jobs.push(this.refresh(sourceId, wanted));
    if (!jobs.length) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(jobs), new Promise<void>((r) => { timer = setTimeout(r, waitMs); timer.unref(); })]);
    clearTimeout(timer);
  }

  /** The last error reading a source's guide, or null. */
  error(sourceId: number): string | null { return this.cache.get(sourceId)?.error ?? null; }

  /** Guide programmes of a live channel over [from, to): the provider's, gaps as hour blocks; null when not a live channel. */
  blocks(c: Channel, from: number, to: number): LiveProgramme[] | null {
    const live = this.liveItem(c);
    if (!live) return null;
    const known = live.tvgId ? this.cache.get(live.sourceId)?.programmes.get(live.tvgId) ?? [] : [];
    return fillWithHours(known.filter((p) => p.stopMs > from && p.startMs < to), from, to, c.name);
  }
}

/** The next local clock hour after t (the machine's time zone; DST and half-hour zones included). */
export function nextLocalHour(t: number): number {
  const d = new Date(t + 60_000);
  d.setMinutes(0, 0, 0);
  const h = d.getTime();
  return h > t ? h : nextLocalHour(h + 3_600_000 - 60_000);
}

/** Programmes with every gap in [from, to) filled by blocks ending on local clock hours, titled `name`. */
export function fillWithHours(programmes: readonly LiveProgramme[], from: number, to: number, name: string): LiveProgramme[] {
  const out: LiveProgramme[] = [];
  const hours = (a: number, b: number) => {
    for (let t = a; t < b;) {
      const end = Math.min(nextLocalHour(t), b);
      out.push({ startMs: t, stopMs: end, title: name, subTitle: null, desc: `Live: ${name}.`, categories: [], icon: null, episodeNum: null });
      t = end;
    }
  };
  const first = new Date(from);
  first.setMinutes(0, 0, 0);
  let t = first.getTime();
  for (const p of programmes) {
    if (p.startMs > t) hours(t, p.startMs);
    const start = Math.max(p.startMs, t);
    if (p.stopMs > start) out.push({ ...p, startMs: start });
    t = Math.max(t, p.stopMs);
  }
  if (t < to) hours(t, to);
  return out;
}
