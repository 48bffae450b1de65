// One Archive.org item's metadata (/metadata/{id}) → media items: its files grouped by the original
// they derive from, in each group the best playable file (non-private h.264 derivatives first, then
// MPEG4, then originals ffmpeg reads), its duration from `length` (seconds or [HH:]MM:SS), title,
// year, description, subjects and licence, played from the stable /download/ URL.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ItemUpsert } from '../../store/repos/items.js';
import { unknownStream, type UnitDetails } from '../online/sync.js';
import { ARCHIVE_USER_AGENT, type ArchiveClient } from './http.js';

export interface ArchiveFile {
  name: string; source?: string; format?: string; original?: string; length?: string; private?: string | boolean;
  width?: string; height?: string; title?: string;
}

/** Playable formats, best first (lower rank wins). */
const RANKS: [RegExp, number][] = [
  [/^h\.264( IA| HD)?$/i, 1],
  [/^512Kb MPEG4$/i, 2],
  [/^MPEG4$/i, 3],
  [/^(Matroska|WebM|QuickTime|MPEG2|MPEG1|Ogg Video|Cinepack|AVI|DivX|Windows Media)$/i, 4],
];
export const formatRank = (format: string | undefined): number | null => RANKS.find(([re]) => re.test(format ?? ''))?.[1] ?? null;

/** Seconds from `length`: "1234.5", "MM:SS" or "HH:MM:SS(.frac)"; null when unreadable or zero. */
export function parseLength(v: unknown): number | null {
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  let secs: number | null = null;
  if (/^\d+(\.\d+)?$/.test(s)) secs = Number(s);
  else if (/^(\d+:)?\d{1,2}:\d{1,2}(\.\d+)?$/.test(s)) secs = s.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
  return secs !== null && Number.isFinite(secs) && secs > 0 ? secs : null;
}

const isPrivate = (f: ArchiveFile) => f.private === true || f.private === 'true';
const text = (v: unknown): string | null => {
  const s = Array.isArray(v) ? v.filter((x) => typeof x === 'string').join('\n') : typeof v === 'string' ? v : '';
  const clean = s.replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]*>/g, '').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/\n{3,}/g, '\n\n').trim();
  return clean ? clean.slice(0, 4000) : null;
};
const list = (v: unknown): string[] => (Array.isArray(v) ? v : typeof v === 'string' ? v.split(';') : [])
  .filter((x): x is string => typeof x === 'string').map((x) => x.trim()).filter(Boolean);
const int = (v: unknown): number | null => { const n = Number(v); return Number.isInteger(n) && n > 0 ? n : null; };

/** The best playable file of each original, in file-name order. */
export function playableFiles(files: ArchiveFile[]): { group: string; file: ArchiveFile; seconds: number | null; title: string | null }[] {
  const groups = new Map<string, ArchiveFile[]>();
  for (const f of files) {
    if (!f?.name) continue;
    const g = f.source === 'derivative' && f.original ? f.original : f.name;
    groups.set(g, [...(groups.get(g) ?? []), f]);
  }
  const out: { group: string; file: ArchiveFile; seconds: number | null; title: string | null }[] = [];
  for (const [group, members] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const playable = members.filter((f) => !isPrivate(f) && formatRank(f.format) !== null)
      .sort((a, b) => formatRank(a.format)! - formatRank(b.format)! || (a.source === 'derivative' ? -1 : 1));
    const file = playable[0];
    if (!file) continue;
    const seconds = parseLength(file.length) ?? members.map((m) => parseLength(m.length)).find((s) => s !== null) ?? null;
    out.push({ group, file, seconds, title: text(file.title) ?? members.map((m) => text(m.title)).find((x) => x) ?? null });
  }
  return out;
}

/** The stable download URL of a file (each path segment encoded). */
export const downloadUrl = (base: string, id: string, name: string) =>
  `${base}/download/${encodeURIComponent(id)}/${name.split('/').map(encodeURIComponent).join('/')}`;

/** The media items of one item's metadata, or why it has none. */
export function archiveItems(base: string, id: string, body: Record<string, unknown>): UnitDetails {
  const meta = (body.metadata ?? {}) as Record<string, unknown>;
  const files = Array.isArray(body.files) ? (body.files as ArchiveFile[]) : [];
  if (!Object.keys(body).length) return { skip: 'no such item (Archive.org answered an empty record)' };
  if (body.is_dark === true) return { skip: 'the item is not public' };
  const chosen = playableFiles(files);
  if (!chosen.length) return { skip: 'no playable video file (private, or not a video format)' };
  const timed = chosen.filter((c) => c.seconds !== null);
  if (!timed.length) return { skip: 'no file with a length (duration)' };
  const title = text(meta.title) ?? id;
  const year = int(String(meta.year ?? meta.date ?? '').slice(0, 4));
  const date = typeof meta.date === 'string' && /^\d{4}-\d{2}-\d{2}/.test(meta.date) ? meta.date.slice(0, 10) : null;
  const externalIds: Record<string, string> = { archive: id };
  if (typeof meta.licenseurl === 'string') externalIds.licenseurl = meta.licenseurl;
  const items = timed.map(({ group, file, seconds, title: fileTitle }): Omit<ItemUpsert, 'fingerprint'> => ({
    externalKey: `${id}/${group}`, kind: timed.length === 1 ? 'movie' : 'other',
    locator: { type: 'url', url: downloadUrl(base, id, file.name), headers: { 'User-Agent': ARCHIVE_USER_AGENT } },
    size: null, mtimeMs: null, status: 'ok', error: null,
    title: timed.length === 1 ? title : `${title} – ${fileTitle ?? group.replace(/\.[^.]+$/, '')}`,
    showId: null, seasonId: null, seasonNumber: null, episodeNumber: null, episodeEnd: null, year, releaseDate: date,
    plot: text(meta.description), genres: list(meta.subject).slice(0, 5), images: { poster: `${base}/services/img/${encodeURIComponent(id)}` }, externalIds,
    durationMs: Math.round(seconds! * 1000), container: null, bitRate: null, chapters: [],
    streams: [unknownStream(0, 'video', { width: int(file.width), height: int(file.height), codec: formatRank(file.format) === 1 ? 'h264' : null }), unknownStream(1, 'audio')],
  }));
  return { items };
}

/**
 * An item's metadata, from the cache when its stamp (last update) is the one listed, else fetched
 * and cached (a scan that failed half-way does not ask again for what it already had).
 */
export async function itemMetadata(client: ArchiveClient, cacheDir: string, id: string, stamp: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const file = join(cacheDir, `${id}.json`);
  const cached = await readFile(file, 'utf8').then((t) => JSON.parse(t) as { stamp: string; body: Record<string, unknown> }, () => null);
  if (cached && stamp && cached.stamp === stamp) return cached.body;
  const body = await client.getJson(`/metadata/${encodeURIComponent(id)}`, `item ${id}`, signal);
  await mkdir(cacheDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify({ stamp, body }));
  await rename(tmp, file);
  return body;
}
