// `--sign-in` for Plex sources: makes a PIN through the API, shows its code and link on stderr,
// polls until the user approved it at plex.tv, then picks the server: the URL given, or the first
// connection (local first) of the account's servers (owned first) that answers.
import type { ApiClient } from '../../client/api-client.js';
import type { PlexPinStart, PlexPinState, ServerHealth } from '../../schemas/servers.js';
import { UsageError } from '../run.js';

const POLL_MS = 1000;

export async function plexSignIn(api: ApiClient, url: string | undefined, say: (line: string) => void = (l) => console.error(l)): Promise<{ plexPin: number; url: string }> {
  const pin = await api.request<PlexPinStart>('POST', '/api/servers/plex/pins');
  say(`Sign in with Plex: open ${pin.authUrl}`);
  say(`  (code ${pin.code}; valid until ${pin.expiresAt}) — waiting for you to approve it…`);
  let state: PlexPinState;
  for (;;) {
    state = await api.request<PlexPinState>('GET', `/api/servers/plex/pins/${pin.id}`);
    if (state.state === 'signed-in') break;
    if (state.state === 'expired' || Date.now() > Date.parse(pin.expiresAt)) throw new UsageError('the Plex sign-in expired before it was approved: run the command again');
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  say(`signed in: ${state.servers.length} server${state.servers.length === 1 ? '' : 's'} (${state.servers.map((s) => s.name).join(', ') || 'none'})`);
  if (url) return { plexPin: pin.id, url };
  const tried: string[] = [];
  for (const server of [...state.servers].sort((a, b) => Number(b.owned) - Number(a.owned))) {
    for (const uri of server.uris) {
      const h = await api.request<ServerHealth>('POST', '/api/servers/check', { kind: 'plex', url: uri, plexPin: pin.id }).catch((err: Error) => {
        tried.push(`${server.name} at ${uri}: ${err.message}`);
        return null;
      });
      if (h?.ok) { say(`using ${server.name} at ${uri}`); return { plexPin: pin.id, url: uri }; }
    }
  }
  throw new UsageError(`no server of this Plex account answered${tried.length ? `:\n  ${tried.join('\n  ')}` : ''}\ngive the server's URL after the kind`);
}
