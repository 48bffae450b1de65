// Network discovery of the tuner: SiliconDust UDP (65001) and SSDP, started by the daemon after the
// HTTP server listens and stopped before it closes. Each part fails soft: one log line, the rest runs.
import type { Config } from '../config.js';
import type { Engine } from '../engine/engine.js';
import type { TunerIdentity } from '../engine/tuner/identity.js';
import type { DiscoveryStatus } from '../schemas/status.js';
import { baseUrlFor, isLoopback } from './addresses.js';
import { startSsdp, type SsdpHandle, type SsdpOptions } from './ssdp.js';
import { startUdpDiscovery, type DiscoveryLog, type UdpDiscovery } from './udp.js';

export interface DiscoveryDeps {
  config: Pick<Config, 'bind' | 'port' | 'lanAddress' | 'tunerCount' | 'udpDiscovery' | 'udpDiscoveryPort' | 'ssdp'>;
  identity: TunerIdentity;
  log: DiscoveryLog;
  /** Extra node-ssdp settings (tests: interfaces ['lo']). */
  ssdp?: Partial<Pick<SsdpOptions, 'interfaces' | 'explicitSocketBind' | 'sourcePort' | 'adIntervalMs'>>;
}

export interface Discovery {
  /** Port of the UDP responder, or null when it is off. */
  udpPort: number | null;
  /** Interface addresses SSDP announces on (empty when off). */
  ssdpAddresses: string[];
  /** On/off per part, with the reason when off (GET /api/status shows it). */
  status: DiscoveryStatus;
  close(): Promise<void>;
}

/** Discovery with both parts off for one reason (the daemon uses it when startDiscovery throws). */
export function discoveryOff(reason: string): Discovery {
  return { udpPort: null, ssdpAddresses: [], status: { udp: { on: false, port: null, reason }, ssdp: { on: false, addresses: [], reason } }, close: async () => {} };
}

export async function startDiscovery(deps: DiscoveryDeps): Promise<Discovery> {
  const { config, identity, log } = deps;
  if (!config.udpDiscovery && !config.ssdp) {
    log('info', 'discovery off (udpDiscovery and ssdp are false): add the tuner to DVRs by URL');
    const off = discoveryOff('off');
    off.status.udp.reason = 'off: udpDiscovery is false (EXSTREAMTV_UDP_DISCOVERY)';
    off.status.ssdp.reason = 'off: ssdp is false (EXSTREAMTV_SSDP)';
    return off;
  }
  if (isLoopback(config.bind)) {
    log('info', `discovery off: HTTP is bound to ${config.bind}, which DVRs on the LAN cannot reach (bind 0.0.0.0 or a LAN address to enable it)`);
    return discoveryOff(`off: HTTP is bound to ${config.bind}, which DVRs on the LAN cannot reach`);
  }
  const cfg = { port: config.port, bind: config.bind, lanAddress: config.lanAddress };
  // The line a part logs when it turns itself off is the reason GET /api/status shows.
  const offLines: Record<'udp' | 'ssdp', string | null> = { udp: null, ssdp: null };
  const recording = (part: 'udp' | 'ssdp', prefix: string): DiscoveryLog => (level, msg) => {
    if (msg.startsWith(prefix)) offLines[part] = `off: ${msg.slice(prefix.length)}`;
    log(level, msg);
  };

  let udp: UdpDiscovery | null = null;
  let udpReason: string | null = 'off: udpDiscovery is false (EXSTREAMTV_UDP_DISCOVERY)';
  if (config.udpDiscovery) {
    udpReason = null;
    try {
      udp = await startUdpDiscovery({
        port: config.udpDiscoveryPort, identity, tunerCount: config.tunerCount, log: recording('udp', 'UDP discovery off: '),
        baseUrlFor: (remote) => baseUrlFor(remote, cfg),
      });
    } catch (err) {
      log('warn', `UDP discovery off: ${(err as Error).message}`);
      udpReason = `off: ${(err as Error).message}`;
    }
    if (udp && udp.port !== null) log('info', `UDP discovery on 0.0.0.0:${udp.port} (DeviceID ${identity.deviceId}, ${config.tunerCount} tuners)`);
  } else {
    log('info', 'UDP discovery off (udpDiscovery is false)');
  }

  let ssdp: SsdpHandle | null = null;
  let ssdpReason: string | null = 'off: ssdp is false (EXSTREAMTV_SSDP)';
  if (config.ssdp) {
    ssdpReason = null;
    // A configured LAN address or a specific bind address is the LOCATION everywhere; otherwise each
    // interface announces its own address.
    const fixed = config.lanAddress || config.bind !== '0.0.0.0' && config.bind !== '::';
    const location = fixed ? `${baseUrlFor('0.0.0.0', cfg)}/device.xml` : { port: config.port, path: '/device.xml' };
    try {
      ssdp = await startSsdp({ uuid: identity.uuid, location, log: recording('ssdp', 'SSDP off: '), ...deps.ssdp });
    } catch (err) {
      log('warn', `SSDP off: ${(err as Error).message}`);
      ssdpReason = `off: ${(err as Error).message}`;
    }
    if (ssdp) {
      const where = typeof location === 'string' ? location : ssdp.addresses.map((a) => `http://${a}:${config.port}/device.xml`).join(', ');
      log('info', `SSDP on ${ssdp.addresses.join(', ')} (uuid:${identity.uuid}, LOCATION ${where})`);
    }
  } else {
    log('info', 'SSDP off (ssdp is false)');
  }

  let closing: Promise<void> | null = null;
  const udpPort = udp?.port ?? null;
  const ssdpAddresses = ssdp?.addresses ?? [];
  return {
    udpPort,
    ssdpAddresses,
    status: {
      udp: { on: udpPort !== null, port: udpPort, reason: udpPort !== null ? null : udpReason ?? offLines.udp ?? 'off: the responder did not start' },
      ssdp: { on: ssdp !== null, addresses: ssdpAddresses, reason: ssdp ? null : ssdpReason ?? offLines.ssdp ?? 'off: SSDP did not start' },
    },
    close: () => (closing ??= (async () => {
      await Promise.allSettled([ssdp?.close(), udp?.close()]);
    })()),
  };
}

/** The daemon's discovery, from its engine (identity persisted in the store's settings). */
export function startEngineDiscovery(engine: Engine, ssdp?: DiscoveryDeps['ssdp']): Promise<Discovery> {
  return startDiscovery({
    config: engine.config,
    identity: engine.tunerIdentity(),
    log: (level, msg) => engine.events.log(level, msg),
    ...(ssdp ? { ssdp } : {}),
  });
}
