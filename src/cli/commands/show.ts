// `exstreamtv show list`: the shows the library found (names usable in `--show` and in schedule JSON).
import { Command } from 'commander';
import type { Show } from '../../schemas/library.js';
import { printJson, table } from '../format.js';
import { withApi } from '../run.js';

export function showCommand(): Command {
  const sh = new Command('show').description('shows in the library (by title: --show and schedule JSON accept them)');
  sh.command('list').description('list shows: id, title, year, seasons, episodes').option('--json', 'print JSON')
    .action(withApi<{ json?: boolean }>(async ({ api }, o) => {
      const shows = await api.request<Show[]>('GET', '/api/shows');
      if (o.json) return printJson(shows);
      if (!shows.length) return console.log('no shows yet: add a folder (exstreamtv library add) and scan it');
      console.log(table(['ID', 'TITLE', 'YEAR', 'SEASONS', 'EPISODES'], shows.map((s) => [s.id, s.title, s.year, s.seasons.join(' '), s.episodes])));
    }));
  return sh;
}
