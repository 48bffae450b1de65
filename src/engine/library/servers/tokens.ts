// Media-server access tokens: one 0600 file per source under <dataDir>/secrets (folder 0700), read
// when needed (at scan and at air time), so a new token needs no rescan. Never logged.
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const tokenFile = (dataDir: string, sourceId: number) => join(dataDir, 'secrets', `source-${sourceId}.token`);

/** Writes the token atomically with mode 0600 (synchronous: callers run it inside the store transaction). */
export function writeToken(dataDir: string, sourceId: number, token: string): void {
  const dir = join(dataDir, 'secrets');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const file = tokenFile(dataDir, sourceId);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${token}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/** The token, or null when the file is missing or empty. */
export function readToken(dataDir: string, sourceId: number): string | null {
  try {
    return readFileSync(tokenFile(dataDir, sourceId), 'utf8').trim() || null;
  } catch {
    return null;
  }
}

export function removeToken(dataDir: string, sourceId: number): void {
  rmSync(tokenFile(dataDir, sourceId), { force: true });
}
