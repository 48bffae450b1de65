// The resolver registry: how a library locator becomes a MediaInput, asynchronously, by locator
// type. `file` and `url` are built in; `resolve` locators name a resolver that sources register
// (plex, jellyfin, youtube, iptv…). Every resolution runs under a timeout and an abort signal.
import type { Locator } from '../../schemas/library.js';
import { fileInput, urlInput, type MediaInput } from '../ffmpeg/input.js';

export interface ResolveRequest {
  locator: Locator;
  itemId: number;
  title: string;
  /** Aborted on timeout or when the session stops: resolvers pass it to fetch(). */
  signal: AbortSignal;
}

export type Resolver = (req: ResolveRequest) => Promise<MediaInput>;

/** Why an input could not be had: shown on the error slate's row in /api/sessions and the log. */
export class ResolveError extends Error {}

export const DEFAULT_RESOLVE_TIMEOUT_MS = 20_000;

/** Registry key of a locator: its type, or for `resolve` locators the resolver's name. */
export const resolverKey = (l: Locator): string => (l.type === 'resolve' ? l.resolver : l.type);

export class ResolverRegistry {
  private readonly resolvers = new Map<string, Resolver>();

  constructor(readonly timeoutMs = DEFAULT_RESOLVE_TIMEOUT_MS) {
    this.register('file', async ({ locator }) => {
      if (locator.type !== 'file') throw new ResolveError('not a file locator');
      return fileInput(locator.path);
    });
    this.register('url', async ({ locator }) => {
      if (locator.type !== 'url') throw new ResolveError('not a url locator');
      return urlInput(locator.url, locator.headers ?? {}, locator.live ? { live: true, seekable: false } : {});
    });
  }

  /** Adds (or replaces) the resolver for a key; returns a function that removes it again. */
  register(key: string, resolver: Resolver): () => void {
    this.resolvers.set(key, resolver);
    return () => { if (this.resolvers.get(key) === resolver) this.resolvers.delete(key); };
  }

  has(key: string): boolean { return this.resolvers.has(key); }

  /** Resolves a locator; rejects with a ResolveError naming why (unknown resolver, timeout, failure). */
  async resolve(req: Omit<ResolveRequest, 'signal'>, signal?: AbortSignal): Promise<MediaInput> {
    const key = resolverKey(req.locator);
    const resolver = this.resolvers.get(key);
    if (!resolver) throw new ResolveError(`no resolver for "${key}"`);
    const ac = new AbortController();
    const onAbort = () => ac.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new ResolveError(`resolver "${key}" timed out after ${(this.timeoutMs / 1000).toFixed(1)} s`);
        ac.abort(err);
        reject(err);
      }, this.timeoutMs);
    });
    const aborted = new Promise<never>((_, reject) => {
      ac.signal.addEventListener('abort', () => reject(ac.signal.reason instanceof Error ? ac.signal.reason : new ResolveError('resolution cancelled')), { once: true });
    });
    try {
      const input = await Promise.race([resolver({ ...req, signal: ac.signal }), timeout, aborted]);
      if (!input || typeof input.url !== 'string' || !input.url) throw new ResolveError(`resolver "${key}" returned no input`);
      return input;
    } catch (err) {
      if (err instanceof ResolveError) throw err;
      throw new ResolveError(`resolver "${key}" failed: ${(err as Error).message ?? String(err)}`);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}
