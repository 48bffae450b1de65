// Import from ErsatzTV over the real API: its database (built at test time from the committed
// SQL) read read-only, a truncated database (400, nothing written), the Plex server added with the
// token from plex-secrets.json, a local library added and scanned (a real clip matched by its
// path), channels (logo, a watermark in ErsatzTV's artwork cache, fallback filler, fixed start times, hidden,
// on-demand, disabled), schedule items mixed by weight, a stale key matched by GUID and an unmatched film.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, truncate } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FakePlex } from '../fakes/plex.js';
import type { TestApi } from '../helpers/api.js';
import { copyFixture, importEnv, sqlDb, type ImportEnv } from '../helpers/import-fixtures.js';
import { FFMPEG, makeClip } from '../helpers/media.js';

describe('import from ErsatzTV', () => {
  let env: ImportEnv;
  let t: TestApi;
  let plex: FakePlex;
  let tmp: string;
  let media: string;
  let db: string;
  let bug: string;
  let keys: Record<string, string>;
  const itemOf = (key: string) => env.itemOf(key);

  before(async () => {
    env = await importEnv('ersatztv');
    ({ t, plex, keys, tmp } = env);
    media = join(tmp, 'home-videos');
    await makeClip(media, 'Home Movie (2019).mp4');
    const vars = { PLEX_URL: plex.url, PLEX_TOKEN: plex.token, MEDIA: media };
    const dir = join(tmp, 'ersatztv');
    copyFixture('ersatztv', dir, vars, keys);
    // ErsatzTV keeps an uploaded watermark in its artwork cache, named by its hash, without an extension.
    bug = join(dir, 'cache', 'artwork', 'watermarks', 'B0', 'B0A1C2D3E4F5061728394A5B6C7D8E9F');
    await mkdir(dirname(bug), { recursive: true });
    execFileSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', 'color=red:s=32x32', '-frames:v', '1', '-f', 'image2', '-c:v', 'png', bug]);
    db = join(dir, 'ersatztv.sqlite3');
    sqlDb(db, ['ersatztv/schema.sql', 'ersatztv/data.sql'], vars, keys);
  });
  after(() => env.close());

  it('a truncated database: 400 naming the path, nothing written', async () => {
    const bad = join(tmp, 'bad.sqlite3');
    await copyFile(db, bad);
    await truncate(bad, 3000);
    const e = await t.rejects('POST', '/api/import', { program: 'ersatztv', path: bad }, 400, 'path');
    assert.match(e.message, /bad\.sqlite3/);
    await t.rejects('POST', '/api/import', { program: 'ersatztv', path: join(tmp, 'nothing.sqlite3') }, 400, 'path');
  });

  it('imports servers, the local library, channels, schedules, filler and collections; the database is only read', async () => {
    const hash = async () => createHash('sha256').update(await readFile(db)).digest('hex');
    const before = await hash();
    const r = await t.call('POST', '/api/import', { program: 'ersatztv', path: db });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(await hash(), before);
    assert.deepEqual((await readdir(join(tmp, 'ersatztv'))).sort(), ['cache', 'ersatztv.sqlite3', 'plex-secrets.json']);
    assert.deepEqual(r.body.servers.map((s: any) => [s.name, s.url, s.state, s.sources.length]), [['basement-plex', plex.url, 'added', 2]]);
    assert.deepEqual(r.body.libraries.map((l: any) => [l.name, l.state]), [['Home Videos', 'added']]);
    assert.deepEqual(r.body.unmatched.map((u: any) => u.title), ['Vanished Film (1990)']);
    assert.match(r.body.unmatched[0].why, /plex key 44444 is not on basement-plex any more/);
    assert.ok(r.body.matched.ids >= 1, 'episode 3: stale key, tvdb GUID');
    assert.ok(r.body.matched.path >= 1, 'the local clip by its path');
    assert.ok(r.body.notes.some((n: string) => /channel 20: schedule item 4 draws from a multi-collection, smart collection/.test(n)));

    const chans = await t.api.channels();
    assert.deepEqual(chans.map((c) => [c.number, c.name, c.group, c.enabled]),
      [['20', 'ETV Comedy', 'Comedy', true], ['21.1', 'ETV Evenings', 'ErsatzTV', false], ['22', 'ETV Off', 'ErsatzTV', false]]);
    assert.equal(chans[0]!.logo, 'https://example.org/etv/20.png');
    assert.equal(chans[0]!.stream.watermark ?? null, null, 'the cached watermark lies outside our library folders: not set');
    assert.ok(r.body.channels[0].notes.some((n: string) => n.includes(`watermark ${bug} is a URL or not a file on this box`)), JSON.stringify(r.body.channels[0]));
    const comedy = t.engine.schedules.get('20').definition;
    assert.ok(comedy.main.mode === 'flood');
    assert.deepEqual(comedy.main.sources.map((s) => s.weight), [2, 2, 1]);
    const fav = t.engine.store.collections.findByName('ETV Favourites')!;
    assert.deepEqual(t.engine.store.collections.itemIds(fav.id), [itemOf(keys.heat!), itemOf('Home Movie (2019).mp4')]);
    assert.deepEqual(comedy.sources[0]!.content, ['e1', 'e2', 'e3'].map((k) => ({ type: 'item', id: itemOf(keys[k]!) })));
    assert.deepEqual(comedy.filler.lists.map((l) => l.kinds), [['fallback']]);
    const evenings = t.engine.schedules.get('21.1').definition;
    assert.equal(evenings.onDemand, true);
    assert.ok(evenings.main.mode === 'time_slots');
    assert.deepEqual(evenings.main.slots.map((s) => [s.start, s.fill.mode]), [['19:00', 'flood'], ['21:00', 'flood']]);
    assert.deepEqual(t.engine.schedules.get('22').definition.sources, []);
  });
});
