// Database backups against real SQLite files in temp data dirs, through the real API: online
// backups of a WAL database, retention, restore under a running server (the API serves the
// restored channels at once), and every refusal (corrupt, newer schema, bad or unknown names)
// leaving the live database exactly as it was.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addFakeItems, addFakeSource, episodes } from '../helpers/fake-items.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { ApiClient, httpTransport } from '../../src/client/api-client.js';
import { SCHEMA_VERSION } from '../../src/engine/store/backup.js';
import { databaseFile } from '../../src/engine/store/store.js';
import type { BackupInfo, BackupList, RestoreResult } from '../../src/schemas/backup.js';
import type { Channel } from '../../src/schemas/channel.js';

const count = (file: string, sql: string) => {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try { return (db.prepare(sql).get() as { n: number }).n; } finally { db.close(); }
};

describe('backups: create, list, retention', () => {
  let t: TestApi;
  before(async () => { t = await startApi({ config: { backupKeep: 3 } }); });
  after(async () => {
    assert.deepEqual(t.serverErrors, []);
    await t.close();
  });

  test('a backup of a WAL database holds the rows still in the -wal file (a file copy does not)', async () => {
    const { store } = t.engine;
    store.db.pragma('wal_autocheckpoint = 0');
    store.tx(() => { for (let i = 0; i < 3000; i++) store.settings.set(`test.wal.${i}`, { i, pad: 'x'.repeat(100) }); });
    const dbFile = databaseFile(t.engine.config.dataDir);
    assert.ok(statSync(`${dbFile}-wal`).size > 100_000, 'the rows are in the WAL, not yet in the main file');

    const res = await t.call('POST', '/api/backups');
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const b = res.body as BackupInfo;
    assert.match(b.name, /^exstreamtv-\d{8}T\d{6}Z-manual\.db$/);
    assert.equal(b.reason, 'manual');
    assert.equal(b.schemaVersion, SCHEMA_VERSION);
    assert.ok(Math.abs(Date.parse(b.createdAt) - Date.now()) < 5000, b.createdAt);
    const file = join(t.engine.config.dataDir, 'backups', b.name);
    assert.equal(b.size, statSync(file).size);
    assert.equal(count(file, `SELECT count(*) AS n FROM settings WHERE key LIKE 'test.wal.%'`), 3000);
    // One self-contained file: rollback journal, nothing beside it.
    assert.equal(readFileSync(file)[18], 1, 'not WAL format');
    assert.deepEqual(readdirSync(join(t.engine.config.dataDir, 'backups')).filter((n) => !n.endsWith('.db')), []);

    // The measured failure a plain copy has: what is in the WAL is missing.
    const plain = join(t.engine.config.dataDir, 'plain-copy.db');
    copyFileSync(dbFile, plain);
    let inPlainCopy = 0;
    try { inPlainCopy = count(plain, `SELECT count(*) AS n FROM settings WHERE key LIKE 'test.wal.%'`); } catch { /* even the schema may still be in the WAL */ }
    assert.ok(inPlainCopy < 3000, `a plain copy has ${inPlainCopy}`);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.db.pragma('wal_autocheckpoint = 1000');
  });

  test('a reason names the backup; a bad reason is a 400 naming the field', async () => {
    const res = await t.call('POST', '/api/backups', { reason: 'before-upgrade' });
    assert.equal(res.status, 201);
    assert.match(res.body.name, /-before-upgrade\.db$/);
    await t.rejects('POST', '/api/backups', { reason: 'Bad Reason!' }, 400, 'body.reason');
    await t.rejects('POST', '/api/backups', { reason: 'x'.repeat(40) }, 400, 'body.reason');
    await t.rejects('POST', '/api/backups', { why: 'manual' }, 400);
  });

  test('retention keeps the newest backupKeep, by the stamp in the name; the list is newest first', async () => {
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await t.call('POST', '/api/backups')).body.name);
    assert.equal(new Set(made).size, 5, `names are unique within a second: ${made.join(' ')}`);
    const list = (await t.call('GET', '/api/backups')).body as BackupList;
    assert.equal(list.keep, 3);
    assert.equal(list.schemaVersion, SCHEMA_VERSION);
    assert.equal(list.dir, join(t.engine.config.dataDir, 'backups'));
    assert.deepEqual(list.backups.map((b) => b.name), made.slice(-3).reverse());
    assert.deepEqual(readdirSync(list.dir).sort(), made.slice(-3).sort());
  });

  test('an older backup (by its stamp) is the first to go', async () => {
    const dir = join(t.engine.config.dataDir, 'backups');
    const newest = (await t.call('GET', '/api/backups')).body.backups[0].name as string;
    copyFileSync(join(dir, newest), join(dir, 'exstreamtv-20200101T000000Z-manual.db'));
    let list = (await t.call('GET', '/api/backups')).body as BackupList;
    assert.equal(list.backups.at(-1)!.name, 'exstreamtv-20200101T000000Z-manual.db');
    assert.equal(list.backups.at(-1)!.createdAt, '2020-01-01T00:00:00Z');
    await t.call('POST', '/api/backups');
    list = (await t.call('GET', '/api/backups')).body as BackupList;
    assert.equal(list.backups.length, 3);
    assert.ok(!list.backups.some((b) => b.name.startsWith('exstreamtv-2020')));
  });

  test('DELETE removes a backup; unknown and bad names are 404 and 400, touching nothing', async () => {
    const before = (await t.call('GET', '/api/backups')).body.backups as BackupInfo[];
    const victim = before.at(-1)!.name;
    const del = await t.call('DELETE', `/api/backups/${victim}`);
    assert.equal(del.status, 204);
    const after = (await t.call('GET', '/api/backups')).body.backups as BackupInfo[];
    assert.deepEqual(after.map((b) => b.name), before.slice(0, -1).map((b) => b.name));

    const dbFile = databaseFile(t.engine.config.dataDir);
    await t.rejects('DELETE', `/api/backups/${victim}`, undefined, 404);
    await t.rejects('DELETE', '/api/backups/..%2Fexstreamtv.db', undefined, 400, 'params.name');
    await t.rejects('DELETE', `/api/backups/${encodeURIComponent(dbFile)}`, undefined, 400, 'params.name');
    await t.rejects('DELETE', '/api/backups/exstreamtv-20200101T000000Z-x.db%2F..%2F..%2Fexstreamtv.db', undefined, 400, 'params.name');
    assert.ok(existsSync(dbFile));
    assert.equal(((await t.call('GET', '/api/backups')).body.backups as BackupInfo[]).length, after.length);
  });
});

