// Database backups against real SQLite files in temp data dirs, through the real API: online
// backups of a WAL database, retention, restore under a running server (the API serves the
// restored channels at once), and every refusal (corrupt, newer schema, bad or unknown names)
// leaving the live database exactly as it was.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addFakeItems, addFakeSource, episodes } from '../helpers/fake-items.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { ApiClient, httpTransport } from '../../src/server/client.js';
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
