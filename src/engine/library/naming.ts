// Pure: what a file's path says about it (show/season/episode, or movie title and year).
import type { ItemKind } from '../../schemas/library.js';

export const VIDEO_EXTENSIONS = new Set(['mkv', 'mp4', 'm4v', 'avi', 'mov', 'ts', 'm2ts', 'mts', 'mpg', 'mpeg', 'wmv', 'webm', 'flv', 'ogv', 'vob', '3gp']);
/** Audio files: they air over their cover art (or a plain card), so music folders make channels too. */
export const AUDIO_EXTENSIONS = new Set(['mp3', 'flac', 'm4a', 'aac', 'ogg', 'oga', 'opus', 'wav', 'wma', 'mka', 'alac', 'aiff', 'aif']);

export interface ParsedPath {
  kind: ItemKind;
  /** Episode title ("Episode 2" when the name has none), movie title, or the cleaned file name. */
  title: string;
  showTitle: string | null;
  showYear: number | null;
  /** The show's external key: its folder relative to the source root, or its title when the file lies at the root. */
  showKey: string | null;
  /** Folder that may hold tvshow.nfo, relative to the root; null when the show has no folder. */
  showDir: string | null;
  season: number | null;
  episode: number | null;
  /** Last episode of a multi-episode file (S01E02E03 → 3), else null. */
  episodeEnd: number | null;
  year: number | null;
}

const extOf = (name: string) => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
};
export const stripExt = (name: string) => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
};

/** Folders never scanned: hidden ones, "sample" folders, NAS thumbnail folders. */
export const isSkippedDir = (name: string) => name.startsWith('.') || /^samples?$/i.test(name) || name === '@eaDir' || name === '#recycle';
/** A video file worth scanning: known extension, not hidden, not a "*.sample.*" or "*-sample.*" clip. */
const wanted = (name: string, exts: ReadonlySet<string>) =>
  !name.startsWith('.') && exts.has(extOf(name)) && !/[._-]sample\.[^.]+$|\.sample\./i.test(name);
export const isVideoFile = (name: string) => wanted(name, VIDEO_EXTENSIONS);
/** A file the scanner probes: a video file, or an audio file by the same rules. */
export const isMediaFile = (name: string) => wanted(name, VIDEO_EXTENSIONS) || wanted(name, AUDIO_EXTENSIONS);

const RELEASE_JUNK = /(?<![\p{L}\p{N}])(?:2160p|1080[pi]|720p|576[pi]|480[pi]|4k|uhd|hdr10?|web[- .]?dl|web[- .]?rip|blu[- .]?ray|bdrip|brrip|dvdrip|hdtv|remux|x\.?26[45]|h\.?26[45]|hevc|xvid|divx|aac(?:2\.0)?|ac3|dts(?:-hd)?|ddp?5\.1|10bit)(?![\p{L}\p{N}])/iu;

/** "Show.Name_here" → "Show Name here"; dots are kept when the name already has spaces ("Mr. Robot"). */
export function cleanTitle(raw: string): string {
  let s = raw.includes(' ') ? raw.replace(/_+/g, ' ') : raw.replace(/[._]+/g, ' ');
  const junk = RELEASE_JUNK.exec(s);
  if (junk && junk.index > 0) s = s.slice(0, junk.index).replace(/[\s\-–—:,]+$/, '');
  if (/^[\s\-–—:,]*$/.test(s)) return '';
  // Separator runs at the ends go ("- Pilot", "Show -"), a name's own leading "-" or trailing ":" stays.
  return s.replace(/\s+/g, ' ').trim().replace(/^[-–—:,]+\s+|\s+[-–—:,]+$/g, '').trim();
}

const YEAR = (s: string) => {
  const y = Number(s);
  return y >= 1880 && y <= 2100 ? y : null;
};

/** "Movie Name (2001)", "Movie.Name.2001.1080p", "Movie [2001]" → title and year. */
export function titleAndYear(raw: string): { title: string; year: number | null } {
  const paren = /^(.*?)[\s._]*[([](\d{4})[)\]]/.exec(raw);
  if (paren && paren[1] && YEAR(paren[2]!)) return { title: cleanTitle(paren[1]), year: YEAR(paren[2]!) };
  const tokens = raw.split(/[\s._]+/);
  for (let i = tokens.length - 1; i > 0; i--) {
    const y = /^\d{4}$/.test(tokens[i]!) ? YEAR(tokens[i]!) : null;
    if (y) return { title: cleanTitle(tokens.slice(0, i).join(raw.includes(' ') ? ' ' : '.')), year: y };
  }
  return { title: cleanTitle(raw), year: null };
}

