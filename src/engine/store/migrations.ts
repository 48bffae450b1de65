// Versioned schema. Each migration runs inside one transaction and bumps PRAGMA user_version.
// Never edit a released migration: append a new one.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: /* sql */ `
CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,               -- JSON
  updated_at INTEGER NOT NULL
);

-- Where media comes from. kind: local | plex | jellyfin | emby | iptv | youtube | archive.
CREATE TABLE media_sources (
  id               INTEGER PRIMARY KEY,
  kind             TEXT NOT NULL,
  name             TEXT NOT NULL,
  config           TEXT NOT NULL,          -- JSON, per kind (local: {path})
  enabled          INTEGER NOT NULL DEFAULT 1,
  created_at       INTEGER NOT NULL,
  last_scan_at     INTEGER,
  last_scan_status TEXT,
  UNIQUE (kind, name)
);

CREATE TABLE shows (
  id           INTEGER PRIMARY KEY,
  source_id    INTEGER NOT NULL REFERENCES media_sources(id) ON DELETE CASCADE,
  external_key TEXT NOT NULL,              -- local: folder path relative to the source
  title        TEXT NOT NULL,
  sort_title   TEXT NOT NULL,
  year         INTEGER,
  plot         TEXT,
  genres       TEXT NOT NULL DEFAULT '[]', -- JSON array
  images       TEXT NOT NULL DEFAULT '{}', -- JSON {poster, fanart, ...}
  external_ids TEXT NOT NULL DEFAULT '{}', -- JSON {imdb, tvdb, tmdb}
  UNIQUE (source_id, external_key)
);

CREATE TABLE seasons (
  id      INTEGER PRIMARY KEY,
  show_id INTEGER NOT NULL REFERENCES shows(id) ON DELETE CASCADE,
  number  INTEGER NOT NULL,               -- 0 = specials
  title   TEXT,
  UNIQUE (show_id, number)
);

