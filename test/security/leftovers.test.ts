// Crashes leave nothing behind: temporary files of a backup or restore whose process is gone are
// removed when the engine opens (and at each retention pass), a live process's are kept; a scan
// whose process died is recorded as interrupted.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { openEngine } from '../../src/appliance.js';

/** The pid of a process that has exited (and was reaped): nothing runs under it now. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('crash clean-up at start', () => {
  test('backup and restore temporaries of a dead process are removed; a live process keeps its own', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'exs-leftovers-'));
    try {
      let engine = openEngine(loadConfig({ dataDir: dir }, {}));
      await engine.backups.create('manual');
      await engine.close();
      const dead = deadPid();
      const live = process.ppid; // alive for as long as this test runs
      const backups = join(dir, 'backups');
      await mkdir(backups, { recursive: true });
      const big = Buffer.alloc(256 * 1024, 1);
      const gone = [
        join(backups, `.exstreamtv-20260101T033000Z-daily.db.${dead}.tmp`),
        join(backups, `.exstreamtv-20260101T033000Z-daily.db.${dead}.tmp-journal`),
        join(dir, `exstreamtv.db.restore-${dead}.tmp`),
      ];
      const kept = [join(backups, `.exstreamtv-20260101T033000Z-manual.db.${live}.tmp`), join(dir, `exstreamtv.db.restore-${live}.tmp`), join(backups, 'notes.txt')];
      for (const f of [...gone, ...kept]) await writeFile(f, big);
      engine = openEngine(loadConfig({ dataDir: dir }, {}));
      try {
        for (const f of gone) assert.ok(!existsSync(f), `${f} removed`);
        for (const f of kept) assert.ok(existsSync(f), `${f} kept`);
        assert.equal(engine.backups.list().length, 1, 'real backups untouched');
        // A later crash: retention removes its leftovers too.
        const later = join(backups, `.exstreamtv-20260102T033000Z-manual.db.${dead}.tmp-wal`);
        await writeFile(later, big);
        await engine.backups.create('manual');
        assert.ok(!existsSync(later), 'removed by the retention pass');
      } finally {
        await engine.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a scan whose process died is recorded as interrupted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'exs-interrupted-'));
    try {
      await mkdir(join(dir, 'media'));
      let engine = openEngine(loadConfig({ dataDir: dir }, {}));
      const src = await engine.sources.addLocal({ kind: 'local', path: join(dir, 'media') });
      engine.store.sources.recordScan(src.id, 'ok');
      const pid = deadPid();
      // What a daemon killed during a scan leaves: its running mark.
      engine.store.settings.set('library.scans.running', { [src.id]: pid });
      await engine.close();
      engine = openEngine(loadConfig({ dataDir: dir }, {}));
      try {
        const status = engine.sources.get(src.id).lastScanStatus;
        assert.match(String(status), new RegExp(`^interrupted: exstreamtv \\(pid ${pid}\\) stopped during the scan`));
        assert.deepEqual(engine.store.settings.get('library.scans.running', null), {});
        // A finished scan leaves no mark.
        const s = engine.scans.start(src.id);
        assert.deepEqual(engine.store.settings.get('library.scans.running', null), { [src.id]: process.pid });
        await engine.scans.wait(s.id);
        assert.deepEqual(engine.store.settings.get('library.scans.running', null), {});
        assert.equal(engine.sources.get(src.id).lastScanStatus, 'ok');
      } finally {
        await engine.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
