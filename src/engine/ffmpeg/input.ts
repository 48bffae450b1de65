// The input model: what one piece's ffmpeg opens (a local file or a URL), with the request
// headers, user agent, seekability, liveness and expiry that come with it, and the ffmpeg input
// options that follow (reconnect for HTTP files; never -re, no seek and -rw_timeout for live
// inputs). Every filter that opens the source again (text subtitles) goes through the same input.

export interface MediaInput {
  /** What ffmpeg opens: "file:/abs/path", an http(s) URL, or a lavfi graph (format 'lavfi'). */
  url: string;
  /** Request headers sent with every HTTP request (tokens, cookies, referer). */
  headers?: Record<string, string>;
  userAgent?: string;
  /** Can ffmpeg seek in it (-ss before -i)? False for pipes and live streams. */
  seekable: boolean;
  /** A live stream: read as it comes, never seek, time out a dead connection. */
  live: boolean;
  /** Epoch ms after which the URL no longer works (resolve again before air); null = never. */
  expiresAt: number | null;
  /** Input format (-f before -i), e.g. 'lavfi'. */
  format?: string;
  /**
   * A second input that carries the audio (YouTube's best formats come as separate video and audio
   * URLs): opened right after this one with its own options and the same seek; the audio is then
   * mapped from it (input 1, its first audio stream) and this input gives only the picture.
   */
  audioInput?: MediaInput;
}

/** A local file (seekable, not live, never expires). */
export function fileInput(path: string): MediaInput {
  return { url: `file:${path}`, seekable: true, live: false, expiresAt: null };
}

/** A remote file over HTTP(S) (seekable with ranges), with its request headers. */
export function urlInput(url: string, headers: Record<string, string> = {}, more: Partial<Omit<MediaInput, 'url' | 'headers'>> = {}): MediaInput {
  const { 'User-Agent': ua, 'user-agent': ua2, ...rest } = headers;
  const userAgent = more.userAgent ?? ua ?? ua2;
  return {
    url, seekable: true, live: false, expiresAt: null, ...more,
    ...(Object.keys(rest).length ? { headers: rest } : {}), ...(userAgent ? { userAgent } : {}),
  };
}

/** A plain ffmpeg input string (e.g. "file:/x.mkv" or a lavfi graph) as a local input. */
export function asInput(input: string | MediaInput, format?: string): MediaInput {
  if (typeof input !== 'string') return input;
  return { url: input, seekable: true, live: false, expiresAt: null, ...(format ? { format } : {}) };
}

export const isHttp = (i: Pick<MediaInput, 'url'>): boolean => /^https?:\/\//i.test(i.url);
export const isLocalFile = (i: Pick<MediaInput, 'url'>): boolean => i.url.startsWith('file:') || i.url.startsWith('/');

/** Has the input expired (or will it within `marginMs`)? */
export const expired = (i: MediaInput, now: number, marginMs = 0): boolean =>
  (i.expiresAt !== null && i.expiresAt <= now + marginMs) || (!!i.audioInput && expired(i.audioInput, now, marginMs));

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The -headers value: "Name: value\r\n" lines. Names must be HTTP tokens, values one line. */
export function headerBlock(headers: Record<string, string>): string {
  return Object.entries(headers).map(([k, v]) => {
    if (!TOKEN.test(k)) throw new Error(`invalid HTTP header name: ${JSON.stringify(k)}`);
    if (/[\r\n\0]/.test(v)) throw new Error(`HTTP header ${k} holds a line break`);
    return `${k}: ${v}\r\n`;
  }).join('');
}

/** How long ffmpeg analyses a live input before its first frame (µs; the default is 5 s of real time). */
export const LIVE_ANALYZE_US = 1_000_000;

/** Seconds of silence after which a live input counts as dead (-rw_timeout, µs). */
export const LIVE_RW_TIMEOUT_US = 10_000_000;

/**
 * ffmpeg options placed before this input's -i: protocol options (headers, user agent,
 * reconnects, timeouts) and the seek (only where the input can seek); the format comes in openInput.
 * `realtime` (-re) is refused for live inputs: they already arrive in real time.
 */
export function inputOptions(i: MediaInput, seekMs = 0, realtime = false): string[] {
  const args: string[] = [];
  if (isHttp(i)) {
    if (i.userAgent) {
      if (/[\r\n\0]/.test(i.userAgent)) throw new Error('user agent holds a line break');
      args.push('-user_agent', i.userAgent);
    }
    if (i.headers && Object.keys(i.headers).length) args.push('-headers', headerBlock(i.headers));
    args.push('-reconnect', '1', '-reconnect_on_network_error', '1', '-reconnect_delay_max', '4');
    if (i.live) args.push('-reconnect_streamed', '1');
  }
  // A live input arrives in real time, so ffmpeg's 5 s default analysis is 5 s of the cold tune: 1 s finds the streams.
  if (i.live) args.push('-rw_timeout', String(LIVE_RW_TIMEOUT_US), '-analyzeduration', String(LIVE_ANALYZE_US));
  else if (realtime) args.push('-re');
  if (seekMs > 0 && i.seekable && !i.live) args.push('-ss', (seekMs / 1000).toFixed(3));
  return args;
}

/**
 * The input's options, then `decoder` options (e.g. hardware decoding), the format and the -i itself;
 * then its separate audio input, if any (same seek, no decoder options), as input 1.
 */
export function openInput(i: MediaInput, seekMs = 0, realtime = false, decoder: string[] = []): string[] {
  const main = [...inputOptions(i, seekMs, realtime), ...decoder, ...(i.format ? ['-f', i.format] : []), '-i', i.url];
  if (!i.audioInput) return main;
  const a = i.audioInput;
  return [...main, ...inputOptions(a, effectiveSeekMs(i, seekMs), realtime), ...(a.format ? ['-f', a.format] : []), '-i', a.url];
}

/** How many ffmpeg inputs openInput() opens for this input (1, or 2 with a separate audio input). */
export const inputCount = (i: MediaInput): number => (i.audioInput ? 2 : 1);

/** The -map of the audio: stream `index` of input 0, or the separate audio input's first audio stream. */
export const audioMapOf = (i: MediaInput, index: number): string => (i.audioInput ? '1:a:0' : `0:${index}`);

/** The offset ffmpeg really starts at (live and unseekable inputs start where they are). */
export const effectiveSeekMs = (i: MediaInput, seekMs: number): number => (i.seekable && !i.live ? seekMs : 0);
