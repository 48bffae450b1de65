// Reads a provider's XMLTV guide (file or http(s) URL, plain or gzip) as a stream: the text is
// scanned element by element, only <programme>s of the wanted channel ids (tvg-id) inside the
// window are parsed (fast-xml-parser, one element at a time), and the whole read is bounded in
// bytes and time. Times carry their own offsets ("20261207183000 +0100"), so the result is UTC-correct.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { XMLParser } from 'fast-xml-parser';

/** One programme of a live channel, from the provider's guide. */
export interface LiveProgramme {
  startMs: number;
  stopMs: number;
  title: string;
  subTitle: string | null;
  desc: string | null;
  categories: string[];
  icon: string | null;
  episodeNum: { system: string; value: string } | null;
}

export interface XmltvReadOptions {
  /** tvg-ids to keep. */
  wanted: ReadonlySet<string>;
  /** Keep programmes overlapping [from, to). */
  from: number;
  to: number;
  /** Decoded size limit (default 256 MiB). */
  maxBytes?: number;
  signal?: AbortSignal;
  userAgent?: string;
}

export class GuideError extends Error {}

export const MAX_GUIDE_BYTES = 256 * 1024 * 1024;
/** One <programme> element longer than this is not a programme (broken file): stop. */
const MAX_ELEMENT = 1024 * 1024;

/** "YYYYMMDDhhmmss[ ±hhmm]" → epoch ms (no offset: UTC, as the XMLTV DTD says). Null when malformed. */
export function parseXmltvTime(s: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?\s*(?:([+-])(\d{2}):?(\d{2}))?\s*$/.exec(s.trim());
  if (!m) return null;
  const utc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  const offset = m[7] ? (m[7] === '-' ? -1 : 1) * (+m[8]! * 60 + +m[9]!) * 60_000 : 0;
  return Number.isFinite(utc) ? utc - offset : null;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescape = (s: string): string => s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (all, e: string) => {
  if (e[0] !== '#') return ENTITIES[e.toLowerCase()] ?? all;
  const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
});
const attr = (tag: string, name: string): string | null => {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
  return m ? unescape(m[1] ?? m[2] ?? '') : null;
};

const parser = new XMLParser({
  ignoreAttributes: false, attributeNamePrefix: '@', textNodeName: '#text', parseTagValue: false, parseAttributeValue: false,
  isArray: (name) => ['title', 'sub-title', 'desc', 'category', 'episode-num', 'icon'].includes(name),
});
type Node = string | { '#text'?: string; '@lang'?: string; '@system'?: string; '@src'?: string };
const text = (n: Node | undefined): string | null => {
  const t = typeof n === 'string' ? n : n?.['#text'];
  return t && t.trim() ? t.replace(/\s+/g, ' ').trim() : null;
};

/** One <programme> element's text → a programme (stop may be NaN: filled from the next start). */
function programme(xml: string, start: number, stop: number | null): LiveProgramme | null {
  let p: Record<string, Node[] | undefined>;
  try {
    p = ((parser.parse(xml) as { programme?: Record<string, Node[] | undefined> }).programme) ?? {};
  } catch {
    return null;
  }
  const title = text(p.title?.[0]);
  if (!title) return null;
  const ep = p['episode-num']?.find((e) => typeof e !== 'string' && e['@system'] === 'onscreen') ?? p['episode-num']?.[0];
  const icon = p.icon?.[0];
  return {
    startMs: start, stopMs: stop ?? Number.NaN, title, subTitle: text(p['sub-title']?.[0]), desc: text(p.desc?.[0]),
    categories: (p.category ?? []).map(text).filter((c): c is string => !!c).slice(0, 8),
    icon: typeof icon !== 'string' && icon?.['@src'] && /^https?:\/\//i.test(icon['@src']) ? icon['@src'] : null,
    episodeNum: ep && text(ep) ? { system: (typeof ep !== 'string' && ep['@system']) || 'onscreen', value: text(ep)! } : null,
  };
}

