import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { walkFiles } from '../../../src/engine/library/walk.js';
import { isSkippedDir, isVideoFile } from '../../../src/engine/library/naming.js';
import { runPool } from '../../../src/engine/library/pool.js';
import { tempDir } from '../../helpers/library.js';

describe('walk', () => {
  it('follows links to files and folders, ends link loops, reports broken links', async () => {
    const dir = await tempDir('walk');
    try {
      const root = join(dir, 'root');
      await mkdir(join(root, 'Show/Season 1'), { recursive: true });
      await mkdir(join(root, '.hidden'), { recursive: true });
      await mkdir(join(dir, 'outside'), { recursive: true });
      await writeFile(join(root, 'Show/Season 1/a.mkv'), 'aaaa');
      await writeFile(join(root, 'Show/Season 1/notes.txt'), 'x');
      await writeFile(join(root, '.hidden/h.mkv'), 'h');
      await writeFile(join(dir, 'outside/linked.mkv'), 'linked!');
      await symlink(join(dir, 'outside/linked.mkv'), join(root, 'Show/Season 1/b.mkv'));
      await symlink(join(dir, 'outside'), join(root, 'Extra'));
      await symlink(root, join(root, 'Show/loop')); // a loop back to the root
      await symlink(join(dir, 'gone.mkv'), join(root, 'broken.mkv'));

      const skipped: string[] = [];
      const found = [];
      for await (const e of walkFiles(root, { skipDir: isSkippedDir, acceptFile: isVideoFile, onSkip: (rel, err) => skipped.push(`${rel}:${err.code}`) })) {
        found.push(e);
      }
      assert.deepEqual(found.map((e) => e.relPath).sort(), ['Extra/linked.mkv', 'Show/Season 1/a.mkv', 'Show/Season 1/b.mkv']);
      const b = found.find((e) => e.relPath.endsWith('b.mkv'))!;
      assert.deepEqual([b.size, b.absPath, typeof b.mtimeMs], [7, join(root, 'Show/Season 1/b.mkv'), 'number']);
      assert.deepEqual(skipped, ['broken.mkv:ENOENT']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stops on abort', async () => {
    const dir = await tempDir('walk-abort');
    try {
      await writeFile(join(dir, 'a.mkv'), 'a');
      const ac = new AbortController();
      ac.abort(new Error('stop'));
      await assert.rejects(async () => { for await (const _ of walkFiles(dir, { signal: ac.signal })) { /* nothing */ } }, /stop/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('pool', () => {
  it('bounds concurrency and waits for work in flight before rethrowing', async () => {
    let active = 0;
    let peak = 0;
    const settled: number[] = [];
    const work = async (i: number) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 5 + (i % 3)));
      active--;
      settled.push(i);
      if (i === 5) throw new Error('five');
    };
    await assert.rejects(runPool(Array.from({ length: 20 }, (_, i) => i), 3, work), /five/);
    assert.equal(peak, 3);
    assert.equal(active, 0, 'nothing left running');
    assert.ok(settled.length < 20, 'stopped starting new work');
  });
});
