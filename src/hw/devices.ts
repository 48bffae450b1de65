// Device nodes an encoder kind needs, and whether this process (the service user) may open them.
import { accessSync, constants, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceNode } from '../schemas/hw.js';

/** Group names by gid from /etc/group (render, video…): the usual fix is adding the user to one. */
export function parseGroups(text: string): Map<number, string> {
  const m = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name, , gid] = line.split(':');
    if (name && gid && /^\d+$/.test(gid)) m.set(Number(gid), name);
  }
  return m;
}

let groupCache: Map<number, string> | null = null;
function groupName(gid: number): string | null {
  if (!groupCache) {
    try { groupCache = parseGroups(readFileSync('/etc/group', 'utf8')); } catch { groupCache = new Map(); }
  }
  return groupCache.get(gid) ?? String(gid);
}

const can = (path: string, mode: number): boolean => {
  try { accessSync(path, mode); return true; } catch { return false; }
};

export function deviceNode(path: string, note: string | null = null): DeviceNode {
  if (!existsSync(path)) return { path, exists: false, readable: false, writable: false, group: null, note: note ?? 'no such device node' };
  let group: string | null = null;
  try { group = groupName(statSync(path).gid); } catch { /* raced away */ }
  const readable = can(path, constants.R_OK), writable = can(path, constants.W_OK);
  const perm = readable && writable ? null : `not readable and writable by this user (group ${group ?? '?'}: add the service user to it)`;
  return { path, exists: true, readable, writable, group, note: [note, perm].filter(Boolean).join('; ') || null };
}

/** /dev/dri/renderD128… (VA-API and QSV open these). */
export function renderNodes(dir = '/dev/dri'): DeviceNode[] {
  let names: string[] = [];
  try { names = readdirSync(dir).filter((n) => /^renderD\d+$/.test(n)).sort(); } catch { return []; }
  return names.map((n) => deviceNode(join(dir, n)));
}

/** A V4L2 device name that is a memory-to-memory encoder (Raspberry Pi 4: "bcm2835-codec-encode"). */
export const isM2mEncoderName = (name: string): boolean => /encode|enc$|m2m/i.test(name) && !/decode|isp|image_fx/i.test(name);

/** /dev/video* nodes whose sysfs name says they are M2M encoders. */
export function v4l2M2mNodes(sysDir = '/sys/class/video4linux', devDir = '/dev'): DeviceNode[] {
  let names: string[] = [];
  try { names = readdirSync(sysDir).filter((n) => /^video\d+$/.test(n)).sort((a, b) => Number(a.slice(5)) - Number(b.slice(5))); } catch { return []; }
  const out: DeviceNode[] = [];
  for (const n of names) {
    let label = '';
    try { label = readFileSync(join(sysDir, n, 'name'), 'utf8').trim(); } catch { continue; }
    if (isM2mEncoderName(label)) out.push(deviceNode(join(devDir, n), label));
  }
  return out;
}

/** `ldconfig -p` line "libcuda.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcuda.so.1" → the path. */
export function findLibrary(ldconfigOutput: string, lib: string): string | null {
  for (const line of ldconfigOutput.split('\n')) {
    const m = /^\s*(\S+)\s+\(([^)]*)\)\s+=>\s+(\S+)/.exec(line);
    if (m && m[1] === lib) return m[3]!;
  }
  return null;
}

/** A fingerprint of the device nodes present: a new GPU or driver invalidates the probe cache. */
export function deviceFingerprint(): string {
  const list = (dir: string, re: RegExp) => { try { return readdirSync(dir).filter((n) => re.test(n)).sort().join(','); } catch { return ''; } };
  return [list('/dev/dri', /^renderD\d+$/), list('/dev', /^(nvidia\d+|video\d+|mpp_service)$/)].join('|');
}