/** The guide's bytes: a file or an http(s) body, bounded by size and time. */
async function open(location: string, o: XmltvReadOptions): Promise<AsyncIterable<Buffer>> {
  const max = o.maxBytes ?? MAX_GUIDE_BYTES;
  if (location.startsWith('/')) {
    const st = await stat(location).catch(() => null);
    if (!st?.isFile()) throw new GuideError(`${location} is not a file`);
    return createReadStream(location, o.signal ? { signal: o.signal } : {});
  }
  const res = await fetch(location, { headers: { 'User-Agent': o.userAgent ?? 'EXStreamTV (XMLTV guide)' }, redirect: 'follow', ...(o.signal ? { signal: o.signal } : {}) })
    .catch((err: Error) => { throw new GuideError(`could not fetch ${location}: ${err.cause instanceof Error ? err.cause.message : err.message}`); });
  if (!res.ok || !res.body) throw new GuideError(`${location} answered HTTP ${res.status}`);
  if (Number(res.headers.get('content-length') ?? 0) > max) throw new GuideError(`${location} is larger than ${max >> 20} MiB`);
  return Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
}

/** Decoded text pieces: gunzipped when the bytes start with the gzip magic; throws past maxBytes. */
async function* decoded(src: AsyncIterable<Buffer>, max: number): AsyncGenerator<string> {
  const it = src[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const rest = (async function* () { yield first.value as Buffer; for (let n = await it.next(); !n.done; n = await it.next()) yield n.value as Buffer; })();
  const gz = first.value[0] === 0x1f && first.value[1] === 0x8b;
  const bytes = gz ? Readable.from(rest).pipe(createGunzip()) : Readable.from(rest);
  const dec = new StringDecoder('utf8');
  let total = 0;
  for await (const c of bytes as AsyncIterable<Buffer>) {
    total += c.length;
    if (total > max) { bytes.destroy(); throw new GuideError(`the guide is larger than ${max >> 20} MiB`); }
    yield dec.write(c);
  }
  yield dec.end();
}

/** Reads the guide; returns the wanted channels' programmes in time order, stops filled in. */
export async function readXmltv(location: string, o: XmltvReadOptions): Promise<Map<string, LiveProgramme[]>> {
  const out = new Map<string, LiveProgramme[]>();
  let buf = '';
  let sawTv = false;
  for await (const piece of decoded(await open(location, o), o.maxBytes ?? MAX_GUIDE_BYTES)) {
    buf += piece;
    if (!sawTv) {
      if (/<tv[\s>]/.test(buf)) sawTv = true;
      else if (buf.length > 64 * 1024 || /^\s*<(!doctype html|html)/i.test(buf)) throw new GuideError('this is not an XMLTV guide (no <tv> element)');
    }
    for (;;) {
      const at = buf.indexOf('<programme');
      if (at < 0) { buf = buf.slice(-16); break; }
      const end = buf.indexOf('</programme>', at);
      if (end < 0) {
        if (buf.length - at > MAX_ELEMENT) throw new GuideError('a <programme> element is larger than 1 MiB: broken guide');
        buf = buf.slice(at);
        break;
      }
      const xml = buf.slice(at, end + 12);
      buf = buf.slice(end + 12);
      const tag = xml.slice(0, xml.indexOf('>') + 1);
      const channel = attr(tag, 'channel');
      if (!channel || !o.wanted.has(channel)) continue;
      const start = parseXmltvTime(attr(tag, 'start') ?? '');
      const stopRaw = attr(tag, 'stop');
      const stop = stopRaw ? parseXmltvTime(stopRaw) : null;
      if (start === null || start >= o.to || (stop !== null && stop <= o.from)) continue;
      const p = programme(xml, start, stop);
      if (!p) continue;
      let list = out.get(channel);
      if (!list) out.set(channel, list = []);
      list.push(p);
    }
  }
  if (!sawTv) throw new GuideError('this is not an XMLTV guide (no <tv> element)');
  for (const list of out.values()) {
    list.sort((a, b) => a.startMs - b.startMs);
    list.forEach((p, i) => { if (!Number.isFinite(p.stopMs)) p.stopMs = list[i + 1]?.startMs ?? p.startMs + 3_600_000; });
  }
  return out;
}
