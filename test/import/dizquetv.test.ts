// Import from dizqueTV over the real API against the fake Plex: a corrupt file (400, nothing
// written), the dry run (nothing written), the real run (server added with its token in a 0600
// file and scanned, channels of every kind, filler and custom shows as collections, a stale Plex
// key matched by title and year (dizqueTV keeps no GUIDs), an unmatched film listed with why), the imported channel's timeline
// airing the programmes in the order dizqueTV listed them, re-import refused, --replace
// idempotent, --renumber on a clash, and the CLI's dry-run report.
import assert from 'node:assert/strict';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tokenFile } from '../../src/engine/library/servers/tokens.js';
import type { FakePlex } from '../fakes/plex.js';
import type { TestApi } from '../helpers/api.js';
import { cli } from '../helpers/cli.js';
import { dbSnapshot } from '../helpers/db-snapshot.js';
import { copyFixture, importEnv, type ImportEnv } from '../helpers/import-fixtures.js';
import { makeClip } from '../helpers/media.js';
import { assertNoFfmpegLeft, readTs } from '../helpers/stream.js';
import { avStreams } from '../helpers/ts-analyze.js';

describe('import from dizqueTV', () => {
  let env: ImportEnv;
  let t: TestApi;
  let plex: FakePlex;
  let tmp: string;
  let dir: string;
  let keys: Record<string, string>;
  const itemOf = (key: string) => env.itemOf(key);
  const body = (extra: Record<string, unknown> = {}) => ({ program: 'dizquetv', path: dir, ...extra });

  before(async () => {
    env = await importEnv('dizquetv', async (dir) => ({ e3: await makeClip(join(dir, 'media'), 'e3.mp4', { duration: 30 }) }), true);
    ({ t, plex, keys, tmp } = env);
    dir = join(tmp, '.dizquetv');
    copyFixture('dizquetv', dir, { PLEX_URL: plex.url, PLEX_TOKEN: plex.token }, keys);
  });
  after(() => env.close());

  it('a corrupt channel file or a folder that is not dizqueTV\'s: 400 naming the file, nothing written', async () => {
    const bad = join(tmp, 'bad');
    copyFixture('dizquetv', bad, { PLEX_URL: plex.url, PLEX_TOKEN: plex.token }, keys);
    await writeFile(join(bad, 'channels', '5.json'), '{ "number": 5, "name": "Random Mix", "programs": [ {');
    const e = await t.rejects('POST', '/api/import', { program: 'dizquetv', path: bad }, 400, 'path');
    assert.match(e.message, /channels\/5\.json is not valid JSON/);
    const e2 = await t.rejects('POST', '/api/import', { program: 'dizquetv', path: tmp }, 400, 'path');
    assert.match(e2.message, /no channels folder/);
    await t.rejects('POST', '/api/import', { program: 'dizquetv', path: 'relative/path' }, 400, 'body.path');
    assert.equal(plex.log.length, 0, 'the server is not contacted for unreadable data');
  });

  it('dry run: the report, and nothing written', async () => {
    const before = dbSnapshot(t.engine.store);
    const r = await t.call('POST', '/api/import', body({ dryRun: true }));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(dbSnapshot(t.engine.store), before);
    assert.deepEqual(r.body.servers.map((s: any) => [s.name, s.state]), [['basement-plex', 'would-add']]);
    assert.deepEqual(r.body.channels.map((c: any) => [c.number, c.name, c.action]), [['1', 'Bluey Marathon', 'create'], ['2', 'Movie Nights', 'create'], ['5', 'Random Mix', 'create']]);
    assert.deepEqual(r.body.collections.map((c: any) => [c.name, c.kind]), [['Bumpers', 'filler'], ['Crime Classics', 'custom-show']]);
    assert.match(r.body.unmatched[0].why, /server basement-plex .* is not a source here/);
    assert.equal(plex.log.length, 0, 'a dry run contacts no server');
  });

  it('imports: the server with its token in a 0600 file, channels of every kind, collections; a stale key matched by title and year, an unmatched film with why', async () => {
    const r = await t.call('POST', '/api/import', body());
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const srv = r.body.servers[0];
    assert.equal(srv.state, 'added', JSON.stringify(srv));
    assert.equal(srv.sources.length, 2, 'both libraries become sources');
    for (const id of srv.sources) assert.equal((await stat(tokenFile(t.engine.config.dataDir, id))).mode & 0o777, 0o600);
    assert.ok(!JSON.stringify(dbSnapshot(t.engine.store)).includes(plex.token), 'the token is not in the database');
    assert.deepEqual(r.body.unmatched.map((u: any) => [u.where, u.title]), [['channel 1', 'The Lost Tapes (2001)']]);
    assert.match(r.body.unmatched[0].why, /plex key 88888 is not on basement-plex any more; no imdb\/tmdb\/tvdb id; no film "The Lost Tapes" \(2001\)/);
    assert.equal(r.body.matched.ids, 0, 'dizqueTV keeps no GUIDs');
    assert.equal(r.body.matched.title, 1, 'Heat: its Plex key is stale; title and year match');
    assert.ok(r.body.matched.key >= 10);
    assert.ok(r.body.notes.some((n: string) => /channel 1: 1 flex gap/.test(n)));

    const chans = await t.api.channels();
    assert.deepEqual(chans.map((c) => [c.number, c.name, c.group, c.enabled, c.customSchedule]),
      [['1', 'Bluey Marathon', 'Kids', true, true], ['2', 'Movie Nights', 'Movies', false, true], ['5', 'Random Mix', null, true, true]]);
    assert.equal(chans[0]!.logo, 'https://example.org/logos/bluey.png');
    const def = (n: string) => t.engine.schedules.get(n).definition;
    const one = def('1');
    const bumpers = t.engine.store.collections.findByName('Bumpers')!;
    assert.deepEqual(one.sources[0]!.content, ['e3', 'e1', 'e2', 'heat'].map((k) => ({ type: 'item', id: itemOf(keys[k]!) })));
    assert.deepEqual(one.sources[1]!.content, [{ type: 'collection', id: bumpers.id }]);
    assert.deepEqual(one.filler.lists.map((l) => [l.weight, l.cooldownMin, l.kinds]), [[300, 30, ['tail', 'fallback']]]);
    assert.equal(one.filler.itemCooldownMin, 10);
    const two = def('2');
    assert.equal(two.onDemand, true);
    assert.ok(two.main.mode === 'time_slots');
    assert.deepEqual(two.main.slots.map((s) => [s.start, s.fill.mode]), [['20:00', 'one'], ['07:00', 'one']]);
    assert.equal(two.main.maxLatenessMin, 15);
    const five = def('5');
    assert.ok(five.main.mode === 'random_slots');
    assert.deepEqual(five.main.slots.map((s) => [s.weight, s.cooldownMin, s.fill]), [[2, 0, { mode: 'duration', minutes: 30 }], [1, 60, { mode: 'duration', minutes: 120 }]]);
    const crime = t.engine.store.collections.findByName('Crime Classics')!;
    assert.deepEqual(t.engine.store.collections.itemIds(crime.id), [itemOf(keys.heat!), itemOf(keys.alien!)]);
    assert.deepEqual(five.sources[1]!.content, [{ type: 'collection', id: crime.id }]);
    assert.deepEqual(five.sources[0]!.content, ['e1', 'e2'].map((k) => ({ type: 'item', id: itemOf(keys[k]!) })), 'the custom show\'s films are not Bluey\'s');
  });

  it('the imported channel airs the programmes in the order dizqueTV listed them', async () => {
    const tl = await t.api.timeline('1', { hours: 12, limit: 200 });
    const items = tl.rows.filter((r) => r.kind === 'item').map((r) => r.itemId);
    const cycle = ['e3', 'e1', 'e2', 'heat'].map((k) => itemOf(keys[k]!));
    assert.ok(items.length >= 8, `${items.length} item rows`);
    const start = items.indexOf(cycle[0]!);
    assert.ok(start >= 0 && start < 4);
    assert.deepEqual(items.slice(start, start + 8), [...cycle, ...cycle]);
  });

  it('and streams it: the first programme comes from the fake Plex with the imported server\'s token', async () => {
    const before = plex.log.length;
    const ts = await readTs(`${t.url}/stream/channels/1.ts`, 4000);
    assert.equal(ts.status, 200);
    const { video } = avStreams(ts.report);
    assert.ok(video.pes > 10, `${video.pes} video PES in the stream`);
    const parts = plex.log.slice(before).filter((q) => q.path.startsWith('/library/parts/'));
    assert.ok(parts.length > 0 && parts.every((q) => q.token === plex.token && q.status < 300), JSON.stringify(parts));
    await t.call('DELETE', '/api/sessions/1');
    await assertNoFfmpegLeft();
  });

  it('importing again is refused (409, nothing written); --replace is idempotent', async () => {
    const e = await t.rejects('POST', '/api/import', body(), 409, 'onClash');
    assert.match(e.message, /collection "Bumpers" already exists.*channel 1 is already "Bluey Marathon".*Nothing was imported.*replace/);
    const shape = () => ({
      channels: t.engine.store.channels.list().map((c) => [c.id, c.number, c.name, c.enabled, JSON.stringify(t.engine.schedules.get(c.number).definition)]),
      collections: t.engine.store.collections.list().map((c) => [c.id, c.name, t.engine.store.collections.itemIds(c.id)]),
      sources: t.engine.store.sources.list().map((s) => s.id),
    });
    const before = shape();
    const r = await t.call('POST', '/api/import', body({ onClash: 'replace' }));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.servers[0].state, 'here');
    assert.deepEqual(r.body.channels.map((c: any) => c.action), ['replace', 'replace', 'replace']);
    assert.deepEqual(shape(), before);
  });

  it('--renumber: a clash takes the next free numbers and collection names', async () => {
    const r = await t.call('POST', '/api/import', body({ onClash: 'renumber' }));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.channels.map((c: any) => [c.from, c.number, c.action]), [['1', '6', 'renumber'], ['2', '7', 'renumber'], ['5', '8', 'renumber']]);
    assert.deepEqual(r.body.collections.map((c: any) => c.name), ['Bumpers (2)', 'Crime Classics (2)']);
    assert.deepEqual((await t.api.channels()).map((c) => c.number), ['1', '2', '5', '6', '7', '8']);
  });

  it('the CLI prints the dry-run report', async () => {
    const res = await cli(['--data-dir', t.engine.config.dataDir, 'import', 'dizquetv', dir, '--dry-run', '--replace']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /dizqueTV .*: would import 3 channel\(s\), 2 collection\(s\) \(dry run: nothing written\)/);
    assert.match(res.stdout, /1 "Bluey Marathon": replace; a fixed programme list in order, 1 filler list\(s\); 4\/5 programmes matched/);
    assert.match(res.stdout, /channel 1: The Lost Tapes \(2001\) — plex key 88888/);
    const help = await cli(['import', '--help']);
    assert.match(help.stdout, /--renumber/);
    assert.match(help.stdout, /dizquetv, tunarr, ersatztv|"dizquetv", "tunarr", "ersatztv"/);
  });
});
