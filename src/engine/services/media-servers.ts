// Media servers (Jellyfin, Emby, Plex) as sources: check a connection (Jellyfin/Emby sign-in once,
// token kept, password never), add one of its libraries as a source (token in a 0600 file), health
// on demand, path replacement.
import { randomUUID } from 'node:crypto';
import type { MediaSource } from '../../schemas/library.js';
import type { ServerConnect, ServerHealth, ServerSourceInput } from '../../schemas/servers.js';
import type { Store } from '../store/store.js';
import { InvalidError } from '../errors.js';
import { configOf, connOf, isServerKind, type PathMapping, type ServerConfig } from '../library/servers/config.js';
import { baseUrl, DEFAULT_SERVER_TIMEOUT_MS, ServerError } from '../library/servers/http.js';
import { currentUser, signIn } from '../library/servers/jellyfin-api.js';
import { probeServer, type ServerIdentity } from '../library/servers/probe.js';
import { writeToken } from '../library/servers/tokens.js';
import { DEFAULT_PLEX_TV_URL } from '../library/servers/plex-tv.js';
import { PlexSignIn } from './plex-sign-in.js';

interface Connected { url: string; token: string; userId: string | null; server: ServerIdentity; deviceId: string }

/** A server failure as a 400 naming the field to fix. */
const asInvalid = (err: unknown): never => {
  if (err instanceof ServerError) throw new InvalidError(err.field, err.message);
  throw err;
};

export class MediaServerService {
  /** How long one request to a server may take (checks on add and on demand). */
  timeoutMs = DEFAULT_SERVER_TIMEOUT_MS;

  /** "Sign in with Plex" (PIN) sessions. */
  readonly plex: PlexSignIn;

  constructor(private readonly store: Store, private readonly dataDir: string, plexTvUrl = DEFAULT_PLEX_TV_URL) {
    this.plex = new PlexSignIn(plexTvUrl);
  }

  /** Signs in (or takes the token), checks it and lists the libraries; throws a 400 naming the field to fix. */
  private async connect(input: ServerConnect, newDeviceId: string): Promise<Connected> {
    if (input.kind === 'plex' && input.username) throw new InvalidError('username', 'Plex: give the server URL and a token (X-Plex-Token) or sign in with plex.tv, not a user name');
    if (input.kind !== 'plex' && input.plexPin !== undefined) throw new InvalidError('plexPin', `${input.kind}: plex.tv sign-in is for Plex servers; give a token or a username and password`);
    if ([input.token, input.username, input.plexPin].filter((x) => x !== undefined).length > 1) {
      throw new InvalidError(input.token && input.username ? 'username' : 'plexPin', 'give one of: a token, a username and password, or a Plex sign-in');
    }
    if (!input.token && !input.username && input.plexPin === undefined) throw new InvalidError('token', input.kind === 'plex' ? 'give a token (X-Plex-Token) or sign in with plex.tv' : 'give a token, or a username and password');
    try {
      const url = baseUrl(input.url);
      const kind = input.kind;
      let token = input.token;
      let deviceId = newDeviceId;
      if (input.plexPin !== undefined) ({ clientId: deviceId, token } = this.plex.credentials(input.plexPin, url));
      let userId: string | null = null;
      if (!token && kind !== 'plex') ({ token, userId } = await signIn({ kind, url, deviceId, timeoutMs: this.timeoutMs }, input.username!, input.password ?? ''));
      const server = await probeServer({ kind, url, deviceId, token: token!, timeoutMs: this.timeoutMs });
      if (!userId && kind !== 'plex') userId = await currentUser({ kind, url, deviceId, token: token!, timeoutMs: this.timeoutMs }).then((u) => u.Id, () => null); // API keys belong to no user
      return { url, token: token!, userId, server, deviceId };
    } catch (err) {
      return asInvalid(err);
    }
  }

