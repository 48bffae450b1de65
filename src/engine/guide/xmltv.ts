// XMLTV guide, streamed: the document is yielded in pieces of about `chunkSize` characters, never
// as one string. Everything below the generator is pure (data in, strings out); the generator reads
// channels, timeline rows and item details through a GuideSource, which is the only I/O.
//
// Rules (docs: PROTOCOLS.md "XMLTV"; checked by tv_validate_file and tv_sort in test/guide):
// - all <channel> before all <programme>; ids `<major>[-<minor>].exstreamtv` (channelXmltvId);
// - every channel has ≥ 1 programme; programmes of a channel never overlap;
// - element order per xmltv.dtd; no empty <title> or <desc>;
// - times `YYYYMMDDhhmmss +0000` (UTC throughout, dates for <new/>/<previously-shown/> too);
// - filler rows extend the programme before them (a leading filler the one after it); consecutive
//   slate rows become one "Offline" block.
import type { GuideDetail } from '../store/repos/items.js';
import type { GuideRow } from '../store/repos/timeline.js';
import type { RowKind } from '../../schemas/timeline.js';
import { OFFLINE_TITLE } from '../schedule/builder.js';
import { UNKNOWN_TITLE } from '../timeline/view.js';
import { escapeXml, stripInvalidXml, xmlText } from './xml-text.js';
import type { LiveProgramme } from '../library/iptv/xmltv-read.js';

export type { GuideRow } from '../store/repos/timeline.js';
export type GuideItem = GuideDetail;

export interface GuideChannel { id: number; number: string; name: string; logo: string | null }

/** Where the generator reads from (store-backed in ./source.ts, plain arrays in tests). */
export interface GuideSource {
  /** The channels to list, in guide order (enabled ones only). */
  channels(): readonly GuideChannel[];
  /** Rows of a channel overlapping [from, to), in time order. */
  rows(channelId: number, from: number, to: number): readonly GuideRow[];
  /** Details of these items; unknown ids are left out. */
  items(ids: readonly number[]): ReadonlyMap<number, GuideItem>;
  /** A live (IPTV) channel's programmes over [from, to) — the provider's guide or hour blocks; null for other channels. */
  live?(channelId: number, from: number, to: number): readonly LiveProgramme[] | null;
}

export interface XmltvOptions {
  /** "Now" of the render (epoch ms). */
  now: number;
  /** Days ahead of now to cover. */
  days: number;
  /** How far back the guide starts (default 1 h). */
  pastMs?: number;
  /** Approximate size of each yielded piece in characters (default 64 Ki). */
  chunkSize?: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Item bodies kept for reuse during one render; the cache is dropped when it grows past this. */
const MAX_CACHED_ITEMS = 10_000;

export const XMLTV_ID_SUFFIX = 'exstreamtv';

/**
 * The XMLTV channel id of a channel number: "5" → "5.exstreamtv", "5.1" → "5-1.exstreamtv".
 * Stable (depends on the number only) and matches ^[-a-zA-Z0-9]+(\.[-a-zA-Z0-9]+)+$. The M3U tvg-id is the same.
 */
export function channelXmltvId(number: string): string {
  const safe = number.trim().replace(/\./g, '-').replace(/[^-a-zA-Z0-9]/g, '');
  return `${safe || '0'}.${XMLTV_ID_SUFFIX}`;
}

// ---------------------------------------------------------------------------------------------
// Text

/** Invalid characters dropped, all whitespace runs (newlines too) made one space, trimmed. */
export const oneLine = (s: string | null | undefined): string => (s ? stripInvalidXml(s).replace(/\s+/g, ' ').trim() : '');

/** Invalid characters dropped and trimmed; inner newlines kept (descriptions). */
const cleanBlock = (s: string | null | undefined): string => (s ? stripInvalidXml(s).trim() : '');

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const PAD2 = Array.from({ length: 60 }, (_, i) => pad2(i));

// xmltvTime memo: the date part of the last day formatted (a guide formats ~300k times on ~8 days).
let memoDay = Number.NaN;
let memoDate = '';

/** `YYYYMMDDhhmmss +0000` (UTC). */
export function xmltvTime(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== memoDay) {
    const d = new Date(day * DAY_MS);
    memoDate = `${d.getUTCFullYear()}${PAD2[d.getUTCMonth() + 1]}${PAD2[d.getUTCDate()]}`;
    memoDay = day;
  }
  const s = Math.floor((ms - day * DAY_MS) / 1000);
  return `${memoDate}${PAD2[Math.floor(s / 3600)]}${PAD2[Math.floor(s / 60) % 60]}${PAD2[s % 60]} +0000`;
}

