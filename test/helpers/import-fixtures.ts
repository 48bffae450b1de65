// Import fixtures made real at test time: copies a folder of test/fixtures/<program> with its
// placeholders filled ({{PLEX_URL}}, {{PLEX_TOKEN}}, {{key:NAME}} = a fake Plex item's ratingKey,
// {{MEDIA}} = a folder of real clips), builds SQLite databases from the committed .sql files, and
// the fake Plex library the fixtures point into.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakePlex, type FakePlex } from '../fakes/plex.js';
import { startApi, type TestApi } from './api.js';

export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));

export function fill(text: string, vars: Record<string, string>, keys: Record<string, string>): string {
  return text.replace(/\{\{(key:)?([\w-]+)\}\}/g, (all, isKey: string | undefined, name: string) => {
    const v = isKey ? keys[name] : vars[name];
    if (v === undefined) throw new Error(`fixture placeholder ${all} has no value`);
    return v;
  });
}

/** Copies test/fixtures/<name> to dest, placeholders filled; .sql files are not copied (see sqlDb). */
export function copyFixture(name: string, dest: string, vars: Record<string, string>, keys: Record<string, string>): void {
  const walk = (from: string, to: string) => {
    mkdirSync(to, { recursive: true });
    for (const f of readdirSync(from)) {
      const p = join(from, f);
      if (statSync(p).isDirectory()) walk(p, join(to, f));
      else if (!f.endsWith('.sql') && f !== 'README.md') writeFileSync(join(to, f), fill(readFileSync(p, 'utf8'), vars, keys));
    }
  };
  walk(join(FIXTURES, name), dest);
}

/** A SQLite file built from committed SQL (schema, then data), placeholders filled. */
export function sqlDb(file: string, sqlFiles: string[], vars: Record<string, string>, keys: Record<string, string>): void {
  const db = new Database(file);
  try {
    for (const f of sqlFiles) db.exec(fill(readFileSync(join(FIXTURES, f), 'utf8'), vars, keys));
  } finally {
    db.close();
  }
}

/** The fake Plex library the fixtures refer to; returns the ratingKeys by fixture name. `files`: real files behind some episodes (e1..e4). */
export function plexLibrary(plex: FakePlex, files: Record<string, string> = {}): Record<string, string> {
  const tv = plex.addSection('TV Shows', 'show', '/data/tv');
  const movies = plex.addSection('Movies', 'movie', '/data/movies');
  const bluey = plex.addShow(tv, 'Bluey', 2018);
  const keys: Record<string, string> = { bluey };
  for (let e = 1; e <= 4; e++) keys[`e${e}`] = plex.addEpisode(tv, bluey, { season: 1, episode: e, title: `Magic Xylophone ${e}`, seconds: 420, ...(files[`e${e}`] ? { file: files[`e${e}`] } : {}) });
  keys.heat = plex.addMovie(movies, { title: 'Heat', year: 1995, seconds: 10_200, imdb: 'tt0113277', tmdb: '949' });
  keys.alien = plex.addMovie(movies, { title: 'Alien', year: 1979, seconds: 7_020, imdb: 'tt0078748', tmdb: '348' });
  keys.bumperA = plex.addMovie(movies, { title: 'Bumper A', year: 2020, seconds: 20, imdb: 'tt9000001', tmdb: '9000001' });
  keys.bumperB = plex.addMovie(movies, { title: 'Bumper B', year: 2020, seconds: 25, imdb: 'tt9000002', tmdb: '9000002' });
  return keys;
}

/** What every import test starts from: the API over a temp engine, the fake Plex with the fixtures' library, a temp folder. */
export interface ImportEnv {
  t: TestApi;
  plex: FakePlex;
  keys: Record<string, string>;
  tmp: string;
  /** Our item id of an item by its external key (a Plex ratingKey, a local file's relative path). */
  itemOf(externalKey: string): number;
  close(): Promise<void>;
}

export async function importEnv(name: string, files: (tmp: string) => Promise<Record<string, string>> = async () => ({}), listen = false): Promise<ImportEnv> {
  const t = await startApi({ listen });
  const plex = await startFakePlex();
  const tmp = await mkdtemp(join(tmpdir(), `exstreamtv-${name}-`));
  const keys = plexLibrary(plex, await files(tmp));
  return {
    t, plex, keys, tmp,
    itemOf: (key) => (t.engine.store.db.prepare('SELECT id FROM media_items WHERE external_key = ?').get(key) as { id: number }).id,
    async close() {
      assert.deepEqual(t.serverErrors, [], 'no 5xx replies');
      await t.close();
      await plex.close();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}
