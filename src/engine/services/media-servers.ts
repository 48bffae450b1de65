// Jellyfin/Emby servers as sources: check a connection (sign-in once, token kept, password never),
// add one of its libraries as a source (token in a 0600 file), health on demand, path replacement.
import { randomUUID } from 'node:crypto';
import type { MediaSource } from '../../schemas/library.js';
import type { ServerConnect, ServerHealth, ServerSourceInput } from '../../schemas/servers.js';
import type { Store } from '../store/store.js';
import { InvalidError } from '../errors.js';
import { configOf, connOf, isJellyfinKind, type PathMapping, type ServerConfig } from '../library/servers/config.js';
import { baseUrl, DEFAULT_SERVER_TIMEOUT_MS, ServerError } from '../library/servers/http.js';
import { currentUser, libraries, serverInfo, signIn, type JellyfinConn, type SystemInfo, type VirtualFolder } from '../library/servers/jellyfin-api.js';
import { writeToken } from '../library/servers/tokens.js';

interface Connected { conn: JellyfinConn & { token: string }; info: SystemInfo; userId: string | null; libs: VirtualFolder[] }

const toLibrary = (l: VirtualFolder) => ({ id: l.ItemId, name: l.Name, type: l.CollectionType ?? null, locations: l.Locations });
/** A server failure as a 400 naming the field to fix. */
const asInvalid = (err: unknown): never => {
  if (err instanceof ServerError) throw new InvalidError(err.field, err.message);
  throw err;
};

export class MediaServerService {
  /** How long one request to a server may take (checks on add and on demand). */
  timeoutMs = DEFAULT_SERVER_TIMEOUT_MS;

  constructor(private readonly store: Store, private readonly dataDir: string) {}

  /** Signs in (or takes the token), checks it and lists the libraries; throws a 400 naming the field to fix. */
  private async connect(input: ServerConnect, deviceId: string): Promise<Connected> {
    if (!input.token && !input.username) throw new InvalidError('token', 'give a token, or a username and password');
    if (input.token && input.username) throw new InvalidError('username', 'give a token or a username, not both');
    try {
      const url = baseUrl(input.url);
      const anon: JellyfinConn = { kind: input.kind, url, deviceId, timeoutMs: this.timeoutMs };
      let token = input.token;
      let userId: string | null = null;
      if (!token) ({ token, userId } = await signIn(anon, input.username!, input.password ?? ''));
      const conn = { ...anon, token };
      const info = await serverInfo(conn);
      if (!userId) userId = await currentUser(conn).then((u) => u.Id, () => null); // API keys belong to no user
      return { conn, info, userId, libs: await libraries(conn) };
    } catch (err) {
      return asInvalid(err);
    }
  }

  async check(input: ServerConnect): Promise<ServerHealth> {
    const c = await this.connect(input, randomUUID());
    return { ok: true, kind: input.kind, url: c.conn.url, serverName: c.info.ServerName, version: c.info.Version, reason: null, libraries: c.libs.map(toLibrary) };
  }

  /** Adds one library of the server as a source; the token goes to a 0600 file in the same transaction. */
  async addLibrary(input: ServerSourceInput): Promise<MediaSource> {
    const deviceId = randomUUID();
    const c = await this.connect(input, deviceId);
    const lib = c.libs.find((l) => l.ItemId === input.library) ?? c.libs.find((l) => l.Name.toLowerCase() === input.library.toLowerCase());
    if (!lib) throw new InvalidError('library', `${c.info.ServerName} has no library "${input.library}"; it has: ${c.libs.map((l) => `"${l.Name}"`).join(', ') || 'none'}`);
    const taken = this.store.sources.list().find((s) => s.kind === input.kind && s.config.serverId === c.info.Id && s.config.libraryId === lib.ItemId);
    if (taken) throw new InvalidError('library', `library "${lib.Name}" of ${c.info.ServerName} is already the source "${taken.name}" (id ${taken.id})`);
    const config: ServerConfig = {
      url: c.conn.url, deviceId, serverId: c.info.Id, serverName: c.info.ServerName, userId: c.userId,
      libraryId: lib.ItemId, libraryName: lib.Name, libraryType: lib.CollectionType ?? null, pathMap: input.pathMap ?? [],
    };
    return this.store.tx(() => {
      const source = this.store.sources.create(input.kind, input.name ?? `${c.info.ServerName} – ${lib.Name}`, config);
      writeToken(this.dataDir, source.id, c.conn.token);
      return source;
    });
  }

  /** Reachable, token valid, server name and version, the library still there — or why not. */
  async health(sourceId: number): Promise<ServerHealth> {
    const source = this.store.sources.get(sourceId);
    if (!isJellyfinKind(source.kind)) throw new InvalidError('id', `source "${source.name}" is a ${source.kind} source, not a media server`);
    const config = configOf(source);
    const out: ServerHealth = { ok: false, kind: source.kind, url: config.url, serverName: null, version: null, reason: null, libraries: [] };
    try {
      const conn = { ...connOf(this.dataDir, source), timeoutMs: this.timeoutMs };
      const info = await serverInfo(conn);
      Object.assign(out, { serverName: info.ServerName, version: info.Version });
      const libs = await libraries(conn);
      out.libraries = libs.map(toLibrary);
      if (!libs.some((l) => l.ItemId === config.libraryId)) out.reason = `the library "${config.libraryName}" is gone from ${info.ServerName}: remove this source`;
      else out.ok = true;
    } catch (err) {
      if (!(err instanceof ServerError)) throw err;
      out.reason = err.message;
    }
    return out;
  }

  /** Sets a source's path replacement (used from the next item that airs; no rescan needed). */
  setPathMap(sourceId: number, pathMap: PathMapping[]): MediaSource {
    const source = this.store.sources.get(sourceId);
    if (!isJellyfinKind(source.kind)) throw new InvalidError('id', `source "${source.name}" is a ${source.kind} source, not a media server`);
    this.store.sources.updateConfig(sourceId, { ...configOf(source), pathMap });
    return this.store.sources.get(sourceId);
  }
}
