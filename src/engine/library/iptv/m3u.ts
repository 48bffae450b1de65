// M3U/M3U8 IPTV playlist parsing: #EXTM3U header (x-tvg-url / url-tvg), #EXTINF attributes
// (tvg-id, tvg-name, tvg-logo, tvg-chno, group-title; display names with commas), #EXTGRP,
// #EXTVLCOPT user agent / referrer, and Kodi "URL|User-Agent=…&Referer=…" suffixes, which become
// request headers (data handed to ffmpeg as argv, never a shell). Every problem is collected with
// its line number and the whole playlist is refused, so an import is all or nothing.
//
// Why not iptv-playlist-parser: it adds methods to String.prototype (in a long-running daemon),
// silently drops an #EXTINF that has no URL, keeps the "|…" suffix in the URL and ignores tvg-chno.

export interface IptvEntry {
  /** 1-based line of the entry's #EXTINF (or of its URL when it has none). */
  line: number;
  name: string;
  url: string;
  tvgId: string | null;
  tvgName: string | null;
  tvgLogo: string | null;
  tvgChno: string | null;
  group: string | null;
  /** Request headers: User-Agent, Referer and any other Kodi suffix option. */
  headers: Record<string, string>;
}

export interface Playlist {
  /** The XMLTV guide's URL from the header (x-tvg-url, else url-tvg); the first of a comma list. */
  tvgUrl: string | null;
  entries: IptvEntry[];
}

export class PlaylistError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0]! : `${problems.length} problems: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? '; …' : ''}`);
  }
}

const ATTR = /([A-Za-z0-9_-]+)="([^"]*)"/g;
/** Characters a shell would act on, or that have no business in a stream URL. */
const UNSAFE_URL = /[\s`$;'"<>\\{}^]|\|/;
const SCHEMES = new Set(['http:', 'https:']);
/** Kodi suffix option names → the HTTP header they set. */
const KODI_HEADERS: Record<string, string> = { 'user-agent': 'User-Agent', referer: 'Referer', referrer: 'Referer', origin: 'Origin', cookie: 'Cookie' };
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Attributes (key="value") of an #EXTINF or #EXTM3U line, keys lower-cased. */
function attributes(s: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const a of s.matchAll(ATTR)) if (!m.has(a[1]!.toLowerCase())) m.set(a[1]!.toLowerCase(), a[2]!);
  return m;
}

/** The display name: everything after the first comma outside quotes. */
function displayName(s: string): string {
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '"') quoted = !quoted;
    else if (s[i] === ',' && !quoted) return s.slice(i + 1).trim();
  }
  return '';
}

const nonEmpty = (v: string | undefined): string | null => (v && v.trim() ? v.trim() : null);

/** Checks a stream URL; returns why it is refused, or null. */
export function urlProblem(url: string): string | null {
  if (UNSAFE_URL.test(url)) return `URL ${JSON.stringify(url.slice(0, 200))} holds shell metacharacters or spaces`;
  let u: URL;
  try { u = new URL(url); } catch { return `${JSON.stringify(url.slice(0, 200))} is not a URL`; }
  if (!SCHEMES.has(u.protocol)) return `URL ${JSON.stringify(url.slice(0, 200))}: only http and https streams are supported`;
  return null;
}

/** Parses a Kodi "|Name=value&Name=value" suffix into headers (values URL-decoded). */
function kodiHeaders(suffix: string, problems: string[], line: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of suffix.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    let value = eq < 0 ? '' : part.slice(eq + 1);
    try { value = decodeURIComponent(value); } catch { /* keep it as written */ }
    const name = KODI_HEADERS[rawName.toLowerCase()] ?? rawName;
    if (!HEADER_NAME.test(name)) problems.push(`line ${line}: "${rawName}" is not a valid header name`);
    else if (/[\r\n\0]/.test(value)) problems.push(`line ${line}: header ${name} holds a line break`);
    else out[name] = value;
  }
  return out;
}

export function parseM3u(text: string): Playlist {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
  const first = lines.findIndex((l) => l.trim() !== '');
  const head = first < 0 ? '' : lines[first]!.trim();
  if (!head.startsWith('#EXTM3U')) {
    if (/^<(!doctype|html|\?xml|head|body)/i.test(head)) throw new PlaylistError(['this is an HTML/XML page, not an M3U playlist (the URL may need a login or be wrong)']);
    throw new PlaylistError([first < 0 ? 'the playlist is empty' : 'not an M3U playlist: the first line is not #EXTM3U']);
  }
  const hattrs = attributes(head);
  const tvgUrl = nonEmpty((hattrs.get('x-tvg-url') ?? hattrs.get('url-tvg'))?.split(',')[0]);
  const problems: string[] = [];
  const entries: IptvEntry[] = [];
  let pending: { line: number; info: string; group: string | null; headers: Record<string, string> } | null = null;

  for (let i = first + 1; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    const lineNo = i + 1;
    if (!raw) continue;
    if (raw.startsWith('#EXTINF:')) {
      if (pending) problems.push(`line ${pending.line}: entry "${displayName(pending.info) || '(no name)'}" has no URL`);
      pending = { line: lineNo, info: raw.slice(8), group: null, headers: {} };
    } else if (raw.startsWith('#EXTVLCOPT:')) {
      const opt = raw.slice(11);
      const eq = opt.indexOf('=');
      const key = (eq < 0 ? opt : opt.slice(0, eq)).trim().toLowerCase();
      const value = eq < 0 ? '' : opt.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      if (pending && key === 'http-user-agent') pending.headers['User-Agent'] = value;
      if (pending && (key === 'http-referrer' || key === 'http-referer')) pending.headers.Referer = value;
    } else if (raw.startsWith('#EXTGRP:')) {
      if (pending) pending.group = nonEmpty(raw.slice(8));
    } else if (raw.startsWith('#')) {
      continue;
    } else {
      const bar = raw.indexOf('|');
      const url = bar < 0 ? raw : raw.slice(0, bar);
      const info = pending?.info ?? '';
      const attrs = attributes(info);
      const headers = { ...(pending?.headers ?? {}), ...(bar < 0 ? {} : kodiHeaders(raw.slice(bar + 1), problems, lineNo)) };
      const bad = urlProblem(url);
      if (bad) problems.push(`line ${lineNo}: ${bad}`);
      else {
        const tvgName = nonEmpty(attrs.get('tvg-name'));
        entries.push({
          line: pending?.line ?? lineNo, url, headers,
          name: displayName(info) || tvgName || url,
          tvgId: nonEmpty(attrs.get('tvg-id')), tvgName, tvgLogo: nonEmpty(attrs.get('tvg-logo')),
          tvgChno: nonEmpty(attrs.get('tvg-chno') ?? attrs.get('channel-number')),
          group: nonEmpty(attrs.get('group-title')) ?? pending?.group ?? null,
        });
      }
      pending = null;
    }
  }
  if (pending) problems.push(`line ${pending.line}: entry "${displayName(pending.info) || '(no name)'}" has no URL`);
  if (problems.length) throw new PlaylistError(problems);
  if (!entries.length) throw new PlaylistError(['the playlist holds no entries']);
  return { tvgUrl, entries };
}
