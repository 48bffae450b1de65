// Stand-by slates rendered ahead: after the stream manager starts, and after a channel is added or
// renamed, every enabled channel's stand-by slate is on disk (not in memory) before its first tune;
// a session reads it back without an ffmpeg; shutting down mid-render leaves no ffmpeg behind.
import assert from 'node:assert/strict';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_PROFILE } from '../../src/engine/ffmpeg/profile.js';
import { SlateCache, standbyText } from '../../src/engine/stream/slate.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { tempDir } from '../helpers/library.js';
import { FFMPEG } from '../helpers/media.js';
import { api, assertNoFfmpegLeft, ffmpegChildren, makeClips, scanLibrary, waitFor } from '../helpers/stream.js';

const slateFiles = async (dataDir: string): Promise<string[]> =>
  (await readdir(join(dataDir, 'cache', 'slates')).catch(() => [] as string[])).filter((f) => f.endsWith('.ts')).sort();

describe('SlateCache.prepare', () => {
  it('renders onto disk without holding the slate in memory; a fresh cache reads it back with no ffmpeg', async () => {
    const dir = await tempDir('exstreamtv-slate-ahead');
    try {
      const cache = new SlateCache(FFMPEG, dir, DEFAULT_PROFILE);
      const text = standbyText('Ahead One');
      assert.equal(await cache.prepare(text), true, 'rendered');
      assert.equal(await cache.prepare(text), false, 'already there');
      assert.equal(cache.inMemory(text), null, 'not kept in memory');
      const [file] = await readdir(dir);
      assert.ok(file);
      // No ffmpeg at all: the packets can only come from the file.
      const cold = new SlateCache(join(dir, 'no-such-ffmpeg'), dir, DEFAULT_PROFILE);
      const packets = await cold.packets(text);
      assert.deepEqual(Buffer.concat(packets), await readFile(join(dir, file)));
      assert.equal(cold.inMemory(text), packets);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a render that fails is reported and not tried again by the next pass', async () => {
    const dir = await tempDir('exstreamtv-slate-ahead-fail');
    try {
      const cache = new SlateCache(join(dir, 'no-such-ffmpeg'), dir, DEFAULT_PROFILE);
      await assert.rejects(cache.prepare(standbyText('Nope')), /no-such-ffmpeg|ENOENT|not found/i);
      assert.equal(await cache.prepare(standbyText('Nope')), false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('stand-by slates rendered ahead by the stream manager', () => {
  let t: TestApi;
  let media: string;
  let itemId: number;
  before(async () => {
    t = await startApi({ listen: true });
    media = await tempDir('exstreamtv-slate-ahead-media');
    await makeClips(media, { 'a.mp4': { seconds: 2, width: 320, height: 240, fps: '25', vcodec: 'libx264', audio: [{ freq: 440 }] } });
    itemId = (await scanLibrary(t.url, media)).get('a.mp4')!.id;
  });
  after(async () => {
    await t?.close();
    await rm(media, { recursive: true, force: true });
    await assertNoFfmpegLeft();
  });

  it('every enabled channel after start; a new and a renamed channel after the change; none twice', async () => {
    const dataDir = t.engine.config.dataDir;
    for (const [number, name] of [[1, 'Ahead One'], [2, 'Ahead Two']] as const) {
      await api.post(t.url, '/api/channels', { number, name, content: [{ type: 'item', id: itemId }] });
    }
    assert.deepEqual(await slateFiles(dataDir), [], 'nothing before the manager starts');
    t.engine.streams.start();
    assert.ok(await waitFor(async () => (await slateFiles(dataDir)).length === 2, 30_000), `two slates: ${await slateFiles(dataDir)}`);
    await t.engine.streams.standby.idle();
    assert.equal(t.engine.streams.standby.rendered, 2);

    await api.post(t.url, '/api/channels', { number: 3, name: 'Ahead Three', content: [{ type: 'item', id: itemId }] });
    const renamed = await t.call('PATCH', '/api/channels/2', { name: 'Ahead Two, renamed' });
    assert.equal(renamed.status, 200);
    assert.ok(await waitFor(async () => (await slateFiles(dataDir)).length === 4, 30_000), `four slates: ${await slateFiles(dataDir)}`);
    await t.engine.streams.standby.idle();
    assert.equal(t.engine.streams.standby.rendered, 4, 'the ones on disk were not rendered again');
  });

  it('a shutdown while slates render leaves no ffmpeg behind', async () => {
    const u = await startApi({ listen: true });
    try {
      const items = await scanLibrary(u.url, media);
      for (let n = 1; n <= 6; n++) await api.post(u.url, '/api/channels', { number: n, name: `Busy ${n}`, content: [{ type: 'item', id: items.get('a.mp4')!.id }] });
      u.engine.streams.start();
      // A render ahead runs at nice 19 (field 19 of /proc/<pid>/stat): it must not slow live encodes.
      const nice = await waitFor(async () => {
        for (const pid of await ffmpegChildren(process.pid)) {
          const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
          if (stat.includes('(ffmpeg)')) return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
        }
        return null;
      }, 30_000, 20);
      assert.equal(nice, 19, 'a slate rendered ahead runs at the lowest priority');
      assert.ok(await waitFor(async () => (await slateFiles(u.engine.config.dataDir)).length >= 1, 30_000), 'rendering began');
    } finally {
      await u.close();
    }
    // close() resolved with the pass stopped: its render killed, no new one started after.
    const rendered = u.engine.streams.standby.rendered;
    await assertNoFfmpegLeft();
    await u.engine.streams.standby.idle();
    assert.equal(u.engine.streams.standby.rendered, rendered);
  });
});
