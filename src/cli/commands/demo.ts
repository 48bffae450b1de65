import { Command } from 'commander';
import { join } from 'node:path';
import type { Channel } from '../../schemas/channel.js';
import type { Collection } from '../../schemas/collection.js';
import type { MediaItem, MediaSource, Show } from '../../schemas/library.js';
import { DEMO_SHOW, DEMO_SOURCE_NAME, generateDemoMedia } from '../../engine/library/demo.js';
import { printJson } from '../format.js';
import { withApi } from '../run.js';
import { scanAndWait } from './library.js';

export function demoCommand(): Command {
  return new Command('demo')
    .description('make a small demo library with ffmpeg (mixed codecs, sizes, frame rates; interlaced and anamorphic clips) and demo channels')
    .option('--json', 'print the demo channels as JSON')
    .action(withApi<{ json?: boolean }>(async ({ api, config }, o) => {
      const dir = join(config.dataDir, 'demo-media');
      const say = (s: string) => { if (!o.json) console.error(s); };
      const made = await generateDemoMedia(config.ffmpegPath, dir, (p) => say(`making ${p}`));
      say(made ? `made ${made} clips in ${dir}` : `demo clips already in ${dir}`);

      const sources = await api.request<MediaSource[]>('GET', '/api/sources');
      const source = sources.find((s) => s.name === DEMO_SOURCE_NAME)
        ?? await api.request<MediaSource>('POST', '/api/sources', { kind: 'local', name: DEMO_SOURCE_NAME, path: dir });
      await scanAndWait(api, source, o.json);

      const shows = await api.request<Show[]>('GET', '/api/shows');
      const show = shows.find((s) => s.title === DEMO_SHOW && s.sourceId === source.id);
      const movies = await api.request<{ items: MediaItem[] }>('GET', `/api/items?sourceId=${source.id}&kind=movie`);
      const collections = await api.request<Collection[]>('GET', '/api/collections');
      const movieCol = collections.find((c) => c.name === 'Demo movies')
        ?? await api.request<Collection>('POST', '/api/collections', { name: 'Demo movies', kind: 'manual', itemIds: movies.items.map((m) => m.id) });

      const wanted = [
        { number: '1', name: DEMO_SHOW, group: 'Demo', order: 'in_order', content: show ? [{ type: 'show', id: show.id }] : [] },
        { number: '2', name: 'Demo Mix', group: 'Demo', order: 'shuffle', content: [...(show ? [{ type: 'show', id: show.id }] : []), { type: 'collection', id: movieCol.id }] },
        { number: '2.1', name: 'Demo Movies', group: 'Demo', order: 'in_order', content: [{ type: 'collection', id: movieCol.id }] },
      ];
      const existing = await api.request<Channel[]>('GET', '/api/channels');
      const out: Channel[] = [];
      for (const w of wanted) {
        const have = existing.find((c) => c.number === w.number);
        if (have) { say(`channel ${have.number} "${have.name}" exists; left as it is`); out.push(have); continue; }
        const c = await api.request<Channel>('POST', '/api/channels', w);
        say(`created channel ${c.number} "${c.name}"`);
        out.push(c);
      }
      if (o.json) printJson(out);
      else console.log(`demo ready: ${out.length} channels. Next: exstreamtv serve, then exstreamtv timeline 1`);
    }));
}
