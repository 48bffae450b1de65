// M3U playlist of the channels (pure): what Jellyfin, Emby, TiviMate, Plex (via xTeVe-likes) and
// Channels DVR ("Custom Channels") read.
//
// Rules (PROTOCOLS.md "M3U"): `#EXTM3U url-tvg="…" x-tvg-url="…"`, then per enabled channel an
// `#EXTINF:-1 attr="value" …,Name` line and the absolute stream URL; UTF-8, LF line endings.
// - Attribute values are double-quoted. A `"` inside a value becomes `'` (parsers such as Jellyfin's
//   read a value up to the next `"` and cannot unescape anything); CR, LF, tabs and other control
//   characters become spaces, whitespace runs collapse, and characters invalid in XML/UTF-8 text
//   (lone surrogates, U+FFFD, C1 controls) are dropped.
// - An attribute whose value is empty after that is left out (Jellyfin's parser cannot read `x=""`).
// - In the display name after the comma, ASCII commas become U+201A (‚): Jellyfin takes the text after
//   the line's LAST comma as the name, so "News, Weather" would show as "Weather".
// - Channels DVR extensions used (getchannels.com custom-channels docs): channel-id, channel-number,
//   tvc-guide-title, tvc-stream-vcodec, tvc-stream-acodec. The other tvc-guide-* hints
//   (description, art, tags, genres, categories, placeholders, stationid) describe placeholder
//   listings for channels WITHOUT guide data; every channel here has XMLTV programmes, and we have no
//   per-channel data to put in them, so they are left out.
import { isHttpLogo } from './logos.js';
import { stripInvalidXml } from './xml-text.js';
import { channelXmltvId } from './xmltv.js';

/** `logo`: an http(s) URL shows; anything else is left out (the route maps file-path logos to the box's URL first). */
export interface M3uChannel { number: string; name: string; group: string | null; logo: string | null; enabled: boolean }

export type StreamFormat = 'ts' | 'hls';

export interface M3uOptions {
  /** Absolute base URL of this box, no trailing slash (http://192.168.1.20:8410). */
  baseUrl: string;
  format: StreamFormat;
  /** Absolute URL of the XMLTV guide. */
  guideUrl: string;
  /** Query string every stream URL carries (e.g. "token=…" when the box requires one), or none. */
  query?: string;
}

/** Codecs of every channel stream (the channel profile: H.264 + AAC). */
export const STREAM_VIDEO_CODEC = 'h264';
export const STREAM_AUDIO_CODEC = 'aac';

/** An attribute value made safe: no controls/CR/LF, `"` → `'`, single spaces, trimmed. */
export function m3uValue(s: string | null | undefined): string {
  if (!s) return '';
  return stripInvalidXml(s.replace(/[\u0000-\u001f\u007f]/g, ' ')).replace(/"/g, "'").replace(/\s+/g, ' ').trim();
}

/** The display name after the comma: like m3uValue, and commas become U+201A (see above). */
export function m3uName(s: string): string {
  return m3uValue(s).replace(/,/g, '\u201a');
}

/** ` name="value"`, or '' when the value is empty after cleaning. */
export function m3uAttr(name: string, value: string | null | undefined): string {
  const v = m3uValue(value);
  return v ? ` ${name}="${v}"` : '';
}


/** Absolute stream URL of a channel: MPEG-TS (`/stream/channels/5.1.ts`) or HLS (`/stream/channels/5.1/index.m3u8`). */
export function streamUrl(baseUrl: string, number: string, format: StreamFormat): string {
  const n = encodeURIComponent(number);
  return format === 'hls' ? `${baseUrl}/stream/channels/${n}/index.m3u8` : `${baseUrl}/stream/channels/${n}.ts`;
}

/** One channel's #EXTINF line and URL line (no trailing newline). */
export function m3uEntry(c: M3uChannel, opts: Pick<M3uOptions, 'baseUrl' | 'format' | 'query'>): string {
  const id = channelXmltvId(c.number);
  const name = m3uName(c.name) || m3uName(c.number);
  const attrs = m3uAttr('tvg-id', id)
    + m3uAttr('tvg-chno', c.number)
    + m3uAttr('tvg-name', c.name)
    + m3uAttr('tvg-logo', c.logo && isHttpLogo(c.logo) ? c.logo.trim() : null)
    + m3uAttr('group-title', c.group)
    + m3uAttr('channel-id', id)
    + m3uAttr('channel-number', c.number)
    + m3uAttr('tvc-guide-title', c.name)
    + m3uAttr('tvc-stream-vcodec', STREAM_VIDEO_CODEC)
    + m3uAttr('tvc-stream-acodec', STREAM_AUDIO_CODEC);
  return `#EXTINF:-1${attrs},${name}\n${streamUrl(opts.baseUrl, c.number, opts.format)}${opts.query ? `?${opts.query}` : ''}`;
}

/** The playlist: header with the guide URL, then every enabled channel in the given order. LF endings. */
export function renderM3u(channels: readonly M3uChannel[], opts: M3uOptions): string {
  const guide = m3uValue(opts.guideUrl);
  let out = `#EXTM3U${guide ? ` url-tvg="${guide}" x-tvg-url="${guide}"` : ''}\n`;
  for (const c of channels) if (c.enabled) out += `${m3uEntry(c, opts)}\n`;
  return out;
}
