// Kodi NFO sidecars (tvshow.nfo, <episode>.nfo, <movie>.nfo / movie.nfo). Values are data: they
// are stored as text and never interpreted. A malformed file is ignored with a warning.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { readFile, stat } from 'node:fs/promises';

export interface NfoIds { externalIds: Record<string, string> }
export interface ShowNfo extends NfoIds {
  title: string | null; plot: string | null; year: number | null; premiered: string | null; genres: string[]; images: Record<string, string>;
}
export interface EpisodeNfo extends NfoIds {
  title: string | null; season: number | null; episode: number | null; episodeEnd: number | null; plot: string | null; aired: string | null;
}
export interface MovieNfo extends NfoIds {
  title: string | null; year: number | null; plot: string | null; genres: string[]; contentRating: string | null;
  runtimeMinutes: number | null; premiered: string | null; images: Record<string, string>;
}

export class NfoError extends Error {}

const MAX_NFO_BYTES = 1 << 20;
const MAX_TEXT = 20_000;
/** Real-world NFOs: several <episodedetails> roots for multi-episode files, a scraper URL after the XML. */
const TOLERATED = [/multiple possible root nodes/i, /extra text at the end/i];
const LISTS = new Set(['genre', 'uniqueid', 'thumb', 'episodedetails', 'movie', 'tvshow']);

const parser = new XMLParser({
  ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false, trimValues: true,
  htmlEntities: true, processEntities: true, isArray: (name) => LISTS.has(name),
});

type Node = Record<string, unknown>;
const text = (v: unknown): string | null => {
  const raw = Array.isArray(v) ? v[0] : v;
  const s = typeof raw === 'string' ? raw : raw && typeof raw === 'object' ? (raw as Node)['#text'] : undefined;
  const t = typeof s === 'string' || typeof s === 'number' ? String(s).trim() : '';
  return t ? t.slice(0, MAX_TEXT) : null;
};
const int = (v: unknown): number | null => {
  const t = text(v);
  return t !== null && /^-?\d+$/.test(t) ? Number(t) : null;
};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const date = (v: unknown): string | null => {
  const t = text(v);
  return t && /^\d{4}-\d{2}-\d{2}/.test(t) ? t.slice(0, 10) : null;
};
const genres = (n: Node): string[] =>
  [...new Set(list(n.genre).map(text).filter((g): g is string => !!g).flatMap((g) => g.split(' / ')).map((g) => g.trim()).filter(Boolean))];

function externalIds(n: Node): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const u of list(n.uniqueid)) {
    const type = u && typeof u === 'object' ? text((u as Node)['@type'])?.toLowerCase() : null;
    const value = text(u);
    if (type && value && /^[a-z0-9_-]{1,20}$/.test(type)) ids[type] = value;
  }
  for (const key of ['imdb', 'tvdb', 'tmdb']) {
    const value = text(n[`${key}id`]);
    if (value && !ids[key]) ids[key] = value;
  }
  const id = text(n.id);
  if (id && /^tt\d+$/.test(id) && !ids.imdb) ids.imdb = id;
  return ids;
}

function images(n: Node): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of list(n.thumb)) {
    const aspect = t && typeof t === 'object' ? text((t as Node)['@aspect']) : null;
    const url = text(t);
    const key = aspect === null || aspect === 'poster' ? 'poster' : aspect;
    if (url && !out[key] && /^[a-z]{1,12}$/.test(key)) out[key] = url;
  }
  const fanart = n.fanart && typeof n.fanart === 'object' ? text((n.fanart as Node).thumb) : null;
  if (fanart) out.fanart = fanart;
  return out;
}

/** Parses NFO text; throws NfoError when it is malformed. */
function parseDoc(xml: string): Node {
  const body = xml.replace(/^\uFEFF/, '');
  const valid = XMLValidator.validate(body);
  if (valid !== true && !TOLERATED.some((re) => re.test(valid.err.msg))) {
    throw new NfoError(`line ${valid.err.line}: ${valid.err.msg}`);
  }
  try {
    return parser.parse(body) as Node;
  } catch (err) {
    throw new NfoError((err as Error).message);
  }
}

const roots = (doc: Node, root: string): Node[] => list(doc[root]).filter((n): n is Node => !!n && typeof n === 'object');
function rootsOf(xml: string, root: 'tvshow' | 'episodedetails' | 'movie'): Node[] {
  const nodes = roots(parseDoc(xml), root);
  if (nodes.length === 0) throw new NfoError(`no <${root}> element`);
  return nodes;
}

const yearOf = (n: Node) => int(n.year) ?? (date(n.premiered) ? Number(date(n.premiered)!.slice(0, 4)) : null);

export function parseShowNfo(xml: string): ShowNfo {
  const n = rootsOf(xml, 'tvshow')[0]!;
  return { title: text(n.title), plot: text(n.plot), year: yearOf(n), premiered: date(n.premiered), genres: genres(n),
    externalIds: externalIds(n), images: images(n) };
}

/** Several <episodedetails> (multi-episode file) become one range: first season, lowest to highest episode. */
function episodeFrom(nodes: Node[]): EpisodeNfo {
  const first = nodes[0]!;
  const eps = nodes.map((n) => int(n.episode)).filter((e): e is number => e !== null);
  const titles = [...new Set(nodes.map((n) => text(n.title)).filter((t): t is string => !!t))];
  const lo = eps.length ? Math.min(...eps) : null;
  const hi = eps.length ? Math.max(...eps) : null;
  return { title: titles.length ? titles.join(' / ') : null, season: int(first.season), episode: lo, episodeEnd: hi !== lo ? hi : null,
    plot: text(first.plot), aired: date(first.aired), externalIds: externalIds(first) };
}

const movieFrom = (n: Node): MovieNfo => ({
  title: text(n.title), year: yearOf(n), plot: text(n.plot), genres: genres(n), contentRating: text(n.mpaa),
  runtimeMinutes: int(n.runtime), premiered: date(n.premiered), externalIds: externalIds(n), images: images(n),
});

export const parseEpisodeNfo = (xml: string): EpisodeNfo => episodeFrom(rootsOf(xml, 'episodedetails'));
export const parseMovieNfo = (xml: string): MovieNfo => movieFrom(rootsOf(xml, 'movie')[0]!);

/** A video's own sidecar: whichever of <episodedetails> or <movie> it holds. */
export type ItemNfo = { type: 'episode'; episode: EpisodeNfo } | { type: 'movie'; movie: MovieNfo };
export function parseItemNfo(xml: string): ItemNfo {
  const doc = parseDoc(xml);
  const eps = roots(doc, 'episodedetails');
  if (eps.length) return { type: 'episode', episode: episodeFrom(eps) };
  const movie = roots(doc, 'movie')[0];
  if (movie) return { type: 'movie', movie: movieFrom(movie) };
  throw new NfoError('no <episodedetails> or <movie> element');
}

export type NfoLog = (level: 'warn', msg: string) => void;

/** Reads and parses an NFO; null when it does not exist or cannot be used (then a warning is logged). */
export async function readNfo<T>(absPath: string, label: string, parse: (xml: string) => T, log: NfoLog): Promise<T | null> {
  try {
    const st = await stat(absPath);
    if (st.size > MAX_NFO_BYTES) {
      log('warn', `ignoring NFO ${label}: larger than 1 MiB`);
      return null;
    }
    return parse(await readFile(absPath, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    log('warn', `ignoring NFO ${label}: ${err instanceof NfoError ? `malformed (${err.message})` : (err as Error).message}`);
    return null;
  }
}