const isHttpUrl = (s: string | null | undefined): s is string => !!s && /^https?:\/\/[^\s"<>]+$/i.test(s.trim());

// ---------------------------------------------------------------------------------------------
// Rows → programmes

/** One programme of the guide: a non-filler row, widened by the filler around it. */
export interface GuideBlock {
  startMs: number;
  stopMs: number;
  kind: RowKind;
  itemId: number | null;
  /** The row's own title (slate text, guide override). */
  title: string | null;
  /** Redirect rows: the channel number aired instead. */
  target?: string | null;
}

const slateTitle = (t: string | null): string => oneLine(t) || OFFLINE_TITLE;

/**
 * Merges timeline rows (time order) into guide programmes:
 * - a filler row extends the programme before it; a filler with nothing before it (or after a gap)
 *   moves the start of the next programme back to its own start;
 * - consecutive slate rows with the same text become one block;
 * - overlaps are cut (a programme never starts before the previous one stops);
 * - filler left over with no programme to join (a channel airing only filler in the window, or a
 *   filler after the last programme across a gap) is listed as programmes of its own.
 */
export function mergeRows(rows: readonly GuideRow[]): GuideBlock[] {
  const out: GuideBlock[] = [];
  let pending: GuideRow[] = [];
  for (const r of rows) {
    const last = out.length ? out[out.length - 1]! : undefined;
    if (r.kind === 'filler') {
      if (last && pending.length === 0 && r.startMs <= last.stopMs) {
        if (r.endMs > last.stopMs) last.stopMs = r.endMs;
      } else {
        pending.push(r);
      }
      continue;
    }
    let start = r.startMs;
    if (pending.length) {
      start = Math.min(start, pending[0]!.startMs);
      pending = [];
    }
    if (last && start < last.stopMs) start = last.stopMs;
    if (r.endMs <= start) continue;
    if (r.kind === 'slate' && last && last.kind === 'slate' && last.stopMs === start && slateTitle(last.title) === slateTitle(r.title)) {
      last.stopMs = r.endMs;
      continue;
    }
    const block: GuideBlock = { startMs: start, stopMs: r.endMs, kind: r.kind, itemId: r.itemId, title: r.title };
    if (r.target != null) block.target = r.target;
    out.push(block);
  }
  for (const r of pending) {
    const last = out.length ? out[out.length - 1]! : undefined;
    const start = last && r.startMs < last.stopMs ? last.stopMs : r.startMs;
    if (r.endMs > start) out.push({ startMs: start, stopMs: r.endMs, kind: 'filler', itemId: r.itemId, title: r.title });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Programme pieces

const isEpisode = (item: GuideItem): boolean => item.kind === 'episode' || !!oneLine(item.showTitle);

/**
 * Episode numbers: xmltv_ns is zero-based "season.episode." (S01E02 → "0.1."), with unknown parts
 * left empty (".1." when only the episode is known). A multi-episode file (S01E02-E03) gets the
 * first episode in xmltv_ns ("0.1."): xmltv_ns has no range syntax (tv_validate_file rejects
 * "0.1-2."), and "onscreen" shows the range ("S01E02-E03"). Season 0 (specials) has no zero-based
 * season, so its xmltv_ns leaves the season empty.
 */
export function episodeNumbers(season: number | null, episode: number | null, episodeEnd: number | null = null): { xmltvNs: string; onscreen: string } | null {
  const s = season !== null && Number.isInteger(season) && season >= 0 ? season : null;
  const e = episode !== null && Number.isInteger(episode) && episode >= 0 ? episode : null;
  if (s === null && e === null) return null;
  const end = e !== null && episodeEnd !== null && Number.isInteger(episodeEnd) && episodeEnd > e ? episodeEnd : null;
  const xmltvNs = `${s !== null && s >= 1 ? s - 1 : ''}.${e !== null && e >= 1 ? e - 1 : ''}.`;
  const onscreen = `${s !== null ? `S${pad2(s)}` : ''}${e !== null ? `E${pad2(e)}` : ''}${end !== null ? `-E${pad2(end)}` : ''}`;
  return { xmltvNs, onscreen };
}

/** The sentence used when an item has no plot. Never empty. */
export function generatedDescription(item: GuideItem): string {
  const title = oneLine(item.title) || UNKNOWN_TITLE;
  if (isEpisode(item)) {
    const show = oneLine(item.showTitle) || title;
    const s = item.seasonNumber;
    const e = item.episodeNumber;
    const end = e !== null && item.episodeEnd !== null && item.episodeEnd > e ? item.episodeEnd : null;
    const eps = e === null ? '' : end === null ? `episode ${e}` : `episodes ${e}–${end}`;
    if (s === 0) return eps ? `Special, ${eps} of ${show}.` : `A special of ${show}.`;
    if (s !== null && eps) return `Season ${s}, ${eps} of ${show}.`;
    if (s !== null) return `Season ${s} of ${show}.`;
    if (eps) return `${eps[0]!.toUpperCase()}${eps.slice(1)} of ${show}.`;
    return `An episode of ${show}.`;
  }
  if (item.kind === 'movie' && item.year) return `${title} (${item.year}).`;
  return `${title}.`;
}

const RELEASE_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** Release date as YYYYMMDD, or null. */
export function releaseDay(releaseDate: string | null): string | null {
  const m = releaseDate ? RELEASE_DATE.exec(releaseDate) : null;
  return m ? `${m[1]}${m[2]}${m[3]}` : null;
}

/** Genres (the show's when the item has none), then "Movie" / "Series"; deduplicated, no blanks. */
export function categories(item: GuideItem): string[] {
  const own = item.genres.length ? item.genres : isEpisode(item) ? item.showGenres : [];
  const out: string[] = [];
  const seen = new Set<string>();
  const kind = item.kind === 'movie' ? 'Movie' : isEpisode(item) ? 'Series' : null;
  for (const g of kind ? [...own, kind] : own) {
    const c = oneLine(typeof g === 'string' ? g : '');
    if (!c || seen.has(c.toLowerCase())) continue;
    seen.add(c.toLowerCase());
    out.push(c);
    if (out.length >= 12) break;
  }
  return out;
}

/** The item's poster (else its show's) when it is an absolute http(s) URL; file paths are not served. */
export function posterUrl(item: GuideItem): string | null {
  for (const src of [item.images.poster, item.images.thumb, item.showImages.poster, item.showImages.thumb]) {
    if (isHttpUrl(src)) return src.trim();
  }
  return null;
}

/**
 * <previously-shown/> and <new/> for an airing starting at `startStamp` (an xmltvTime): previously
 * shown when the release date (or, lacking one, the year) is before the airing's date; new when it
 * was released on that date. Unknown release → neither.
 */
export function airFlags(release: string | null, year: number | null, startStamp: string): string {
  const day = startStamp.slice(0, 8);
  if (release) {
    if (release < day) return '    <previously-shown/>\n';
    if (release === day) return '    <new/>\n';
    return '';
  }
  if (year && year > 0 && year < Number(startStamp.slice(0, 4))) return '    <previously-shown/>\n';
  return '';
}

const el = (name: string, text: string): string => `    <${name}>${escapeXml(text)}</${name}>\n`;

/**
 * The children of a programme from <title> through <episode-num>, in DTD order. `titleOverride` is
 * the row's own title (wins over the item's). Flags (<previously-shown/>, <new/>) depend on the
 * airing and are added by airFlags.
 */
export function itemBody(item: GuideItem, titleOverride: string | null = null): string {
  const episode = isEpisode(item);
  const itemTitle = oneLine(item.title);
  const showTitle = oneLine(item.showTitle);
  const title = oneLine(titleOverride) || (episode ? showTitle || itemTitle : itemTitle) || UNKNOWN_TITLE;
  let out = el('title', title);
  if (episode && itemTitle && itemTitle !== title) out += el('sub-title', itemTitle);
  const plot = cleanBlock(item.plot) || (episode ? cleanBlock(item.showPlot) : '');
  out += el('desc', plot || generatedDescription(item));
  const day = releaseDay(item.releaseDate);
  if (day) out += el('date', day);
  else if (item.year && item.year > 0 && item.year < 10000) out += el('date', String(item.year));
  for (const c of categories(item)) out += el('category', c);
  const poster = posterUrl(item);
  if (poster) out += `    <icon src="${xmlText(poster)}"/>\n`;
  const nums = episode ? episodeNumbers(item.seasonNumber, item.episodeNumber, item.episodeEnd) : null;
  if (nums) {
    out += `    <episode-num system="xmltv_ns">${nums.xmltvNs}</episode-num>\n`;
    out += `    <episode-num system="onscreen">${escapeXml(nums.onscreen)}</episode-num>\n`;
  }
  return out;
}

/** Body of a programme without an item: a slate, a row whose item is gone, or an empty channel. */
export function plainBody(title: string, desc: string): string {
  return el('title', oneLine(title) || UNKNOWN_TITLE) + el('desc', cleanBlock(desc) || `${oneLine(title) || UNKNOWN_TITLE}.`);
}

export const SLATE_DESCRIPTION = 'Nothing is scheduled on this channel right now.';
export const EMPTY_CHANNEL_DESCRIPTION = 'Nothing is scheduled on this channel.';

/** One whole <programme> element (pure; the generator uses the same pieces with a cache). */
export function programmeXml(channelId: string, block: GuideBlock, item: GuideItem | undefined): string {
  const start = xmltvTime(block.startMs);
  let body: string;
  let flags = '';
  if (block.kind === 'slate') body = plainBody(slateTitle(block.title), SLATE_DESCRIPTION);
  else if (block.kind === 'redirect') {
    const target = oneLine(block.target);
    body = plainBody(block.title ?? (target ? `Channel ${target}` : UNKNOWN_TITLE), target ? `This time slot airs channel ${target}.` : '');
  } else if (item) {
    body = itemBody(item, block.title);
    flags = airFlags(releaseDay(item.releaseDate), item.year, start);
  } else body = plainBody(block.title ?? UNKNOWN_TITLE, '');
  return `  <programme start="${start}" stop="${xmltvTime(block.stopMs)}" channel="${channelId}">\n${body}${flags}  </programme>\n`;
}

/** The <channel> element: display names "5.1 Name", "5.1", "Name"; the logo when it is an http(s) URL. */
export function channelXml(c: GuideChannel): string {
  const number = oneLine(c.number);
  const name = oneLine(c.name);
  const names = [...new Set([name && number ? `${number} ${name}` : '', number, name].filter(Boolean))];
  if (names.length === 0) names.push(channelXmltvId(c.number));
  let out = `  <channel id="${channelXmltvId(c.number)}">\n`;
  for (const n of names) out += `    <display-name>${escapeXml(n)}</display-name>\n`;
  if (isHttpUrl(c.logo)) out += `    <icon src="${xmlText(c.logo.trim())}"/>\n`;
  return `${out}  </channel>\n`;
}

/** A live channel's programme (from the provider's XMLTV or an hour block), children in DTD order. */
export function liveProgrammeXml(channelId: string, p: LiveProgramme): string {
  let body = el('title', oneLine(p.title) || UNKNOWN_TITLE);
  if (oneLine(p.subTitle)) body += el('sub-title', oneLine(p.subTitle));
  body += el('desc', cleanBlock(p.desc) || `${oneLine(p.title) || UNKNOWN_TITLE}.`);
  for (const c of p.categories) if (oneLine(c)) body += el('category', oneLine(c));
  if (isHttpUrl(p.icon)) body += `    <icon src="${xmlText(p.icon.trim())}"/>\n`;
  if (p.episodeNum && oneLine(p.episodeNum.value)) {
    body += `    <episode-num system="${xmlText(oneLine(p.episodeNum.system) || 'onscreen')}">${escapeXml(oneLine(p.episodeNum.value))}</episode-num>\n`;
  }
  return `  <programme start="${xmltvTime(p.startMs)}" stop="${xmltvTime(p.stopMs)}" channel="${channelId}">\n${body}  </programme>\n`;
}

export function xmltvHeader(now: number): string {
  return '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tv SYSTEM "xmltv.dtd">\n'
    + `<tv date="${xmltvTime(now)}" source-info-name="EXStreamTV" generator-info-name="EXStreamTV">\n`;
}

export const XMLTV_FOOTER = '</tv>\n';

// ---------------------------------------------------------------------------------------------
// The streamed document

/** What the render keeps per item: its rendered body and what the per-airing flags need (not the item). */
interface CachedItem { body: string; release: string | null; year: number | null }

/**
 * Yields the XMLTV document in pieces of about `chunkSize` characters: header, every channel, then
 * each channel's programmes over [now - pastMs, now + days). A channel without rows gets one
 * "Offline" programme over the window. Item bodies are rendered once per item and reused.
 */
export function* xmltvChunks(source: GuideSource, opts: XmltvOptions): Generator<string, void, undefined> {
  const from = opts.now - (opts.pastMs ?? HOUR_MS);
  const to = opts.now + opts.days * DAY_MS;
  const chunkSize = opts.chunkSize ?? 64 * 1024;
  const channels = source.channels();
  let buf = xmltvHeader(opts.now);
  for (const c of channels) {
    buf += channelXml(c);
    if (buf.length >= chunkSize) { yield buf; buf = ''; }
  }
  const cache = new Map<number, CachedItem | null>();
  for (const c of channels) {
    const channelId = channelXmltvId(c.number);
    const live = source.live?.(c.id, from, to);
    if (live) {
      for (const p of live) {
        buf += liveProgrammeXml(channelId, p);
        if (buf.length >= chunkSize) { yield buf; buf = ''; }
      }
      continue;
    }
    const blocks = mergeRows(source.rows(c.id, from, to));
    if (blocks.length === 0) {
      const start = Math.floor(from / HOUR_MS) * HOUR_MS;
      buf += `  <programme start="${xmltvTime(start)}" stop="${xmltvTime(Math.max(to, start + HOUR_MS))}" channel="${channelId}">\n`
        + `${plainBody(OFFLINE_TITLE, EMPTY_CHANNEL_DESCRIPTION)}  </programme>\n`;
      continue;
    }
    if (cache.size > MAX_CACHED_ITEMS) cache.clear();
    let missing: number[] | null = null;
    for (const b of blocks) {
      if (b.itemId !== null && b.kind !== 'slate' && b.kind !== 'redirect' && !cache.has(b.itemId)) {
        (missing ??= []).push(b.itemId);
        cache.set(b.itemId, null);
      }
    }
    if (missing) {
      const found = source.items(missing);
      for (const id of missing) {
        const item = found.get(id);
        if (item) cache.set(id, { body: itemBody(item), release: releaseDay(item.releaseDate), year: item.year });
      }
    }
    let lastStopMs = Number.NaN;
    let lastStop = '';
    for (const b of blocks) {
      const cached = b.itemId !== null && b.kind !== 'slate' && b.kind !== 'redirect' ? cache.get(b.itemId) : null;
      if (!cached || b.title !== null) {
        // No item, or a row title overriding it (rare): render in full.
        const item = cached && b.itemId !== null ? source.items([b.itemId]).get(b.itemId) : undefined;
        buf += programmeXml(channelId, b, item);
        lastStopMs = Number.NaN;
      } else {
        // Programmes are contiguous: a start is usually the previous stop, already formatted.
        const start = b.startMs === lastStopMs ? lastStop : xmltvTime(b.startMs);
        lastStop = xmltvTime(b.stopMs);
        lastStopMs = b.stopMs;
        buf += `  <programme start="${start}" stop="${lastStop}" channel="${channelId}">\n${cached.body}`
          + `${airFlags(cached.release, cached.year, start)}  </programme>\n`;
      }
      if (buf.length >= chunkSize) { yield buf; buf = ''; }
    }
  }
  yield buf + XMLTV_FOOTER;
}
