// SSDP (UPnP) announcements through node-ssdp: Plex finds HDHomeRuns this way. Advertises
// upnp:rootdevice and urn:schemas-upnp-org:device:MediaServer:1 with UDN uuid:<identity.uuid> and
// LOCATION <base>/device.xml, and answers M-SEARCH.
//
// node-ssdp 4.0.1 (pinned) is driven through two of its internals, replacing `_createSockets`:
//  - it only uses non-internal IPv4 interfaces, so a loopback-only host fails with "No sockets
//    available"; here an interface named explicitly in `interfaces` (e.g. 'lo') is used even when
//    internal, which is what the network-namespace test needs;
//  - a failing addMembership/setMulticastTTL inside its 'listening' handler would be thrown as an
//    uncaught exception, and bind errors would leave start() pending forever; here both are caught.
// Each socket also sends its multicast out of its own interface (IP_MULTICAST_IF).
import { createSocket, type Socket } from 'node:dgram';
import { networkInterfaces, release, type } from 'node:os';
import ssdp from 'node-ssdp';
import { VERSION } from '../server/version.js';
import type { DiscoveryLog } from './udp.js';

export const SSDP_DEVICE_TYPE = 'urn:schemas-upnp-org:device:MediaServer:1';

export interface SsdpOptions {
  /** UPnP UDN without "uuid:" (the identity's uuid; device.xml must carry the same). */
  uuid: string;
  /**
   * LOCATION: a fixed URL, or { port, path } for http://<address of the sending interface>:<port><path>.
   */
  location: string | { port: number; path: string };
  /** Interface names to use (default: every non-internal IPv4 one). Named interfaces may be internal (lo). */
  interfaces?: string[];
  /** Bind each socket to its interface address instead of 0.0.0.0 (on Linux that stops multicast reception). */
  explicitSocketBind?: boolean;
  /** Local port (default 1900; another port receives no M-SEARCH). */
  sourcePort?: number;
  /** Interval of NOTIFY ssdp:alive (default 10 s, node-ssdp's). */
  adIntervalMs?: number;
  log: DiscoveryLog;
  /** How long start may take before giving up (default 5 s). */
  startTimeoutMs?: number;
}

export interface SsdpHandle {
  /** Interface addresses in use. */
  addresses: string[];
  /** Sends ssdp:byebye and closes the sockets. */
  close(): Promise<void>;
}

/** What this module touches inside node-ssdp's Server. */
interface SsdpInternals {
  sockets: Record<string, Socket> | null;
  _createSockets(): void;
  _stop(): void;
  _adLoopInterval: NodeJS.Timeout | null;
  start(): Promise<void> | void;
  stop(): void;
  advertise(alive?: boolean): void;
  addUSN(usn: string): void;
}

/** An Error for "no interface", with the message the daemon prints. */
export class NoSsdpInterfaceError extends Error {}

export async function startSsdp(opts: SsdpOptions): Promise<SsdpHandle | null> {
  const port = opts.sourcePort ?? 1900;
  // sourcePort is a real node-ssdp option that @types/node-ssdp lacks.
  const serverOpts = {
    udn: `uuid:${opts.uuid}`,
    location: opts.location,
    sourcePort: port,
    adInterval: opts.adIntervalMs ?? 10_000,
    ssdpSig: `${type()}/${release()} UPnP/1.1 EXStreamTV/${VERSION}`,
    reuseAddr: true,
    ...(opts.explicitSocketBind ? { explicitSocketBind: true } : {}),
    // node-ssdp's debug logger stays quiet unless DEBUG=node-ssdp* is set.
  };
  const server = new ssdp.Server(serverOpts as ConstructorParameters<typeof ssdp.Server>[0]) as unknown as SsdpInternals;
  server.addUSN('upnp:rootdevice');
  server.addUSN(SSDP_DEVICE_TYPE);

  let startError: Error | null = null;
  let failStart: ((err: Error) => void) | null = null;
  const warned = new Set<string>();
  const warnOnce = (key: string, msg: string) => {
    if (warned.has(key)) return;
    warned.add(key);
    opts.log('warn', msg);
  };

  server._createSockets = function createSockets(this: SsdpInternals) {
    const sockets: Record<string, Socket> = {};
    for (const [name, list] of Object.entries(networkInterfaces())) {
      const wanted = opts.interfaces ? opts.interfaces.includes(name) : true;
      for (const a of list ?? []) {
        if (!wanted || a.family !== 'IPv4' || (!opts.interfaces && a.internal) || sockets[a.address]) continue;
        sockets[a.address] = guardedSocket(a.address, name);
      }
    }
    if (Object.keys(sockets).length === 0) {
      throw new NoSsdpInterfaceError(opts.interfaces
        ? `no IPv4 address on interface(s) ${opts.interfaces.join(', ')}`
        : 'no LAN interface (only loopback)');
    }
    this.sockets = sockets;
  };

  function guardedSocket(address: string, name: string): Socket {
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    socket.unref();
    socket.on('error', (err) => {
      if (failStart) failStart(err);
      else warnOnce(`error:${address}`, `SSDP socket on ${name} (${address}): ${err.message}`);
    });
    const join = socket.addMembership.bind(socket);
    socket.addMembership = (group: string, iface?: string) => {
      try {
        join(group, iface);
        socket.setMulticastInterface(address);
      } catch (err) {
        warnOnce(`join:${address}`, `SSDP on ${name} (${address}): cannot join ${group}: ${(err as Error).message}; M-SEARCH from that network won't be answered`);
      }
    };
    const ttl = socket.setMulticastTTL.bind(socket);
    socket.setMulticastTTL = (n: number) => {
      try { return ttl(n); } catch { return n; }
    };
    return socket;
  }

  try {
    await new Promise<void>((resolve, reject) => {
      failStart = reject;
      const timer = setTimeout(() => reject(new Error('timed out binding the SSDP sockets')), opts.startTimeoutMs ?? 5000);
      timer.unref();
      Promise.resolve(server.start()).then(() => { clearTimeout(timer); resolve(); }, (err: Error) => { clearTimeout(timer); reject(err); });
    });
  } catch (err) {
    startError = err as Error;
  } finally {
    failStart = null;
  }

  if (startError) {
    const msg = startError instanceof NoSsdpInterfaceError || /No sockets available/.test(startError.message)
      ? `SSDP off: ${startError.message}; Plex won't auto-discover this tuner (add it by URL instead)`
      : `SSDP off: cannot start on UDP ${port}: ${startError.message}; Plex won't auto-discover this tuner (add it by URL instead)`;
    opts.log(startError instanceof NoSsdpInterfaceError ? 'info' : 'warn', msg);
    try {
      if (server._adLoopInterval) clearInterval(server._adLoopInterval);
      server._adLoopInterval = null;
      server._stop();
    } catch { /* half-started: nothing more to undo */ }
    return null;
  }

  const addresses = Object.keys(server.sockets ?? {});
  let closed: Promise<void> | null = null;
  return {
    addresses,
    close: () => (closed ??= (async () => {
      try {
        // byebye first, then give the sends a moment before node-ssdp closes the sockets.
        server.advertise(false);
        await new Promise((r) => setTimeout(r, 50));
        server.stop();
      } catch (err) {
        opts.log('debug', `SSDP stop: ${(err as Error).message}`);
        try { server._stop(); } catch { /* already closed */ }
      }
    })()),
  };
}
