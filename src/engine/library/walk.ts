// Recursive directory walk: files with size and mtime. Symlinks are followed (to files and folders),
// each folder is entered once (by device:inode), so link loops end; unreadable folders are reported and skipped.
import { opendir, stat } from 'node:fs/promises';
import type { Dirent, Stats } from 'node:fs';
import { join } from 'node:path';

export interface WalkEntry { relPath: string; absPath: string; size: number; mtimeMs: number }

export interface WalkOptions {
  /** Folders not to enter (name and path relative to the root). */
  skipDir?: (name: string, relPath: string) => boolean;
  /** Files worth a stat call, by name. */
  acceptFile?: (name: string) => boolean;
  /** A folder or file that could not be read; the walk goes on without it. */
  onSkip?: (relPath: string, err: NodeJS.ErrnoException) => void;
  signal?: AbortSignal;
}

const STAT_BATCH = 64;
const idOf = (st: Stats) => `${st.dev}:${st.ino}`;

export async function* walkFiles(root: string, opts: WalkOptions = {}): AsyncGenerator<WalkEntry> {
  const visited = new Set<string>();
  const skip = (rel: string, err: unknown) => opts.onSkip?.(rel || '.', err as NodeJS.ErrnoException);
  const rootStat = await stat(root);
  visited.add(idOf(rootStat));
  const pending: { abs: string; rel: string }[] = [{ abs: root, rel: '' }];

  while (pending.length) {
    opts.signal?.throwIfAborted();
    const dir = pending.pop()!;
    const entries: Dirent[] = [];
    try {
      for await (const d of await opendir(dir.abs, { bufferSize: 256 })) entries.push(d);
    } catch (err) {
      skip(dir.rel, err);
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: { abs: string; rel: string }[] = [];
    const toStat: { name: string; dirent: Dirent }[] = [];
    for (const d of entries) {
      const rel = dir.rel ? `${dir.rel}/${d.name}` : d.name;
      if (d.isDirectory()) {
        if (!opts.skipDir?.(d.name, rel)) subdirs.push({ abs: join(dir.abs, d.name), rel });
      } else if (d.isFile()) {
        if (opts.acceptFile?.(d.name) ?? true) toStat.push({ name: d.name, dirent: d });
      } else if (d.isSymbolicLink() || !(d.isFIFO() || d.isSocket() || d.isCharacterDevice() || d.isBlockDevice())) {
        toStat.push({ name: d.name, dirent: d }); // a link (or a file system that does not report types): stat decides
      }
    }
    for (let i = 0; i < toStat.length; i += STAT_BATCH) {
      opts.signal?.throwIfAborted();
      const batch = toStat.slice(i, i + STAT_BATCH);
      const stats = await Promise.all(batch.map(({ name }) => stat(join(dir.abs, name)).catch((err: unknown) => err as Error)));
      for (const [j, { name, dirent }] of batch.entries()) {
        const st = stats[j]!;
        const rel = dir.rel ? `${dir.rel}/${name}` : name;
        const abs = join(dir.abs, name);
        if (st instanceof Error) skip(rel, st);
        else if (st.isDirectory()) {
          if (!dirent.isFile() && !opts.skipDir?.(name, rel)) subdirs.push({ abs, rel });
        } else if (st.isFile() && (dirent.isFile() || (opts.acceptFile?.(name) ?? true))) {
          yield { relPath: rel, absPath: abs, size: st.size, mtimeMs: st.mtimeMs };
        }
      }
    }
    // Enter folders once each; a real folder needs a stat too, since a bind mount can loop as well.
    const dirStats = await Promise.all(subdirs.map((s) => stat(s.abs).catch((err: unknown) => err as Error)));
    for (let i = subdirs.length - 1; i >= 0; i--) {
      const st = dirStats[i]!;
      if (st instanceof Error) { skip(subdirs[i]!.rel, st); continue; }
      if (visited.has(idOf(st))) continue;
      visited.add(idOf(st));
      pending.push(subdirs[i]!);
    }
  }
}
