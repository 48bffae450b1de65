// Hostile or careless input: bytes that are not UTF-8, unbounded ?duration=, too many expensive
// operations at once. Each is a 4xx that says what to do, and nothing is stored.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startApi, type TestApi } from '../helpers/api.js';
import { dbSnapshot } from '../helpers/db-snapshot.js';
import { liveProcesses } from '../../src/engine/ffmpeg/process.js';
import { MAX_RUNNING_SCANS } from '../../src/engine/library/scans.js';
import { AppError } from '../../src/engine/errors.js';

describe('input hygiene', () => {
  let t: TestApi;
  before(async () => {
    t = await startApi();
    assert.equal((await t.call('POST', '/api/channels', { number: '2', name: 'Two' })).status, 201);
  });
  after(async () => { await t?.close(); });

  test('a JSON body that is not UTF-8 is a 400, never stored as U+FFFD', async () => {
    const before = dbSnapshot(t.engine.store);
    for (const bytes of [Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), Buffer.concat([Buffer.from('{"name":"caf'), Buffer.from([0xc3]), Buffer.from('"}')]), Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')])]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/collections', payload: bytes, headers: { 'content-type': 'application/json', 'x-exstreamtv': '1' } });
      assert.equal(res.statusCode, 400, res.body);
      assert.match(res.json().message, /not valid UTF-8/);
    }
    assert.deepEqual(dbSnapshot(t.engine.store), before);
    const ok = await t.app.inject({ method: 'POST', url: '/api/collections', payload: Buffer.from('{"name":"café ☕"}'), headers: { 'content-type': 'application/json', 'x-exstreamtv': '1' } });
    assert.equal(ok.statusCode, 201);
    assert.equal(ok.json().name, 'café ☕');
  });

  test('?duration= is bounded on /stream and /auto: 400 before any tuning, no ffmpeg started', async () => {
    for (const d of ['3000000', '86401', '-1', 'abc', '1e9', 'Infinity', '', '0x10']) {
      for (const url of [`/stream/channels/2.ts?duration=${d}`, `/auto/v2?duration=${d}`, `/auto/v99?duration=${d}`]) {
        const res = await t.app.inject({ method: 'GET', url });
        assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
        assert.match(res.json().message, /^duration: must be a number of seconds from 0 to 86400/);
        assert.equal(res.json().issues[0].path, 'duration');
      }
    }
    assert.equal(liveProcesses(), 0);
    assert.equal(t.engine.streams.stats().length, 0);
  });

  test('backups run one at a time: a second one meanwhile is a 409 saying so', async () => {
    const [a, b] = await Promise.all([t.call('POST', '/api/backups'), t.call('POST', '/api/backups')]);
    assert.deepEqual([a.status, b.status].sort(), [201, 409], JSON.stringify([a.body, b.body]));
    const refused = a.status === 409 ? a : b;
    assert.match(refused.body.message, /a backup or restore is running \(at most 1 at once\)/);
    assert.equal(t.engine.backups.list().length, 1);
    assert.equal((await t.call('POST', '/api/backups')).status, 201, 'and once it is over, the next one runs');
  });

  test(`at most ${MAX_RUNNING_SCANS} scans at once: one more is a 429 (a rescan of a running source joins it)`, async () => {
    const ids: number[] = [];
    for (const n of [1, 2, 3]) {
      const dir = join(t.engine.config.dataDir, `lib${n}`);
      await mkdir(dir);
      ids.push((await t.call('POST', '/api/sources', { path: dir })).body.id);
    }
    const first = t.engine.scans.start(ids[0]!);
    t.engine.scans.start(ids[1]!);
    assert.equal(t.engine.scans.start(ids[0]!).id, first.id, 'the same scan');
    assert.throws(() => t.engine.scans.start(ids[2]!), (err: unknown) => err instanceof AppError && err.statusCode === 429 && /at most 2 at once/.test(err.message));
    for (const s of t.engine.scans.list()) await t.engine.scans.wait(s.id);
    assert.equal((await t.call('POST', `/api/sources/${ids[2]}/scan`)).status, 202);
    for (const s of t.engine.scans.list()) await t.engine.scans.wait(s.id);
  });
});
