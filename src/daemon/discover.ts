// Finding the running daemon from a CLI or TUI: the daemon of the chosen data directory (its
// runtime file, its lock, its configured port), else — when no data directory was chosen — the
// service's (the system runtime file). Every place looked at is kept, so "not running" can say
// where it looked and what to type instead.
import { join } from 'node:path';
import type { Config } from '../config.js';
import { DataDirBusyError, lockHolder } from './lock.js';
import { pidAlive, readRuntimeFile, RUNTIME_FILE, systemRuntimeDir, type RuntimeInfo } from './runtime-file.js';

export interface FoundDaemon {
  url: string;
  /** The daemon's data directory (where its admin token lives), from its own /api/status. */
  dataDir: string;
  pid: number | null;
  /** How it was found, e.g. "/run/exstreamtv/daemon.json". */
  via: string;
}

export interface Lookup {
  found: FoundDaemon | null;
  /** Every place looked at, in order. */
  looked: string[];
  /** A live process holding the data dir whose API did not answer (the in-process mode must not open it). */
  holder: RuntimeInfo | 'held' | null;
}

export interface LookupOptions {
  /** A data directory was chosen (--data-dir, EXSTREAMTV_DATA_DIR, --config): do not fall back to the service's. */
  explicitDataDir: boolean;
  env?: NodeJS.ProcessEnv;
  probeTimeoutMs?: number;
}

/** The URL a local client uses for a configured bind address and port. */
export function configuredUrl(config: Pick<Config, 'bind' | 'port'>): string {
  const host = config.bind === '0.0.0.0' ? '127.0.0.1' : config.bind === '::' ? '::1' : config.bind;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}

/** The data directory of the exstreamtv answering at `url`, or null when none answers there. */
export async function servingDataDir(url: string, timeoutMs = 800): Promise<string | null> {
  try {
    const res = await fetch(`${url}/api/status`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return null;
    const body = (await res.json()) as { name?: string; dataDir?: string };
    return body.name === 'exstreamtv' && typeof body.dataDir === 'string' ? body.dataDir : null;
  } catch {
    return null;
  }
}

export async function findDaemon(config: Config, o: LookupOptions): Promise<Lookup> {
  const looked: string[] = [];
  const timeout = o.probeTimeoutMs ?? 800;
  const tryInfo = async (info: RuntimeInfo | null, via: string, wantDataDir: string | null): Promise<FoundDaemon | null> => {
    if (!info || !pidAlive(info.pid)) return null;
    const dataDir = await servingDataDir(info.url, timeout);
    if (!dataDir || (wantDataDir !== null && dataDir !== wantDataDir)) return null;
    return { url: info.url, dataDir, pid: info.pid, via };
  };

  const own = join(config.dataDir, RUNTIME_FILE);
  looked.push(own);
  let found = await tryInfo(readRuntimeFile(config.dataDir), own, config.dataDir);
  if (found) return { found, looked, holder: null };

  const holder = await lockHolder(config.dataDir);
  looked.push(`the lock of ${config.dataDir}`);
  if (holder && holder !== 'held') {
    found = await tryInfo(holder, `the lock of ${config.dataDir}`, config.dataDir);
    if (found) return { found, looked, holder: null };
  }

  const sysDir = systemRuntimeDir(o.env);
  const sys = join(sysDir, RUNTIME_FILE);
  looked.push(o.explicitDataDir ? `${sys} (for ${config.dataDir})` : sys);
  const sysInfo = readRuntimeFile(sysDir);
  if (sysInfo && (!o.explicitDataDir || sysInfo.dataDir === config.dataDir)) {
    found = await tryInfo(sysInfo, sys, o.explicitDataDir ? config.dataDir : null);
    if (found) return { found, looked, holder: null };
  }

  // A daemon of an older version, or one started with another runtime directory.
  const url = configuredUrl(config);
  looked.push(url);
  if ((await servingDataDir(url, timeout)) === config.dataDir) return { found: { url, dataDir: config.dataDir, pid: null, via: url }, looked, holder: null };
  return { found: null, looked, holder };
}

/** One line for every "not running": where it looked and what to type instead. */
export function notFoundHint(l: Pick<Lookup, 'looked'>): string {
  return `no running exstreamtv daemon found (looked at ${l.looked.join(', ')}); for one elsewhere use --url http://HOST:PORT`;
}

/** Before serving a data dir in-process: refuses when a live process holds it (its API silent). */
export function assertNotHeld(l: Lookup, dataDir: string): void {
  if (l.holder) throw new DataDirBusyError(dataDir, l.holder === 'held' ? null : l.holder);
}
