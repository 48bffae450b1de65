// The media-server steps of the Library view's "add source" form: connect (the health check's
// answer becomes the next form's title), choose libraries and optional path replacement, add each
// as a source; for Plex also "sign in with plex.tv": the code and link in a popup, polled until
// approved, then the account's servers to choose from.
import { ApiError } from '../../client/api-client.js';
import type { MediaSource } from '../../schemas/library.js';
import type { PlexPinStart, PlexPinState, ServerHealth } from '../../schemas/servers.js';
import type { FormValues } from '../view.js';
import type { AddContext } from './source-kinds.js';

/** A 400 shown next to a form field (as the API's own are). */
export const fieldError = (field: string, message: string) => new ApiError(400, `${field}: ${message}`, [{ path: field, message }]);

type Creds = Record<string, string | number>;
const POLL_MS = 1500;

/** "server=local, server2=local2" → path mappings (errors name the field). */
export function parsePathMap(text: string): { from: string; to: string }[] {
  return text.split(',').map((p) => p.trim()).filter(Boolean).map((p) => {
    const eq = p.indexOf('=');
    if (eq <= 0) throw fieldError('pathMap', `"${p}" is not SERVER_PATH=LOCAL_PATH`);
    return { from: p.slice(0, eq).trim(), to: p.slice(eq + 1).trim() };
  });
}

const label = (kind: string) => ({ jellyfin: 'Jellyfin', emby: 'Emby', plex: 'Plex' } as Record<string, string>)[kind] ?? kind;

/** Checks the connection; on success the next step asks which libraries to add. */
export async function connectServer(add: AddContext, kind: string, url: string, creds: Creds): Promise<string> {
  const h = await add.client.request<ServerHealth>('POST', '/api/servers/check', { kind, url, ...creds });
  add.next(librariesForm(add, kind, h, creds));
  return `✔ ${h.serverName} ${h.version} at ${h.url}: ${h.libraries.length} librar${h.libraries.length === 1 ? 'y' : 'ies'}`;
}

function librariesForm(add: AddContext, kind: string, h: ServerHealth, creds: Creds) {
  return {
    title: `${label(kind)} ${h.serverName} ${h.version}: add libraries`,
    submitLabel: 'add and scan',
    fields: [
      { name: 'library', label: 'Libraries', kind: 'checklist' as const, checked: [], options: h.libraries.map((l) => ({ value: l.id, label: `${l.name}${l.type ? ` (${l.type})` : ''}${l.locations.length ? ` ${l.locations.join(', ')}` : ''}` })) },
      { name: 'pathMap', label: 'Path map', kind: 'text' as const, value: '', hint: 'optional: /server/path=/local/path, …' },
    ],
    async submit(v: FormValues) {
      const ids = Array.isArray(v.library) ? v.library : [];
      if (!ids.length) throw fieldError('library', 'choose at least one library (space ticks it)');
      const pathMap = parsePathMap(typeof v.pathMap === 'string' ? v.pathMap : '');
      const added: MediaSource[] = [];
      for (const library of ids) {
        try {
          added.push(await add.client.request<MediaSource>('POST', '/api/servers/sources', { kind, url: h.url, ...creds, library, ...(pathMap.length ? { pathMap } : {}) }));
        } catch (err) {
          if (added.length) await add.added(added, true);
          throw err;
        }
      }
      await add.added(added, true);
      return `added ${added.map((s) => `"${s.name}"`).join(', ')}; scanning`;
    },
  };
}

/** Plex: with a token, connect at once; with plex.tv, a PIN to approve first. */
export async function plexSubmit(add: AddContext, signIn: string, url: string, token: string): Promise<string> {
  if (signIn !== 'plex.tv') {
    if (!url) throw fieldError('url', "give the server's URL, or sign in with plex.tv");
    return connectServer(add, 'plex', url, { token });
  }
  const pin = await add.client.request<PlexPinStart>('POST', '/api/servers/plex/pins');
  const popup = add.message('Sign in with Plex', [
    'Open this link, sign in to Plex and approve EXStreamTV:', '', pin.authUrl, '',
    `code ${pin.code} · valid until ${pin.expiresAt.slice(11, 16)} UTC`,
    'y copies the link · this closes and the next step opens once you approved it',
  ], pin.authUrl);
  void waitForPin(add, pin, url).finally(() => popup.close());
  return `Plex sign-in started: open the link shown (code ${pin.code})`;
}

async function waitForPin(add: AddContext, pin: PlexPinStart, url: string): Promise<void> {
  try {
    for (;;) {
      const st = await add.client.request<PlexPinState>('GET', `/api/servers/plex/pins/${pin.id}`);
      if (st.state === 'expired' || Date.now() > Date.parse(pin.expiresAt)) { add.flash('the Plex sign-in expired: press a to start again', 'err'); return; }
      if (st.state === 'signed-in') { add.next(url ? connectStep(add, pin.id, url) : serversForm(add, pin.id, st)); return; }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } catch (err) {
    add.flash(`Plex sign-in: ${(err as Error).message}`, 'err');
  }
}

/** Signed in with a URL already given: one confirming step, then the libraries. */
const connectStep = (add: AddContext, plexPin: number, url: string) => ({
  title: 'Signed in with Plex', submitLabel: 'connect',
  fields: [{ name: 'url', label: 'Server URL', kind: 'text' as const, value: url }],
  submit: (v: FormValues) => connectServer(add, 'plex', String(v.url).trim(), { plexPin }),
});

function serversForm(add: AddContext, plexPin: number, st: PlexPinState) {
  const options = st.servers.flatMap((s) => s.uris.map((uri) => ({ value: uri, label: `${s.name} ${uri}` })));
  return {
    title: `Signed in with Plex: ${st.servers.length} server${st.servers.length === 1 ? '' : 's'}`, submitLabel: 'connect',
    fields: options.length
      ? [{ name: 'url', label: 'Server', kind: 'choice' as const, value: options[0]!.value, options }]
      : [{ name: 'url', label: 'Server URL', kind: 'text' as const, value: 'http://', hint: 'this account lists no server: give its URL' }],
    submit: (v: FormValues) => connectServer(add, 'plex', String(v.url).trim(), { plexPin }),
  };
}
