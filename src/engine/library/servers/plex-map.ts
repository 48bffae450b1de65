// Pure: Plex metadata JSON → our show and item records. Durations in ms, dates in seconds, external
// ids from Guid[] (imdb://, tmdb://, tvdb://), streams from the Media line (no ffprobe).
import type { MediaStream } from '../../../schemas/library.js';
import type { ItemUpsert } from '../../store/repos/items.js';
import type { ShowUpsert } from '../../store/repos/shows.js';
import { serverKey } from './config.js';
import type { PlexItem } from './plex-api.js';

export function plexIds(it: Pick<PlexItem, 'Guid'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const g of it.Guid ?? []) {
    const m = /^(imdb|tmdb|tvdb):\/\/(.+)$/.exec(g.id);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** Plex has no per-item etag: key, addedAt, updatedAt and the part's id, size and duration. */
export function plexFingerprint(it: PlexItem): string {
  const m = it.Media?.[0];
  const p = m?.Part[0];
  return `${it.ratingKey}|${it.addedAt ?? ''}|${it.updatedAt ?? ''}|${p?.id ?? ''}:${p?.size ?? ''}:${p?.duration ?? it.duration ?? ''}`;
}

/** Artwork paths are server-relative and need the token: kept as paths for a proxy to serve. */
const plexImages = (it: Pick<PlexItem, 'thumb' | 'art'>): Record<string, string> => ({
  ...(it.thumb ? { poster: it.thumb } : {}), ...(it.art ? { fanart: it.art } : {}),
});

export function plexShowRecord(s: PlexItem): ShowUpsert {
  return { externalKey: s.ratingKey, title: s.title, year: s.year ?? null, plot: s.summary ?? null, genres: (s.Genre ?? []).map((g) => g.tag), images: plexImages(s), externalIds: plexIds(s) };
}

/** The Media line's video and audio as two streams (Plex's listing has no per-stream detail). */
function plexStreams(m: NonNullable<PlexItem['Media']>[number] | undefined): MediaStream[] {
  if (!m) return [];
  const base = { profile: null, language: null, title: null, isDefault: true, isForced: false, fieldOrder: null, sar: null, dar: null, pixFmt: null, bitRate: null };
  const out: MediaStream[] = [];
  if (m.videoCodec) out.push({ ...base, index: out.length, type: 'video', codec: m.videoCodec, width: m.width ?? null, height: m.height ?? null, fps: null, channels: null, channelLayout: null, sampleRate: null });
  if (m.audioCodec) out.push({ ...base, index: out.length, type: 'audio', codec: m.audioCodec, width: null, height: null, fps: null, channels: m.audioChannels ?? null, channelLayout: null, sampleRate: null });
  return out;
}

export function plexItemRecord(it: PlexItem, ctx: { resolver: string; showId: number | null; seasonId: number | null }): ItemUpsert {
  const m = it.Media?.[0];
  const p = m?.Part[0];
  const durationMs = it.duration ?? m?.duration ?? p?.duration ?? null;
  const episode = it.type === 'episode';
  return {
    externalKey: it.ratingKey,
    kind: episode ? 'episode' : it.type === 'movie' ? 'movie' : 'other',
    locator: { type: 'resolve', resolver: ctx.resolver, key: serverKey(p?.key ?? '', p?.file ?? null) },
    fingerprint: plexFingerprint(it),
    size: p?.size ?? null,
    mtimeMs: it.updatedAt ? it.updatedAt * 1000 : null,
    status: durationMs && p ? 'ok' : 'unreadable',
    error: durationMs && p ? null : 'Plex has no playable part or duration for this item: analyse it on the server',
    title: it.title,
    showId: ctx.showId,
    seasonId: ctx.seasonId,
    seasonNumber: episode ? it.parentIndex ?? null : null,
    episodeNumber: episode ? it.index ?? null : null,
    episodeEnd: null,
    year: it.year ?? (it.originallyAvailableAt ? Number(it.originallyAvailableAt.slice(0, 4)) : null),
    releaseDate: it.originallyAvailableAt ?? null,
    plot: it.summary ?? null,
    genres: (it.Genre ?? []).map((g) => g.tag),
    images: plexImages(it),
    externalIds: plexIds(it),
    contentRating: it.contentRating ?? null,
    durationMs,
    container: p?.container ?? m?.container ?? null,
    bitRate: m?.bitrate ? m.bitrate * 1000 : null,
    streams: plexStreams(m),
    chapters: [],
  };
}
