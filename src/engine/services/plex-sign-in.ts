// "Sign in with Plex" sessions: a PIN made at plex.tv, polled until the user approved it, then the
// account's servers. The account and server tokens stay here (in memory, until the PIN expires):
// the client only ever sees the PIN's id, code and link, and adds a library by the PIN's id.
import { randomUUID } from 'node:crypto';
import type { PlexPinState, PlexPinStart } from '../../schemas/servers.js';
import { InvalidError, NotFoundError } from '../errors.js';
import { baseUrl, ServerError } from '../library/servers/http.js';
import { checkPin, createPin, plexAuthUrl, plexTvServers, type PlexTvConn, type PlexTvServer } from '../library/servers/plex-tv.js';

interface Session { clientId: string; code: string; expiresAtMs: number; servers: PlexTvServer[] | null; accountToken: string | null }

const PIN_LIFETIME_MS = 30 * 60_000;
const MAX_SESSIONS = 20;

/** A plex.tv failure as a 400 naming the field to fix. */
const asInvalid = (err: unknown, field: string): never => {
  if (err instanceof ServerError) throw new InvalidError(field, err.message);
  throw err;
};

export class PlexSignIn {
  private readonly sessions = new Map<number, Session>();
  timeoutMs: number | undefined;

  constructor(private readonly plexTvUrl: string, private readonly now: () => number = Date.now) {}

  private conn(clientId: string): PlexTvConn {
    return { plexTvUrl: this.plexTvUrl, clientId, ...(this.timeoutMs ? { timeoutMs: this.timeoutMs } : {}) };
  }

  private prune(): void {
    const now = this.now();
    for (const [id, s] of this.sessions) if (s.expiresAtMs <= now) this.sessions.delete(id);
    while (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
  }

  /** A new PIN: the code and the link where the user approves it. */
  async start(): Promise<PlexPinStart> {
    this.prune();
    const clientId = randomUUID(); // becomes the source's persisted X-Plex-Client-Identifier
    const pin = await createPin(this.conn(clientId)).catch((err) => asInvalid(err, 'plexTvUrl'));
    const expiresAtMs = pin.expiresAt ? Date.parse(pin.expiresAt) : this.now() + (pin.expiresIn ?? PIN_LIFETIME_MS / 1000) * 1000;
    this.sessions.set(pin.id, { clientId, code: pin.code, expiresAtMs: Number.isFinite(expiresAtMs) ? expiresAtMs : this.now() + PIN_LIFETIME_MS, servers: null, accountToken: null });
    return { id: pin.id, code: pin.code, authUrl: plexAuthUrl(clientId, pin.code), expiresAt: new Date(this.sessions.get(pin.id)!.expiresAtMs).toISOString() };
  }

  private session(id: number): Session {
    this.prune();
    const s = this.sessions.get(id);
    if (!s) throw new NotFoundError(`Plex sign-in ${id} (expired or never started: start again)`);
    return s;
  }

  /** Waiting, signed in (with the account's servers) or expired. */
  async poll(id: number): Promise<PlexPinState> {
    const s = this.session(id);
    if (!s.servers) {
      const pin = await checkPin(this.conn(s.clientId), id).catch((err) => asInvalid(err, 'plexTvUrl'));
      if (!pin) { this.sessions.delete(id); return { id, state: 'expired', servers: [] }; }
      if (!pin.authToken) return { id, state: 'waiting', servers: [] };
      s.accountToken = pin.authToken;
      s.servers = await plexTvServers(this.conn(s.clientId), pin.authToken).catch((err) => asInvalid(err, 'plexTvUrl'));
    }
    return { id, state: 'signed-in', servers: s.servers.map(({ accessToken: _t, ...rest }) => rest) };
  }

  /** The client identifier and the token to use for a server of a signed-in PIN at `url`. */
  credentials(id: number, url: string): { clientId: string; token: string } {
    const s = this.sessions.get(id);
    if (!s || s.expiresAtMs <= this.now()) throw new InvalidError('plexPin', `Plex sign-in ${id} has expired or was never started: sign in again`);
    if (!s.servers || !s.accountToken) throw new InvalidError('plexPin', `Plex sign-in ${id} is not approved yet: open the link, enter code ${s.code}, then try again`);
    const base = baseUrl(url);
    const server = s.servers.find((x) => x.uris.some((u) => baseUrl(u) === base));
    return { clientId: s.clientId, token: server?.accessToken ?? s.accountToken };
  }
}
