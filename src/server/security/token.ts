// The admin token: 32 random bytes (base64url) in <dataDir>/admin.token, mode 0600, made on first
// start, never logged. The stream token (for ?token= on tuner, guide and stream URLs, which end up
// in DVR settings) is derived from it, so it is not the admin token yet rotates with it.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, openSync, closeSync, readFileSync, renameSync, writeSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const TOKEN_FILE = 'admin.token';

const TOKEN_RE = /^[A-Za-z0-9_-]{32,128}$/;

export const tokenFile = (dataDir: string): string => join(dataDir, TOKEN_FILE);

/** The admin token of a data dir, or null when there is none (or it cannot be read by this user). */
export function readAdminToken(dataDir: string): string | null {
  try {
    const t = readFileSync(tokenFile(dataDir), 'utf8').trim();
    return TOKEN_RE.test(t) ? t : null;
  } catch {
    return null;
  }
}

const newToken = (): string => randomBytes(32).toString('base64url');

/** Writes the token atomically with mode 0600 from the start (never readable by others, not even briefly). */
function writeToken(dataDir: string, token: string): void {
  mkdirSync(dataDir, { recursive: true });
  const file = tokenFile(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, `${token}\n`);
  } finally {
    closeSync(fd);
  }
  try {
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Equal strings, in time that does not depend on where they differ. */
export function sameSecret(given: string | undefined | null, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = createHmac('sha256', 'exstreamtv-compare').update(given).digest();
  const b = createHmac('sha256', 'exstreamtv-compare').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The stream token that goes with an admin token (what ?token= on tuner/stream URLs carries). */
export function streamTokenOf(adminToken: string): string {
  return createHmac('sha256', adminToken).update('exstreamtv stream token').digest('base64url').slice(0, 32);
}

/** The daemon's tokens: loaded (or made) once, replaced by rotate(). */
export class Tokens {
  private admin: string;
  private stream: string;

  constructor(private readonly dataDir: string) {
    let t = readAdminToken(dataDir);
    if (!t) {
      t = newToken();
      writeToken(dataDir, t);
    }
    this.admin = t;
    this.stream = streamTokenOf(t);
  }

  get adminToken(): string { return this.admin; }
  get streamToken(): string { return this.stream; }

  isAdmin(given: string | undefined | null): boolean { return sameSecret(given, this.admin); }
  /** The stream token or the admin token. */
  isStream(given: string | undefined | null): boolean { return sameSecret(given, this.stream) || this.isAdmin(given); }

  /** A new admin (and so stream) token, written before it takes effect. */
  rotate(): void {
    const t = newToken();
    writeToken(this.dataDir, t);
    this.admin = t;
    this.stream = streamTokenOf(t);
  }
}
