// The library stays current by itself: periodic rescans (a short interval here) and folder
// watching pick up a new file and flag a removed one as missing, with real ffprobe and SQLite.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config.js';
import { Rescanner } from '../../../src/engine/library/rescan.js';
import { makeClip } from '../../helpers/media.js';
import { tempDir } from '../../helpers/library.js';
import { tempEngine, type TempEngine } from '../../helpers/temp-engine.js';

async function until(what: string, ok: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('automatic rescans', () => {
  let base = '', clip = '';
  before(async () => {
    base = await tempDir('exs-autoscan');
    clip = await makeClip(join(base, 'media'), 'clip.mkv', { duration: 1 });
  });
  after(async () => { await rm(base, { recursive: true, force: true }); });

  /** An engine with one scanned local source holding old.mkv. */
  async function library(name: string): Promise<{ t: TempEngine; root: string; statusOf: (file: string) => string | undefined }> {
    const root = join(base, name);
    await mkdir(root);
    await copyFile(clip, join(root, 'old.mkv'));
    const t = await tempEngine({ scanConcurrency: 1 });
    const source = t.engine.store.sources.create('local', name, { path: root });
    await t.engine.scans.wait(t.engine.scans.start(source.id).id);
    const statusOf = (file: string) => t.engine.store.items.query({ sourceId: source.id, limit: 100, offset: 0 }).items.find((i) => i.externalKey === file)?.status;
    assert.equal(statusOf('old.mkv'), 'ok');
    return { t, root, statusOf };
  }

  test('periodic: a new file is added and a removed one flagged missing', async () => {
    const { t, root, statusOf } = await library('periodic');
    const r = new Rescanner(t.engine.store, t.engine.scans, t.engine.events, { everyMs: 300, watch: false });
    try {
      r.start();
      await copyFile(clip, join(root, 'new.mkv'));
      await unlink(join(root, 'old.mkv'));
      await until('new.mkv ok and old.mkv missing', () => statusOf('new.mkv') === 'ok' && statusOf('old.mkv') === 'missing');
    } finally {
      await r.close();
      await t.close();
    }
  });

  test('watching: a change is scanned once the folder settles; no timer needed', async () => {
    const { t, root, statusOf } = await library('watched');
    const r = new Rescanner(t.engine.store, t.engine.scans, t.engine.events, { everyMs: 0, watch: true, settleMs: 300 });
    const scans: number[] = [];
    const off = t.engine.events.on('scan.finished', (s) => scans.push(s.id));
    try {
      r.start();
      await r.ready();
      await mkdir(join(root, 'Show/Season 1'), { recursive: true });
      await copyFile(clip, join(root, 'Show/Season 1/Show S01E01.mkv'));
      await until('the new episode', () => statusOf('Show/Season 1/Show S01E01.mkv') === 'ok');
      await unlink(join(root, 'old.mkv'));
      await until('old.mkv missing', () => statusOf('old.mkv') === 'missing');
      assert.ok(scans.length >= 2 && scans.length <= 4, `one scan per settled change, not one per event: ${scans.length}`);
    } finally {
      off();
      await r.close();
      await t.close();
    }
  });

  test('the settings: a rescan every 6 hours and no watching by default; environment and bad values', () => {
    const d = loadConfig({ dataDir: base }, {});
    assert.equal(d.rescanHours, 6);
    assert.equal(d.watchFolders, false);
    const e = loadConfig({ dataDir: base }, { EXSTREAMTV_RESCAN_HOURS: '0.5', EXSTREAMTV_WATCH_FOLDERS: '1' });
    assert.equal(e.rescanHours, 0.5);
    assert.equal(e.watchFolders, true);
    assert.throws(() => loadConfig({ dataDir: base }, { EXSTREAMTV_RESCAN_HOURS: '-1' }), /rescanHours.*EXSTREAMTV_RESCAN_HOURS/);
  });
});
