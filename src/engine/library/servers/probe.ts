// Who a server is and what libraries it has, the same way for Jellyfin, Emby and Plex: checks the
// token too (every call here needs a valid one).
import type { ServerKind } from './config.js';
import { libraries, serverInfo } from './jellyfin-api.js';
import { plexInfo, plexSections } from './plex-api.js';

export interface ServerLibrary { id: string; name: string; type: string | null; locations: string[] }
export interface ServerIdentity { name: string; version: string; id: string; libraries: ServerLibrary[] }

export async function probeServer(c: { kind: ServerKind; url: string; deviceId: string; token: string; timeoutMs?: number }): Promise<ServerIdentity> {
  if (c.kind === 'plex') {
    const plex = { url: c.url, clientId: c.deviceId, token: c.token, ...(c.timeoutMs ? { timeoutMs: c.timeoutMs } : {}) };
    const info = await plexInfo(plex);
    const sections = await plexSections(plex);
    return { ...info, libraries: sections.filter((s) => s.type === 'movie' || s.type === 'show').map((s) => ({ id: s.key, name: s.title, type: s.type, locations: s.Location.map((l) => l.path) })) };
  }
  const conn = { ...c, kind: c.kind };
  const info = await serverInfo(conn);
  const libs = await libraries(conn);
  return { name: info.ServerName, version: info.Version, id: info.Id, libraries: libs.map((l) => ({ id: l.ItemId, name: l.Name, type: l.CollectionType ?? null, locations: l.Locations })) };
}
