// Which files the daemon may be pointed at. Library folders: not a system tree (/, /etc, /proc,
// /root, the data dir, …) unless allowSystemFolders is on. Images (watermarks, channel logos): a
// readable file under a library folder or <dataDir>/images; every refusal of an image reads the
// same, so it never tells whether a path exists.
import { constants, accessSync, realpathSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { InvalidError } from '../errors.js';

/** Trees no library folder may lie in (or be): the OS, other users' secrets, runtime state. */
export const SYSTEM_TREES = [
  '/proc', '/sys', '/dev', '/etc', '/root', '/boot', '/run', '/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32',
  '/var/lib', '/var/log', '/var/cache', '/var/spool', '/var/mail', '/var/backups', '/snap',
] as const;

export const imagesDir = (dataDir: string): string => join(dataDir, 'images');

const within = (path: string, root: string) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * The reason `path` (absolute, normalised) may not be a library folder, or null. Inside the data
 * dir only its own folders that hold no state are allowed (e.g. the demo media).
 */
export function systemFolderReason(path: string, dataDir: string): string | null {
  const data = resolve(dataDir);
  if (path === '/') return 'the root of the file system';
  if (path === data) return "exstreamtv's data directory";
  if (within(path, data)) return within(path, join(data, 'backups')) ? "exstreamtv's backups" : null;
  const tree = SYSTEM_TREES.find((t) => within(path, t));
  return tree ? `a system folder (${tree})` : null;
}

export interface FolderRules { dataDir: string; allowSystemFolders: boolean }

/** Throws a 400 naming `field` when `path` may not be a library folder (lexically, then where its links lead). */
export function assertLibraryFolder(path: string, rules: FolderRules, field = 'path'): void {
  if (rules.allowSystemFolders) return;
  const refuse = (why: string) => new InvalidError(field, `${path} is ${why}: library folders may not be system folders (set allowSystemFolders to allow it)`);
  const lexical = systemFolderReason(resolve(path), rules.dataDir);
  if (lexical) throw refuse(lexical);
  let real: string;
  try { real = realpathSync(path); } catch { return; } // the caller says it does not exist
  const linked = systemFolderReason(real, realpathOr(rules.dataDir));
  if (linked) throw refuse(`a link to ${linked}`);
}

const realpathOr = (p: string) => { try { return realpathSync(p); } catch { return resolve(p); } };

/**
 * Throws a 400 naming `field` unless `path` is a readable regular file under one of `roots`
 * (library folders; <dataDir>/images is always one), links followed. One message for every failure.
 */
export function assertImageFile(path: string, roots: readonly string[], dataDir: string, field: string): void {
  const refusal = () => new InvalidError(field, `must be a readable image file under a library folder or in ${imagesDir(dataDir)}`);
  let real: string;
  try {
    real = realpathSync(path);
    if (!statSync(real).isFile()) throw refusal();
    accessSync(real, constants.R_OK);
  } catch {
    throw refusal();
  }
  const allowed = [imagesDir(dataDir), ...roots].map(realpathOr);
  if (!allowed.some((root) => root !== '/' && within(real, root))) throw refusal();
}
