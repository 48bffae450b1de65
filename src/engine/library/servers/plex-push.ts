// Plex's notification stream (server-sent events, GET /:/eventsource/notifications?filters=timeline):
// library timeline entries that are done (state 5) or deleted (state 9) report their section.
import type { ServerConn } from './config.js';
import { baseUrl } from './http.js';
import { plexHeaders } from './plex-api.js';
import type { Report } from './push.js';

const DONE = 5;
const DELETED = 9;

interface TimelineEntry { identifier?: string; sectionID?: string | number; state?: number }

/** The library sections named by one SSE `data:` payload of Plex's notification stream. */
export function sectionsOf(data: string): string[] {
  let msg: { NotificationContainer?: { type?: string; TimelineEntry?: TimelineEntry[] } };
  try { msg = JSON.parse(data); } catch { return []; }
  const c = msg.NotificationContainer;
  if (c?.type !== 'timeline') return [];
  return (c.TimelineEntry ?? [])
    .filter((e) => e.identifier === 'com.plexapp.plugins.library' && (e.state === DONE || e.state === DELETED) && e.sectionID !== undefined && Number(e.sectionID) >= 0)
    .map((e) => String(e.sectionID));
}

export async function followPlex(conn: ServerConn, signal: AbortSignal, report: Report): Promise<void> {
  const res = await fetch(`${baseUrl(conn.url)}/:/eventsource/notifications?filters=timeline`, {
    headers: { ...plexHeaders({ clientId: conn.deviceId, token: conn.token }), Accept: 'text/event-stream' }, signal,
  });
  if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
  let buf = '';
  for await (const chunk of res.body.pipeThrough(new TextDecoderStream())) {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).replace(/\r$/, '');
      buf = buf.slice(nl + 1);
      if (line.startsWith('data:')) report(sectionsOf(line.slice(5).trim()));
    }
  }
}
