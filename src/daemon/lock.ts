// One live daemon per data directory. The lock is a Linux abstract-namespace Unix socket named
// after the directory's device and inode: binding it is atomic, the kernel frees it the moment
// the holding process dies (SIGKILL and crashes included: nothing stale to clean up), and the
// holder answers a connection with its runtime info, so a refusal can say who holds it.
import { mkdirSync, statSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { parseRuntimeInfo, type RuntimeInfo } from './runtime-file.js';

export class DataDirBusyError extends Error {
  constructor(readonly dataDir: string, readonly holder: RuntimeInfo | null) {
    super(`the data directory ${dataDir} is already served by ${holder ? `exstreamtv pid ${holder.pid} (${holder.role === 'tui' ? 'a terminal UI' : 'exstreamtv serve'}) at ${holder.url}` : 'another exstreamtv process'}: `
      + `one process per data directory (talk to it with --url ${holder?.url ?? 'http://HOST:PORT'}, or choose another --data-dir)`);
  }
}

export interface DataDirLock {
  /** What the lock answers from now on (the URL is known only after listen). */
  update(info: RuntimeInfo): void;
  release(): Promise<void>;
}

function lockName(dataDir: string): string {
  const st = statSync(dataDir);
  return `\0exstreamtv/datadir/${st.dev}:${st.ino}`;
}

/** The runtime info of the process holding the data dir's lock; null when none holds it. */
export function lockHolder(dataDir: string, timeoutMs = 1000): Promise<RuntimeInfo | 'held' | null> {
  let name: string;
  try { name = lockName(dataDir); } catch { return Promise.resolve(null); }
  return new Promise((resolve) => {
    const sock = connect({ path: name });
    let text = '';
    const done = (v: RuntimeInfo | 'held' | null) => { clearTimeout(timer); sock.destroy(); resolve(v); };
    const timer = setTimeout(() => done('held'), timeoutMs);
    sock.setEncoding('utf8');
    sock.on('data', (d) => (text += d));
    sock.on('end', () => done(parseRuntimeInfo(text) ?? 'held'));
    sock.on('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED' || err.code === 'ENOENT' ? null : 'held'));
  });
}

/** Takes the data dir's lock (creating the directory) or throws DataDirBusyError naming the holder. */
export async function acquireDataDirLock(dataDir: string, info: RuntimeInfo): Promise<DataDirLock> {
  mkdirSync(dataDir, { recursive: true });
  let current = info;
  const server: Server = createServer((sock) => {
    // A client may hang up before reading (a timed-out probe, a process gone): EPIPE/ECONNRESET
    // on this socket must not become an uncaught error that takes the daemon down.
    sock.on('error', () => {});
    sock.end(JSON.stringify(current));
  });
  server.on('error', () => { /* only listen errors matter, handled below */ });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ path: lockName(dataDir) }, () => { server.off('error', reject); resolve(); });
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    const holder = await lockHolder(dataDir);
    throw new DataDirBusyError(dataDir, holder === 'held' ? null : holder);
  }
  server.unref();
  return {
    update(next) { current = next; },
    release: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
