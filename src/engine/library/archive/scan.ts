// Scans of an Archive.org source: the search (paged), then /metadata/{id} only for items new or
// updated since the last scan (cached on disk by their update stamp), one transaction at the end.
import { join } from 'node:path';
import type { ScanSummary } from '../scanner.js';
import { syncOnlineSource, type OnlineSyncDeps } from '../online/sync.js';
import { ArchiveClient } from './http.js';
import { archiveItems, itemMetadata } from './items.js';
import { searchArchive, type ArchiveConfig } from './search.js';

export interface ArchiveScanDeps extends OnlineSyncDeps {
  /** Archive.org's base URL (config archiveUrl). */
  baseUrl: string;
  /** The data dir: metadata is cached under cache/archive/. */
  dataDir: string;
}

export const archiveCacheDir = (dataDir: string) => join(dataDir, 'cache', 'archive');

export function scanArchiveSource(deps: ArchiveScanDeps, sourceId: number, client = new ArchiveClient({ baseUrl: deps.baseUrl })): Promise<ScanSummary> {
  const config = deps.store.sources.get(sourceId).config as unknown as ArchiveConfig;
  const cacheDir = archiveCacheDir(deps.dataDir);
  return syncOnlineSource(deps, sourceId, {
    product: 'Archive.org',
    concurrency: 2,
    list: (signal) => searchArchive(client, config, { ...(signal ? { signal } : {}) }),
    details: async (hit, signal) => archiveItems(client.baseUrl, hit.key, await itemMetadata(client, cacheDir, hit.key, hit.stamp, signal)),
  });
}
