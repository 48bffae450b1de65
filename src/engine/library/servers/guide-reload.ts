// Plex guide reload (opt-in per Plex source, best-effort, never fatal): when our timelines (and so
// the XMLTV guide) change, a while later each opted-in Plex server is asked for its DVRs
// (GET /livetv/dvrs, looked up every time: keys change when a DVR is set up again) and every DVR
// with this box's tuner among its devices reloads its guide (POST /livetv/dvrs/{key}/reloadGuide).
import { z } from 'zod';
import type { EventBus } from '../../events.js';
import type { Store } from '../../store/store.js';
import { connOf, serverConfig } from './config.js';
import { baseUrl, DEFAULT_SERVER_TIMEOUT_MS, ServerError } from './http.js';
import { mc, plexCall, plexHeaders, type PlexConn } from './plex-api.js';

const dvrs = mc({
  Dvr: z.array(z.object({ key: z.string(), lineup: z.string().nullish(), Device: z.array(z.object({ uuid: z.string().nullish(), uri: z.string().nullish() })).default([]) })).default([]),
});

/** The DVRs of a Plex server that use the tuner with this DeviceID; each asked to reload its guide. Returns their keys. */
export async function reloadPlexGuide(c: PlexConn, deviceId: string): Promise<string[]> {
  const list = (await plexCall(c, '/livetv/dvrs', dvrs)).MediaContainer.Dvr;
  const ours = list.filter((d) => d.Device.some((x) => x.uuid?.toUpperCase().endsWith(`/${deviceId.toUpperCase()}`)));
  for (const d of ours) {
    const url = `${baseUrl(c.url)}/livetv/dvrs/${encodeURIComponent(d.key)}/reloadGuide`;
    const res = await fetch(url, { method: 'POST', headers: plexHeaders(c), signal: AbortSignal.timeout(c.timeoutMs ?? DEFAULT_SERVER_TIMEOUT_MS) })
      .catch((err: Error) => { throw new ServerError(`cannot reach Plex at ${c.url}: ${err.message}`, 'url'); });
    await res.arrayBuffer();
    if (!res.ok) throw new ServerError(`Plex at ${c.url} refused to reload the guide of DVR ${d.key} (HTTP ${res.status})`, res.status === 401 ? 'token' : 'url');
  }
  return ours.map((d) => d.key);
}

export interface GuideReloaderDeps { store: Store; dataDir: string; events: EventBus; deviceId: () => string; delayMs?: number }

/** Reloads opted-in Plex servers' guides a while after timelines changed (changes in between coalesce). */
export class PlexGuideReloader {
  private timer: NodeJS.Timeout | null = null;
  private off: (() => void) | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly deps: GuideReloaderDeps) {}

  start(): void {
    this.off ??= this.deps.events.on('timeline.changed', () => this.schedule());
  }

  private schedule(): void {
    if (this.timer || !this.optedIn().length) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.running.then(() => this.reloadAll());
    }, this.deps.delayMs ?? 60_000);
    this.timer.unref();
  }

  /** Opted-in Plex sources, one per server URL. */
  private optedIn() {
    const byUrl = new Map<string, ReturnType<Store['sources']['list']>[number]>();
    for (const s of this.deps.store.sources.list()) {
      if (s.kind !== 'plex') continue;
      const c = serverConfig.safeParse(s.config);
      if (c.success && c.data.guideReload && !byUrl.has(c.data.url)) byUrl.set(c.data.url, s);
    }
    return [...byUrl.values()];
  }

  /** One pass over the opted-in servers; failures are logged, never thrown. */
  async reloadAll(): Promise<void> {
    const { events } = this.deps;
    for (const source of this.optedIn()) {
      try {
        const conn = connOf(this.deps.dataDir, source);
        const keys = await reloadPlexGuide({ url: conn.url, clientId: conn.deviceId, token: conn.token }, this.deps.deviceId());
        events.log(keys.length ? 'info' : 'debug', keys.length ? `Plex ${conn.config.serverName}: guide reloaded (DVR ${keys.join(', ')})` : `Plex ${conn.config.serverName}: no DVR uses this tuner; no guide to reload`);
      } catch (err) {
        events.log('warn', `Plex guide reload for "${source.name}" failed (the guide refreshes on Plex's own schedule): ${(err as Error).message}`);
      }
    }
  }

  async close(): Promise<void> {
    this.off?.();
    this.off = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