-- One playable thing. status: ok | missing (vanished from its source) | unreadable (probe failed).
-- Only status = ok with a positive duration is ever scheduled.
CREATE TABLE media_items (
  id             INTEGER PRIMARY KEY,
  source_id      INTEGER NOT NULL REFERENCES media_sources(id) ON DELETE CASCADE,
  external_key   TEXT NOT NULL,            -- local: path relative to the source root
  kind           TEXT NOT NULL CHECK (kind IN ('movie', 'episode', 'other')),
  locator        TEXT NOT NULL,            -- JSON: {type:'file', path} | {type:'url', url} | {type:'resolve', ...}
  fingerprint    TEXT NOT NULL,            -- change detector (local: size:mtime)
  size           INTEGER,
  mtime_ms       INTEGER,
  status         TEXT NOT NULL CHECK (status IN ('ok', 'missing', 'unreadable')),
  error          TEXT,                     -- why it is unreadable (ffprobe's words)
  missing_since  INTEGER,
  title          TEXT NOT NULL,
  sort_title     TEXT NOT NULL,
  show_id        INTEGER REFERENCES shows(id) ON DELETE SET NULL,
  season_id      INTEGER REFERENCES seasons(id) ON DELETE SET NULL,
  season_number  INTEGER,
  episode_number INTEGER,
  episode_end    INTEGER,                  -- multi-episode files: S01E01-E02 → 1..2
  year           INTEGER,
  release_date   TEXT,                     -- ISO date
  plot           TEXT,
  genres         TEXT NOT NULL DEFAULT '[]',
  people         TEXT NOT NULL DEFAULT '[]',
  images         TEXT NOT NULL DEFAULT '{}',
  external_ids   TEXT NOT NULL DEFAULT '{}',
  content_rating TEXT,
  duration_ms    INTEGER,
  container      TEXT,
  bit_rate       INTEGER,
  probed_at      INTEGER,
  added_at       INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  UNIQUE (source_id, external_key)
);
CREATE INDEX media_items_show ON media_items (show_id, season_number, episode_number);
CREATE INDEX media_items_status ON media_items (status);

-- Probed streams. type: video | audio | subtitle | attachment | data.
CREATE TABLE media_streams (
  item_id        INTEGER NOT NULL REFERENCES media_items(id) ON DELETE CASCADE,
  idx            INTEGER NOT NULL,         -- absolute stream index in the container (what -map wants)
  type           TEXT NOT NULL,
  codec          TEXT,
  profile        TEXT,
  language       TEXT,
  title          TEXT,
  is_default     INTEGER NOT NULL DEFAULT 0,
  is_forced      INTEGER NOT NULL DEFAULT 0,
  width          INTEGER,
  height         INTEGER,
  fps            REAL,
  field_order    TEXT,                     -- progressive | tt | bb | tb | bt | unknown
  sar            TEXT,                     -- "8:9"
  dar            TEXT,
  pix_fmt        TEXT,
  channels       INTEGER,
  channel_layout TEXT,
  sample_rate    INTEGER,
  bit_rate       INTEGER,
  PRIMARY KEY (item_id, idx)
);

CREATE TABLE media_chapters (
  item_id  INTEGER NOT NULL REFERENCES media_items(id) ON DELETE CASCADE,
  idx      INTEGER NOT NULL,
  start_ms INTEGER NOT NULL,
  end_ms   INTEGER NOT NULL,
  title    TEXT,
  PRIMARY KEY (item_id, idx)
);

-- Full-text search over titles, show names, plots, genres and file names.
CREATE VIRTUAL TABLE media_search USING fts5 (
  title, show_title, plot, genres, path,
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER media_items_ai AFTER INSERT ON media_items BEGIN
  INSERT INTO media_search (rowid, title, show_title, plot, genres, path)
  VALUES (new.id, new.title, (SELECT title FROM shows WHERE id = new.show_id), new.plot, new.genres, new.external_key);
END;
CREATE TRIGGER media_items_au AFTER UPDATE OF title, show_id, plot, genres, external_key ON media_items BEGIN
  DELETE FROM media_search WHERE rowid = old.id;
  INSERT INTO media_search (rowid, title, show_title, plot, genres, path)
  VALUES (new.id, new.title, (SELECT title FROM shows WHERE id = new.show_id), new.plot, new.genres, new.external_key);
END;
CREATE TRIGGER media_items_ad AFTER DELETE ON media_items BEGIN
  DELETE FROM media_search WHERE rowid = old.id;
END;
CREATE TRIGGER shows_au AFTER UPDATE OF title ON shows BEGIN
  UPDATE media_search SET show_title = new.title WHERE rowid IN (SELECT id FROM media_items WHERE show_id = new.id);
END;

-- kind: manual (explicit items) | search (saved FTS query, evaluated when used).
CREATE TABLE collections (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  kind       TEXT NOT NULL CHECK (kind IN ('manual', 'search')),
  query      TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK ((kind = 'search') = (query IS NOT NULL))
);
CREATE TABLE collection_items (
  collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
  item_id       INTEGER NOT NULL REFERENCES media_items(id) ON DELETE CASCADE,
  position      INTEGER NOT NULL,
  PRIMARY KEY (collection_id, item_id)
);

-- number is canonical text ("5", "5.1"); major/minor sort it numerically.
CREATE TABLE channels (
  id           INTEGER PRIMARY KEY,
  number       TEXT NOT NULL UNIQUE,
  number_major INTEGER NOT NULL,
  number_minor INTEGER NOT NULL DEFAULT 0,
  name         TEXT NOT NULL,
  group_name   TEXT,
  logo         TEXT,
  enabled      INTEGER NOT NULL DEFAULT 1,
  stream       TEXT NOT NULL DEFAULT '{}', -- JSON stream settings (profile, watermark, ...)
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);

-- What a channel airs: a JSON definition validated by zod (see schemas), with its RNG seed.
CREATE TABLE schedule_definitions (
  channel_id INTEGER PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
  definition TEXT NOT NULL,
  seed       INTEGER NOT NULL,
  revision   INTEGER NOT NULL DEFAULT 1,
  updated_at INTEGER NOT NULL
);

-- THE one truth for guide and playback. Times are epoch milliseconds; [start_ms, end_ms).
-- in_ms/out_ms: the part of the item that airs. cursor: the builder's progress after this row,
-- so a rebuild from any row continues the series instead of restarting it.
CREATE TABLE timeline_rows (
  id         INTEGER PRIMARY KEY,
  channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  start_ms   INTEGER NOT NULL,
  end_ms     INTEGER NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('item', 'filler', 'slate')),
  item_id    INTEGER REFERENCES media_items(id) ON DELETE SET NULL,
  in_ms      INTEGER NOT NULL DEFAULT 0,
  out_ms     INTEGER NOT NULL,
  title      TEXT,                         -- slate text or guide title override
  cursor     TEXT,                         -- JSON
  CHECK (end_ms > start_ms),
  CHECK (out_ms - in_ms = end_ms - start_ms),
  UNIQUE (channel_id, start_ms)
);
CREATE INDEX timeline_rows_end ON timeline_rows (channel_id, end_ms);
`,
  },
  {
    version: 2,
    name: 'redirect rows',
    // SQLite cannot change a CHECK constraint in place: rebuild the table.
    sql: /* sql */ `
CREATE TABLE timeline_rows_v2 (
  id         INTEGER PRIMARY KEY,
  channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  start_ms   INTEGER NOT NULL,
  end_ms     INTEGER NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('item', 'filler', 'slate', 'redirect')),
  item_id    INTEGER REFERENCES media_items(id) ON DELETE SET NULL,
  in_ms      INTEGER NOT NULL DEFAULT 0,
  out_ms     INTEGER NOT NULL,
  title      TEXT,
  target     TEXT,                         -- redirect: the channel number aired instead
  cursor     TEXT,
  CHECK (end_ms > start_ms),
  CHECK (out_ms - in_ms = end_ms - start_ms),
  CHECK ((kind = 'redirect') = (target IS NOT NULL)),
  UNIQUE (channel_id, start_ms)
);
INSERT INTO timeline_rows_v2 (id, channel_id, start_ms, end_ms, kind, item_id, in_ms, out_ms, title, target, cursor)
  SELECT id, channel_id, start_ms, end_ms, kind, item_id, in_ms, out_ms, title, NULL, cursor FROM timeline_rows;
