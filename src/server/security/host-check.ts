// Which Host headers the admin API answers (against DNS rebinding: a web page that makes its own
// name resolve to this box sends that name as Host). IP literals, localhost, this machine's name
// (and name.local), the configured LAN address and the allowedHosts list pass; `*.example.lan`
// entries match any sub-name.
import { isIP } from 'node:net';
import { hostname } from 'node:os';

/** The name part of a Host header value (no port, no brackets, lower case, no trailing dot). */
export function hostName(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  const name = h.startsWith('[') ? h.slice(1, h.indexOf(']') < 0 ? undefined : h.indexOf(']')) : h.replace(/:\d*$/, '');
  return name.replace(/\.$/, '');
}

export interface HostRules { allowedHosts: readonly string[]; lanAddress?: string | undefined }

export function hostChecker(rules: HostRules, machineName = hostname()): (hostHeader: string | undefined) => boolean {
  const exact = new Set<string>(['localhost']);
  const suffixes: string[] = [];
  const me = machineName.toLowerCase();
  if (me) exact.add(me).add(`${me}.local`).add(me.split('.')[0]!);
  if (rules.lanAddress) exact.add(hostName(rules.lanAddress));
  for (const h of rules.allowedHosts) {
    if (h.startsWith('*.')) suffixes.push(h.slice(1));
    else exact.add(h.replace(/\.$/, ''));
  }
  return (hostHeader) => {
    // HTTP/1.0 without Host: no browser sends that, so no rebinding page either.
    if (hostHeader === undefined) return true;
    const name = hostName(hostHeader);
    if (!name) return false;
    return isIP(name) !== 0 || exact.has(name) || suffixes.some((s) => name.endsWith(s) && name.length > s.length);
  };
}