describe('backups: restore', () => {
  let t: TestApi;
  let http: ApiClient;
  let backupsDir: string;
  before(async () => {
    t = await startApi({ listen: true, config: { backupKeep: 5 } });
    http = new ApiClient(httpTransport(t.url, { timeoutMs: 30_000 }));
    backupsDir = join(t.engine.config.dataDir, 'backups');
  });
  after(async () => {
    assert.deepEqual(t.serverErrors, []);
    await t.close();
  });

  let first: BackupInfo;

  test('restore brings back the earlier channels on a running server; a pre-restore backup undoes it', async () => {
    const src = addFakeSource(t.engine.store, 'fake');
    const ids = addFakeItems(t.engine.store, src, episodes('Morning Show', 4, 25 * 60_000));
    await http.createChannel({ number: '5', name: 'A', content: ids.map((id) => ({ type: 'item' as const, id })) });
    const discover = await http.request<{ DeviceID: string }>('GET', '/discover.json');
    first = await http.request<BackupInfo>('POST', '/api/backups', { reason: 'manual' });
    await http.createChannel({ number: '6', name: 'B' });
    await http.request('PATCH', '/api/channels/5', { name: 'A renamed' });
    assert.deepEqual((await http.channels()).map((c) => `${c.number} ${c.name}`), ['5 A renamed', '6 B']);

    const r = await http.request<RestoreResult>('POST', `/api/backups/${first.name}/restore`);
    assert.equal(r.restored.name, first.name);
    assert.equal(r.preRestore.reason, 'pre-restore');
    assert.equal(r.schemaVersion, SCHEMA_VERSION);
    assert.deepEqual(r.migrated, []);

    // The running server serves the restored database: channels, timeline, status.
    assert.deepEqual((await http.channels()).map((c) => `${c.number} ${c.name}`), ['5 A']);
    const tl = await http.request<{ rows: unknown[] }>('GET', '/api/channels/5/timeline');
    assert.ok(tl.rows.length > 0, 'channel 5 has its timeline');
    assert.equal((await http.request<{ channels: number }>('GET', '/api/status')).channels, 1);
    assert.equal((await http.request<{ DeviceID: string }>('GET', '/discover.json')).DeviceID, discover.DeviceID, 'same tuner identity');
    // Writes go to the restored database file, and survive a reopen.
    await http.createChannel({ number: '7', name: 'C' });
    const dbFile = databaseFile(t.engine.config.dataDir);
    assert.equal(t.engine.store.db.name, dbFile);
    assert.equal(count(dbFile, 'SELECT count(*) AS n FROM channels'), 2);

    const list = await http.request<BackupList>('GET', '/api/backups');
    assert.ok(list.backups.some((b) => b.name === r.preRestore.name), 'the pre-restore backup is listed');
    assert.ok(list.backups.some((b) => b.name === first.name), 'the restored backup is still there');

    // Undo: the pre-restore backup holds what was there before.
    await http.request('POST', `/api/backups/${r.preRestore.name}/restore`);
    assert.deepEqual((await http.channels()).map((c) => `${c.number} ${c.name}`), ['5 A renamed', '6 B']);
  });

  test('live sessions stop for a restore (and the result says how many)', async () => {
    const ch = await http.channel('5');
    t.engine.streams.acquire(ch);
    assert.equal(t.engine.streams.stats().length, 1);
    const r = await http.request<RestoreResult>('POST', `/api/backups/${first.name}/restore`);
    assert.equal(r.sessionsStopped, 1);
    assert.deepEqual(t.engine.streams.stats(), []);
    // Back to the state the next tests expect.
    await http.request('POST', `/api/backups/${r.preRestore.name}/restore`);
    assert.deepEqual((await http.channels()).map((c) => c.number), ['5', '6']);
  });

  test('a corrupt backup is refused with the integrity check\'s words; nothing changes, no pre-restore backup', async () => {
    const names = () => readdirSync(backupsDir).sort();
    const garbage = 'exstreamtv-20200101T000000Z-manual.db';
    writeFileSync(join(backupsDir, garbage), Buffer.alloc(64 * 1024, 0x5a));
    const list = await http.request<BackupList>('GET', '/api/backups');
    assert.equal(list.backups.find((b) => b.name === garbage)?.schemaVersion, null);
    const before = names();
    let body = await t.rejects('POST', `/api/backups/${garbage}/restore`, undefined, 409);
    assert.match(body.message, /integrity check.*not a database.*live database is unchanged/);

    // A real backup with a damaged page: the header is fine, integrity_check is not.
    const damaged = 'exstreamtv-20200102T000000Z-manual.db';
    const buf = readFileSync(join(backupsDir, first.name));
    const pageSize = buf.readUInt16BE(16);
    const pages = buf.length / pageSize;
    for (let p = 2; p < pages; p++) buf.fill(0xa5, p * pageSize + 8, (p + 1) * pageSize - 8);
    writeFileSync(join(backupsDir, damaged), buf);
    body = await t.rejects('POST', `/api/backups/${damaged}/restore`, undefined, 409);
    assert.match(body.message, /failed the integrity check/);
    assert.deepEqual(names(), [...before, damaged].sort(), 'no pre-restore backup was taken');
    assert.deepEqual((await http.channels()).map((c) => c.number), ['5', '6']);
  });

  test('a backup with a newer schema is refused: it says which version and to upgrade', async () => {
    const newer = 'exstreamtv-20200103T000000Z-manual.db';
    copyFileSync(join(backupsDir, first.name), join(backupsDir, newer));
    const db = new Database(join(backupsDir, newer));
    db.pragma(`user_version = ${SCHEMA_VERSION + 7}`);
    db.close();
    const body = await t.rejects('POST', `/api/backups/${newer}/restore`, undefined, 409);
    assert.match(body.message, new RegExp(`schema v${SCHEMA_VERSION + 7}, newer than this program's v${SCHEMA_VERSION}: upgrade exstreamtv`));
  });

  test('path traversal and unknown names: 400 or 404, nothing touched', async () => {
    const dbFile = databaseFile(t.engine.config.dataDir);
    for (const bad of ['..%2Fexstreamtv.db', '..%2F..%2Fetc%2Fpasswd', encodeURIComponent(dbFile), 'exstreamtv.db', '.exstreamtv-20200101T000000Z-manual.db.1.tmp', 'x%00.db']) {
      await t.rejects('POST', `/api/backups/${bad}/restore`, undefined, 400, 'params.name');
    }
    const res = await t.call('POST', '/api/backups/../exstreamtv.db/restore');
    assert.ok(res.status === 400 || res.status === 404, String(res.status));
    const body = await t.rejects('POST', '/api/backups/exstreamtv-20990101T000000Z-manual.db/restore', undefined, 404);
    assert.match(body.message, /backup exstreamtv-20990101T000000Z-manual\.db not found/);
    // The engine checks names too (callers other than the API).
    await assert.rejects(t.engine.backups.restore('../exstreamtv.db'), /name: must be the name of a backup/);
    await assert.rejects(t.engine.backups.remove(dbFile), /name: must be the name of a backup/);
    assert.ok(existsSync(dbFile));
    assert.deepEqual((await http.channels()).map((c: Channel) => c.number), ['5', '6']);
  });
});

