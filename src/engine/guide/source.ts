// The guide's edge: reads channels, timeline rows and item details from the store for the pure
// renderers in ./xmltv.ts and ./m3u.ts, and turns the XMLTV pieces into a stream that leaves the
// event loop free for live channel streams while a large guide renders.
import { Readable } from 'node:stream';
import type { Channel } from '../../schemas/channel.js';
import type { Store } from '../store/store.js';
import type { TimelineService } from '../timeline/service.js';
import { publicLogo } from './logos.js';
import { xmltvChunks, type GuideChannel, type GuideSource } from './xmltv.js';
import type { LiveProgramme } from '../library/iptv/xmltv-read.js';

/** With `baseUrl`, a file-path logo becomes the URL this box serves it at (else only http(s) logos show). */
const toGuideChannel = (c: Channel, baseUrl?: string): GuideChannel => ({ id: c.id, number: c.number, name: c.name, logo: baseUrl ? publicLogo(c, baseUrl) : c.logo });

/** The live (IPTV) channels' guide: programmes of a channel, or null when it is not a live channel. */
export interface LiveGuide { blocks(c: Channel, from: number, to: number): readonly LiveProgramme[] | null }

/** A GuideSource over the store: the given channels (default: every enabled one, in number order). */
export function storeGuideSource(store: Store, channels?: readonly Channel[], liveGuide?: LiveGuide, baseUrl?: string): GuideSource {
  const all = channels ?? store.channels.list().filter((c) => c.enabled);
  const byId = new Map(all.map((c) => [c.id, c]));
  const list = all.map((c) => toGuideChannel(c, baseUrl));
  return {
    channels: () => list,
    rows: (channelId, from, to) => store.timeline.guideRange(channelId, from, to),
    items: (ids) => store.items.guideDetails(ids),
    ...(liveGuide ? { live: (channelId: number, from: number, to: number) => liveGuide.blocks(byId.get(channelId)!, from, to) } : {}),
  };
}

/** How far short of now + timelineDays a timeline may end before a guide request extends it. */
export const EXTEND_SLACK_MS = 3_600_000;

/**
 * Makes sure every channel's timeline is materialised through now + the configured days, give or
 * take `slackMs`: the daemon's 15-minute job keeps timelines within that, so a guide request only
 * pays for extension (≈ 1 ms per channel) when no job ran (CLI in-process, long downtime).
 * Returns the number of channels extended.
 */
export function extendTimelines(deps: GuideStreamDeps, channels: readonly Channel[], now = Date.now(), slackMs = EXTEND_SLACK_MS): number {
  const ends = deps.store.timeline.lastEnds();
  const need = now + deps.timeline.horizonMs - slackMs;
  let extended = 0;
  for (const c of channels) {
    if ((ends.get(c.id) ?? -Infinity) >= need) continue;
    deps.timeline.extend(c.id, now);
    extended++;
  }
  return extended;
}

/**
 * Passes pieces through, giving the event loop a turn (setImmediate) after every `sliceMs` of work:
 * rendering 500 channels × 7 days takes about a second of CPU, which must not stall the MPEG-TS
 * fan-out of live channels served by the same process.
 */
export async function* paced<T>(pieces: Iterable<T>, sliceMs = 10): AsyncGenerator<T, void, undefined> {
  let since = performance.now();
  for (const piece of pieces) {
    yield piece;
    if (performance.now() - since >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      since = performance.now();
    }
  }
}

export interface GuideStreamDeps { store: Store; timeline: TimelineService; iptvGuide?: LiveGuide }

/**
 * The XMLTV guide of the enabled channels as a byte stream: extends every timeline first, then
 * renders [now − 1 h, now + days) lazily as the reader pulls (backpressure respected).
 */
export function xmltvStream(deps: GuideStreamDeps, opts: { days: number; now?: number; baseUrl?: string }): Readable {
  const now = opts.now ?? Date.now();
  const channels = deps.store.channels.list().filter((c) => c.enabled);
  extendTimelines(deps, channels, now);
  return Readable.from(paced(xmltvChunks(storeGuideSource(deps.store, channels, deps.iptvGuide, opts.baseUrl), { now, days: opts.days })));
}
