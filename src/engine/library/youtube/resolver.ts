// Air-time resolution of YouTube items: shortly before air, yt-dlp picks the format (H.264 + AAC
// up to 1080p where there is one) and prints its URL(s) — one muxed URL, or separate video and
// audio URLs (two ffmpeg inputs). The URL expires (`expire=` in it, epoch seconds); it is tried
// with a one-byte request first, and on HTTP 403 resolved once more; a second 403 is a
// ResolveError (the session plays the error slate, then the next item). A video airing again
// within its URL's lifetime reuses it (still checked first): one yt-dlp run, not one per airing.
import { expired, urlInput, type MediaInput } from '../../ffmpeg/input.js';
import { ResolveError, type Resolver, type ResolverRegistry } from '../../stream/resolvers.js';
import { runYtDlpJson, YtDlpError, ytDlpInfo } from './ytdlp.js';
import { VIDEO_ID, watchUrl } from './videos.js';

/** Best H.264/AAC up to 1080p (two inputs), else any best pair, else the best single file. */
export const FORMAT = 'bv*[height<=1080][vcodec^=avc1]+ba[acodec^=mp4a]/bv*[height<=1080]+ba/b[height<=1080]/b';
const RESOLVE_TIMEOUT_MS = 15_000;
/** A resolved URL is reused while it has at least this long to live. */
const REUSE_MARGIN_MS = 30 * 60_000;
const REUSE_MAX = 200;
const CHECK_TIMEOUT_MS = 8_000;

/** Epoch ms from a URL's `expire=` parameter (seconds), or null. */
export function expiryOf(url: string): number | null {
  try {
    const v = Number(new URL(url).searchParams.get('expire'));
    return Number.isFinite(v) && v > 0 ? v * 1000 : null;
  } catch { return null; }
}

type Format = { url?: unknown; http_headers?: unknown; vcodec?: unknown; acodec?: unknown };

function inputOf(f: Format, what: string): MediaInput {
  if (typeof f.url !== 'string' || !/^https?:\/\//i.test(f.url)) throw new ResolveError(`yt-dlp gave no http(s) URL for the ${what}`);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries((f.http_headers ?? {}) as Record<string, unknown>)) if (typeof v === 'string') headers[k] = v;
  return urlInput(f.url, headers, { expiresAt: expiryOf(f.url) });
}

/** yt-dlp -j output (with -f) → the MediaInput: one URL, or video + separate audio input. */
export function inputFromInfo(info: Record<string, unknown>): MediaInput {
  const pair = Array.isArray(info.requested_formats) ? (info.requested_formats as Format[]) : [];
  if (pair.length >= 2) {
    const video = pair.find((f) => f.vcodec && f.vcodec !== 'none') ?? pair[0]!;
    const audio = pair.find((f) => f !== video && f.acodec && f.acodec !== 'none') ?? pair[1]!;
    const v = inputOf(video, 'video');
    return { ...v, audioInput: inputOf(audio, 'audio') };
  }
  return inputOf(info as Format, 'video');
}

/** Status of a one-byte request for the input's URL(s): the first non-2xx one, else 206/200. */
async function check(i: MediaInput, signal: AbortSignal): Promise<number> {
  for (const x of [i, ...(i.audioInput ? [i.audioInput] : [])]) {
    const res = await fetch(x.url, {
      headers: { ...x.headers, ...(x.userAgent ? { 'User-Agent': x.userAgent } : {}), Range: 'bytes=0-0' },
      signal: AbortSignal.any([signal, AbortSignal.timeout(CHECK_TIMEOUT_MS)]),
    }).catch((err: Error) => { throw new ResolveError(`the stream URL could not be reached: ${(err.cause as Error | undefined)?.message ?? err.message}`); });
    await res.body?.cancel().catch(() => {});
    if (!res.ok) return res.status;
  }
  return 200;
}

export function youtubeResolver(ytDlpPath: () => string | undefined): Resolver {
  const recent = new Map<string, MediaInput>();
  return async ({ locator, signal }) => {
    if (locator.type !== 'resolve' || !VIDEO_ID.test(locator.key)) throw new ResolveError('not a YouTube video id');
    const kept = recent.get(locator.key);
    recent.delete(locator.key);
    if (kept && !expired(kept, Date.now(), REUSE_MARGIN_MS) && await check(kept, signal) < 400) {
      recent.set(locator.key, kept);
      return kept;
    }
    try {
      const { path } = await ytDlpInfo(ytDlpPath(), signal);
      for (let attempt = 1; ; attempt++) {
        const info = await runYtDlpJson(path, ['-j', '--no-playlist', '--no-warnings', '-f', FORMAT, '--', watchUrl(locator.key)],
          { what: `video ${locator.key}`, timeoutMs: RESOLVE_TIMEOUT_MS, signal });
        const input = inputFromInfo(info);
        const status = await check(input, signal);
        if (status < 400) {
          recent.set(locator.key, input);
          if (recent.size > REUSE_MAX) recent.delete(recent.keys().next().value!);
          return input;
        }
        if (status !== 403) throw new ResolveError(`YouTube answered HTTP ${status} for video ${locator.key}`);
        if (attempt >= 2) throw new ResolveError(`YouTube answered HTTP 403 for video ${locator.key} twice (resolved again once): update yt-dlp, or the video is blocked here`);
      }
    } catch (err) {
      if (err instanceof YtDlpError) throw new ResolveError(err.message);
      throw err;
    }
  };
}

/** Registers the `youtube` resolver (the yt-dlp path is read at each resolution). */
export function registerYoutubeResolver(registry: ResolverRegistry, ytDlpPath: () => string | undefined): void {
  registry.register('youtube', youtubeResolver(ytDlpPath));
}
