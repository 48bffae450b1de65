// Builds media-library folders for scanner tests and benchmarks.
import { copyFile, link, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { probeFile, type ProbeFn } from '../../src/engine/library/probe.js';
import { openStore, type Store } from '../../src/engine/store/store.js';

export const tempDir = (prefix: string) => mkdtemp(join(tmpdir(), `${prefix}-`));

/** A file of a library: a copy (or hard link) of a generated clip, or literal text (an NFO). */
export type LibraryFile = { clip: string; hardLink?: boolean } | { text: string };

/** Creates the files under root; paths are relative and '/'-separated. */
export async function writeLibrary(root: string, files: Record<string, LibraryFile>): Promise<void> {
  for (const [rel, f] of Object.entries(files)) {
    const dest = join(root, rel);
    await mkdir(dirname(dest), { recursive: true });
    if ('text' in f) await writeFile(dest, f.text);
    else if (f.hardLink) await link(f.clip, dest);
    else await copyFile(f.clip, dest);
  }
}

/** The real probe, counting the files it is asked about. */
export function countingProbe(): { probe: ProbeFn; calls: string[] } {
  const calls: string[] = [];
  return { calls, probe: (path, opts) => { calls.push(path); return probeFile(path, opts); } };
}

/** A fresh SQLite store in dir with one local source pointing at root. */
export function storeWithSource(dir: string, root: string, name = 'Library'): { store: Store; sourceId: number } {
  const store = openStore(join(dir, 'exstreamtv.db'));
  const sourceId = store.sources.create('local', name, { path: root }).id;
  return { store, sourceId };
}
