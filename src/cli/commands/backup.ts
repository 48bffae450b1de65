// `exstreamtv backup list|create|restore|delete`: database backups through the API.
import { Command } from 'commander';
import type { BackupInfo, BackupList, RestoreResult } from '../../schemas/backup.js';
import type { ApiClient } from '../../client/api-client.js';
import { printJson, table } from '../format.js';
import { UsageError, withApi } from '../run.js';

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = bytes / 1024, i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

const when = (iso: string) => iso.replace('T', ' ').replace(/:\d\dZ$/, 'Z').replace('Z', ' UTC');
const enc = encodeURIComponent;

async function find(api: ApiClient, name: string): Promise<BackupInfo> {
  const list = await api.request<BackupList>('GET', '/api/backups');
  const b = list.backups.find((x) => x.name === name);
  if (!b) throw new UsageError(`no backup "${name}" in ${list.dir} (see: exstreamtv backup list)`);
  return b;
}

export function backupCommand(): Command {
  const bc = new Command('backup').description('database backups: list, back up now, restore, delete')
    .addHelpText('after', `
Backups are single SQLite files in <data-dir>/backups named exstreamtv-<UTC time>-<reason>.db, taken
online (the daemon keeps serving). The newest backupKeep (default 7; EXSTREAMTV_BACKUP_KEEP) are kept;
backups taken just before a restore ("pre-restore") are counted apart. With backupDaily (default true;
EXSTREAMTV_BACKUP_DAILY) the daemon backs up every night at 03:30.

Examples:
  exstreamtv backup create
  exstreamtv backup list
  exstreamtv backup restore exstreamtv-20250131T033000Z-daily.db --yes`);

  bc.command('list').description('backups, newest first').option('--json', 'print JSON')
    .action(withApi<{ json?: boolean }>(async ({ api }, o) => {
      const list = await api.request<BackupList>('GET', '/api/backups');
      if (o.json) return printJson(list);
      if (!list.backups.length) return console.log(`no backups yet in ${list.dir}; try: exstreamtv backup create`);
      console.log(table(['NAME', 'TAKEN', 'SIZE', 'REASON', 'SCHEMA'], list.backups.map((b) => [
        b.name, when(b.createdAt), formatSize(b.size), b.reason ?? '',
        b.schemaVersion === null ? 'not a database' : `v${b.schemaVersion}${b.schemaVersion > list.schemaVersion ? ' (newer: upgrade to restore)' : ''}`,
      ])));
      console.log(`\n${list.dir}; keeping ${list.keep} (and ${list.keep} pre-restore)`);
    }));

  bc.command('create').description('back up the database now')
    .option('--reason <word>', 'why, in the name: lowercase words joined by "-" (default manual)')
    .option('--json', 'print JSON')
    .action(withApi<{ reason?: string; json?: boolean }>(async ({ api }, o) => {
      const b = await api.request<BackupInfo>('POST', '/api/backups', o.reason ? { reason: o.reason } : undefined);
      if (o.json) return printJson(b);
      console.log(`backed up to ${b.name} (${formatSize(b.size)}, schema v${b.schemaVersion})`);
    }));

  bc.command('restore').description('replace the database with a backup (the current one is backed up first)').argument('<name>', 'backup file name (see: exstreamtv backup list)')
    .option('-y, --yes', 'do it: required, as this replaces channels, schedules, library and settings')
    .option('--json', 'print JSON')
    .addHelpText('after', `
The backup is checked first (PRAGMA integrity_check, schema version no newer than this program's);
then the current database is backed up (reason pre-restore), live streams stop, the backup is
swapped in and the daemon goes on serving the restored channels. Undo: restore the pre-restore backup.`)
    .action(withApi<{ yes?: boolean; json?: boolean }>(async ({ api }, o, [name]) => {
      if (!o.yes) {
        const b = await find(api, String(name));
        throw new UsageError(`this replaces channels, schedules, library and settings with backup ${b.name} (taken ${when(b.createdAt)}) and stops live streams; repeat with --yes`);
      }
      const r = await api.request<RestoreResult>('POST', `/api/backups/${enc(String(name))}/restore`);
      if (o.json) return printJson(r);
      console.log(`restored ${r.restored.name} (taken ${when(r.restored.createdAt)})${r.migrated.length ? `, migrated to schema v${r.schemaVersion}` : ''}`);
      console.log(`the database as it was before is ${r.preRestore.name}`);
      if (r.sessionsStopped) console.log(`${r.sessionsStopped} live session${r.sessionsStopped > 1 ? 's' : ''} stopped`);
    }));

  bc.command('delete').alias('rm').description('delete a backup file').argument('<name>', 'backup file name (see: exstreamtv backup list)')
    .option('-y, --yes', 'do not ask (required when not on a terminal)')
    .action(withApi<{ yes?: boolean }>(async ({ api }, o, [name]) => {
      if (!o.yes) {
        const b = await find(api, String(name));
        throw new UsageError(`this deletes backup ${b.name} (taken ${when(b.createdAt)}); repeat with --yes`);
      }
      await api.request('DELETE', `/api/backups/${enc(String(name))}`);
      console.log(`deleted backup ${String(name)}`);
    }));
  return bc;
}
