// Archive.org over HTTP, gently: at most two requests at once (one client per scan or add), a
// descriptive User-Agent, a timeout, and 429/503 answered by waiting as long as Retry-After says
// (capped) before trying again. Every failure is an ArchiveError saying what to fix.
import pLimit from 'p-limit';

export const ARCHIVE_USER_AGENT = 'EXStreamTV/0.1 (self-hosted live TV channels from public-domain films; Archive.org source)';

/** Which input the user should fix: the search, the identifiers, or the Archive.org address. */
export type ArchiveField = 'query' | 'collection' | 'identifiers' | 'url';

export class ArchiveError extends Error {
  constructor(message: string, readonly field: ArchiveField = 'url') { super(message); }
}

export interface ArchiveClientOptions {
  /** Archive.org's base URL (https://archive.org, or a fake in tests). */
  baseUrl: string;
  /** Requests at once (Archive.org asks for 1–2). */
  concurrency?: number;
  timeoutMs?: number;
  /** How often a 429/503 is waited out before the request fails. */
  retries?: number;
  /** The longest single wait a Retry-After may ask for; longer → fail now with a clear message. */
  maxWaitMs?: number;
}

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date), or null when absent/unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
  const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
  const onAbort = () => { clearTimeout(t); reject(signal!.reason instanceof Error ? signal!.reason : new Error('cancelled')); };
  signal?.addEventListener('abort', onAbort, { once: true });
});

export class ArchiveClient {
  readonly baseUrl: string;
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly maxWaitMs: number;
  /** Requests answered 429/503 and waited out (for logs and tests). */
  throttled = 0;

  constructor(o: ArchiveClientOptions) {
    this.baseUrl = o.baseUrl.replace(/\/+$/, '');
    this.limit = pLimit(Math.min(2, Math.max(1, o.concurrency ?? 2)));
    this.timeoutMs = o.timeoutMs ?? 30_000;
    this.retries = o.retries ?? 4;
    this.maxWaitMs = o.maxWaitMs ?? 60_000;
  }

  /** GET base+path as JSON (an object); `what` names it in messages ("the search", "item x"). */
  getJson(path: string, what: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
    return this.limit(() => this.send(path, what, signal));
  }

  private async send(path: string, what: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const url = `${this.baseUrl}${path}`;
    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      const timeout = AbortSignal.timeout(this.timeoutMs);
      let res: Response;
      let text: string;
      try {
        res = await fetch(url, { headers: { 'User-Agent': ARCHIVE_USER_AGENT, Accept: 'application/json' }, redirect: 'follow',
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
        text = await res.text();
      } catch (err) {
        if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('cancelled');
        const why = timeout.aborted ? `no answer within ${Math.round(this.timeoutMs / 1000)} s` : String((err as { cause?: Error }).cause?.message ?? (err as Error).message);
        throw new ArchiveError(`cannot reach Archive.org at ${this.baseUrl} for ${what} (${why}): check the network, or try again later`);
      }
      if (res.status === 429 || res.status === 503) {
        const wait = retryAfterMs(res.headers.get('retry-after')) ?? 2000 * 2 ** attempt;
        if (attempt >= this.retries || wait > this.maxWaitMs) {
          throw new ArchiveError(`Archive.org is limiting requests (HTTP ${res.status}${wait > this.maxWaitMs ? `, retry after ${Math.round(wait / 1000)} s` : ''}) for ${what}: try again later`);
        }
        this.throttled++;
        await sleep(wait, signal);
        continue;
      }
      const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
      if (/^\s*</.test(text) || (type && !/json|javascript|text\/plain/i.test(type))) {
        throw new ArchiveError(`Archive.org answered ${type || 'a web page'} (HTTP ${res.status}) for ${what}, not JSON: `
          + `is archiveUrl (${this.baseUrl}) right, and the search a Lucene query such as collection:classic_tv?`);
      }
      if (!res.ok) throw new ArchiveError(`Archive.org answered HTTP ${res.status} for ${what}: ${text.slice(0, 160).replace(/\s+/g, ' ')}`);
      let body: unknown;
      try { body = JSON.parse(text); } catch { throw new ArchiveError(`Archive.org answered broken JSON for ${what}`); }
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ArchiveError(`Archive.org answered an unexpected shape for ${what}`);
      return body as Record<string, unknown>;
    }
  }
}
