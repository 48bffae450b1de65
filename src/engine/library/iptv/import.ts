// IPTV source scans: read the playlist (an absolute file path or an http(s) URL), parse it, and
// save every entry as a live, schedulable item (a fixed slot length, joins live, never seeks) in
// ONE transaction — a playlist with any bad entry imports nothing. Entries gone from the playlist
// are flagged missing; a rescan of an unchanged playlist changes nothing.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { Locator, MediaStream } from '../../../schemas/library.js';
import type { ItemUpsert } from '../../store/repos/items.js';
import type { Store } from '../../store/store.js';
import { ProgressReporter, emptyCounts, type ScanProgress } from '../progress.js';
import type { ScanSummary } from '../scanner.js';
import { parseM3u, PlaylistError, type IptvEntry, type Playlist } from './m3u.js';

/** What an IPTV source keeps in media_sources.config. */
export interface IptvConfig {
  /** Absolute file path or http(s) URL of the playlist. */
  playlist: string;
  /** Slot length of each entry when scheduled as an item, in minutes. */
  slotMinutes: number;
  /** The playlist's XMLTV guide URL (x-tvg-url), once read. */
  tvgUrl?: string | null;
  /** A configured XMLTV guide (URL or file) for live channels; wins over tvgUrl. */
  guide?: string;
}

export const MAX_PLAYLIST_BYTES = 32 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 30_000;
export const USER_AGENT = 'EXStreamTV (IPTV playlist import)';

/** Reads a playlist's text from a file or URL; refuses HTML pages and oversized bodies. */
export async function readPlaylist(location: string, signal?: AbortSignal): Promise<string> {
  if (location.startsWith('/')) {
    const st = await stat(location).catch(() => null);
    if (!st?.isFile()) throw new PlaylistError([`${location} is not a file`]);
    if (st.size > MAX_PLAYLIST_BYTES) throw new PlaylistError([`${location} is larger than ${MAX_PLAYLIST_BYTES >> 20} MiB`]);
    return readFile(location, 'utf8');
  }
  const timeout = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  const res = await fetch(location, {
    headers: { 'User-Agent': USER_AGENT, Accept: 'audio/x-mpegurl, application/vnd.apple.mpegurl, text/plain, */*' },
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout, redirect: 'follow',
  }).catch((err: Error) => { throw new PlaylistError([`could not fetch ${location}: ${err.cause instanceof Error ? err.cause.message : err.message}`]); });
  if (!res.ok) throw new PlaylistError([`${location} answered HTTP ${res.status}`]);
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > MAX_PLAYLIST_BYTES) throw new PlaylistError([`${location} is larger than ${MAX_PLAYLIST_BYTES >> 20} MiB`]);
  const text = await res.text();
  if (text.length > MAX_PLAYLIST_BYTES) throw new PlaylistError([`${location} is larger than ${MAX_PLAYLIST_BYTES >> 20} MiB`]);
  return text;
}

/** Stable key of an entry: its tvg-id, else its URL; repeats get "#2", "#3"… in playlist order. */
function keys(entries: IptvEntry[]): string[] {
  const seen = new Map<string, number>();
  return entries.map((e) => {
    const base = e.tvgId ? `tvg:${e.tvgId}` : e.url;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  });
}

/** The live locator of an entry: its URL with the headers, read live (no -re, no seek, -rw_timeout). */
export const entryLocator = (e: IptvEntry): Locator => ({ type: 'url', url: e.url, live: true, ...(Object.keys(e.headers).length ? { headers: e.headers } : {}) });

const unknownStream = (index: number, type: 'video' | 'audio'): MediaStream => ({
  index, type, codec: null, profile: null, language: null, title: null, isDefault: true, isForced: false, width: null, height: null,
  fps: null, fieldOrder: null, sar: null, dar: null, pixFmt: null, channels: null, channelLayout: null, sampleRate: null, bitRate: null,
});
/**
 * A live stream's facts are unknown until it airs (5,000 entries are not probed at import): one video
 * and one audio stream of unknown format, so it is always transcoded to the channel's profile.
 */
const LIVE_STREAMS: MediaStream[] = [unknownStream(0, 'video'), unknownStream(1, 'audio')];

function toUpsert(e: IptvEntry, key: string, slotMs: number): ItemUpsert {
  const locator = entryLocator(e);
  const externalIds: Record<string, string> = {};
  if (e.tvgId) externalIds.tvgId = e.tvgId;
  if (e.tvgName) externalIds.tvgName = e.tvgName;
  if (e.tvgChno) externalIds.tvgChno = e.tvgChno;
  const fingerprint = createHash('sha1').update(JSON.stringify([locator, e.name, e.group, e.tvgLogo, externalIds, slotMs])).digest('hex');
  return {
    externalKey: key, kind: 'other', locator, fingerprint, size: null, mtimeMs: null, status: 'ok', error: null,
    title: e.name, showId: null, seasonId: null, seasonNumber: null, episodeNumber: null, episodeEnd: null, year: null,
    releaseDate: null, plot: null, genres: e.group ? [e.group] : [], images: e.tvgLogo ? { logo: e.tvgLogo } : {}, externalIds,
    durationMs: slotMs, container: null, bitRate: null, streams: LIVE_STREAMS, chapters: [],
  };
}

/** Saves a parsed playlist as the source's items, all in one transaction; returns the counts. */
export function savePlaylist(store: Store, sourceId: number, playlist: Playlist, config: IptvConfig) {
  const counts = emptyCounts();
  const slotMs = Math.round(config.slotMinutes * 60_000);
  const known = store.items.known(sourceId);
  const ks = keys(playlist.entries);
  store.tx(() => {
    const seen = new Set<string>();
    playlist.entries.forEach((e, i) => {
      const key = ks[i]!;
      seen.add(key);
      counts.found++;
      const up = toUpsert(e, key, slotMs);
      const old = known.get(key);
      if (old && old.fingerprint === up.fingerprint && old.status === 'ok') { counts.unchanged++; return; }
      store.items.upsert(sourceId, up);
      if (old) counts.changed++; else counts.added++;
    });
    const vanished = [...known.values()].filter((k) => !seen.has(k.externalKey) && k.status !== 'missing').map((k) => k.id);
    store.items.markMissing(vanished);
    counts.missing = vanished.length;
    store.sources.updateConfig(sourceId, { ...config, tvgUrl: playlist.tvgUrl });
    store.sources.recordScan(sourceId, 'ok');
  });
  return counts;
}

export interface IptvScanDeps {
  store: Store;
  onProgress?: (p: ScanProgress) => void;
  signal?: AbortSignal;
}

/** Scans an IPTV source: read, parse, save. A failure leaves the library as it was and is recorded. */
export async function scanIptvSource(deps: IptvScanDeps, sourceId: number): Promise<ScanSummary> {
  const started = performance.now();
  const { store } = deps;
  const config = store.sources.get(sourceId).config as unknown as IptvConfig;
  const progress = new ProgressReporter(deps.onProgress);
  progress.enter('walking');
  try {
    const playlist = parseM3u(await readPlaylist(config.playlist, deps.signal));
    progress.counts.found = progress.counts.total = playlist.entries.length;
    progress.enter('saving');
    Object.assign(progress.counts, savePlaylist(store, sourceId, playlist, config));
    progress.enter('done');
    return { ...progress.counts, durationMs: Math.round(performance.now() - started) };
  } catch (err) {
    store.sources.recordScan(sourceId, `failed: ${(err as Error).message}`);
    throw err;
  }
}
