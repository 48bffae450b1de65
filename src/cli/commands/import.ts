// `exstreamtv import dizquetv|tunarr|ersatztv <path>`: brings channels, schedules, filler lists,
// custom shows, media servers and local libraries over from another program (read-only there).
import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { importReportLines } from '../../client/import-report.js';
import type { ImportReport } from '../../schemas/import.js';
import { printJson } from '../format.js';
import { UsageError, withApi } from '../run.js';

interface ImportOpts { dryRun?: boolean; renumber?: boolean; replace?: boolean; json?: boolean }

export function importCommand(): Command {
  return new Command('import')
    .description('import channels, schedules, filler lists, custom shows, servers and libraries from dizqueTV, Tunarr or ErsatzTV')
    .addArgument(new Command().createArgument('<program>', 'where from').choices(['dizquetv', 'tunarr', 'ersatztv']))
    .argument('<path>', "dizqueTV: its data folder (.dizquetv); Tunarr: its data folder (db.db + channel-lineups); ErsatzTV: its database (ersatztv.sqlite3)")
    .option('--dry-run', 'report what would be created, matched and skipped; write nothing')
    .addOption(new Option('--renumber', 'an imported channel number already here: give it the next free number (a collection name: add " (2)")').conflicts('replace'))
    .option('--replace', 'an imported channel number or collection name already here: replace it')
    .option('--json', 'print the report as JSON')
    .addHelpText('after', `
The other program's data is only read (SQLite opened read-only). Its media servers (URL + token)
and local folders become sources and are scanned; each programme is matched by the server's key,
then imdb/tmdb/tvdb id, then show + season + episode or title + year. What matches nothing is
listed with why. Everything else is written in one transaction, and an existing channel number is
never overwritten without --renumber or --replace.

Examples:
  exstreamtv import dizquetv ~/.dizquetv --dry-run
  exstreamtv import tunarr ~/.local/share/tunarr --renumber
  exstreamtv import ersatztv ~/.local/share/ersatztv/ersatztv.sqlite3`)
    .action(withApi<ImportOpts>(async ({ api }, o, [program, path]) => {
      if (o.renumber && o.replace) throw new UsageError('give --renumber or --replace, not both');
      const body = { program, path: resolve(String(path)), dryRun: Boolean(o.dryRun), onClash: o.replace ? 'replace' : o.renumber ? 'renumber' : 'refuse' };
      const report = await api.request<ImportReport>('POST', '/api/import', body);
      if (o.json) return printJson(report);
      for (const line of importReportLines(report)) console.log(line);
    }));
}
