// SiliconDust UDP discovery responder (port 65001): answers DISCOVER_REQ with DISCOVER_RPY to the
// sender. This is how libhdhomerun (hdhomerun_config), Channels DVR and Jellyfin's "detect" find
// tuners. Bad datagrams are ignored; nothing here throws out of the socket handler.
import { createSocket, type Socket } from 'node:dgram';
import type { LogEvent } from '../engine/events.js';
import type { TunerIdentity } from '../engine/tuner/identity.js';
import { answer } from '../engine/tuner/hdhr-protocol.js';

export type DiscoveryLog = (level: LogEvent['level'], msg: string) => void;

export interface UdpDiscoveryOptions {
  /** UDP port (65001 for real clients; 0 = any free port). */
  port: number;
  /** Bind address (default 0.0.0.0: broadcasts only reach a wildcard-bound socket). */
  host?: string;
  /** SO_REUSEADDR (default true: two responders on one box both see broadcasts). */
  reuseAddr?: boolean;
  identity: TunerIdentity;
  tunerCount: number;
  /** BASE_URL (no trailing slash) for a reply to this sender address. */
  baseUrlFor(remoteAddress: string): string;
  log: DiscoveryLog;
  /** Most replies per second (default 200): a cap on reflection abuse. */
  maxRepliesPerS?: number;
}

export interface UdpDiscovery {
  /** Bound port, or null when the socket could not be bound (already logged). */
  port: number | null;
  close(): Promise<void>;
}

/** How often a debug line about ignored datagrams may be printed. */
const IGNORED_LOG_EVERY_MS = 10_000;

export async function startUdpDiscovery(opts: UdpDiscoveryOptions): Promise<UdpDiscovery> {
  const host = opts.host ?? '0.0.0.0';
  const socket: Socket = createSocket({ type: 'udp4', reuseAddr: opts.reuseAddr ?? true });
  const maxPerS = opts.maxRepliesPerS ?? 200;
  let ignored = 0, lastIgnoredLog = 0, windowStart = 0, repliesInWindow = 0;

  const noteIgnored = (why: string) => {
    ignored++;
    const now = Date.now();
    if (now - lastIgnoredLog < IGNORED_LOG_EVERY_MS) return;
    lastIgnoredLog = now;
    opts.log('debug', `UDP discovery: ignored ${ignored} datagram(s) so far (latest: ${why})`);
  };

  socket.on('message', (msg, rinfo) => {
    try {
      const baseUrl = opts.baseUrlFor(rinfo.address);
      const reply = answer(msg, {
        deviceId: opts.identity.deviceId, tunerCount: opts.tunerCount, deviceAuth: opts.identity.deviceAuth,
        baseUrl, lineupUrl: `${baseUrl}/lineup.json`,
      });
      if (!reply) return noteIgnored(`${msg.length} bytes from ${rinfo.address}:${rinfo.port}`);
      if (rinfo.port === 0) return noteIgnored(`source port 0 from ${rinfo.address}`);
      const now = Date.now();
      if (now - windowStart >= 1000) { windowStart = now; repliesInWindow = 0; }
      if (++repliesInWindow > maxPerS) return noteIgnored('reply rate limit');
      socket.send(reply, rinfo.port, rinfo.address, (err) => {
        if (err) noteIgnored(`reply to ${rinfo.address}:${rinfo.port} failed: ${err.message}`);
      });
    } catch (err) {
      noteIgnored(`handler error: ${(err as Error).message}`);
    }
  });

  const bound = await new Promise<Error | null>((resolve) => {
    const onError = (err: Error) => resolve(err);
    socket.once('error', onError);
    socket.bind({ port: opts.port, address: host }, () => {
      socket.off('error', onError);
      resolve(null);
    });
  });

  if (bound) {
    const code = (bound as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? `UDP port ${opts.port} is already in use` : code === 'EACCES' ? `no permission to bind UDP port ${opts.port}` : bound.message;
    opts.log('warn', `UDP discovery off: ${why}; Channels DVR / Jellyfin "detect" won't find this tuner (add it by URL instead)`);
    try { socket.close(); } catch { /* never bound */ }
    return { port: null, close: async () => {} };
  }

  // Later socket errors (e.g. ICMP-driven send failures) must not crash the daemon.
  socket.on('error', (err) => noteIgnored(`socket error: ${err.message}`));
  const port = socket.address().port;
  let closed: Promise<void> | null = null;
  return {
    port,
    close: () => (closed ??= new Promise<void>((resolve) => {
      try { socket.close(() => resolve()); } catch { resolve(); }
    })),
  };
}
