// Which of this box's addresses a discovering client can reach, for BASE_URL / LOCATION.
import { networkInterfaces } from 'node:os';
import { baseUrl, firstLanIPv4 } from '../server/base-url.js';

const ipv4ToInt = (ip: string): number | null => {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
};

/** "::ffff:10.0.0.5" → "10.0.0.5". */
export const plainIPv4 = (addr: string): string => addr.replace(/^::ffff:/i, '');

export const isLoopback = (addr: string): boolean => {
  const a = plainIPv4(addr).toLowerCase();
  return a.startsWith('127.') || a === '::1' || a === 'localhost';
};

const isWildcard = (addr: string): boolean => addr === '0.0.0.0' || addr === '::' || addr === '';

/** This box's IPv4 address on the same subnet as `remote`, or null. */
export function localIPv4For(remote: string, ifaces = networkInterfaces()): string | null {
  const r = ipv4ToInt(plainIPv4(remote));
  if (r === null) return null;
  for (const list of Object.values(ifaces)) {
    for (const a of list ?? []) {
      if (a.family !== 'IPv4') continue;
      const ip = ipv4ToInt(a.address), mask = ipv4ToInt(a.netmask);
      if (ip !== null && mask !== null && ((ip & mask) >>> 0) === ((r & mask) >>> 0)) return a.address;
    }
  }
  return null;
}

export interface AdvertiseConfig { port: number; bind: string; lanAddress?: string | undefined }

/**
 * Base URL (no trailing slash) to hand a client at `remote`: the configured LAN address, else the
 * HTTP bind address when it is a specific one, else 127.0.0.1 for a loopback client, else our
 * address on the client's subnet, else the first LAN IPv4.
 */
export function baseUrlFor(remote: string, cfg: AdvertiseConfig): string {
  if (cfg.lanAddress) return baseUrl(undefined, cfg);
  const host = !isWildcard(cfg.bind) && !isLoopback(cfg.bind) ? cfg.bind
    : isLoopback(remote) ? '127.0.0.1'
    : localIPv4For(remote) ?? firstLanIPv4() ?? '127.0.0.1';
  return `http://${host.includes(':') ? `[${host}]` : host}:${cfg.port}`;
}
