// How the TUI reaches a daemon. It is always a client of the HTTP API and the SSE event stream:
//  - --url: that instance (remote);
//  - else the running daemon found as the CLI finds it (this data dir's, else the service's);
//  - else it starts the daemon's composition root in this process, listening on 127.0.0.1 only
//    (the configured port, or any free one when that is taken), and attaches to it the same way.
// Listening (rather than fastify inject) keeps one code path for both cases — the event stream is
// SSE over HTTP — and a DVR or `mpv` on this host can tune channels while the TUI is open.
import { hostname } from 'node:os';
import { configFrom, explicitDataDir, tokenFor, type GlobalOptions } from '../client/locate.js';
import { assertNotHeld, findDaemon, notFoundHint } from '../daemon/discover.js';
import type { Daemon } from '../main.js';
import { ApiClient, ApiError } from '../client/api-client.js';
import { readAdminToken } from '../server/security/token.js';
import { sseFeed, type EventFeed } from './feed.js';
import { keepAliveTransport } from './transport.js';
import type { AttachInfo } from './view.js';

export interface Attached {
  client: ApiClient;
  feed: EventFeed;
  info: AttachInfo;
  /** Detaches; stops the in-process daemon (sessions, ffmpeg, SQLite) when there is one. */
  close(): Promise<void>;
}

const REQUEST_TIMEOUT_MS = 10_000;

function probeFor(base: string): AttachInfo['probe'] {
  return async (path) => {
    try {
      return (await fetch(base + path, { method: 'HEAD', signal: AbortSignal.timeout(3000) })).status;
    } catch {
      return 0;
    }
  };
}

export async function attach(g: GlobalOptions): Promise<Attached> {
  if (g.url) {
    const base = g.url.replace(/\/+$/, '');
    const token = tokenFor(g);
    const transport = keepAliveTransport(base, { timeoutMs: REQUEST_TIMEOUT_MS, token });
    const client = new ApiClient(transport);
    const status = await client.status();
    if ((status as { name?: string }).name !== 'exstreamtv') throw new ApiError(0, `${base} does not look like exstreamtv (no name in /api/status)`);
    let host = base;
    try { host = new URL(base).hostname; } catch { /* keep the URL */ }
    return { client, feed: sseFeed(base, token), info: { apiUrl: base, mode: 'remote', host, probe: probeFor(base) }, close: async () => transport.close() };
  }

  const config = configFrom(g);
  const token = tokenFor(g, config.dataDir);
  const lookup = await findDaemon(config, { explicitDataDir: explicitDataDir(g) });
  if (lookup.found) {
    const url = lookup.found.url;
    const found = lookup.found.dataDir && lookup.found.dataDir !== config.dataDir ? tokenFor(g, lookup.found.dataDir) : token;
    const transport = keepAliveTransport(url, { timeoutMs: REQUEST_TIMEOUT_MS, token: found });
    return {
      client: new ApiClient(transport),
      feed: sseFeed(url, found),
      info: { apiUrl: url, mode: 'daemon', host: hostname(), probe: probeFor(url) },
      close: async () => transport.close(),
    };
  }

  assertNotHeld(lookup, config.dataDir);
  // No daemon: be one, on loopback, for as long as the TUI is open. Its log lines reach the log
  // pane through the event stream; nothing is printed (logLevel silent), and LAN discovery stays
  // off because nothing outside this host could reach a loopback server anyway.
  const { startDaemon } = await import('../main.js');
  const local = { ...config, bind: '127.0.0.1', logLevel: 'silent' as const, ssdp: false, udpDiscovery: false };
  let daemon: Daemon;
  let note: string | undefined;
  try {
    daemon = await startDaemon(local, { role: 'tui' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    daemon = await startDaemon({ ...local, port: 0 }, { role: 'tui' });
    note = `port ${config.port} is taken by another program: serving on a free port instead`;
  }
  const addr = daemon.app.server.address();
  const port = addr && typeof addr === 'object' ? addr.port : config.port;
  const base = `http://127.0.0.1:${port}`;
  // The token file exists now (the daemon made it on start): needed when trustLoopback is off.
  const own = token ?? readAdminToken(config.dataDir);
  const transport = keepAliveTransport(base, { timeoutMs: REQUEST_TIMEOUT_MS, token: own });
  return {
    client: new ApiClient(transport),
    feed: sseFeed(base, own),
    info: {
      apiUrl: base, mode: 'in-process', host: hostname(), probe: probeFor(base),
      note: note ?? `no daemon running: this TUI serves the API (loopback only) until you quit — ${notFoundHint(lookup)}`,
    },
    close: async () => { transport.close(); await daemon.stop(); },
  };
}
