// The daemon's runtime file (daemon.json: URL, pid, data dir): written in its data dir and, for the
// service, in a well-known system directory (/run/exstreamtv, EXSTREAMTV_RUNTIME_DIR) so that a
// CLI or TUI typed by any user on the box can find it. Removed on a clean stop; a stale one (its
// pid gone, its URL silent) is ignored by readers.
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const RUNTIME_FILE = 'daemon.json';
export const DEFAULT_RUNTIME_DIR = '/run/exstreamtv';

const runtimeInfo = z.object({
  url: z.string().url(),
  pid: z.number().int().positive(),
  dataDir: z.string().min(1),
  /** `serve` (the daemon, the service) or `tui` (the server a TUI runs while no daemon does). */
  role: z.enum(['serve', 'tui']),
  startedAt: z.string(),
});
export type RuntimeInfo = z.infer<typeof runtimeInfo>;

/** The system runtime directory: EXSTREAMTV_RUNTIME_DIR, else /run/exstreamtv. */
export function systemRuntimeDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.EXSTREAMTV_RUNTIME_DIR || DEFAULT_RUNTIME_DIR;
}

export function parseRuntimeInfo(text: string): RuntimeInfo | null {
  try {
    const r = runtimeInfo.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/** The runtime file in `dir`, or null when absent, unreadable or malformed. */
export function readRuntimeFile(dir: string): RuntimeInfo | null {
  try {
    return parseRuntimeInfo(readFileSync(join(dir, RUNTIME_FILE), 'utf8'));
  } catch {
    return null;
  }
}

/** Whether a process with this pid exists (EPERM: it does, as another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Writes `dir/daemon.json` atomically (world-readable: it holds no secret). With `onlyIfFree`, a
 * file of another live process is left alone (the first daemon of the box keeps the system slot).
 * Returns an error message instead of throwing: a runtime file is a convenience, never fatal.
 */
export function writeRuntimeFile(dir: string, info: RuntimeInfo, o: { create?: boolean; onlyIfFree?: boolean } = {}): string | null {
  try {
    if (o.create) mkdirSync(dir, { recursive: true, mode: 0o755 });
    if (o.onlyIfFree) {
      const cur = readRuntimeFile(dir);
      if (cur && cur.pid !== info.pid && pidAlive(cur.pid)) return `${join(dir, RUNTIME_FILE)} belongs to pid ${cur.pid} (${cur.dataDir})`;
    }
    const tmp = join(dir, `.${RUNTIME_FILE}.${process.pid}`);
    writeFileSync(tmp, JSON.stringify(info) + '\n', { mode: 0o644 });
    renameSync(tmp, join(dir, RUNTIME_FILE));
    return null;
  } catch (err) {
    return `cannot write ${join(dir, RUNTIME_FILE)}: ${(err as Error).message}`;
  }
}

/** Removes `dir/daemon.json` when it is this process's. */
export function removeRuntimeFile(dir: string, pid = process.pid): void {
  if (readRuntimeFile(dir)?.pid !== pid) return;
  try { unlinkSync(join(dir, RUNTIME_FILE)); } catch { /* already gone */ }
}
