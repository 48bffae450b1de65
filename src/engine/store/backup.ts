// Database backups: online copies in <dataDir>/backups taken with SQLite's backup API (consistent
// under WAL: a plain file copy loses what is still in the -wal file), retention by the UTC stamp in
// the name, and restore under a live engine (checked read-only first, then swapped in atomically).
import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { BACKUP_NAME, BACKUP_NAME_HINT, BACKUP_REASON, type BackupInfo, type RestoreResult } from '../../schemas/backup.js';
import { AppError, ConflictError, InvalidError, NotFoundError } from '../errors.js';
import type { EventBus } from '../events.js';
import { processAlive } from '../process-alive.js';
import type { VerifyReply, VerifyRequest } from './backup-verify-worker.js';
import { schemaVersion } from './db.js';
import { migrations } from './migrations.js';
import { databaseFile, MigrationError, type Store } from './store.js';

/** Schema version of the database this program writes. */
export const SCHEMA_VERSION = migrations.at(-1)?.version ?? 0;

/** Backups taken just before a restore: kept apart, so restoring never pushes out regular backups. */
export const PRE_RESTORE = 'pre-restore';

/** The settings key of the box's HDHomeRun identity (see engine/tuner/identity.ts): kept across restores. */
const IDENTITY_KEY = 'tuner.identity';

export interface BackupDeps {
  store: Store;
  dataDir: string;
  /** Backups kept per group (regular; pre-restore). */
  keep: number;
  events: EventBus;
  /**
   * Refuses new scans and sessions (a 503 until restored() runs) and stops what writes to the
   * database (scans, live sessions); resolves to the sessions stopped.
   */
  quiesce(): Promise<number>;
  /**
   * The restore is over, whichever database is live now (the backup, or the old one put back after
   * a failure): allow scans and sessions again, refill timelines, restart always-on channels.
   */
  restored(): Promise<void>;
}

/** 2025-01-31T03:30:00.123Z → 20250131T033000Z */
export function utcStamp(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
}

const stampIso = (s: string) => `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`;

/** user_version from the file's header, or null when it is not an SQLite database (no SQLite opens it). */
function headerVersion(file: string): number | null {
  const buf = Buffer.alloc(100);
  let fd: number;
  try { fd = openSync(file, 'r'); } catch { return null; }
  try {
    if (readSync(fd, buf, 0, 100, 0) < 100) return null;
  } finally { closeSync(fd); }
  if (buf.toString('latin1', 0, 16) !== 'SQLite format 3\0') return null;
  return buf.readUInt32BE(60);
}

const removeSidecars = (file: string) => { for (const s of ['-wal', '-shm', '-journal']) rmSync(file + s, { force: true }); };

/** A backup being written (`.<name>.<pid>.tmp`, and SQLite's sidecars of it) in backups/. */
const BACKUP_TMP = /^\..+\.db\.(\d+)\.tmp(?:-journal|-wal|-shm)?$/;
/** A restore's copy of the chosen backup next to the database (`exstreamtv.db.restore-<pid>.tmp`). */
const RESTORE_TMP = /^exstreamtv\.db\.restore-(\d+)\.tmp(?:-journal|-wal|-shm)?$/;

interface Entry extends BackupInfo { stamp: string; seq: number; mtimeMs: number }