  async check(input: ServerConnect): Promise<ServerHealth> {
    const c = await this.connect(input, randomUUID());
    return { ok: true, kind: input.kind, url: c.url, serverName: c.server.name, version: c.server.version, reason: null, libraries: c.server.libraries };
  }

  /** Adds one library of the server as a source; the token goes to a 0600 file in the same transaction. */
  async addLibrary(input: ServerSourceInput): Promise<MediaSource> {
    const c = await this.connect(input, randomUUID()); // Plex: the persisted X-Plex-Client-Identifier
    const deviceId = c.deviceId;
    const libs = c.server.libraries;
    const lib = libs.find((l) => l.id === input.library) ?? libs.find((l) => l.name.toLowerCase() === input.library.toLowerCase());
    if (!lib) throw new InvalidError('library', `${c.server.name} has no library "${input.library}"; it has: ${libs.map((l) => `"${l.name}"`).join(', ') || 'none'}`);
    const taken = this.store.sources.list().find((s) => s.kind === input.kind && s.config.serverId === c.server.id && s.config.libraryId === lib.id);
    if (taken) throw new InvalidError('library', `library "${lib.name}" of ${c.server.name} is already the source "${taken.name}" (id ${taken.id})`);
    const config: ServerConfig = {
      url: c.url, deviceId, serverId: c.server.id, serverName: c.server.name, userId: c.userId,
      libraryId: lib.id, libraryName: lib.name, libraryType: lib.type, pathMap: input.pathMap ?? [], guideReload: false,
    };
    if (input.guideReload) config.guideReload = this.guideReloadFor(input.kind);
    return this.store.tx(() => {
      const source = this.store.sources.create(input.kind, input.name ?? `${c.server.name} – ${lib.name}`, config);
      writeToken(this.dataDir, source.id, c.token);
      return source;
    });
  }

  private serverSource(sourceId: number): MediaSource {
    const source = this.store.sources.get(sourceId);
    if (!isServerKind(source.kind)) throw new InvalidError('id', `source "${source.name}" is a ${source.kind} source, not a media server`);
    return source;
  }

  /** Reachable, token valid, server name and version, the library still there — or why not. */
  async health(sourceId: number): Promise<ServerHealth> {
    const source = this.serverSource(sourceId);
    const config = configOf(source);
    const kind = source.kind as ServerHealth['kind'];
    const out: ServerHealth = { ok: false, kind, url: config.url, serverName: null, version: null, reason: null, libraries: [] };
    try {
      const server = await probeServer({ ...connOf(this.dataDir, source), timeoutMs: this.timeoutMs });
      Object.assign(out, { serverName: server.name, version: server.version, libraries: server.libraries });
      if (!server.libraries.some((l) => l.id === config.libraryId)) out.reason = `the library "${config.libraryName}" is gone from ${server.name}: remove this source`;
      else out.ok = true;
    } catch (err) {
      if (!(err instanceof ServerError)) throw err;
      out.reason = err.message;
    }
    return out;
  }

  private guideReloadFor(kind: string): boolean {
    if (kind !== 'plex') throw new InvalidError('guideReload', `${kind}: guide reload is for Plex servers (their DVRs read our XMLTV guide)`);
    return true;
  }

  /** Turns the Plex guide reload of a source on or off. */
  setGuideReload(sourceId: number, enabled: boolean): MediaSource {
    const source = this.serverSource(sourceId);
    if (enabled) this.guideReloadFor(source.kind);
    this.store.sources.updateConfig(sourceId, { ...configOf(source), guideReload: enabled });
    return this.store.sources.get(sourceId);
  }

  /** Sets a source's path replacement (used from the next item that airs; no rescan needed). */
  setPathMap(sourceId: number, pathMap: PathMapping[]): MediaSource {
    const source = this.serverSource(sourceId);
    this.store.sources.updateConfig(sourceId, { ...configOf(source), pathMap });
    return this.store.sources.get(sourceId);
  }
}