/** A copy of a real backup that passes the integrity check but cannot be migrated (a v1 file without timeline_rows). */
function unmigratable(dir: string, from: string, name: string): string {
  copyFileSync(join(dir, from), join(dir, name));
  const db = new Database(join(dir, name));
  try {
    db.exec('DROP TABLE timeline_rows');
    db.pragma('user_version = 1');
  } finally { db.close(); }
  return name;
}

describe('backups: a restore never removes a regular backup', () => {
  let t: TestApi;
  let dir: string;
  before(async () => {
    t = await startApi({ config: { backupKeep: 2 } });
    dir = join(t.engine.config.dataDir, 'backups');
  });
  after(async () => {
    try { assert.deepEqual(t.serverErrors, []); } finally { await t.close(); }
  });

  test('restoring the oldest of more regular backups than backupKeep restores it and keeps every regular backup', async () => {
    await t.api.createChannel({ number: '5', name: 'A' });
    const a = (await t.call('POST', '/api/backups')).body as BackupInfo;
    await t.api.createChannel({ number: '6', name: 'B' });
    const b = (await t.call('POST', '/api/backups')).body as BackupInfo;
    // A backup brought from elsewhere (or backupKeep lowered): three regular backups, two kept.
    const old = 'exstreamtv-20200101T000000Z-manual.db';
    copyFileSync(join(dir, a.name), join(dir, old));
    const res = await t.call('POST', `/api/backups/${old}/restore`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal((res.body as RestoreResult).restored.name, old);
    assert.deepEqual((await t.api.channels()).map((c) => c.number), ['5']);
    const names = ((await t.call('GET', '/api/backups')).body as BackupList).backups.map((x) => x.name);
    for (const n of [a.name, b.name, old, (res.body as RestoreResult).preRestore.name]) assert.ok(names.includes(n), `${n} is still there: ${names.join(' ')}`);
  });

  test('a backup that vanishes between the check and the copy is a 404 (not a raw ENOENT); nothing changes', async () => {
    const victim = 'exstreamtv-20200102T000000Z-manual.db';
    const newest = ((await t.call('GET', '/api/backups')).body as BackupList).backups.find((x) => x.reason === 'manual')!.name;
    copyFileSync(join(dir, newest), join(dir, victim));
    const svc = t.engine.backups as unknown as { verify(n: string): Promise<number> };
    const verify = svc.verify;
    svc.verify = async function (this: unknown, n: string) {
      const v = await verify.call(this, n);
      rmSync(join(dir, victim));
      return v;
    };
    const before = readdirSync(dir).filter((n) => n !== victim).sort();
    try {
      const body = await t.rejects('POST', `/api/backups/${victim}/restore`, undefined, 404);
      assert.match(body.message, new RegExp(`backup ${victim.replace(/\./g, '\\.')} not found`));
    } finally {
      delete (svc as { verify?: unknown }).verify;
    }
    assert.deepEqual(readdirSync(dir).sort(), before, 'no pre-restore backup, nothing removed');
  });
});

describe('backups: a restore that fails', () => {
  let t: TestApi;
  let dir: string;
  let channel: Channel;
  let good: BackupInfo;
  const expected5xx: string[] = [];
  before(async () => {
    t = await startApi({ config: { backupKeep: 5 } });
    dir = join(t.engine.config.dataDir, 'backups');
    t.engine.start();
    const src = addFakeSource(t.engine.store, 'fake');
    const ids = addFakeItems(t.engine.store, src, episodes('Night Show', 3, 20 * 60_000));
    channel = await t.api.createChannel({ number: '5', name: 'A', content: ids.map((id) => ({ type: 'item' as const, id })), stream: { profile: null, alwaysOn: true } });
    if (!t.engine.streams.get(channel.id)) t.engine.streams.acquire(channel);
    good = (await t.call('POST', '/api/backups')).body as BackupInfo;
  });
  after(async () => {
    try { assert.deepEqual(t.serverErrors, expected5xx); } finally { await t.close(); }
  });

  test('a valid backup that cannot be migrated is a 409 naming it and why; the database is as it was and always-on channels run again', async () => {
    assert.ok(t.engine.streams.get(channel.id), 'the always-on channel runs');
    const bad = unmigratable(dir, good.name, 'exstreamtv-20200101T000000Z-manual.db');
    const res = await t.call('POST', `/api/backups/${bad}/restore`);
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.match(res.body.message, new RegExp(`^backup ${bad.replace(/\./g, '\\.')} cannot be migrated to this version: .*no such table: timeline_rows.*; the database is as it was$`));
    assert.deepEqual((await t.api.channels()).map((c) => `${c.number} ${c.name}`), ['5 A']);
    assert.ok(t.engine.streams.get(channel.id), 'the always-on channel runs again');
    // Scans and tunes are not held any more.
    const src = t.engine.store.sources.list()[0]!;
    const scan = await t.call('POST', `/api/sources/${src.id}/scan`);
    assert.equal(scan.status, 202, JSON.stringify(scan.body));
    await t.engine.scans.wait(scan.body.id);
  });

  test('when putting the old database back fails too, the restore says the database is closed, and the API answers 503s', async () => {
    const bad = 'exstreamtv-20200101T000000Z-manual.db';
    const store = t.engine.store;
    const reopen = store.reopen;
    let calls = 0;
    // The second reopen (putting the pre-restore backup back) finds a file that is no database.
    store.reopen = function (this: typeof store, file: string, replace: () => void) {
      calls++;
      return reopen.call(this, file, calls === 2 ? () => { replace(); writeFileSync(file, Buffer.alloc(8192, 0x5a)); } : replace);
    };
    const logged: string[] = [];
    const off = t.engine.events.on('log', (e) => { if (e.level === 'error') logged.push(e.msg); });
    let res;
    try {
      res = await t.call('POST', `/api/backups/${bad}/restore`);
    } finally {
      delete (store as { reopen?: unknown }).reopen;
      off();
    }
    expected5xx.push(`POST /api/backups/${bad}/restore → 500`);
    assert.equal(calls, 2);
    assert.equal(res.status, 500, JSON.stringify(res.body));
    assert.match(res.body.message, /cannot be migrated.*no such table: timeline_rows.*putting back the database as it was \(exstreamtv-.*-pre-restore.*\.db\) failed too: .*the database is closed/);
    assert.doesNotMatch(res.body.message, /the database is as it was/);
    assert.ok(logged.some((m) => /failed too.*the database is closed/.test(m)), logged.join('\n'));
    assert.ok(!logged.some((m) => /the database is as it was/.test(m)), logged.join('\n'));

    // The API answers a clear 503 (not a 500, no crash) while the database is closed.
    const list = await t.call('GET', '/api/channels');
    expected5xx.push('GET /api/channels → 503');
    assert.equal(list.status, 503, JSON.stringify(list.body));
    assert.match(list.body.message, /the database is closed/);
    const tune = await t.call('GET', '/auto/v5');
    expected5xx.push('GET /auto/v5 → 503');
    assert.equal(tune.status, 503, JSON.stringify(tune.body));
    assert.match(tune.body.message, /the database is closed/);
    // What a daemon runs by itself while the database is closed does not throw (a throw from a timer
    // would end the process): a periodic rescan round says it was skipped, a profile change is a no-op.
    const skipped: string[] = [];
    const offSkip = t.engine.events.on('log', (e) => { if (/periodic rescan skipped/.test(e.msg)) skipped.push(e.msg); });
    try {
      assert.doesNotThrow(() => t.engine.rescans.rescanAll());
      assert.doesNotThrow(() => t.engine.events.emit('encoding.changed', { channelId: null, profile: null }));
    } finally { offSkip(); }
    assert.equal(skipped.length, 1, skipped.join('\n'));
    assert.match(skipped[0]!, /the database is closed/);
    assert.equal((await t.call('GET', '/api/backups')).status, 200);

    // Putting the pre-restore backup in place by hand brings it back.
    const pre = readdirSync(dir).filter((n) => n.includes('-pre-restore')).sort().at(-1)!;
    const dbFile = databaseFile(t.engine.config.dataDir);
    store.reopen(dbFile, () => { for (const s of ['-wal', '-shm']) rmSync(dbFile + s, { force: true }); copyFileSync(join(dir, pre), dbFile); });
    assert.deepEqual((await t.api.channels()).map((c) => `${c.number} ${c.name}`), ['5 A']);
  });
});

describe('backups: the integrity check runs off the main thread', () => {
  let t: TestApi;
  before(async () => { t = await startApi(); });
  after(async () => {
    try { assert.deepEqual(t.serverErrors, []); } finally { await t.close(); }
  });

  /** Runs fn while a 5 ms interval ticks on the main thread; returns fn's result and the longest gap between ticks. */
  async function ticking<T>(fn: () => Promise<T>): Promise<{ value: T; maxGap: number }> {
    let last = performance.now();
    let maxGap = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 5);
    try {
      const value = await fn();
      maxGap = Math.max(maxGap, performance.now() - last);
      return { value, maxGap };
    } finally {
      clearInterval(timer);
    }
  }

  test('verifying and restoring a big backup keeps the event loop ticking (gaps well under the synchronous check)', async (ctx) => {
    await t.api.createChannel({ number: '5', name: 'A' });
    const dir = join(t.engine.config.dataDir, 'backups');
    const b = (await t.call('POST', '/api/backups')).body as BackupInfo;
    const big = 'exstreamtv-20200101T000000Z-manual.db';
    copyFileSync(join(dir, b.name), join(dir, big));
    const db = new Database(join(dir, big));
    db.exec(`CREATE TABLE test_big (id INTEGER PRIMARY KEY, a TEXT, b BLOB); CREATE INDEX test_big_a ON test_big (a);
      WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000)
      INSERT INTO test_big SELECT x, hex(randomblob(16)), randomblob(64) FROM c;`);
    db.close();
    // On the main thread the check blocks for clearly longer than the bound below.
    const t0 = performance.now();
    const ro = new Database(join(dir, big), { readonly: true });
    assert.deepEqual(ro.pragma('integrity_check(5)'), [{ integrity_check: 'ok' }]);
    ro.close();
    const syncMs = performance.now() - t0;
    assert.ok(syncMs > 150, `the synchronous check took ${syncMs.toFixed(0)} ms`);
    // Relative to the synchronous check, so a loaded machine (which slows both) cannot fail it by itself.
    const gapBound = Math.max(100, syncMs / 3);

    const v = await ticking(async () => t.engine.backups.verify(big));
    assert.equal(v.value, SCHEMA_VERSION);
    assert.ok(v.maxGap < gapBound, `verify: longest event-loop gap ${v.maxGap.toFixed(0)} ms (synchronous check: ${syncMs.toFixed(0)} ms)`);

    const r = await ticking(() => t.call('POST', `/api/backups/${big}/restore`));
    assert.equal(r.value.status, 200, JSON.stringify(r.value.body));
    assert.ok(r.maxGap < gapBound, `restore: longest event-loop gap ${r.maxGap.toFixed(0)} ms (synchronous check: ${syncMs.toFixed(0)} ms)`);
    assert.deepEqual((await t.api.channels()).map((c) => c.number), ['5']);
    ctx.diagnostic(`synchronous check ${syncMs.toFixed(0)} ms; longest gaps: verify ${v.maxGap.toFixed(0)} ms, restore ${r.maxGap.toFixed(0)} ms`);
  });
});

