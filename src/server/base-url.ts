// Absolute URLs for DVR clients: from the request's Host header, else the configured LAN address,
// else this box's first LAN IPv4. Never "localhost" (a DVR would call itself).
import { networkInterfaces } from 'node:os';

export interface BaseUrlConfig { port: number; lanAddress?: string | undefined }

/** The box's first non-internal IPv4 address, or null. */
export function firstLanIPv4(): string | null {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

const withPort = (host: string, port: number) => (/:\d+$/.test(host) || host.startsWith('[') && host.includes(']:') ? host : `${host}:${port}`);

/** Base URL (no trailing slash) for a request with this Host header. */
export function baseUrl(hostHeader: string | undefined, cfg: BaseUrlConfig): string {
  const host = (hostHeader ?? '').trim();
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '').toLowerCase();
  const usable = host && /^[A-Za-z0-9.\-:[\]]+$/.test(host) && name !== 'localhost' && name !== '0.0.0.0' && name !== '::';
  if (usable) return `http://${withPort(host, cfg.port)}`;
  if (cfg.lanAddress) return `http://${withPort(cfg.lanAddress, cfg.port)}`;
  return `http://${withPort(firstLanIPv4() ?? '127.0.0.1', cfg.port)}`;
}
