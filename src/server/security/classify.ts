// Which protection a URL gets: the admin API (token, Host check, cross-site rule), the tuner face
// (open by default: DVRs cannot send headers; ?token= when configured), or open (discovery
// descriptions, static files, API documentation).
export type RouteClass = 'admin' | 'tuner' | 'open';

/** Under /api but not admin: the guide aliases belong to the tuner face, the API description is public. */
const API_TUNER = new Set(['/api/channels.m3u', '/api/xmltv.xml']);
const API_OPEN = new Set(['/api/openapi.json', '/api/docs']);
const TUNER_PREFIXES = ['/auto/', '/stream/', '/iptv/', '/watch/'];
const TUNER_EXACT = new Set(['/lineup.json']);

/**
 * The class of a path: the matched route's pattern when there is one (what the router really
 * serves, whatever the spelling of the URL), else the raw path (unknown /api paths are admin, so
 * they answer 401 before 404 and reveal nothing).
 */
export function routeClass(path: string): RouteClass {
  const p = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (p === '/api' || p.startsWith('/api/')) {
    if (API_TUNER.has(p)) return 'tuner';
    if (API_OPEN.has(p) || p.startsWith('/api/docs/')) return 'open';
    return 'admin';
  }
  if (TUNER_EXACT.has(p) || TUNER_PREFIXES.some((x) => p.startsWith(x))) return 'tuner';
  return 'open';
}

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopback(ip: string | undefined): boolean {
  if (!ip) return false;
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return v4.startsWith('127.') || ip === '::1';
}

export const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
