// Thin plex.tv client for "sign in with Plex": a strong PIN (POST /api/v2/pins?strong=true), the
// link the user opens to approve it, polling GET /api/v2/pins/{id} until it carries an authToken,
// then the account's servers (GET /api/v2/resources) with their own access tokens and connection
// URIs, local ones first. The base URL is configurable (config plexTvUrl) so tests use a fake.
import { z } from 'zod';
import { baseUrl, requestJson, ServerError } from './http.js';

export const DEFAULT_PLEX_TV_URL = 'https://plex.tv';
const PRODUCT = 'EXStreamTV';

export interface PlexTvConn { plexTvUrl: string; clientId: string; timeoutMs?: number; signal?: AbortSignal }

const headers = (c: PlexTvConn, token?: string): Record<string, string> => ({
  'X-Plex-Product': PRODUCT, 'X-Plex-Version': '0.1.0', 'X-Plex-Client-Identifier': c.clientId,
  'X-Plex-Device-Name': 'exstreamtv', ...(token ? { 'X-Plex-Token': token } : {}),
});

const call = <S extends z.ZodType>(c: PlexTvConn, path: string, schema: S, more: { method?: 'POST'; token?: string } = {}) =>
  requestJson({
    base: baseUrl(c.plexTvUrl), path, headers: headers(c, more.token), product: 'plex.tv',
    ...(more.method ? { method: more.method } : {}),
    ...(c.timeoutMs ? { timeoutMs: c.timeoutMs } : {}), ...(c.signal ? { signal: c.signal } : {}),
  }, schema);

const pin = z.object({
  id: z.number().int(), code: z.string().min(1), authToken: z.string().nullish(), expiresAt: z.string().nullish(), expiresIn: z.number().nullish(),
});
export type PlexPin = z.infer<typeof pin>;

/** The page where the user approves the PIN (plex.tv's own web app). */
export const plexAuthUrl = (clientId: string, code: string) =>
  `https://app.plex.tv/auth#?${new URLSearchParams({ clientID: clientId, code, 'context[device][product]': PRODUCT })}`;

/** A new strong PIN, valid for about 30 minutes. */
export const createPin = (c: PlexTvConn): Promise<PlexPin> => call(c, '/api/v2/pins?strong=true', pin, { method: 'POST' });

/** The PIN now: `authToken` is set once the user approved it; null when plex.tv forgot it (expired). */
export async function checkPin(c: PlexTvConn, id: number): Promise<PlexPin | null> {
  try {
    return await call(c, `/api/v2/pins/${id}`, pin);
  } catch (err) {
    if (err instanceof ServerError && /HTTP 404/.test(err.message)) return null;
    throw err;
  }
}

const connection = z.object({ protocol: z.string().optional(), address: z.string().optional(), port: z.number().optional(), uri: z.string(), local: z.boolean().default(false), relay: z.boolean().default(false) });
const resource = z.object({
  name: z.string(), product: z.string().nullish(), productVersion: z.string().nullish(), clientIdentifier: z.string(),
  provides: z.string().default(''), owned: z.boolean().nullish(), accessToken: z.string().nullish(), connections: z.array(connection).default([]),
});

export interface PlexTvServer {
  name: string;
  id: string;
  version: string | null;
  owned: boolean;
  /** The server's own token (shared servers have one apart from the account's). */
  accessToken: string;
  /** Connection URIs, local ones first and relays last. */
  uris: string[];
}

/** The account's Plex Media Servers (players and other devices left out). */
export async function plexTvServers(c: PlexTvConn, accountToken: string): Promise<PlexTvServer[]> {
  const list = await call(c, '/api/v2/resources?includeHttps=1&includeRelay=1', z.array(resource), { token: accountToken });
  const rank = (x: z.infer<typeof connection>) => (x.relay ? 2 : x.local ? 0 : 1);
  return list.filter((r) => r.provides.split(',').includes('server')).map((r) => ({
    name: r.name, id: r.clientIdentifier, version: r.productVersion ?? null, owned: r.owned ?? false,
    accessToken: r.accessToken ?? accountToken,
    uris: [...r.connections].sort((a, b) => rank(a) - rank(b)).map((x) => x.uri),
  }));
}
