// What an import reads from another program, in one shape for all three (dizqueTV, Tunarr,
// ErsatzTV): servers, channels with their programming, filler lists, custom shows, local
// libraries. Readers fill it from the other program's files (read-only); the planner maps it
// onto our library and the applier writes it in one transaction.

export type ImportProgram = 'dizquetv' | 'tunarr' | 'ersatztv';
export const IMPORT_PROGRAMS: readonly ImportProgram[] = ['dizquetv', 'tunarr', 'ersatztv'];
export const PROGRAM_NAMES: Record<ImportProgram, string> = { dizquetv: 'dizqueTV', tunarr: 'Tunarr', ersatztv: 'ErsatzTV' };

export interface ForeignServer {
  /** The other program's name (or id) for the server: programmes refer to it. */
  name: string;
  kind: 'plex' | 'jellyfin' | 'emby';
  url: string;
  /** Null when the other program keeps it elsewhere (ErsatzTV without its secrets file). */
  token: string | null;
}

export interface ExternalIds { imdb?: string; tmdb?: string; tvdb?: string }

/** One programme as the other program knows it. */
export interface ForeignRef {
  /** ForeignServer.name, or null for a local file. */
  server: string | null;
  /** The item's key on that server (Plex ratingKey, Jellyfin id). */
  key: string | null;
  ids: ExternalIds;
  kind: 'movie' | 'episode' | 'other';
  title: string;
  showTitle: string | null;
  season: number | null;
  episode: number | null;
  year: number | null;
  /** A local file's path (local libraries). */
  path: string | null;
  durationMs: number;
}

/** What a slot or schedule item draws from. */
export type ForeignPool =
  | { type: 'show'; title: string; refs: ForeignRef[] }
  | { type: 'list'; id: string }
  | { type: 'refs'; label: string; refs: ForeignRef[] };

export type ListEntry =
  | { type: 'item'; ref: ForeignRef }
  | { type: 'flex'; durationMs: number }
  | { type: 'redirect'; channel: string; durationMs: number };

export interface TimeSlotIn { startMin: number; day?: number; pool: ForeignPool; shuffle: boolean }
/** A random slot plays `count` programmes when set (Tunarr's dynamic duration), else `durationMs` of them. */
export interface RandomSlotIn { pool: ForeignPool; shuffle: boolean; weight: number; cooldownMs: number; durationMs: number; count?: number }
export interface FloodItemIn { pool: ForeignPool; shuffle: boolean; fill: { mode: 'one' } | { mode: 'count'; count: number } | { mode: 'duration'; minutes: number } | { mode: 'flood' } }

export type ForeignProgramming =
  | { kind: 'list'; entries: ListEntry[] }
  | { kind: 'time_slots'; period: 'day' | 'week'; slots: TimeSlotIn[]; latenessMin: number }
  | { kind: 'random_slots'; slots: RandomSlotIn[] }
  | { kind: 'rotation'; items: FloodItemIn[] };

export interface ForeignChannel {
  number: string;
  name: string;
  group: string | null;
  icon: string | null;
  /** A watermark image (path or URL) when the channel has one switched on. */
  watermark: { image: string; position: 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right'; widthPct: number | null } | null;
  onDemand: boolean;
  stealth: boolean;
  disabled: boolean;
  programming: ForeignProgramming;
  /** Filler lists by ForeignList.id. */
  /** Filler lists by ForeignList.id; kinds default to tail + fallback (filling gaps and dead air). */
  filler: { list: string; weight: number; cooldownMs: number; kinds?: readonly ('pre' | 'mid' | 'post' | 'tail' | 'fallback')[] }[];
  fillerRepeatCooldownMs: number;
}

/** A filler list or a custom show: a named, ordered list of programmes. */
export interface ForeignList { id: string; name: string; refs: ForeignRef[] }

export interface ForeignData {
  program: ImportProgram;
  servers: ForeignServer[];
  channels: ForeignChannel[];
  fillers: ForeignList[];
  customShows: ForeignList[];
  libraries: { name: string; path: string }[];
  /** What the reader saw but cannot bring over (one line each). */
  notes: string[];
}

/** The other program's data cannot be read: a 400 naming the path, nothing written. */
export class ImportReadError extends Error {}

export const ref = (r: Partial<ForeignRef> & { title: string }): ForeignRef => ({
  server: null, key: null, ids: {}, kind: 'other', showTitle: null, season: null, episode: null, year: null, path: null, durationMs: 0, ...r,
});

/** "imdb://tt123", "tmdb://949", "com.plexapp.agents.imdb://tt123?lang=en", "tvdb://1/2/3" → ids. */
export function idsOfGuids(guids: readonly string[]): ExternalIds {
  const out: ExternalIds = {};
  for (const g of guids) {
    const m = /(imdb|tmdb|tvdb|themoviedb|thetvdb)[^:]*:\/\/([^?/]+)/i.exec(g);
    if (!m) continue;
    const k = m[1]!.toLowerCase();
    const name = k === 'themoviedb' ? 'tmdb' : k === 'thetvdb' ? 'tvdb' : k as keyof ExternalIds;
    out[name] ??= m[2]!;
  }
  return out;
}

export const num = (v: unknown): number | null => (v === null || v === undefined || v === '' || !Number.isFinite(Number(v)) ? null : Number(v));
export const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : null);