describe('backups: scans and tunes wait for a restore', () => {
  let t: TestApi;
  const expected5xx: string[] = [];
  before(async () => { t = await startApi({ listen: true }); });
  after(async () => {
    try { assert.deepEqual(t.serverErrors, expected5xx); } finally { await t.close(); }
  });

  test('during a restore a scan start and MPEG-TS/HLS/HDHomeRun tunes get a 503 saying why; the pre-restore backup has every write; after it they work', async () => {
    const src = addFakeSource(t.engine.store, 'fake');
    const ids = addFakeItems(t.engine.store, src, episodes('Late Show', 3, 20 * 60_000));
    await t.api.createChannel({ number: '5', name: 'A', content: ids.map((id) => ({ type: 'item' as const, id })) });
    const b = (await t.call('POST', '/api/backups')).body as BackupInfo;

    // Hold the restore while it stops scans (after it refused new ones).
    const scans = t.engine.scans;
    const stopAll = scans.stopAll;
    let entered!: () => void;
    let open!: () => void;
    const quiescing = new Promise<void>((r) => { entered = r; });
    const gate = new Promise<void>((r) => { open = r; });
    scans.stopAll = async function (this: typeof scans) {
      await stopAll.call(this);
      entered();
      await gate;
    };
    const msg = 'the database is being restored: try again in a moment';
    let restoring: Promise<{ status: number; body: any }> | null = null;
    try {
      restoring = t.call('POST', `/api/backups/${b.name}/restore`);
      await quiescing;
      // A write that lands now (a stopping session remembers its position, say) is in the undo file.
      t.engine.store.settings.set('test.during-restore', 42);

      const scan = await t.call('POST', `/api/sources/${src}/scan`);
      expected5xx.push(`POST /api/sources/${src}/scan → 503`);
      assert.equal(scan.status, 503, JSON.stringify(scan.body));
      assert.equal(scan.body.message, msg);
      for (const path of ['/auto/v5?duration=1', '/stream/channels/5.ts?duration=1', '/stream/channels/5/index.m3u8']) {
        const res = await fetch(`${t.url}${path}`);
        expected5xx.push(`GET ${path} → 503`);
        assert.equal(res.status, 503, path);
        assert.equal(((await res.json()) as { message: string }).message, msg, path);
      }
      assert.deepEqual(t.engine.streams.stats(), [], 'no session started');
    } finally {
      open();
      delete (scans as { stopAll?: unknown }).stopAll;
    }
    const r = await restoring!;
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const pre = join(t.engine.config.dataDir, 'backups', (r.body as RestoreResult).preRestore.name);
    assert.equal(count(pre, `SELECT count(*) AS n FROM settings WHERE key = 'test.during-restore'`), 1, 'the pre-restore backup has the write');

    // After the restore both work again.
    const scan = await t.call('POST', `/api/sources/${src}/scan`);
    assert.equal(scan.status, 202, JSON.stringify(scan.body));
    await t.engine.scans.wait(scan.body.id);
    const ac = new AbortController();
    const res = await fetch(`${t.url}/auto/v5?duration=1`, { signal: ac.signal });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'video/mp2t');
    ac.abort();
    await t.engine.streams.stopSession(ch5(t), 'test');
  });
});

const ch5 = (t: TestApi) => t.engine.store.channels.findByNumber('5')!.id;
