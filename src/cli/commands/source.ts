// `exstreamtv source add iptv <playlist>`: online sources (IPTV playlists for now), added and
// imported in one step through the API; rescans go through `exstreamtv library scan`.
import { Command } from 'commander';
import type { MediaSource } from '../../schemas/library.js';
import { printJson } from '../format.js';
import { withApi } from '../run.js';
import { resolve } from 'node:path';

export function sourceCommand(): Command {
  const source = new Command('source').description('online media sources (IPTV playlists); local folders: see "library add"');
  const add = source.command('add').description('add an online source');

  add.command('iptv')
    .description('import an M3U/M3U8 playlist (file or http(s) URL): each stream becomes a live item; a bad playlist imports nothing')
    .argument('<playlist>', 'playlist file path or http(s) URL (Kodi "URL|User-Agent=…" suffixes and #EXTVLCOPT headers are honoured)')
    .option('--name <name>', 'display name (default: the playlist file name)')
    .option('--slot <minutes>', 'how long a stream airs when scheduled as an item (it joins live, never seeks)', '60')
    .option('--json', 'print the source as JSON')
    .action(withApi<{ name?: string; slot: string; json?: boolean }>(async ({ api }, o, [playlist]) => {
      const location = /^https?:\/\//i.test(String(playlist)) ? String(playlist) : resolve(String(playlist));
      const body = { playlist: location, slotMinutes: Number(o.slot), ...(o.name ? { name: o.name } : {}) };
      const added = await api.request<MediaSource>('POST', '/api/sources/iptv', body);
      if (o.json) printJson(added);
      else console.log(`added IPTV source ${added.id} "${added.name}": ${added.items} streams${added.config.tvgUrl ? ` (guide: ${String(added.config.tvgUrl)})` : ''}`);
    }));
  return source;
}
