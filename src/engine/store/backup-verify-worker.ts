// Checks a backup file off the main thread (PRAGMA integrity_check reads every page: seconds on a
// big database, which would stall live streams and the API): opens it read-only, runs the check,
// reads the schema version, and posts what it found. BackupService.verify turns that into errors.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { schemaVersion } from './db.js';

export interface VerifyRequest { file: string }

export type VerifyReply =
  | { ok: true; problems: string[]; version: number }
  /** stage: where it failed (open: the file cannot be opened; check: the integrity check threw). */
  | { ok: false; stage: 'open' | 'check'; message: string };

function check(file: string): VerifyReply {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    return { ok: false, stage: 'open', message: (err as Error).message };
  }
  try {
    let problems: string[];
    try {
      problems = (db.pragma('integrity_check(5)') as { integrity_check: string }[]).map((r) => r.integrity_check);
    } catch (err) {
      return { ok: false, stage: 'check', message: (err as Error).message };
    }
    // Only a file that passed is read further (a damaged one may not even have a readable header).
    return { ok: true, problems, version: problems.length === 1 && problems[0] === 'ok' ? schemaVersion(db) : 0 };
  } finally {
    db.close();
  }
}

parentPort?.postMessage(check((workerData as VerifyRequest).file));
