// Import from Tunarr over the real API: db.db (built at test time from the committed SQL) read
// read-only (its bytes unchanged, no side files), a corrupt database (400, nothing written), the
// dry run, a clash with a channel of ours (refused, then --renumber), lineups, time and random
// slots, filler shows and custom shows, a stale Plex key matched by its tvdb id, an unmatched film.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FakePlex } from '../fakes/plex.js';
import type { TestApi } from '../helpers/api.js';
import { copyFixture, importEnv, sqlDb, type ImportEnv } from '../helpers/import-fixtures.js';

describe('import from Tunarr', () => {
  let env: ImportEnv;
  let t: TestApi;
  let plex: FakePlex;
  let tmp: string;
  let dir: string;
  let keys: Record<string, string>;
  const itemOf = (key: string) => env.itemOf(key);
  const hash = async (f: string) => createHash('sha256').update(await readFile(f)).digest('hex');

  before(async () => {
    env = await importEnv('tunarr');
    ({ t, plex, keys, tmp } = env);
    dir = join(tmp, 'tunarr');
    const vars = { PLEX_URL: plex.url, PLEX_TOKEN: plex.token };
    copyFixture('tunarr', dir, vars, keys);
    sqlDb(join(dir, 'db.db'), ['tunarr/schema.sql', 'tunarr/data.sql'], vars, keys);
    // The server is already a source here: both libraries added and scanned.
    for (const library of ['TV Shows', 'Movies']) {
      const r = await t.call('POST', '/api/servers/sources', { kind: 'plex', url: plex.url, token: plex.token, library });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      await t.engine.scans.wait(t.engine.scans.start(r.body.id).id);
    }
  });
  after(() => env.close());

  it('a corrupt db.db or one of another program: 400 naming the path, nothing written', async () => {
    const bad = join(tmp, 'bad');
    await mkdir(bad);
    await writeFile(join(bad, 'db.db'), Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4000, 0x5a)]));
    const e = await t.rejects('POST', '/api/import', { program: 'tunarr', path: bad }, 400, 'path');
    assert.match(e.message, /db\.db is not a readable SQLite database|cannot open .*db\.db/);
    const other = join(tmp, 'other');
    await mkdir(other);
    sqlDb(join(other, 'db.db'), ['ersatztv/schema.sql'], {}, {});
    const e2 = await t.rejects('POST', '/api/import', { program: 'tunarr', path: join(other, 'db.db') }, 400, 'path');
    assert.match(e2.message, /is not the expected database: it has no channel, program tables/);
  });

  it('dry run, then a clash with our channel 10 is refused; --renumber imports; db.db is only read', async () => {
    await t.api.createChannel({ number: '10', name: 'Ours' });
    const db = join(dir, 'db.db');
    const before = await hash(db);
    const dry = await t.call('POST', '/api/import', { program: 'tunarr', path: dir, dryRun: true });
    assert.equal(dry.status, 200, JSON.stringify(dry.body));
    assert.deepEqual(dry.body.servers.map((s: any) => s.state), ['here']);
    assert.deepEqual(dry.body.channels.map((c: any) => [c.number, c.action]), [['10', 'clash'], ['11', 'create'], ['12', 'create']]);
    assert.deepEqual(dry.body.clashes, ['channel 10 is already "Ours"']);
    const e = await t.rejects('POST', '/api/import', { program: 'tunarr', path: dir }, 409, 'onClash');
    assert.match(e.message, /channel 10 is already "Ours"/);

    const r = await t.call('POST', '/api/import', { program: 'tunarr', path: dir, onClash: 'renumber' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.channels.map((c: any) => [c.from, c.number, c.action]), [['10', '13', 'renumber'], ['11', '11', 'create'], ['12', '12', 'create']]);
    assert.deepEqual(r.body.unmatched.map((u: any) => [u.where, u.title]), [['channel 10', 'Nowhere Man (1998)']]);
    assert.equal(r.body.matched.ids, 3, 'episode 1 (in three channels): stale Plex key, matched by its tvdb id');
    assert.ok(r.body.notes.some((n: string) => /channel 10: 1 redirect/.test(n)));
    assert.ok(r.body.notes.some((n: string) => /channel 11: a "flex" slot/.test(n)));
    assert.equal(await hash(db), before, 'db.db unchanged');
    assert.deepEqual((await readdir(dir)).sort(), ['channel-lineups', 'db.db'], 'no -wal/-shm files left beside it');

    const chans = await t.api.channels();
    assert.deepEqual(chans.map((c) => [c.number, c.name, c.enabled]), [['10', 'Ours', true], ['11', 'Tunarr Nights', false], ['12', 'Tunarr Shuffle', true], ['13', 'Tunarr Classics', true]]);
    assert.equal(chans[3]!.logo, 'https://example.org/tunarr/10.png');
    assert.equal(chans[3]!.group, 'Classics');
    const classics = t.engine.schedules.get('13').definition;
    assert.deepEqual(classics.sources[0]!.content, ['e2', 'e1', 'heat'].map((k) => ({ type: 'item', id: itemOf(keys[k]!) })));
    assert.deepEqual(classics.filler.lists.map((l) => [l.weight, l.cooldownMin]), [[50, 15]]);
    assert.equal(classics.filler.itemCooldownMin, 5);
    const nights = t.engine.schedules.get('11').definition;
    assert.ok(nights.main.mode === 'time_slots');
    assert.deepEqual(nights.main.slots.map((s) => s.start), ['18:00', '20:00', '22:00']);
    assert.deepEqual(nights.sources[0]!.content, ['e1', 'e2', 'e3'].map((k) => ({ type: 'item', id: itemOf(keys[k]!) })));
    const thrillers = t.engine.store.collections.findByName('Tunarr Thrillers')!;
    assert.deepEqual(nights.sources[2]!.content, [{ type: 'collection', id: thrillers.id }]);
    assert.deepEqual(t.engine.store.collections.itemIds(thrillers.id), [itemOf(keys.alien!), itemOf(keys.heat!)]);
    const shuffle = t.engine.schedules.get('12').definition;
    assert.ok(shuffle.main.mode === 'random_slots');
    assert.deepEqual(shuffle.main.slots.map((s) => [s.weight, s.cooldownMin, s.fill]), [[3, 0, { mode: 'count', count: 2 }], [1, 120, { mode: 'duration', minutes: 120 }]],
      'durationSpec: dynamic → that many programmes, fixed → that long');
    assert.equal(shuffle.onDemand, true, 'its lineup carries onDemandConfig');
    assert.equal(classics.onDemand, false);
    const tl = await t.api.timeline('13', { hours: 12, limit: 100 });
    const items = tl.rows.filter((x) => x.kind === 'item').map((x) => x.itemId);
    assert.deepEqual(items.slice(0, 3), ['e2', 'e1', 'heat'].map((k) => itemOf(keys[k]!)), 'airs in the lineup\'s order');
  });
});