DROP TABLE timeline_rows;
ALTER TABLE timeline_rows_v2 RENAME TO timeline_rows;
CREATE INDEX timeline_rows_end ON timeline_rows (channel_id, end_ms);
`,
  },
  {
    version: 3,
    name: 'encoder profiles',
    // User encoder profiles; built-in ones live in code. Channels refer to a profile by name
    // (channels.stream.profile), so a profile in use cannot be deleted.
    sql: /* sql */ `
CREATE TABLE encoder_profiles (
  name       TEXT PRIMARY KEY COLLATE NOCASE,
  settings   TEXT NOT NULL,               -- JSON: kind, codec, size, rates, scaling, audio, loudness
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
`,
  },
  {
    version: 4,
    name: 'server collections',
    // Collections and playlists of a media server, kept in sync by its library source's scans:
    // the source and the server's key. A removed source leaves its collections as manual ones.
    sql: /* sql */ `
ALTER TABLE collections ADD COLUMN source_id INTEGER REFERENCES media_sources(id) ON DELETE SET NULL;
ALTER TABLE collections ADD COLUMN external_key TEXT;
CREATE UNIQUE INDEX collections_source_key ON collections (source_id, external_key) WHERE source_id IS NOT NULL;
`,
  },
  {
    version: 5,
    name: 'probe again: audio-only and too-short items',
    // Audio-only files now air (over their cover art) and items under 1 s are recorded as too short
    // to air: forget the fingerprint of those judged by the old rules, so the next scan probes them again.
    sql: /* sql */ `
UPDATE media_items SET fingerprint = ''
  WHERE error = 'no video stream (audio only)' OR (status = 'ok' AND duration_ms IS NOT NULL AND duration_ms < 1000);
`,
  },
];
