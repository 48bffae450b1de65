// Pure: Jellyfin/Emby item JSON → our show and item records. Durations from ticks, streams from the
// server's media info (external subtitles, which Jellyfin numbers first, left out and the rest
// renumbered to the container's own stream indexes that ffmpeg's -map wants).
import type { MediaStream } from '../../../schemas/library.js';
import type { ItemUpsert } from '../../store/repos/items.js';
import type { ShowUpsert } from '../../store/repos/shows.js';
import type { JfItem, JfStream } from './jellyfin-api.js';
import { serverKey } from './config.js';

const TICKS_PER_MS = 10_000;
const STREAM_TYPES: Record<string, MediaStream['type']> = { Video: 'video', Audio: 'audio', Subtitle: 'subtitle', EmbeddedImage: 'attachment', Data: 'data' };

/** Embedded streams with the container's indexes: Jellyfin counts external subtitle files first. */
export function mapStreams(streams: readonly JfStream[]): MediaStream[] {
  const external = streams.filter((s) => s.IsExternal).length;
  return streams.filter((s) => !s.IsExternal && STREAM_TYPES[s.Type]).map((s) => ({
    index: s.Index - external,
    type: s.Type === 'Video' && s.Codec === 'mjpeg' ? 'attachment' : STREAM_TYPES[s.Type]!,
    codec: s.Codec ?? null, profile: s.Profile ?? null, language: s.Language ?? null, title: s.Title ?? null,
    isDefault: s.IsDefault ?? false, isForced: s.IsForced ?? false,
    width: s.Width ?? null, height: s.Height ?? null, fps: s.RealFrameRate ?? s.AverageFrameRate ?? null,
    fieldOrder: s.Type === 'Video' ? (s.IsInterlaced ? 'tt' : 'progressive') : null,
    sar: null, dar: s.AspectRatio ?? null, pixFmt: s.PixelFormat ?? null,
    channels: s.Channels ?? null, channelLayout: s.ChannelLayout ?? null, sampleRate: s.SampleRate ?? null, bitRate: s.BitRate ?? null,
  })).sort((a, b) => a.index - b.index);
}

/** imdb/tmdb/tvdb ids, lower-case keys, empty values dropped. */
export function externalIds(it: Pick<JfItem, 'ProviderIds'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(it.ProviderIds ?? {})) if (v) out[k.toLowerCase()] = v;
  return out;
}

/** Artwork URLs for the guide (public image endpoints, no token in them). */
export function images(base: string, it: Pick<JfItem, 'Id' | 'ImageTags' | 'BackdropImageTags'>): Record<string, string> {
  const out: Record<string, string> = {};
  const primary = it.ImageTags?.Primary;
  if (primary) out.poster = `${base}/Items/${it.Id}/Images/Primary?tag=${primary}`;
  const backdrop = it.BackdropImageTags?.[0];
  if (backdrop) out.fanart = `${base}/Items/${it.Id}/Images/Backdrop/0?tag=${backdrop}`;
  return out;
}

/** Change detector: the server's Etag and last save, and the file behind it. */
export function fingerprint(it: JfItem): string {
  const ms = it.MediaSources?.[0];
  return `${it.Etag ?? ''}|${it.DateLastSaved ?? ''}|${ms?.Id ?? ''}:${ms?.Size ?? ''}:${it.RunTimeTicks ?? ''}`;
}

export const isPlayable = (it: JfItem) => it.Type === 'Movie' || it.Type === 'Episode' || it.Type === 'Video';

export function showRecord(base: string, s: JfItem): ShowUpsert {
  return {
    externalKey: s.Id, title: s.Name, year: s.ProductionYear ?? null, plot: s.Overview ?? null, genres: s.Genres ?? [],
    images: images(base, s), externalIds: externalIds(s),
  };
}

export interface ItemContext { base: string; resolver: string; showId: number | null; seasonId: number | null }

export function itemRecord(it: JfItem, ctx: ItemContext): ItemUpsert {
  const source = it.MediaSources?.[0];
  const path = source?.Path ?? it.Path ?? null;
  const ticks = it.RunTimeTicks ?? source?.RunTimeTicks ?? null;
  const durationMs = ticks && ticks > 0 ? Math.round(ticks / TICKS_PER_MS) : null;
  const episode = it.Type === 'Episode';
  const release = it.PremiereDate ? it.PremiereDate.slice(0, 10) : null;
  const container = source?.Container ?? it.Container ?? null;
  return {
    externalKey: it.Id,
    kind: episode ? 'episode' : it.Type === 'Movie' ? 'movie' : 'other',
    locator: { type: 'resolve', resolver: ctx.resolver, key: serverKey(it.Id, path) },
    fingerprint: fingerprint(it),
    size: source?.Size ?? null,
    mtimeMs: null,
    status: durationMs ? 'ok' : 'unreadable',
    error: durationMs ? null : 'the server knows no duration for this item (not analysed yet?): refresh its metadata on the server',
    title: it.Name,
    showId: ctx.showId,
    seasonId: ctx.seasonId,
    seasonNumber: episode ? it.ParentIndexNumber ?? null : null,
    episodeNumber: episode ? it.IndexNumber ?? null : null,
    episodeEnd: episode && it.IndexNumberEnd != null && it.IndexNumberEnd !== it.IndexNumber ? it.IndexNumberEnd : null,
    year: it.ProductionYear ?? (release ? Number(release.slice(0, 4)) : null),
    releaseDate: release,
    plot: it.Overview ?? null,
    genres: it.Genres ?? [],
    images: images(ctx.base, it),
    externalIds: externalIds(it),
    contentRating: it.OfficialRating ?? null,
    durationMs,
    container: container ? container.split(',')[0]! : null,
    bitRate: source?.Bitrate ?? null,
    streams: mapStreams(source?.MediaStreams ?? []),
    chapters: [],
  };
}
