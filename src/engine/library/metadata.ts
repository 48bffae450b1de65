// Pure: combines what the path says, what the NFO says (it wins) and what ffprobe found into store records.
import type { ItemUpsert } from '../store/repos/items.js';
import type { ShowUpsert } from '../store/repos/shows.js';
import type { ParsedPath } from './naming.js';
import type { ItemNfo, ShowNfo } from './nfo.js';
import type { ProbeResult } from './probe.js';
import type { WalkEntry } from './walk.js';

export function showRecord(key: string, parsed: ParsedPath, nfo: ShowNfo | null): ShowUpsert {
  return {
    externalKey: key,
    title: nfo?.title ?? parsed.showTitle ?? key,
    year: nfo?.year ?? parsed.showYear,
    plot: nfo?.plot ?? null,
    genres: nfo?.genres ?? [],
    images: nfo?.images ?? {},
    externalIds: nfo?.externalIds ?? {},
  };
}

/** Same content as far as the store is concerned (then the upsert can be skipped). */
export const sameShow = (a: ShowUpsert, b: ShowUpsert) =>
  a.title === b.title && a.year === b.year && a.plot === b.plot && JSON.stringify(a.genres) === JSON.stringify(b.genres)
  && JSON.stringify(a.images ?? {}) === JSON.stringify(b.images ?? {}) && JSON.stringify(a.externalIds ?? {}) === JSON.stringify(b.externalIds ?? {});

export interface ItemInput {
  entry: WalkEntry;
  fingerprint: string;
  parsed: ParsedPath;
  nfo: ItemNfo | null;
  probe: ProbeResult;
  showId: number | null;
  seasonId: number | null;
}

/** Season/episode numbers after the NFO had its say (the scanner needs the season before it has an id). */
export function episodeNumbers(parsed: ParsedPath, nfo: ItemNfo | null): { season: number | null; episode: number | null; episodeEnd: number | null } {
  const ep = nfo?.type === 'episode' && parsed.kind === 'episode' ? nfo.episode : null;
  if (parsed.kind !== 'episode') return { season: null, episode: null, episodeEnd: null };
  return {
    season: ep?.season ?? parsed.season,
    episode: ep?.episode ?? parsed.episode,
    episodeEnd: ep?.episode != null ? ep.episodeEnd : parsed.episodeEnd,
  };
}

export function itemRecord(i: ItemInput): ItemUpsert {
  const { parsed, nfo, probe } = i;
  const movie = nfo?.type === 'movie' && parsed.kind !== 'episode' ? nfo.movie : null;
  const episode = nfo?.type === 'episode' && parsed.kind === 'episode' ? nfo.episode : null;
  const numbers = episodeNumbers(parsed, nfo);
  const info = probe.info;
  return {
    externalKey: i.entry.relPath,
    kind: movie ? 'movie' : parsed.kind,
    locator: { type: 'file', path: i.entry.absPath },
    // A verdict that is not final (timeout) gets a fingerprint that never matches, so the next scan probes again.
    fingerprint: probe.retry ? `${i.fingerprint}|retry` : i.fingerprint,
    size: i.entry.size,
    mtimeMs: Math.trunc(i.entry.mtimeMs),
    status: probe.error === null ? 'ok' : 'unreadable',
    error: probe.error,
    title: movie?.title ?? episode?.title ?? parsed.title,
    showId: i.showId,
    seasonId: i.seasonId,
    seasonNumber: numbers.season,
    episodeNumber: numbers.episode,
    episodeEnd: numbers.episodeEnd,
    year: movie?.year ?? (episode?.aired ? Number(episode.aired.slice(0, 4)) : parsed.year),
    releaseDate: movie?.premiered ?? episode?.aired ?? null,
    plot: movie?.plot ?? episode?.plot ?? null,
    genres: movie?.genres ?? [],
    images: movie?.images ?? {},
    externalIds: (movie ?? episode)?.externalIds ?? {},
    contentRating: movie?.contentRating ?? null,
    durationMs: info?.durationMs ?? null,
    container: info?.container ?? null,
    bitRate: info?.bitRate ?? null,
    streams: info?.streams ?? [],
    chapters: info?.chapters ?? [],
  };
}
