// IPTV live channels: a playlist's stream as a channel of its own. The channel airs the live item
// back to back (the planner joins those rows into one endless piece: no seek, it joins live),
// numbered from tvg-chno (else the next free number), named after the entry, logo from tvg-logo.
// Each stream is probed once (bounded) so a channel whose profile matches can copy it (direct/auto
// modes); a stream that cannot be probed now keeps "unknown" facts and is transcoded.
import type { Channel, ChannelInput } from '../../../schemas/channel.js';
import { canonicalChannelNumber } from '../../../schemas/channel.js';
import type { IptvChannelsInput } from '../../../schemas/iptv.js';
import type { Locator } from '../../../schemas/library.js';
import { InvalidError } from '../../errors.js';
import type { Store } from '../../store/store.js';
import { probeLive } from './probe-live.js';

/** What a live channel needs of an IPTV item. */
export interface LiveEntry {
  itemId: number;
  key: string;
  title: string;
  tvgId: string | null;
  tvgChno: string | null;
  logo: string | null;
  group: string | null;
  locator: Locator;
}

/** The playable entries of an IPTV source, in playlist (insertion) order. */
/** Ids of the playable items of an IPTV source (what its health summarises). */
export function liveItemIds(store: Store, sourceId: number): number[] {
  return (store.db.prepare(`SELECT id FROM media_items WHERE source_id = ? AND status = 'ok' ORDER BY id`).all(sourceId) as { id: number }[]).map((r) => r.id);
}

export function liveEntries(store: Store, sourceId: number): LiveEntry[] {
  const rows = store.db.prepare(`SELECT id, external_key, title, external_ids, images, genres, locator FROM media_items
    WHERE source_id = ? AND status = 'ok' ORDER BY id`).all(sourceId) as
    { id: number; external_key: string; title: string; external_ids: string; images: string; genres: string; locator: string }[];
  return rows.map((r) => {
    const ids = JSON.parse(r.external_ids || '{}') as Record<string, string>;
    const images = JSON.parse(r.images || '{}') as Record<string, string>;
    const genres = JSON.parse(r.genres || '[]') as string[];
    return { itemId: r.id, key: r.external_key, title: r.title, tvgId: ids.tvgId ?? null, tvgChno: ids.tvgChno ?? null,
      logo: images.logo ?? null, group: genres[0] ?? null, locator: JSON.parse(r.locator) as Locator };
  });
}

/** The entry a selector names: its tvg-id, else its display name (case-insensitive), else its item id. */
export function pickEntry(entries: readonly LiveEntry[], selector: string): LiveEntry {
  const s = selector.trim();
  const byId = entries.filter((e) => e.tvgId === s);
  if (byId.length === 1) return byId[0]!;
  const byName = entries.filter((e) => e.title.toLowerCase() === s.toLowerCase());
  if (byName.length === 1) return byName[0]!;
  const hits = byId.length ? byId : byName;
  if (hits.length > 1) throw new InvalidError('entries', `"${s}" names ${hits.length} streams (${hits.slice(0, 3).map((e) => `item ${e.itemId}`).join(', ')}…): use the item id`);
  const byItem = /^\d+$/.test(s) ? entries.find((e) => e.itemId === Number(s)) : undefined;
  if (byItem) return byItem;
  throw new InvalidError('entries', `no stream "${s}" in this playlist (give its tvg-id, its name, or its item id)`);
}

/** Numbers for the new channels: tvg-chno where it is a free channel number, else the next free whole number. */
export function numberChannels(entries: readonly LiveEntry[], taken: ReadonlySet<string>, explicit?: string): string[] {
  const used = new Set(taken);
  const out: (string | null)[] = entries.map((e) => {
    const n = explicit ?? (e.tvgChno ? canonicalChannelNumber(e.tvgChno) : null);
    if (n === null || used.has(n)) {
      if (explicit) throw new InvalidError('number', `channel ${explicit} already exists`);
      return null;
    }
    used.add(n);
    return n;
  });
  let next = Math.max(0, ...[...used].map((n) => Math.floor(Number(n))).filter(Number.isFinite)) + 1;
  return out.map((n) => {
    if (n !== null) return n;
    while (used.has(String(next))) next++;
    used.add(String(next));
    return String(next++);
  });
}

/** Creates a channel and its timeline (the channel service), vetting it as the API would. */
export interface ChannelMaker { create(input: ChannelInput): Channel }

export interface LiveChannelDeps { store: Store; channels: ChannelMaker; ffprobePath: string }

const PROBE_TIMEOUT_MS = 10_000;
/** Without an explicit `probe`, streams are probed when at most this many become channels at once. */
export const AUTO_PROBE_MAX = 8;
const PROBE_CONCURRENCY = 4;

/**
 * Creates a live channel per chosen entry (all of them when none is named), all in one
 * transaction. Streams are probed first (four at a time; by default only when few are chosen);
 * a probe failure is not fatal.
 */
export async function createLiveChannels(deps: LiveChannelDeps, sourceId: number, input: IptvChannelsInput): Promise<Channel[]> {
  const source = deps.store.sources.get(sourceId);
  if (source.kind !== 'iptv') throw new InvalidError('id', `source ${sourceId} "${source.name}" is not an IPTV playlist`);
  const all = liveEntries(deps.store, sourceId);
  const chosen = input.entries?.length ? input.entries.map((s) => pickEntry(all, s)) : all;
  if (!chosen.length) throw new InvalidError('entries', 'the playlist has no playable stream');
  if (input.number !== undefined && chosen.length !== 1) throw new InvalidError('number', 'a number fits one stream only; leave it out to number from tvg-chno');
  if (input.name !== undefined && chosen.length !== 1) throw new InvalidError('name', 'a name fits one stream only');
  const numbers = numberChannels(chosen, new Set(deps.store.channels.list().map((c) => c.number)), input.number);
  const probed = input.probe ?? chosen.length <= AUTO_PROBE_MAX ? await probeAll(chosen, deps.ffprobePath) : new Map();
  return deps.store.tx(() => chosen.map((e, i) => {
    const streams = probed.get(e.itemId);
    if (streams) deps.store.items.replaceStreams(e.itemId, streams);
    return deps.channels.create({
      number: numbers[i]!, name: (chosen.length === 1 && input.name) || e.title.slice(0, 100), group: e.group?.slice(0, 100) ?? null,
      logo: e.logo && /^https?:\/\//i.test(e.logo) ? e.logo.slice(0, 2000) : null, enabled: true, order: 'in_order',
      content: [{ type: 'item', id: e.itemId }], stream: { profile: input.profile ?? null, alwaysOn: false },
    });
  }));
}

async function probeAll(entries: readonly LiveEntry[], ffprobePath: string) {
  const out = new Map<number, Awaited<ReturnType<typeof probeLive>>>();
  let i = 0;
  const worker = async () => {
    while (i < entries.length) {
      const e = entries[i++]!;
      if (e.locator.type !== 'url') continue;
      const streams = await probeLive(ffprobePath, e.locator.url, e.locator.headers ?? {}, PROBE_TIMEOUT_MS);
      if (streams) out.set(e.itemId, streams);
    }
  };
  await Promise.all(Array.from({ length: PROBE_CONCURRENCY }, worker));
  return out;
}