/** "Season 1", "Season 01", "Staffel 2", "S01", "Specials" → season number; else null. */
export function seasonOfFolder(name: string): number | null {
  if (/^specials?$/i.test(name.trim())) return 0;
  const m = /^(?:season|series|staffel|saison|temporada|stagione)[\s._-]*(\d{1,4})(?!\d)/i.exec(name.trim()) ?? /^s(\d{1,3})$/i.exec(name.trim());
  return m ? Number(m[1]) : null;
}

interface Marker { season: number | null; episode: number; end: number | null; before: string; after: string }

const SXXEYY = /(?<![\p{L}\p{N}])s(\d{1,4})[\s._]?e(\d{1,4})((?:[\s._]*-?[\s._]*e\d{1,4}(?!\d))*)(?:-(\d{1,4})(?![\dpi]))?/iu;
const NXNN = /(?<![\p{L}\p{N}])(\d{1,2})x(\d{2,3})(?!\d)(?:-(?:\d{1,2}x)?(\d{2,3})(?![\dpi]))?/iu;
const EP_ONLY = /(?<![\p{L}\p{N}])(?:episode|ep|e)[\s._]?(\d{1,4})(?![\dpi])/iu;
const LEADING_NUMBER = /^(\d{1,3})(?=[\s._-]|$)/;

const multiEnd = (start: number, end: number | null) => (end !== null && end > start && end - start < 100 ? end : null);

/** Finds the episode marker in a base name; loose forms (E05, "05 - Title") only inside a season folder. */
function findMarker(base: string, inSeasonFolder: boolean): Marker | null {
  const cut = (m: RegExpExecArray) => ({ before: base.slice(0, m.index), after: base.slice(m.index + m[0].length) });
  let m = SXXEYY.exec(base);
  if (m) {
    const ep = Number(m[2]);
    const extra = [...(m[3] ?? '').matchAll(/e(\d{1,4})/gi)].map((x) => Number(x[1]));
    const end = m[4] !== undefined ? Number(m[4]) : extra.at(-1) ?? null;
    return { season: Number(m[1]), episode: ep, end: multiEnd(ep, end), ...cut(m) };
  }
  if ((m = NXNN.exec(base))) {
    const ep = Number(m[2]);
    return { season: Number(m[1]), episode: ep, end: multiEnd(ep, m[3] !== undefined ? Number(m[3]) : null), ...cut(m) };
  }
  if (!inSeasonFolder) return null;
  if ((m = EP_ONLY.exec(base) ?? LEADING_NUMBER.exec(base))) return { season: null, episode: Number(m[1]), end: null, ...cut(m) };
  return null;
}

const episodeLabel = (ep: number, end: number | null) => (end === null ? `Episode ${ep}` : `Episodes ${ep}-${end}`);

/** Parses a path relative to the source root ("/" separated). */
export function parseMediaPath(relPath: string): ParsedPath {
  const parts = relPath.split('/').filter(Boolean);
  const base = stripExt(parts.at(-1) ?? relPath);
  const dirs = parts.slice(0, -1);
  const folderSeason = dirs.length ? seasonOfFolder(dirs.at(-1)!) : null;
  const showDirs = folderSeason === null ? dirs : dirs.slice(0, -1);
  const marker = findMarker(base, folderSeason !== null);
  const none = { showTitle: null, showYear: null, showKey: null, showDir: null, season: null, episode: null, episodeEnd: null };

  if (marker) {
    const show = showDirs.length ? titleAndYear(showDirs.at(-1)!) : titleAndYear(marker.before);
    if (show.title) {
      const after = cleanTitle(marker.after);
      return {
        kind: 'episode', title: after || episodeLabel(marker.episode, marker.end), showTitle: show.title, showYear: show.year,
        showKey: showDirs.length ? showDirs.join('/') : show.title, showDir: showDirs.length ? showDirs.join('/') : null,
        season: marker.season ?? folderSeason ?? 1, episode: marker.episode, episodeEnd: marker.end, year: null,
      };
    }
  }
  if (folderSeason !== null && showDirs.length) {
    // An unnumbered file in a season folder is still that show's episode.
    const show = titleAndYear(showDirs.at(-1)!);
    const key = showDirs.join('/');
    return { ...none, kind: 'episode', title: cleanTitle(base) || base, showTitle: show.title || key, showYear: show.year,
      showKey: key, showDir: key, season: folderSeason, year: null };
  }
  let movie = titleAndYear(base);
  const parent = dirs.at(-1);
  if (movie.year === null && parent) {
    const folder = titleAndYear(parent);
    if (folder.year !== null) movie = folder;
  }
  const inMovieFolder = dirs.some((d) => /^(movies?|films?)$/i.test(d));
  const kind: ItemKind = movie.year !== null || inMovieFolder ? 'movie' : 'other';
  return { kind, title: movie.title || base.trim() || relPath, ...none, year: movie.year };
}
