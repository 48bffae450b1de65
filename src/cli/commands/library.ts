import { Command } from 'commander';
import type { MediaItem, MediaSource, ScanState } from '../../schemas/library.js';
import type { ApiClient } from '../../client/api-client.js';
import { duration, episodeLabel, printJson, table } from '../format.js';
import { progressReporter } from '../progress.js';
import { UsageError, withApi } from '../run.js';
import { resolve } from 'node:path';
import { serviceReadWarning } from '../../daemon/service-user.js';

/** Starts a scan and follows it to the end with a progress bar. */
export async function scanAndWait(api: ApiClient, source: MediaSource, quiet = false): Promise<ScanState> {
  let s = await api.request<ScanState>('POST', `/api/sources/${source.id}/scan`);
  const bar = progressReporter(`scan ${source.name}`);
  while (s.state === 'running') {
    if (!quiet) bar.update(s);
    await new Promise((r) => setTimeout(r, 200));
    s = await api.request<ScanState>('GET', `/api/scans/${s.id}`);
  }
  bar.done();
  if (s.state === 'failed') throw new Error(`scan of "${source.name}" failed: ${s.error}`);
  if (!quiet) {
    console.error(`scan ${source.name}: ${s.total} files — ${s.added} new, ${s.changed} changed, ${s.unchanged} unchanged, ${s.missing} missing, ${s.unreadable} unreadable`);
  }
  return s;
}

export async function findSource(api: ApiClient, ref: string): Promise<MediaSource> {
  const all = await api.request<MediaSource[]>('GET', '/api/sources');
  const hit = all.find((s) => String(s.id) === ref) ?? all.find((s) => s.name.toLowerCase() === ref.toLowerCase());
  if (!hit) throw new UsageError(`no media source "${ref}" (see: exstreamtv library list)`);
  return hit;
}

function itemRows(items: MediaItem[]) {
  return items.map((i) => [i.id, i.showTitle ? `${i.showTitle} ${episodeLabel(i.seasonNumber, i.episodeNumber)} ${i.title}` : i.year ? `${i.title} (${i.year})` : i.title,
    duration(i.durationMs), i.status === 'unreadable' ? `unreadable: ${i.error ?? ''}` : i.status]);
}

export function libraryCommand(): Command {
  const lib = new Command('library').description('media sources: add folders, scan them, list and search what they hold');

  lib.command('add')
    .description('add a local folder as a media source (and scan it)')
    .argument('<path>', 'folder with video files (shows in "Show/Season 01/…", movies anywhere)')
    .option('--name <name>', 'display name (default: the folder name)')
    .option('--no-scan', 'only add it; scan later with "library scan"')
    .option('--json', 'print the source as JSON')
    .action(withApi<{ name?: string; scan: boolean; json?: boolean }>(async ({ api }, o, [path]) => {
      const warning = serviceReadWarning(String(path));
      if (warning) console.error(warning);
      const source = await api.request<MediaSource>('POST', '/api/sources', { kind: 'local', path: resolve(String(path)), ...(o.name ? { name: o.name } : {}) });
      if (o.scan) await scanAndWait(api, source, o.json);
      const fresh = await api.request<MediaSource>('GET', `/api/sources/${source.id}`);
      if (o.json) printJson(fresh);
      else console.log(`added source ${fresh.id} "${fresh.name}" (${String(fresh.config.path)}): ${fresh.items} items`);
    }));

  lib.command('scan')
    .description('scan sources for new, changed and vanished files (only those are probed)')
    .argument('[source]', 'source id or name (default: all sources)')
    .option('--json', 'print the scan summaries as JSON')
    .action(withApi<{ json?: boolean }>(async ({ api }, o, [ref]) => {
      const sources = ref ? [await findSource(api, String(ref))] : await api.request<MediaSource[]>('GET', '/api/sources');
      if (!sources.length) throw new UsageError('no media sources yet; add one with: exstreamtv library add <folder>');
      const results = [];
      for (const s of sources) results.push(await scanAndWait(api, s, o.json));
      if (o.json) printJson(results);
    }));

  lib.command('list')
    .description('list media sources')
    .option('--json', 'print JSON')
    .action(withApi<{ json?: boolean }>(async ({ api }, o) => {
      const sources = await api.request<MediaSource[]>('GET', '/api/sources');
      if (o.json) return printJson(sources);
      if (!sources.length) return console.log('no media sources yet; add one with: exstreamtv library add <folder>');
      console.log(table(['ID', 'NAME', 'KIND', 'PATH', 'ITEMS', 'MISSING', 'UNREADABLE', 'LAST SCAN'],
        sources.map((s) => [s.id, s.name, s.kind, String(s.config.path ?? s.config.playlist ?? ''), s.items, s.missing, s.unreadable, s.lastScanAt ? `${s.lastScanAt} ${s.lastScanStatus ?? ''}` : 'never'])));
    }));

  lib.command('items')
    .description('list media items')
    .option('--source <id>', 'only this source')
    .option('--status <status>', 'ok | missing | unreadable')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print JSON')
    .action(withApi<{ source?: string; status?: string; limit: string; json?: boolean }>(async ({ api }, o) => {
      const q = new URLSearchParams({ limit: o.limit });
      if (o.source) q.set('sourceId', o.source);
      if (o.status) q.set('status', o.status);
      const res = await api.request<{ total: number; items: MediaItem[] }>('GET', `/api/items?${q}`);
      if (o.json) return printJson(res);
      console.log(table(['ID', 'TITLE', 'LENGTH', 'STATUS'], itemRows(res.items)));
      if (res.total > res.items.length) console.log(`(${res.items.length} of ${res.total}; use --limit)`);
    }));

  lib.command('search')
    .description('full-text search over titles, shows, plots, genres and file names')
    .argument('<words...>', 'words to look for (prefix match)')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON')
    .action(withApi<{ limit: string; json?: boolean }>(async ({ api }, o, [words]) => {
      const q = new URLSearchParams({ q: (words as string[]).join(' '), limit: o.limit });
      const res = await api.request<{ items: MediaItem[] }>('GET', `/api/search?${q}`);
      if (o.json) return printJson(res.items);
      if (!res.items.length) return console.log('nothing found');
      console.log(table(['ID', 'TITLE', 'LENGTH', 'STATUS'], itemRows(res.items)));
    }));

  lib.command('rm')
    .description('remove a media source and its items from the library (files are not touched)')
    .argument('<source>', 'source id or name')
    .option('-y, --yes', 'do not ask (required when not on a terminal)')
    .action(withApi<{ yes?: boolean }>(async ({ api }, o, [ref]) => {
      const s = await findSource(api, String(ref));
      if (!o.yes) throw new UsageError(`this removes "${s.name}" and its ${s.items} items from the library; repeat with --yes`);
      await api.request('DELETE', `/api/sources/${s.id}`);
      console.log(`removed source ${s.id} "${s.name}"`);
    }));
  return lib;
}
