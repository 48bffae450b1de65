// What a media-server source keeps in its config column (no secrets: the token is in a 0600 file),
// and path replacement: server path → local path, per library.
import { z } from 'zod';
import type { MediaSource } from '../../../schemas/library.js';

import { readToken } from './tokens.js';
import { ServerError } from './http.js';

export const pathMapping = z.object({ from: z.string(), to: z.string() });
export type PathMapping = z.infer<typeof pathMapping>;

export const serverConfig = z.object({
  url: z.string(),
  deviceId: z.string(),
  serverId: z.string(),
  serverName: z.string(),
  userId: z.string().nullable(),
  libraryId: z.string(),
  libraryName: z.string(),
  libraryType: z.string().nullable(),
  pathMap: z.array(pathMapping).default([]),
  /** Plex: reload the server's DVR guide after our XMLTV changes (opt-in). */
  guideReload: z.boolean().default(false),
});
export type ServerConfig = z.infer<typeof serverConfig>;

export type ServerKind = 'jellyfin' | 'emby' | 'plex';
export const isServerKind = (kind: string): kind is ServerKind => kind === 'jellyfin' || kind === 'emby' || kind === 'plex';

/** How to talk to a source's server now: its URL, client/device id, the token read from its file. */
export interface ServerConn { kind: ServerKind; url: string; deviceId: string; token: string; config: ServerConfig; timeoutMs?: number; signal?: AbortSignal }

/** The source's config, checked. */
export function configOf(source: MediaSource): ServerConfig {
  const parsed = serverConfig.safeParse(source.config);
  if (!parsed.success) throw new Error(`source "${source.name}" has a broken ${source.kind} config; remove it and add it again`);
  return parsed.data;
}

/** Connection details of a source, with its token read from its file now. */
export function connOf(dataDir: string, source: MediaSource, signal?: AbortSignal): ServerConn {
  if (!isServerKind(source.kind)) throw new Error(`source "${source.name}" is not a media-server source`);
  const config = configOf(source);
  const token = readToken(dataDir, source.id);
  if (!token) throw new ServerError(`no access token for source "${source.name}": add the server again (exstreamtv source add ${source.kind} …)`, 'token');
  return { kind: source.kind, url: config.url, deviceId: config.deviceId, token, config, ...(signal ? { signal } : {}) };
}

/** The local path of a server path after the first matching replacement (on whole path segments), or null. */
export function replacePath(serverPath: string | null, map: readonly PathMapping[]): string | null {
  if (!serverPath) return null;
  for (const { from, to } of map) {
    const f = from.replace(/\/+$/, '');
    if (serverPath === f || serverPath.startsWith(`${f}/`)) return `${to.replace(/\/+$/, '')}${serverPath.slice(f.length)}`;
  }
  return null;
}

/** The locator key of a server item: its id, then the server's path of the file (for path replacement). */
export const serverKey = (id: string, path: string | null) => `${id}|${path ?? ''}`;
export function parseServerKey(key: string): { id: string; path: string | null } {
  const bar = key.indexOf('|');
  return bar < 0 ? { id: key, path: null } : { id: key.slice(0, bar), path: key.slice(bar + 1) || null };
}
