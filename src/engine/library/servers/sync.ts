// Syncs one media-server library source (Jellyfin, Emby, Plex): the complete paged listing first, then only new and
// changed items are written (by fingerprint), shows kept in step, and items gone from a COMPLETE
// listing flagged missing. A failed or partial listing writes nothing at all.
import type { Store } from '../../store/store.js';
import { ProgressReporter } from '../progress.js';
import type { ScanLogLevel, ScanProgress, ScanSummary } from '../scanner.js';
import { sameShow } from '../metadata.js';
import { connOf } from './config.js';
import { listServerCollections, type ServerCollection } from './collections.js';
import { applyServerCollections } from './collections-sync.js';
import { episodesByShow, listServerLibrary, type ListedItem, type ListingOptions } from './listing.js';

export interface ServerSyncDeps {
  store: Store;
  dataDir: string;
  onProgress?: (p: ScanProgress) => void;
  log?: (level: ScanLogLevel, msg: string) => void;
  signal?: AbortSignal;
  pageSize?: ListingOptions['pageSize'];
}

const BATCH = 500;

export async function syncServerSource(deps: ServerSyncDeps, sourceId: number): Promise<ScanSummary> {
  const started = performance.now();
  const { store, signal } = deps;
  const log = deps.log ?? (() => {});
  const source = store.sources.get(sourceId);
  const progress = new ProgressReporter(deps.onProgress);
  const counts = progress.counts;
  try {
    const conn = connOf(deps.dataDir, source, signal);

    // 1. The complete listing (throws on a partial one: nothing is written then).
    progress.enter('walking');
    const listing = await listServerLibrary(conn, {
      ...(deps.pageSize ? { pageSize: deps.pageSize } : {}),
      onPage: (got, total) => { counts.found = got; progress.tick(`${got} of ${total}`); },
    });
    signal?.throwIfAborted();
    const playable = listing.items;
    counts.found = playable.length;

    // 2. Compare with what the store knows.
    const known = store.items.known(sourceId);
    const jobs: { it: ListedItem; isNew: boolean }[] = [];
    const restore: number[] = [];
    const seen = new Set<string>();
    for (const it of playable) {
      seen.add(it.key);
      const k = known.get(it.key);
      if (k && k.fingerprint === it.fingerprint) {
        counts.unchanged++;
        if (k.error !== null) counts.unreadable++;
        if (k.status === 'missing') restore.push(k.id);
      } else {
        jobs.push({ it, isNew: !k });
      }
    }
    counts.total = jobs.length;

    // 3. Shows (only real changes written), then new and changed items in batches.
    progress.enter('probing');
    const knownShows = store.shows.known(sourceId);
    const showIds = new Map<string, number>();
    const seasonIds = new Map<string, number>();
    let showsWritten = 0;
    store.tx(() => {
      if (restore.length) store.items.restore(restore);
      for (const row of listing.shows) {
        const old = knownShows.get(row.externalKey);
        if (old && sameShow(old, row)) showIds.set(row.externalKey, old.id);
        else { showIds.set(row.externalKey, store.shows.upsert(sourceId, row)); showsWritten++; }
      }
    });
    for (let i = 0; i < jobs.length; i += BATCH) {
      signal?.throwIfAborted();
      const batch = jobs.slice(i, i + BATCH);
      store.tx(() => {
        for (const { it } of batch) {
          const showId = it.showKey ? showIds.get(it.showKey) ?? null : null;
          let seasonId: number | null = null;
          if (showId !== null && it.season !== null) {
            const key = `${showId}:${it.season}`;
            seasonId = seasonIds.get(key) ?? store.shows.season(showId, it.season);
            seasonIds.set(key, seasonId);
          }
          const row = it.record({ showId, seasonId });
          store.items.upsert(sourceId, row);
          if (row.status !== 'ok') counts.unreadable++;
        }
      });
      for (const { isNew } of batch) { if (isNew) counts.added++; else counts.changed++; }
      counts.probed += batch.length;
      progress.tick(batch[batch.length - 1]!.it.key);
    }

    // 4. The server's collections and playlists: a failed listing of them changes none (items still sync).
    progress.enter('saving');
    let collections: ServerCollection[] | null = null;
    try {
      collections = await listServerCollections(conn);
    } catch (err) {
      signal?.throwIfAborted();
      log('warn', `collections and playlists of "${source.name}" were left as they were: ${(err as Error).message}`);
    }

    // 5. Gone from the complete listing: flagged missing.
    const vanished = [...known.values()].filter((k) => !seen.has(k.externalKey) && k.status !== 'missing').map((k) => k.id);
    store.tx(() => {
      store.items.markMissing(vanished);
      // Shows can only have lost their last item when something changed (pruning costs a pass over the items).
      if (jobs.length || vanished.length || showsWritten) store.shows.prune(sourceId);
      if (collections) {
        const c = applyServerCollections(store, source, collections, episodesByShow(playable), (m) => log('warn', m));
        if (c.created || c.changed || c.removed) log('info', `collections of "${source.name}": ${c.created} new, ${c.changed} changed, ${c.removed} removed`);
      }
      store.sources.recordScan(sourceId, 'ok');
    });
    counts.missing = vanished.length;
    if (vanished.length) log('info', `${vanished.length} items are gone from "${source.name}" on the server and are flagged missing`);
    progress.enter('done');
    return { ...counts, durationMs: Math.round(performance.now() - started) };
  } catch (err) {
    const reason = signal?.aborted ? 'scan was cancelled' : (err as Error).message;
    store.sources.recordScan(sourceId, `failed: ${reason}`);
    if (signal?.aborted) throw new Error('scan was cancelled', { cause: err });
    throw err;
  }
}
