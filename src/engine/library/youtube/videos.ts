// YouTube through yt-dlp: what a video/playlist/channel URL lists (`--flat-playlist -J`), one
// video's metadata (`-j`) as a media item that stores only the video id (the stream URL is
// resolved shortly before air), and the scan that puts them together.
import type { ItemUpsert } from '../../store/repos/items.js';
import type { ScanSummary } from '../scanner.js';
import { syncOnlineSource, unknownStream, type ListedUnit, type OnlineSyncDeps, type UnitDetails } from '../online/sync.js';
import { runYtDlpJson, YtDlpError, ytDlpInfo } from './ytdlp.js';

/** What a YouTube source keeps in media_sources.config. */
export interface YoutubeConfig {
  /** The video, playlist or channel URL given. */
  url: string;
  /** At most this many videos (the listing's first ones). */
  maxItems: number;
}

export const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;
export const watchUrl = (id: string) => `https://www.youtube.com/watch?v=${id}`;
const LIST_TIMEOUT_MS = 180_000;
const VIDEO_TIMEOUT_MS = 60_000;

/** A channel's own page lists its tabs, not videos: read its Videos tab. */
export function listingUrl(url: string): string {
  const u = new URL(url);
  const channel = /^\/(@[^/]+|channel\/[^/]+|c\/[^/]+|user\/[^/]+)\/?$/.exec(u.pathname);
  if (/(^|\.)youtube\.com$/i.test(u.hostname) && channel) u.pathname = `/${channel[1]}/videos`;
  return u.toString();
}

export interface ListedVideo extends ListedUnit { title: string | null; info: Record<string, unknown> | null }

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** The videos a URL lists (a single video lists itself, with its metadata), and the playlist's or video's title. */
export async function listVideos(ytDlpPath: string | undefined, c: YoutubeConfig, signal?: AbortSignal): Promise<{ title: string | null; videos: ListedVideo[] }> {
  const { path } = await ytDlpInfo(ytDlpPath, signal);
  const info = await runYtDlpJson(path, ['--flat-playlist', '-J', '--no-warnings', '--playlist-end', String(c.maxItems), '--', listingUrl(c.url)],
    { what: c.url, timeoutMs: LIST_TIMEOUT_MS, ...(signal ? { signal } : {}) });
  if (info._type !== 'playlist') {
    const id = str(info.id);
    if (!id || !VIDEO_ID.test(id)) throw new YtDlpError(`${c.url} is not a YouTube video, playlist or channel (yt-dlp gave no video id)`, 'url');
    return { title: str(info.title), videos: [{ key: id, stamp: '1', title: str(info.title), info }] };
  }
  const entries = Array.isArray(info.entries) ? (info.entries as Record<string, unknown>[]) : [];
  const out: ListedVideo[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    const id = str(e?.id);
    if (!id || !VIDEO_ID.test(id) || seen.has(id) || (e._type && e._type !== 'url' && e._type !== 'video')) continue;
    seen.add(id);
    out.push({ key: id, stamp: '1', title: str(e.title), info: null });
    if (out.length >= c.maxItems) break;
  }
  if (!out.length) throw new YtDlpError(`${c.url} lists no videos (${entries.length} entries, none a video)`, 'url');
  return { title: str(info.title), videos: out };
}

/** One video's metadata as yt-dlp -j prints it. */
export const videoInfo = (path: string, id: string, signal?: AbortSignal) =>
  runYtDlpJson(path, ['-j', '--no-playlist', '--no-warnings', '--', watchUrl(id)], { what: `video ${id}`, timeoutMs: VIDEO_TIMEOUT_MS, ...(signal ? { signal } : {}) });

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null);

/** A video's metadata → a media item (or why it cannot be one). */
export function videoItem(info: Record<string, unknown>): UnitDetails {
  const id = str(info.id);
  if (!id || !VIDEO_ID.test(id)) return { skip: 'no video id' };
  if (info.live_status === 'is_live' || info.live_status === 'is_upcoming' || info.is_live === true) return { skip: 'a live or upcoming stream, not a video' };
  const seconds = num(info.duration);
  if (!seconds) return { skip: 'no duration' };
  const day = str(info.upload_date);
  const date = day && /^\d{8}$/.test(day) ? `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}` : null;
  const externalIds: Record<string, string> = { youtube: id };
  if (str(info.channel_id)) externalIds.youtubeChannel = str(info.channel_id)!;
  const item: Omit<ItemUpsert, 'fingerprint'> = {
    externalKey: id, kind: 'other', locator: { type: 'resolve', resolver: 'youtube', key: id },
    size: null, mtimeMs: null, status: 'ok', error: null, title: str(info.title) ?? id,
    showId: null, seasonId: null, seasonNumber: null, episodeNumber: null, episodeEnd: null,
    year: date ? Number(date.slice(0, 4)) : null, releaseDate: date, plot: str(info.description)?.slice(0, 4000) ?? null,
    genres: (Array.isArray(info.categories) ? info.categories : []).filter((g): g is string => typeof g === 'string').slice(0, 5),
    images: str(info.thumbnail) ? { poster: str(info.thumbnail)! } : {}, externalIds,
    durationMs: Math.round(seconds * 1000), container: null, bitRate: null, chapters: [],
    streams: [unknownStream(0, 'video', { width: num(info.width), height: num(info.height), fps: num(info.fps) }), unknownStream(1, 'audio')],
  };
  return { items: [item] };
}

export interface YoutubeScanDeps extends OnlineSyncDeps { ytDlpPath: string | undefined }

/** Scans a YouTube source: the listing, then `-j` only for videos not known yet (two at a time). */
export function scanYoutubeSource(deps: YoutubeScanDeps, sourceId: number): Promise<ScanSummary> {
  const config = deps.store.sources.get(sourceId).config as unknown as YoutubeConfig;
  let path = '';
  return syncOnlineSource<ListedVideo>(deps, sourceId, {
    product: 'YouTube',
    concurrency: 2,
    list: async (signal) => {
      const { videos } = await listVideos(deps.ytDlpPath, config, signal); // checks the yt-dlp version first
      path = deps.ytDlpPath!;
      return videos;
    },
    details: async (v, signal) => {
      try {
        return videoItem(v.info ?? await videoInfo(path, v.key, signal));
      } catch (err) {
        // One unavailable video (private, removed, region-locked) is skipped; a broken yt-dlp fails the scan.
        if (err instanceof YtDlpError && err.field === 'url') return { skip: err.message };
        throw err;
      }
    },
  });
}
