import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execa } from 'execa';
import { chmod, mkdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { probeFile } from '../../../src/engine/library/probe.js';
import { scanLocalSource, SourceUnavailableError, type ScanDeps } from '../../../src/engine/library/scanner.js';
import { migrations } from '../../../src/engine/store/migrations.js';
import { openStore, type Store } from '../../../src/engine/store/store.js';
import { FFPROBE, makeClip } from '../../helpers/media.js';
import { countingProbe, storeWithSource, tempDir, writeLibrary } from '../../helpers/library.js';

const E1 = 'Show B/Season 1/Show B S01E01.mkv';
const E2 = 'Show B/Season 1/Show B S01E02.mkv';
const MOVIE = 'Film (2004).mp4';

describe('scanner: rescans, vanished files and failures', () => {
  let base = '';
  let clip = '';
  let n = 0;
  let store: Store | undefined;

  before(async () => {
    base = await tempDir('rescan');
    clip = await makeClip(join(base, 'media'), 'clip.mkv', { duration: 1 });
  });
  after(async () => {
    store?.close();
    await rm(base, { recursive: true, force: true });
  });

  /** A fresh three-file library, store and counting probe. */
  async function setup() {
    const dir = join(base, `case${++n}`);
    const root = join(dir, 'library');
    await writeLibrary(root, { [E1]: { clip }, [E2]: { clip }, [MOVIE]: { clip } });
    store?.close();
    const s = storeWithSource(dir, root);
    store = s.store;
    const counter = countingProbe();
    const deps: ScanDeps = { store: s.store, ffprobePath: FFPROBE, concurrency: 2, probe: counter.probe };
    const scan = async (extra: Partial<ScanDeps> = {}) => {
      counter.calls.length = 0;
      const t0 = performance.now();
      const { durationMs, ...counts } = await scanLocalSource({ ...deps, ...extra }, s.sourceId);
      // The scan's own measure: a whole number of milliseconds within the call's wall time.
      assert.ok(Number.isInteger(durationMs) && durationMs >= 0 && durationMs <= Math.ceil(performance.now() - t0) + 1, `durationMs ${durationMs}`);
      return counts;
    };
    const statusOf = (key: string) => s.store.items.query({ sourceId: s.sourceId, limit: 100, offset: 0 }).items.find((i) => i.externalKey === key)?.status;
    return { dir, root, store: s.store, sourceId: s.sourceId, calls: counter.calls, scan, statusOf };
  }
  const counts = (c: Partial<Record<string, number>>) => ({ found: 3, total: 0, probed: 0, added: 0, changed: 0, unchanged: 0, missing: 0, unreadable: 0, ...c });

  it('probes only new and changed files (size, mtime or NFO)', async () => {
    const t = await setup();
    assert.deepEqual(await t.scan(), counts({ total: 3, probed: 3, added: 3 }));
    assert.equal(t.calls.length, 3);
    assert.deepEqual(await t.scan(), counts({ unchanged: 3 }));
    assert.equal(t.calls.length, 0);

    const later = new Date(Date.now() + 60_000);
    await utimes(join(t.root, E2), later, later);
    assert.deepEqual(await t.scan(), counts({ total: 1, probed: 1, changed: 1, unchanged: 2 }));
    assert.deepEqual(t.calls, [join(t.root, E2)]);

    await writeFile(join(t.root, 'Film (2004).nfo'), '<movie><title>Film From NFO</title><year>2005</year></movie>');
    assert.deepEqual(await t.scan(), counts({ total: 1, probed: 1, changed: 1, unchanged: 2 }));
    assert.deepEqual(t.calls, [join(t.root, MOVIE)]);
    const film = t.store.items.search('Film From NFO')[0];
    assert.deepEqual([film?.title, film?.year], ['Film From NFO', 2005]);
  });

  it('after the upgrade, items judged by the old rules (audio only, under 1 s) are probed again on the next scan', async () => {
    const t = await setup();
    await t.scan();
    // As an older version left them: the movie "audio only" and unreadable, E1 ok at 0.5 s.
    const db = t.store.db;
    db.prepare(`UPDATE media_items SET status = 'unreadable', error = 'no video stream (audio only)' WHERE external_key = ?`).run(MOVIE);
    db.prepare('UPDATE media_items SET duration_ms = 500 WHERE external_key = ?').run(E1);
    // The database as it stood just before the re-probe migration (found by name: numbers move when branches merge).
    const reprobe = migrations.find((m) => m.name.startsWith('probe again'))!;
    db.pragma(`user_version = ${reprobe.version - 1}`);
    t.store.close();
    store = openStore(join(t.dir, 'exstreamtv.db'));
    const s = store;
    const deps: ScanDeps = { store: s, ffprobePath: FFPROBE, concurrency: 2, probe: countingProbe().probe };
    const { durationMs: _d, ...c } = await scanLocalSource(deps, t.sourceId);
    assert.deepEqual(c, counts({ total: 2, probed: 2, changed: 2, unchanged: 1 }), 'the two re-probed, the other left alone');
    const items = s.items.query({ sourceId: t.sourceId, limit: 10, offset: 0 }).items;
    assert.ok(items.every((i) => i.status === 'ok' && i.error === null), JSON.stringify(items.map((i) => [i.externalKey, i.status, i.error])));
  });

  it('flags a vanished file missing (never deleting it) and restores it unchanged when it returns', async () => {
    const t = await setup();
    await t.scan();
    const away = join(t.dir, 'away.mkv');
    await rename(join(t.root, E1), away);
    assert.deepEqual(await t.scan(), counts({ found: 2, unchanged: 2, missing: 1 }));
    assert.equal(t.statusOf(E1), 'missing');
    assert.deepEqual([t.store.sources.get(t.sourceId).missing, t.store.sources.get(t.sourceId).items], [1, 3]);
    assert.deepEqual(await t.scan(), counts({ found: 2, unchanged: 2 }), 'already missing: not counted again');

    await rename(away, join(t.root, E1)); // same size and mtime
    assert.deepEqual(await t.scan(), counts({ unchanged: 3 }));
    assert.equal(t.calls.length, 0, 'restored without probing');
    assert.equal(t.statusOf(E1), 'ok');
  });

  it('refuses a missing or empty source folder with a clear error, flagging nothing missing', async () => {
    const t = await setup();
    await t.scan();
    const moved = `${t.root}.moved`;
    await rename(t.root, moved);
    await assert.rejects(t.scan(), (e: unknown) => e instanceof SourceUnavailableError
      && e.message === `media folder "${t.root}" of source "Library" does not exist: if it is on a disk or network share, mount it; otherwise change the source's path`);
    assert.match(t.store.sources.get(t.sourceId).lastScanStatus ?? '', /^failed: media folder .* does not exist/);

    await mkdir(t.root); // an empty mount point
    await assert.rejects(t.scan(), /has no video files now, but had some before: if a disk or network share is not mounted, mount it/);
    assert.equal(t.store.sources.get(t.sourceId).missing, 0);
    assert.deepEqual([E1, E2, MOVIE].map(t.statusOf), ['ok', 'ok', 'ok']);

    await rm(t.root, { recursive: true });
    await rename(moved, t.root);
    assert.deepEqual(await t.scan(), counts({ unchanged: 3 }));
    assert.equal(t.store.sources.get(t.sourceId).lastScanStatus, 'ok');
  });

  it('fails clearly when ffprobe is missing, saving no false verdicts', async () => {
    const t = await setup();
    await assert.rejects(t.scan({ ffprobePath: '/nonexistent/ffprobe', probe: probeFile }), /cannot run ffprobe at "\/nonexistent\/ffprobe"/);
    assert.equal(t.store.items.counts().unreadable, 0);
    assert.match(t.store.sources.get(t.sourceId).lastScanStatus ?? '', /^failed: cannot run ffprobe/);
  });

  it('cancels: kills running ffprobes, keeps what was saved, flags nothing', async () => {
    const t = await setup();
    const fifo = join(t.dir, 'never.mkv');
    await execa('mkfifo', [fifo]); // ffprobe waits forever on a FIFO nobody writes to
    const ac = new AbortController();
    const running = t.scan({ signal: ac.signal, probe: (_path, opts) => probeFile(fifo, opts),
      onProgress: (p) => { if (p.phase === 'probing') setTimeout(() => ac.abort(), 300); } });
    await assert.rejects(running, /^Error: scan was cancelled$/);
    assert.equal((await execa('pgrep', ['-f', `ffprobe .*${fifo}`], { reject: false })).exitCode, 1, 'no ffprobe left running');
    assert.equal(t.store.sources.get(t.sourceId).lastScanStatus, 'failed: scan was cancelled');
    assert.equal(t.store.sources.get(t.sourceId).missing, 0);
  });

  it('skips an unreadable folder without flagging its files missing', { skip: process.getuid?.() === 0 && 'root reads every folder' }, async () => {
    const t = await setup();
    await t.scan();
    const season = join(t.root, 'Show B/Season 1');
    const mode = (await stat(season)).mode;
    await chmod(season, 0o000);
    try {
      const c = await t.scan();
      assert.deepEqual([c.found, c.missing], [1, 0]);
      assert.match(t.store.sources.get(t.sourceId).lastScanStatus ?? '', /^failed: 1 folder or file could not be read \(Show B\/Season 1 \(EACCES\)\)/);
      assert.equal(t.statusOf(E1), 'ok');
    } finally {
      await chmod(season, mode);
    }
  });
});
