// Read-only access to another program's files: JSON files and folders that fail with a clear
// ImportReadError naming the file, and SQLite databases opened read-only (never created, never
// written, no WAL side files left behind by us).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ImportReadError } from './model.js';

export function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ImportReadError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ImportReadError(`${file} is not valid JSON (${(err as Error).message}); nothing was imported`);
  }
}

/** JSON files of a folder (sorted by name), or [] when the folder does not exist. */
export function jsonFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => join(dir, f));
  } catch {
    return [];
  }
}

export const isDir = (p: string) => { try { return statSync(p).isDirectory(); } catch { return false; } };
export const isFile = (p: string) => { try { return statSync(p).isFile(); } catch { return false; } };

export type ReadOnlyDb = Database.Database;

/** Opens a SQLite database read-only and checks it is one; the caller closes it. */
export function openReadOnly(file: string, needTables: readonly string[]): ReadOnlyDb {
  let db: ReadOnlyDb;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new ImportReadError(`cannot open ${file}: ${(err as Error).message}`);
  }
  try {
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
    const missing = needTables.filter((t) => !tables.has(t));
    if (missing.length) throw new ImportReadError(`${file} is not the expected database: it has no ${missing.join(', ')} table${missing.length > 1 ? 's' : ''}`);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof ImportReadError) throw err;
    throw new ImportReadError(`${file} is not a readable SQLite database (${(err as Error).message}); nothing was imported`);
  }
}

/** Rows of a query the import cannot do without: a missing table or column is a clear error, never an empty list. */
export function rows<T>(db: ReadOnlyDb, sql: string, ...args: unknown[]): T[] {
  try {
    return db.prepare(sql).all(...args) as T[];
  } catch (err) {
    throw new ImportReadError(`reading the database failed (${(err as Error).message}): is it from a version this import knows?`);
  }
}

/** Rows of an optional part (absent in some versions of the other program): [] when its table or column is absent. */
export function rowsOr<T>(db: ReadOnlyDb, sql: string, ...args: unknown[]): T[] {
  try {
    return db.prepare(sql).all(...args) as T[];
  } catch (err) {
    if (/no such (table|column)/.test((err as Error).message)) return [];
    throw new ImportReadError(`reading the database failed: ${(err as Error).message}`);
  }
}
