// Jellyfin's (and Emby's) notification socket: ws://host/socket?ApiKey=… (Emby: /embywebsocket?api_key=…)
// with our device id; `ForceKeepAlive` is answered with `KeepAlive` every half its period, and
// `LibraryChanged` reports the libraries (CollectionFolders) whose items were added, updated or removed.
// Uses the WebSocket client of Node.js 22 and later (on older Node.js there is no push).
import type { ServerConn } from './config.js';
import { baseUrl } from './http.js';
import type { Report } from './push.js';

interface LibraryChanged {
  ItemsAdded?: string[]; ItemsUpdated?: string[]; ItemsRemoved?: string[]; FoldersAddedTo?: string[]; FoldersRemovedFrom?: string[]; CollectionFolders?: string[];
}

/** The libraries a LibraryChanged message names ('*' when it names none); [] when nothing changed. */
export function librariesOf(d: LibraryChanged | undefined): string[] {
  if (!d) return [];
  const n = [d.ItemsAdded, d.ItemsUpdated, d.ItemsRemoved, d.FoldersAddedTo, d.FoldersRemovedFrom].reduce((a, x) => a + (x?.length ?? 0), 0);
  if (!n) return [];
  return d.CollectionFolders?.length ? d.CollectionFolders : ['*'];
}

export const hasWebSocket = () => typeof globalThis.WebSocket === 'function';

export function followJellyfin(conn: ServerConn, signal: AbortSignal, report: Report): Promise<void> {
  return new Promise((resolve, reject) => {
    const base = new URL(baseUrl(conn.url));
    const scheme = base.protocol === 'https:' ? 'wss:' : 'ws:';
    const query = new URLSearchParams({ [conn.kind === 'emby' ? 'api_key' : 'ApiKey']: conn.token, deviceId: conn.deviceId });
    const ws = new WebSocket(`${scheme}//${base.host}${base.pathname.replace(/\/+$/, '')}${conn.kind === 'emby' ? '/embywebsocket' : '/socket'}?${query}`);
    let keepAlive: NodeJS.Timeout | null = null;
    let ended = false;
    const send = (type: string) => { try { ws.send(JSON.stringify({ MessageType: type })); } catch { /* closing */ } };
    const end = (err?: Error) => {
      if (ended) return;
      ended = true;
      if (keepAlive) clearInterval(keepAlive);
      signal.removeEventListener('abort', onAbort);
      try { ws.close(); } catch { /* already closed */ }
      if (err) reject(err); else resolve();
    };
    const onAbort = () => end();
    signal.addEventListener('abort', onAbort, { once: true });
    ws.addEventListener('message', (e) => {
      let msg: { MessageType?: string; Data?: unknown };
      try { msg = JSON.parse(String(e.data)); } catch { return; }
      if (msg.MessageType === 'ForceKeepAlive') {
        send('KeepAlive');
        keepAlive ??= setInterval(() => send('KeepAlive'), Math.max(1, Number(msg.Data) || 60) * 500);
        keepAlive.unref();
      } else if (msg.MessageType === 'LibraryChanged') {
        report(librariesOf(msg.Data as LibraryChanged));
      }
    });
    ws.addEventListener('close', () => end(signal.aborted ? undefined : new Error('the server closed the socket')));
    ws.addEventListener('error', () => end(new Error('the socket failed (wrong URL or token?)')));
  });
}
