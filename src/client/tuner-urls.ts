// The URLs a DVR is given for this box and where each app wants them pasted: shared by the TUI's
// Tuner view and `exstreamtv tuner` (no terminal code here). A loopback base URL is flagged: a DVR
// on another machine cannot reach it.

export interface TunerUrls { discover: string; lineup: string; m3u: string; xmltv: string }

/** Paths of the tuner face, checked by the Tuner view before they are offered. */
export const TUNER_PATHS = { discover: '/discover.json', lineup: '/lineup.json', m3u: '/iptv/channels.m3u', xmltv: '/iptv/xmltv.xml' } as const;

export function tunerUrls(base: string): TunerUrls {
  const b = base.replace(/\/+$/, '');
  return { discover: `${b}${TUNER_PATHS.discover}`, lineup: `${b}${TUNER_PATHS.lineup}`, m3u: `${b}${TUNER_PATHS.m3u}`, xmltv: `${b}${TUNER_PATHS.xmltv}` };
}

/** 127.0.0.0/8, ::1 and localhost: reachable from this machine only. */
export function isLoopback(url: string): boolean {
  let host: string;
  try { host = new URL(url).hostname; } catch { return false; }
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The warning for a loopback base URL (null when the URL is reachable from elsewhere). */
export function loopbackWarning(base: string): string | null {
  return isLoopback(base)
    ? `⚠ ${new URL(base).host} is this machine only: a DVR on another machine cannot reach it. Serve on the LAN (exstreamtv serve --bind 0.0.0.0) or set the base URL.`
    : null;
}

export interface PasteEntry { app: string; text: string }

/** Where to paste what in Plex, Channels DVR and Jellyfin; the M3U/XMLTV lines only when those answer. */
export function pasteEntries(base: string, iptvOk: boolean): PasteEntry[] {
  const b = base.replace(/\/+$/, '');
  const hostPort = b.replace(/^https?:\/\//, '');
  const u = tunerUrls(b);
  return [
    { app: 'Plex', text: `Live TV & DVR → Set up DVR (finds it on the LAN) or enter ${hostPort}` },
    { app: 'Channels', text: `Sources → + HDHomeRun: ${hostPort}` },
    ...(iptvOk ? [{ app: '', text: `or Custom Channels, M3U: ${u.m3u}` }, { app: '', text: `with XMLTV: ${u.xmltv}` }] : []),
    { app: 'Jellyfin', text: `Live TV → Tuner devices → + HDHomeRun: ${b}` },
    ...(iptvOk ? [{ app: '', text: `TV guide data → + XMLTV: ${u.xmltv}` }] : []),
  ];
}