export class BackupService {
  readonly dir: string;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: BackupDeps) {
    this.dir = join(deps.dataDir, 'backups');
    // At start nothing of ours is in flight: a leftover with our own pid is a dead namesake's.
    this.removeLeftovers(true);
  }

  /**
   * Removes what a crash during a backup or a restore left behind (temporary copies the size of the
   * database), unless the process that writes it still runs. Returns the names removed.
   */
  removeLeftovers(atStart = false): string[] {
    const removed: string[] = [];
    for (const [dir, re] of [[this.dir, BACKUP_TMP], [this.deps.dataDir, RESTORE_TMP]] as const) {
      let names: string[];
      try { names = readdirSync(dir); } catch { continue; }
      for (const name of names) {
        const m = re.exec(name);
        if (!m) continue;
        const pid = Number(m[1]);
        if (pid === process.pid ? !atStart : processAlive(pid)) continue;
        try {
          rmSync(join(dir, name), { force: true });
          removed.push(name);
        } catch (err) {
          this.deps.events.log('warn', `could not remove ${join(dir, name)}, left by an interrupted backup or restore: ${(err as Error).message}`);
        }
      }
    }
    if (removed.length) this.deps.events.log('info', `removed ${removed.length} file${removed.length > 1 ? 's' : ''} left by an interrupted backup or restore: ${removed.join(', ')}`);
    return removed;
  }

  /** One backup operation at a time (create, restore, delete). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => {});
    return run;
  }

  /** Resolves when no backup operation is running (shutdown waits for it). */
  async idle(): Promise<void> { await this.chain; }

  private entries(): Entry[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: Entry[] = [];
    for (const name of names) {
      const m = BACKUP_NAME.exec(name);
      if (!m) continue;
      const file = join(this.dir, name);
      let st;
      try { st = statSync(file); } catch { continue; }
      if (!st.isFile()) continue;
      out.push({
        name, size: st.size, createdAt: stampIso(m[1]!), reason: m[2] ?? null, schemaVersion: headerVersion(file),
        stamp: m[1]!, seq: m[3] ? Number(m[3]) : 1, mtimeMs: st.mtimeMs,
      });
    }
    // Newest first: by the stamp in the name, then (same second) by write time and sequence number.
    return out.sort((a, b) => (b.stamp < a.stamp ? -1 : b.stamp > a.stamp ? 1 : b.mtimeMs - a.mtimeMs || b.seq - a.seq || (b.name < a.name ? -1 : 1)));
  }

  /** Backups in the backups folder, newest first. */
  list(): BackupInfo[] {
    return this.entries().map(({ stamp: _s, seq: _q, mtimeMs: _m, ...info }) => info);
  }

  /** The path of a listed backup: names are checked, never joined blindly (no ../, no absolute paths). */
  private fileOf(name: string): { file: string; info: BackupInfo } {
    if (typeof name !== 'string' || basename(name) !== name || !BACKUP_NAME.test(name)) throw new InvalidError('name', BACKUP_NAME_HINT);
    const info = this.list().find((b) => b.name === name);
    if (!info) throw new NotFoundError(`backup ${name}`);
    return { file: join(this.dir, name), info };
  }

  /** Takes a backup now (reason: manual, daily, …) and applies the retention. */
  create(reason = 'manual'): Promise<BackupInfo> {
    return this.serial(() => this.take(reason));
  }

  private async take(reason: string): Promise<BackupInfo> {
    if (reason.length > 32 || !BACKUP_REASON.test(reason)) throw new InvalidError('reason', 'must be lowercase words joined by "-", e.g. manual or before-upgrade');
    mkdirSync(this.dir, { recursive: true });
    const base = `exstreamtv-${utcStamp(new Date())}-${reason}`;
    // Several in one second: -2, -3… after the highest of that second (never a pruned name again).
    const same = this.entries().filter((b) => b.name === `${base}.db` || (b.name.startsWith(`${base}-`) && /^\d+\.db$/.test(b.name.slice(base.length + 1))));
    const seq = Math.max(0, ...same.map((b) => b.seq)) + 1;
    let name = seq === 1 ? `${base}.db` : `${base}-${seq}.db`;
    for (let n = seq + 1; this.exists(name); n++) name = `${base}-${n}.db`;
    const tmp = join(this.dir, `.${name}.${process.pid}.tmp`);
    try {
      await this.deps.store.db.backup(tmp);
      // A backup is one self-contained file: rollback journal, so opening it read-only later
      // leaves no -wal/-shm files beside it.
      const copy = new Database(tmp);
      try { copy.pragma('journal_mode = DELETE'); } finally { copy.close(); }
      renameSync(tmp, join(this.dir, name));
    } catch (err) {
      rmSync(tmp, { force: true });
      removeSidecars(tmp);
      throw err;
    }
    const info = this.list().find((b) => b.name === name)!;
    this.deps.events.log('info', `database backed up to ${join(this.dir, name)} (${info.size} bytes, schema v${info.schemaVersion})`);
    // Only the group of this backup: a pre-restore backup never pushes a regular one out.
    this.prune(reason === PRE_RESTORE ? 'pre' : 'regular');
    return info;
  }

  private exists(name: string): boolean {
    try { statSync(join(this.dir, name)); return true; } catch { return false; }
  }

  /**
   * Keeps the newest `keep` regular backups and, apart, the newest `keep` pre-restore ones (only
   * those of `group` when given). Returns what was removed.
   */
  prune(group?: 'regular' | 'pre'): string[] {
    this.removeLeftovers();
    const removed: string[] = [];
    const seen = { regular: 0, pre: 0 };
    for (const b of this.entries()) {
      const g = b.reason === PRE_RESTORE ? 'pre' : 'regular';
      if (++seen[g] <= this.deps.keep || (group && g !== group)) continue;
      try {
        rmSync(join(this.dir, b.name));
        removed.push(b.name);
      } catch (err) {
        this.deps.events.log('warn', `could not remove old backup ${b.name}: ${(err as Error).message}`);
      }
    }
    if (removed.length) this.deps.events.log('info', `removed ${removed.length} old backup${removed.length > 1 ? 's' : ''} (keeping ${this.deps.keep}): ${removed.join(', ')}`);
    return removed;
  }

  remove(name: string): Promise<BackupInfo> {
    return this.serial(async () => {
      const { file, info } = this.fileOf(name);
      rmSync(file);
      this.deps.events.log('info', `backup ${name} deleted`);
      return info;
    });
  }

  /**
   * Checks a backup without touching anything: it opens read-only, passes PRAGMA integrity_check,
   * holds an exstreamtv schema and no newer one than this program's. Returns its schema version.
   * The check runs in a worker thread: it reads every page, and live streams must not stall meanwhile.
   */
  async verify(name: string): Promise<number> {
    const { file } = this.fileOf(name);
    const nothing = 'the live database is unchanged';
    const r = await checkInWorker(file);
    if (!r.ok && r.stage === 'open') {
      if (!existsSync(file)) throw new NotFoundError(`backup ${name}`);
      throw new ConflictError(`backup ${name} cannot be opened (${r.message}); ${nothing}`);
    }
    if (!r.ok) throw new ConflictError(`backup ${name} failed the integrity check: ${r.message}; ${nothing}`);
    const problems = r.problems;
    if (problems.length !== 1 || problems[0] !== 'ok') {
      const first = problems.join('\n').split('\n').filter((l) => l && !l.startsWith('***'))[0] ?? 'not ok';
      throw new ConflictError(`backup ${name} failed the integrity check: ${first.slice(0, 200)}; ${nothing}`);
    }
    const v = r.version;
    if (v === 0) throw new ConflictError(`backup ${name} holds no exstreamtv database (schema version 0); ${nothing}`);
    if (v > SCHEMA_VERSION) {
      throw new ConflictError(`backup ${name} has database schema v${v}, newer than this program's v${SCHEMA_VERSION}: upgrade exstreamtv to restore it; ${nothing}`);
    }
    return v;
  }

  /**
   * Replaces the live database with a backup: verify it, copy it next to the database, refuse new
   * scans and sessions and stop the running ones, take a pre-restore backup (after the stop, so it
   * holds every write), swap the file in atomically (rename over the database, -wal/-shm removed),
   * reopen and migrate. The running engine serves the restored data at once. When the backup cannot
   * be opened or migrated the database before it is put back (a 409 for a migration failure).
   */
  restore(name: string): Promise<RestoreResult> {
    return this.serial(async () => {
      const { store, events, dataDir } = this.deps;
      const { file, info: restored } = this.fileOf(name);
      await this.verify(name);
      const dbFile = databaseFile(dataDir);
      const tmp = `${dbFile}.restore-${process.pid}.tmp`;
      // Copied first: nothing done below (the pre-restore backup, its retention) can take it away.
      try {
        await copyFile(file, tmp);
      } catch (err) {
        rmSync(tmp, { force: true });
        if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !existsSync(file)) throw new NotFoundError(`backup ${name}`);
        throw err;
      }
      let sessionsStopped = 0;
      try {
        sessionsStopped = await this.deps.quiesce();
        const preRestore = await this.take(PRE_RESTORE);
        // From here to the swap nothing awaits: no request can write in between.
        // The box keeps its HDHomeRun identity (DVRs know it by DeviceID; discovery announces it).
        const identity = store.settings.get<unknown>(IDENTITY_KEY, null);
        const swapIn = (from: string) => () => {
          removeSidecars(dbFile);
          renameSync(from, dbFile);
        };
        let migrated: number[];
        try {
          migrated = store.reopen(dbFile, swapIn(tmp));
        } catch (err) {
          const why = (err as Error).message;
          const failed = err instanceof MigrationError
            ? `backup ${name} cannot be migrated to this version: ${why}`
            : `restore from ${name} failed: ${why}`;
          // Put the database back as it was (its pre-restore backup).
          rmSync(tmp, { force: true });
          try {
            store.reopen(dbFile, () => {
              copyFileSync(join(this.dir, preRestore.name), tmp);
              swapIn(tmp)();
            });
          } catch (again) {
            const msg = `${failed}; putting back the database as it was (${preRestore.name}) failed too: ${(again as Error).message}; `
              + `the database is closed: copy ${join(this.dir, preRestore.name)} over ${dbFile} and restart exstreamtv`;
            events.log('error', `database restore: ${msg}`);
            throw new AppError(500, msg);
          }
          events.log('error', `database restore: ${failed}; the database is as it was (${preRestore.name} holds it too)`);
          throw err instanceof MigrationError ? new ConflictError(`${failed}; the database is as it was`) : new AppError(500, `${failed}; the database is as it was`);
        }
        if (identity !== null) store.settings.set(IDENTITY_KEY, identity);
        events.log('info', `database restored from ${name} (schema v${restored.schemaVersion}${migrated.length ? `, migrated to v${SCHEMA_VERSION}` : ''}; the database before it is ${preRestore.name}; ${sessionsStopped} live session${sessionsStopped === 1 ? '' : 's'} stopped)`);
        return { restored, preRestore, schemaVersion: schemaVersion(store.db), migrated, sessionsStopped };
      } finally {
        rmSync(tmp, { force: true });
        // Whichever database is live now: scans and tunes are allowed again, always-on channels run.
        try {
          await this.deps.restored();
        } catch (err) {
          events.log('error', `after the restore: ${(err as Error).message}`);
        }
      }
    });
  }
}

/** Runs the read-only open + integrity check + schema version read of a backup in a worker thread. */
function checkInWorker(file: string): Promise<VerifyReply> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./backup-verify-worker.js', import.meta.url), { workerData: { file } satisfies VerifyRequest });
    let reply: VerifyReply | null = null;
    worker.once('message', (m: VerifyReply) => { reply = m; });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (reply) resolve(reply);
      else reject(new Error(`checking ${basename(file)} stopped without an answer (worker exit code ${code})`));
    });
  });
}
