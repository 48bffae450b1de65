// How the TUI reaches a daemon. It is always a client of the HTTP API and the SSE event stream:
//  - --url: that instance (remote);
//  - else the local daemon for this data dir when one answers (same detection as the CLI);
//  - else it starts the daemon's composition root in this process, listening on 127.0.0.1 only
//    (the configured port, or any free one when that is taken), and attaches to it the same way.
// Listening (rather than fastify inject) keeps one code path for both cases — the event stream is
// SSE over HTTP — and a DVR or `mpv` on this host can tune channels while the TUI is open.
import { hostname } from 'node:os';
import { configFrom, daemonServing, daemonUrl, tokenFor, type GlobalOptions } from '../client/locate.js';
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
  const url = daemonUrl(config);
  const token = tokenFor(g, config.dataDir);
  if (await daemonServing(url, config.dataDir, token)) {
    const transport = keepAliveTransport(url, { timeoutMs: REQUEST_TIMEOUT_MS, token });
    return {
      client: new ApiClient(transport),
      feed: sseFeed(url, token),
      info: { apiUrl: url, mode: 'daemon', host: hostname(), probe: probeFor(url) },
      close: async () => transport.close(),
    };
  }

  // No daemon: be one, on loopback, for as long as the TUI is open. Its log lines reach the log
  // pane through the event stream; nothing is printed (logLevel silent), and LAN discovery stays
  // off because nothing outside this host could reach a loopback server anyway.
  const { startDaemon } = await import('../main.js');
  const local = { ...config, bind: '127.0.0.1', logLevel: 'silent' as const, ssdp: false, udpDiscovery: false };
  let daemon: Daemon;
  let note: string | undefined;
  try {
    daemon = await startDaemon(local);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    daemon = await startDaemon({ ...local, port: 0 });
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
      note: note ?? 'no daemon was running: serving the API from this TUI (loopback only) until you quit',
    },
    close: async () => { transport.close(); await daemon.stop(); },
  };
}
