// The store: one SQLite file, and the repositories that are the only code with SQL.
import { join } from 'node:path';
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
   * When opening or migrating fails the store is left closed; call reopen again with a good file.
   */
  reopen(file: string, replace: () => void): number[] {
    this.close();
    replace();
    const db = openDatabase(file);
    let applied: number[];
    try {
      applied = migrate(db);
    } catch (err) {
      db.close();
      throw err;
    }
    this.bind(db);
    return applied;
  }

  /** Runs fn in one transaction (nested calls become savepoints): all of it lands, or none. */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
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
