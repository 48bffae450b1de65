// Air-time resolution of Jellyfin/Emby/Plex items: the local file when the source's path replacement
// maps the server path to a file this box can read, else direct play over HTTP with the auth header
// and the token read from its file now (so a new token needs no rescan).
import { access, constants } from 'node:fs/promises';
import { fileInput, urlInput } from '../../ffmpeg/input.js';
import type { ResolverRegistry, Resolver } from '../../stream/resolvers.js';
import { ResolveError } from '../../stream/resolvers.js';
import type { Store } from '../../store/store.js';
import { connOf, parseServerKey, replacePath } from './config.js';
import { authHeader, streamUrl } from './jellyfin-api.js';
import { plexHeaders, plexPartUrl } from './plex-api.js';

export function serverResolver(store: Store, dataDir: string): Resolver {
  return async ({ locator, itemId }) => {
    if (locator.type !== 'resolve') throw new ResolveError('not a resolve locator');
    const item = store.items.find(itemId);
    if (!item) throw new ResolveError(`media item ${itemId} is gone`);
    const source = store.sources.get(item.sourceId);
    const { id, path } = parseServerKey(locator.key);
    const conn = connOf(dataDir, source);
    const local = replacePath(path, conn.config.pathMap);
    if (local) {
      const readable = await access(local, constants.R_OK).then(() => true, () => false);
      if (readable) return fileInput(local);
    }
    if (conn.kind === 'plex') return urlInput(plexPartUrl(conn, id), { ...plexHeaders({ clientId: conn.deviceId, token: conn.token }), 'User-Agent': 'EXStreamTV' });
    return urlInput(streamUrl(conn, id), { ...authHeader(conn), 'User-Agent': 'EXStreamTV' });
  };
}

/** Registers the `jellyfin`, `emby` and `plex` resolvers. */
export function registerServerResolvers(registry: ResolverRegistry, store: Store, dataDir: string): void {
  const r = serverResolver(store, dataDir);
  for (const kind of ['jellyfin', 'emby', 'plex']) registry.register(kind, r);
}
