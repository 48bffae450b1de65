// A faithful fake plex.tv on 127.0.0.1 for "sign in with Plex", built from the shapes plex.tv's v2
// API answers: POST /api/v2/pins?strong=true (201, a 25-character code, authToken null), GET
// /api/v2/pins/{id} (same client identifier only; authToken once approved; 404 once expired) and
// GET /api/v2/resources (X-Plex-Token required; servers and players, each with connections).
// It checks X-Plex-Product and X-Plex-Client-Identifier on every request, as plex.tv does (400).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PlexTvRequest { method: string; path: string; clientId: string | null; product: string | null; token: string | null; status: number }

export interface FakePlexTv {
  url: string;
  /** The account token a PIN yields once approved. */
  accountToken: string;
  readonly log: PlexTvRequest[];
  /** The user approves the PIN (as on app.plex.tv/auth). */
  approve(id: number): void;
  /** The id of the PIN made last. */
  lastPinId(): number;
  /** plex.tv forgets the PIN (it expired). */
  expire(id: number): void;
  /** A server of the account: its machine identifier, token and connection URIs. */
  addServer(s: { name: string; machineIdentifier: string; accessToken: string; uris: { uri: string; local: boolean; relay?: boolean }[]; owned?: boolean }): void;
  close(): Promise<void>;
}

const CODE_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';
const code = () => [...randomBytes(25)].map((b) => CODE_CHARS[b % CODE_CHARS.length]).join('');

export async function startFakePlexTv(): Promise<FakePlexTv> {
  const accountToken = randomBytes(10).toString('base64url');
  const pins = new Map<number, { id: number; code: string; clientIdentifier: string; createdAt: string; expiresAt: string; authToken: string | null }>();
  const resources: Record<string, unknown>[] = [{
    name: 'Living Room TV', product: 'Plex for Android (TV)', productVersion: '10.12.0.2148', platform: 'Android', platformVersion: '11', device: 'SHIELD Android TV',
    clientIdentifier: randomBytes(8).toString('hex'), createdAt: '2023-11-02T20:14:51Z', lastSeenAt: '2024-03-02T18:40:00Z', provides: 'client,player,pubsub-player',
    ownerId: null, sourceTitle: null, publicAddress: '203.0.113.7', accessToken: null, owned: true, home: false, synced: false, relay: false, presence: false,
    httpsRequired: false, publicAddressMatches: true, dnsRebindingProtection: false, natLoopbackSupported: false, connections: [],
  }];
  const log: PlexTvRequest[] = [];
  let nextId = 1_935_000_000;

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'X-Request-Id': randomBytes(8).toString('hex') }).end(JSON.stringify(body));
    return status;
  };
  const route = (req: IncomingMessage, res: ServerResponse, u: URL, e: PlexTvRequest): number => {
    if (!e.clientId || !e.product) return json(res, 400, { errors: [{ code: 1000, message: 'X-Plex-Client-Identifier is missing', status: 400 }] });
    if (req.method === 'POST' && u.pathname === '/api/v2/pins') {
      const now = new Date();
      const pin = {
        id: nextId++, code: u.searchParams.get('strong') === 'true' ? code() : code().slice(0, 4).toUpperCase(), clientIdentifier: e.clientId,
        createdAt: now.toISOString().replace(/\.\d+Z$/, 'Z'), expiresAt: new Date(now.getTime() + 1_800_000).toISOString().replace(/\.\d+Z$/, 'Z'), authToken: null,
      };
      pins.set(pin.id, pin);
      return json(res, 201, { ...pin, product: e.product, trusted: false, qr: `https://plex.tv/api/v2/pins/qr/${pin.code}`, location: { code: 'US', european_union_member: false, continent_code: 'NA', country: 'United States', city: 'Springfield', time_zone: 'America/Chicago', postal_code: '62701', in_privacy_restricted_country: false, subdivisions: 'Illinois', coordinates: '39.8, -89.6' }, expiresIn: 1800, newRegistration: null });
    }
    const m = /^\/api\/v2\/pins\/(\d+)$/.exec(u.pathname);
    if (req.method === 'GET' && m) {
      const pin = pins.get(Number(m[1]));
      if (!pin || pin.clientIdentifier !== e.clientId) return json(res, 404, { errors: [{ code: 1020, message: 'Code not found or expired', status: 404 }] });
      return json(res, 200, { ...pin, product: e.product, trusted: false, expiresIn: Math.max(0, Math.round((Date.parse(pin.expiresAt) - Date.now()) / 1000)), newRegistration: pin.authToken ? false : null });
    }
    if (req.method === 'GET' && u.pathname === '/api/v2/resources') {
      if (e.token !== accountToken) return json(res, 401, { errors: [{ code: 1001, message: 'User could not be authenticated', status: 401 }] });
      return json(res, 200, resources);
    }
    return json(res, 404, { errors: [{ code: 1002, message: 'Not found', status: 404 }] });
  };
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const h = (name: string) => (req.headers[name.toLowerCase()] as string | undefined) ?? u.searchParams.get(name);
    const e: PlexTvRequest = { method: req.method ?? 'GET', path: u.pathname, clientId: h('X-Plex-Client-Identifier'), product: h('X-Plex-Product'), token: h('X-Plex-Token'), status: 0 };
    log.push(e);
    req.resume();
    req.on('end', () => { e.status = route(req, res, u, e); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url, accountToken, log,
    approve(id) { const p = pins.get(id); if (!p) throw new Error(`no pin ${id}`); p.authToken = accountToken; },
    expire(id) { pins.delete(id); },
    lastPinId: () => nextId - 1,
    addServer(s) {
      resources.unshift({
        name: s.name, product: 'Plex Media Server', productVersion: '1.40.2.8395-c67dce28e', platform: 'Linux', platformVersion: '12 (bookworm)', device: 'PC',
        clientIdentifier: s.machineIdentifier, createdAt: '2022-06-11T09:01:13Z', lastSeenAt: '2024-03-02T18:39:12Z', provides: 'server', ownerId: null, sourceTitle: null,
        publicAddress: '203.0.113.7', accessToken: s.accessToken, owned: s.owned ?? true, home: false, synced: false, relay: true, presence: true,
        httpsRequired: false, publicAddressMatches: true, dnsRebindingProtection: false, natLoopbackSupported: true,
        connections: s.uris.map((c) => {
          const x = new URL(c.uri);
          return { protocol: x.protocol.replace(':', ''), address: x.hostname, port: Number(x.port || 32400), uri: c.uri, local: c.local, relay: c.relay ?? false, IPv6: false };
        }),
      });
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
