// The store: one SQLite file, and the repositories that are the only code with SQL.
import { join } from 'node:path';
import { AppError } from '../errors.js';
import { migrate, openDatabase, type Db } from './db.js';
import { ChannelsRepo } from './repos/channels.js';
import { CollectionsRepo } from './repos/collections.js';
import { ItemsRepo } from './repos/items.js';
import { ProfilesRepo } from './repos/profiles.js';
import { SettingsRepo } from './repos/settings.js';
import { ShowsRepo } from './repos/shows.js';
import { SourcesRepo } from './repos/sources.js';
import { TimelineRepo } from './repos/timeline.js';

export class Store {
  // Replaced together by reopen() (a restore): services reach the repositories through this object
  // on every call, so none of them holds a repository or the connection of its own.
  readonly db!: Db;
  readonly settings!: SettingsRepo;
  readonly sources!: SourcesRepo;
  readonly shows!: ShowsRepo;
  readonly items!: ItemsRepo;
  readonly collections!: CollectionsRepo;
  readonly channels!: ChannelsRepo;
  readonly timeline!: TimelineRepo;
  readonly profiles!: ProfilesRepo;

  constructor(db: Db) {
    this.bind(db);
  }

  private bind(db: Db): void {
    Object.assign(this, {
      db,
      settings: new SettingsRepo(db),
      sources: new SourcesRepo(db),
      shows: new ShowsRepo(db),
      items: new ItemsRepo(db),
      collections: new CollectionsRepo(db),
      channels: new ChannelsRepo(db),
      timeline: new TimelineRepo(db),
      profiles: new ProfilesRepo(db),
    });
  }

  /**
   * Puts another database file under this live store (a restore), synchronously: closes the
   * connection (SQLite checkpoints the WAL), lets `replace` put the new file in place, then opens,
   * migrates and points every repository at the new connection. Returns the migrations applied.
   * When migrating fails it throws a MigrationError; when anything fails the store is left closed
   * (every repository call throws a 503 saying so): call reopen again with a good file.
   */
  reopen(file: string, replace: () => void): number[] {
    this.close();
    try {
      replace();
      const db = openDatabase(file);
      let applied: number[];
      try {
        applied = migrate(db);
      } catch (err) {
        db.close();
        throw new MigrationError((err as Error).message, { cause: err });
      }
      this.bind(db);
      return applied;
    } catch (err) {
      this.bind(closedDb(this.db, `the database is closed (opening ${file} failed: ${(err as Error).message}); see the server log`));
      throw err;
    }
  }

  /** Runs fn in one transaction (nested calls become savepoints): all of it lands, or none. */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Migrating a database (put in place by reopen) failed: the file holds a schema this program cannot bring up to date. */
export class MigrationError extends Error {}

/**
 * A closed connection whose every use throws a 503 with `message` (the API's answer while the store
 * is closed after a failed reopen) instead of better-sqlite3's "The database connection is not open".
 */
function closedDb(db: Db, message: string): Db {
  const fail = () => { throw new AppError(503, message); };
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'open') return false;
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? fail : v;
    },
  });
}

export const databaseFile = (dataDir: string) => join(dataDir, 'exstreamtv.db');

export function openStore(file: string): Store {
  const db = openDatabase(file);
  try {
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return new Store(db);
}
