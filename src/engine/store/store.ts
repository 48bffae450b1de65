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
  readonly settings: SettingsRepo;
  readonly sources: SourcesRepo;
  readonly shows: ShowsRepo;
  readonly items: ItemsRepo;
  readonly collections: CollectionsRepo;
  readonly channels: ChannelsRepo;
  readonly timeline: TimelineRepo;
  readonly profiles: ProfilesRepo;

  constructor(readonly db: Db) {
    this.settings = new SettingsRepo(db);
    this.sources = new SourcesRepo(db);
    this.shows = new ShowsRepo(db);
    this.items = new ItemsRepo(db);
    this.collections = new CollectionsRepo(db);
    this.channels = new ChannelsRepo(db);
    this.timeline = new TimelineRepo(db);
    this.profiles = new ProfilesRepo(db);
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
