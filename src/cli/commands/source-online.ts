// `exstreamtv source add archive|youtube …`: add an Archive.org search/collection/items or a
// YouTube video/playlist/channel (checked first: nothing is stored on a bad input), then scan it
// with progress like a local folder; a first scan that fails removes the source again.
// `exstreamtv source yt-dlp`: the configured yt-dlp and whether it is new enough.
import type { Command } from 'commander';
import type { ApiClient } from '../../client/api-client.js';
import type { MediaSource } from '../../schemas/library.js';
import type { YtDlpStatus } from '../../schemas/online.js';
import { printJson } from '../format.js';
import { UsageError, withApi } from '../run.js';
import { scanAndWait } from './library.js';

export interface OnlineAddOptions { name?: string; collection?: boolean; items?: boolean; maxItems?: string; scan: boolean; json?: boolean }

/** Identifiers from "a b,c" or archive.org/details/… addresses. */
export function archiveIdentifiers(what: string): string[] {
  return what.split(/[\s,]+/).filter(Boolean).map((w) => /archive\.org\/(?:details|download)\/([^/?#]+)/.exec(w)?.[1] ?? w);
}

async function addAndScan(api: ApiClient, path: string, body: Record<string, unknown>, o: OnlineAddOptions): Promise<void> {
  const added = await api.request<MediaSource>('POST', path, body);
  if (o.scan) {
    try {
      await scanAndWait(api, added, o.json);
    } catch (err) {
      await api.request('DELETE', `/api/sources/${added.id}`).catch(() => {});
      throw new Error(`${(err as Error).message}; the source was not kept`);
    }
  }
  const fresh = await api.request<MediaSource>('GET', `/api/sources/${added.id}`);
  if (o.json) return printJson(fresh);
  console.log(`added ${fresh.kind === 'youtube' ? 'YouTube' : 'Archive.org'} source ${fresh.id} "${fresh.name}": ${fresh.items} items`);
}

const maxItems = (o: OnlineAddOptions) => {
  if (o.maxItems === undefined) return {};
  const n = Number(o.maxItems);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--max-items wants a whole number ≥ 1, got "${o.maxItems}"`);
  return { maxItems: n };
};

export async function addArchive(api: ApiClient, what: string, o: OnlineAddOptions): Promise<void> {
  if (o.collection && o.items) throw new UsageError('give --collection or --items, not both');
  const given = o.items ? { identifiers: archiveIdentifiers(what) } : o.collection ? { collection: what } : { query: what };
  await addAndScan(api, '/api/sources/archive', { ...given, ...maxItems(o), ...(o.name ? { name: o.name } : {}) }, o);
}

export async function addYoutube(api: ApiClient, url: string, o: OnlineAddOptions): Promise<void> {
  if (o.collection || o.items) throw new UsageError('--collection and --items are for archive sources');
  await addAndScan(api, '/api/sources/youtube', { url, ...maxItems(o), ...(o.name ? { name: o.name } : {}) }, o);
}

/** The add command's options for archive and youtube. */
export const onlineAddOptions = (c: Command) => c
  .option('--collection', 'archive: the argument is a collection name (e.g. classic_tv), not a Lucene search')
  .option('--items', 'archive: the argument lists item identifiers or archive.org/details/… addresses (space or comma separated)')
  .option('--max-items <n>', 'archive/youtube: at most this many items (archive default 500, youtube 200)');

export function ytDlpCommand(src: Command): void {
  src.command('yt-dlp')
    .description('the configured yt-dlp (ytDlpPath / EXSTREAMTV_YT_DLP) for YouTube sources: found, version, new enough (exit 1 when not usable)')
    .option('--json', 'print JSON')
    .action(withApi<{ json?: boolean }>(async ({ api }, o) => {
      const s = await api.request<YtDlpStatus>('GET', '/api/youtube/yt-dlp');
      if (o.json) printJson(s);
      else console.log(s.ok ? `yt-dlp ${s.version} at ${s.path}: ok${s.message ? ` (${s.message})` : ''}` : `not usable: ${s.message}`);
      if (!s.ok) process.exitCode = 1;
    }));
}
