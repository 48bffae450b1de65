import { z } from 'zod';

/** exstreamtv-<UTC stamp YYYYMMDDTHHMMSSZ>[-reason][-n].db; n tells apart backups of the same second. */
export const BACKUP_NAME = /^exstreamtv-(\d{8}T\d{6}Z)(?:-([a-z]+(?:-[a-z]+)*))?(?:-(\d+))?\.db$/;
export const BACKUP_NAME_HINT = 'must be the name of a backup, like exstreamtv-20250131T033000Z-manual.db (see GET /api/backups)';
/** Why a backup was taken: lowercase words joined by "-" (manual, daily, pre-restore, before-upgrade…). */
export const BACKUP_REASON = /^[a-z]+(?:-[a-z]+)*$/;

export const backupInfo = z.object({
  name: z.string().describe('File name in <dataDir>/backups'),
  size: z.number().int().describe('Bytes'),
  createdAt: z.string().describe('When it was taken (UTC, from the stamp in the name)'),
  reason: z.string().nullable().describe('manual, daily, pre-restore… (from the name)'),
  schemaVersion: z.number().int().nullable().describe('Schema version of the database in it; null when the file is not an SQLite database'),
});
export type BackupInfo = z.infer<typeof backupInfo>;

export const backupList = z.object({
  dir: z.string().describe('Where backups are kept'),
  keep: z.number().int().describe('How many of each group are kept (regular backups; pre-restore backups apart)'),
  schemaVersion: z.number().int().describe('Schema version of the live database (a backup with a newer one cannot be restored)'),
  backups: z.array(backupInfo).describe('Newest first'),
});
export type BackupList = z.infer<typeof backupList>;

export const backupCreate = z.object({
  reason: z.string().max(32, 'must have at most 32 characters').regex(BACKUP_REASON, 'must be lowercase words joined by "-", e.g. manual or before-upgrade').optional(),
}).strict();

export const backupNameParam = z.object({ name: z.string().min(1).max(200).regex(BACKUP_NAME, BACKUP_NAME_HINT) });

export const restoreResult = z.object({
  restored: backupInfo.describe('The backup now live'),
  preRestore: backupInfo.describe('The backup of the database as it was just before'),
  schemaVersion: z.number().int().describe('Schema version after migrating'),
  migrated: z.array(z.number().int()).describe('Migrations applied to the restored database'),
  sessionsStopped: z.number().int().describe('Live channel sessions stopped for the restore'),
});
export type RestoreResult = z.infer<typeof restoreResult>;
