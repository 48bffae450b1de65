// Can the service's system user (install.sh --service creates `exstreamtv`) read a folder? Asked
// by `library add` run as someone else: a folder under a 0700 home reads fine for its owner and
// scans empty for the service. Unix permission bits along the path (ACLs are not consulted).
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export const SERVICE_USER = 'exstreamtv';

export interface Account { name: string; uid: number; gids: number[] }

/** The account from /etc/passwd and /etc/group (its primary and supplementary groups); null when absent. */
export function lookupAccount(name: string, etc = '/etc'): Account | null {
  let passwd: string, group: string;
  try {
    passwd = readFileSync(`${etc}/passwd`, 'utf8');
    group = readFileSync(`${etc}/group`, 'utf8');
  } catch {
    return null;
  }
  const row = passwd.split('\n').map((l) => l.split(':')).find((f) => f[0] === name && f.length >= 4);
  if (!row) return null;
  const gids = new Set([Number(row[3])]);
  for (const f of group.split('\n').map((l) => l.split(':'))) {
    if (f.length >= 4 && f[3]!.split(',').includes(name)) gids.add(Number(f[2]));
  }
  return { name, uid: Number(row[2]), gids: [...gids] };
}

function allows(st: { uid: number; gid: number; mode: number }, who: Account, bits: number): boolean {
  if (who.uid === 0) return true;
  const shift = st.uid === who.uid ? 6 : who.gids.includes(st.gid) ? 3 : 0;
  return ((st.mode >> shift) & bits) === bits;
}

/**
 * Why `who` cannot list `folder` (the first directory on the way that stops it), or null when it
 * can. A path that does not exist is not this check's business (null).
 */
export function unreadableFor(folder: string, who: Account): string | null {
  const target = resolve(folder);
  const chain: string[] = [];
  for (let p = target; ; p = dirname(p)) {
    chain.unshift(p);
    if (p === dirname(p)) break;
  }
  for (const p of chain) {
    let st;
    try { st = statSync(p); } catch { return null; }
    const need = p === target ? 5 : 1;   // r-x on the folder itself, --x on its parents
    if (!allows(st, who, need)) {
      const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
      return `${p} (mode ${mode}, owner uid ${st.uid}, group gid ${st.gid}) does not let it ${need === 5 ? 'list it' : 'pass through'}`;
    }
  }
  return null;
}

/**
 * A warning line when the service user exists, is not who runs this command, and cannot read the
 * folder; null otherwise. EXSTREAMTV_SERVICE_USER names another account (tests).
 */
export function serviceReadWarning(folder: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const who = lookupAccount(env.EXSTREAMTV_SERVICE_USER || SERVICE_USER);
  if (!who || who.uid === process.geteuid?.()) return null;
  const why = unreadableFor(folder, who);
  return why && `warning: the service user ${who.name} cannot read ${resolve(folder)}: ${why}. The service will find nothing there: `
    + `make it readable (e.g. chmod o+x on the parents, o+rx on the folder) or add ${who.name} to its group`;
}
