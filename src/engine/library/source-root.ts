// A local source's folder: where it is, and a clear error when it cannot be scanned.
import { opendir, stat } from 'node:fs/promises';
import type { MediaSource } from '../../schemas/library.js';

/** The source folder is gone or unreadable: nothing was scanned and nothing was flagged missing. */
export class SourceUnavailableError extends Error {}

export function localRoot(source: MediaSource): string {
  const path = source.config.path;
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new SourceUnavailableError(`source "${source.name}" has no absolute folder path in its settings (config.path): edit the source and set one`);
  }
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

const why = (err: unknown, root: string, name: string): string => {
  const code = (err as NodeJS.ErrnoException).code;
  const where = `media folder "${root}" of source "${name}"`;
  switch (code) {
    case 'ENOENT':
      return `${where} does not exist: if it is on a disk or network share, mount it; otherwise change the source's path`;
    case 'EACCES':
    case 'EPERM':
      return `${where} cannot be read (permission denied): give the user running exstreamtv read and execute access to it (e.g. chmod o+rx)`;
    case 'ENOTDIR':
      return `${where} is not a folder: point the source at the folder that holds the videos`;
    default:
      return `${where} cannot be read (${code ?? (err as Error).message}): check the disk or share, then scan again`;
  }
};

/** Throws SourceUnavailableError unless root is a folder we can list. */
export async function assertReadableRoot(root: string, name: string): Promise<void> {
  try {
    const st = await stat(root);
    if (!st.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    await (await opendir(root)).close();
  } catch (err) {
    throw new SourceUnavailableError(why(err, root, name), { cause: err });
  }
}
