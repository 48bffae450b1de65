// Archive.org sources over the API against a fake Archive.org on 127.0.0.1: a collection, a search and
// item identifiers; the best playable file of each original; durations from `length`; one 429 waited
// out; a descriptive User-Agent and ≤ 2 requests at once; incremental rescans (metadata only for
// updated items); bad input (an HTML search page, unknown identifiers) refused with nothing stored.
import assert from 'node:assert/strict';
import { readdir, rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { archiveCacheDir } from '../../../../src/engine/library/archive/scan.js';
import { ArchiveClient, retryAfterMs } from '../../../../src/engine/library/archive/http.js';
import { searchArchive } from '../../../../src/engine/library/archive/search.js';
import { parseLength } from '../../../../src/engine/library/archive/items.js';
import { startFakeArchive, type FakeArchive } from '../../../fakes/archive.js';
import { startApi, type TestApi } from '../../../helpers/api.js';
import { tempDir } from '../../../helpers/library.js';

describe('Archive.org sources', () => {
  let fake: FakeArchive;
  let t: TestApi;

  const scan = async (id: number) => {
    const s = await t.call('POST', `/api/sources/${id}/scan`);
    assert.equal(s.status, 202);
    return t.engine.scans.wait(s.body.id);
  };
  const items = async (sourceId: number) => (await t.call('GET', `/api/items?sourceId=${sourceId}&limit=100`)).body.items as any[];

  before(async () => {
    fake = await startFakeArchive();
    fake.addItem('his_girl_friday_1940');
    fake.addItem('classic_tv_sampler');
    fake.addItem('old_time_radio_hour');
    t = await startApi({ config: { archiveUrl: fake.url } });
  });
  after(async () => { await t?.close(); await fake?.close(); });

  it('reads lengths as seconds or [HH:]MM:SS, and Retry-After as seconds or a date', () => {
    assert.equal(parseLength('5528.33'), 5528.33);
    assert.equal(parseLength('01:32:05'), 5525);
    assert.equal(parseLength('00:04'), 4);
    assert.equal(parseLength('0'), null);
    assert.equal(parseLength('about an hour'), null);
    assert.equal(retryAfterMs('3'), 3000);
    assert.equal(retryAfterMs(new Date(Date.UTC(2026, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2026, 0, 1)), 10_000);
    assert.equal(retryAfterMs(null), null);
  });

  it('pages through advancedsearch (sorted by identifier); every identifier asked for is listed', async () => {
    const before = fake.log.length;
    const ids = ['old_time_radio_hour', 'his_girl_friday_1940', 'classic_tv_sampler'];
    const hits = await searchArchive(new ArchiveClient({ baseUrl: fake.url }), { identifiers: ids, maxItems: 2 }, { rows: 1 });
    assert.deepEqual(hits.map((h) => h.key), [...ids].sort());
    assert.ok(hits.every((h) => h.stamp === '2020-07-17T21:25:10Z'), 'the last oai_updatedate is the stamp');
    const pages = fake.log.slice(before).map((r) => [r.query.get('page'), r.query.get('rows'), r.query.get('sort[]')]);
    assert.deepEqual(pages, [['1', '1', 'identifier asc'], ['2', '1', 'identifier asc'], ['3', '1', 'identifier asc']]);
  });

  it('a collection: the best playable file of each original, one 429 waited out, gentle requests', async () => {
    const before = fake.log.length;
    const add = await t.call('POST', '/api/sources/archive', { collection: 'classic_tv' });
    assert.equal(add.status, 201, JSON.stringify(add.body));
    assert.equal(add.body.kind, 'archive');
    assert.equal(add.body.items, 0, 'the items come with the scan');
    fake.throttle(1, 1);
    const s = await scan(add.body.id);
    assert.equal(s.state, 'done', s.error ?? '');
    assert.deepEqual([s.added, s.unreadable], [2, 1], 'two episodes; the audio-only item skipped');
    const got = (await items(add.body.id)).sort((a, b) => a.title.localeCompare(b.title));
    assert.deepEqual(got.map((i) => [i.title, i.durationMs, i.year]), [
      ['Classic TV Sampler – Episode01', 3000, 1955],
      ['Classic TV Sampler – The Pilot', 4000, 1955],
    ]);
    // Episode01's h.264 derivative is private: its 512Kb MPEG4 plays; the pilot's "h.264 IA" beats the Matroska original.
    assert.deepEqual(got.map((i) => i.locator.url), [
      `${fake.url}/download/classic_tv_sampler/Episode01_512kb.mp4`,
      `${fake.url}/download/classic_tv_sampler/Episode%2002%20(Pilot).mp4`,
    ]);
    assert.match(got[0].locator.headers['User-Agent'], /^EXStreamTV\//);
    const mine = fake.log.slice(before);
    const i429 = mine.findIndex((r) => r.status === 429);
    assert.ok(i429 >= 0, 'one request was answered 429');
    assert.ok(mine.slice(i429 + 1).some((r) => r.path === mine[i429]!.path && r.status === 200), 'and asked again after Retry-After');
    assert.ok(mine.every((r) => /^EXStreamTV\/\S+ \(.+\)$/.test(r.userAgent ?? '')), 'a descriptive User-Agent on every request');
    assert.ok(fake.maxInFlight <= 2, `at most 2 requests at once (saw ${fake.maxInFlight})`);
    assert.ok(mine.some((r) => r.path === '/advancedsearch.php' && r.query.get('q') === 'collection:(classic_tv) AND mediatype:(movies)'));
  });

  it('item identifiers: title, year, description, subjects and licence from /metadata; the h.264 derivative', async () => {
    const add = await t.call('POST', '/api/sources/archive', { identifiers: ['his_girl_friday_1940'] });
    assert.equal(add.status, 201, JSON.stringify(add.body));
    assert.equal(add.body.name, 'His Girl Friday');
    assert.equal((await scan(add.body.id)).state, 'done');
    const [item] = await items(add.body.id);
    assert.equal(item.title, 'His Girl Friday');
    assert.equal(item.kind, 'movie');
    assert.equal(item.durationMs, 4020);
    assert.equal(item.releaseDate, '1940-01-18');
    assert.deepEqual(item.genres, ['comedy', 'screwball', 'Cary Grant', 'Rosalind Russell']);
    assert.match(item.plot, /^A newspaper editor .*remarrying\.\n\nPublic domain/s);
    assert.equal(item.locator.url, `${fake.url}/download/his_girl_friday_1940/HisGirlFriday1940.mp4`);
    const ids = t.engine.store.db.prepare('SELECT external_ids FROM media_items WHERE id = ?').pluck().get(item.id) as string;
    assert.deepEqual(JSON.parse(ids), { archive: 'his_girl_friday_1940', licenseurl: 'http://creativecommons.org/publicdomain/mark/1.0/' });
  });

  it('rescans are incremental: metadata only for updated items; gone items flagged missing', async () => {
    const source = (await t.call('GET', '/api/sources')).body.find((s: any) => s.config.collection === 'classic_tv');
    let before = fake.log.length;
    let s = await scan(source.id);
    assert.deepEqual([s.state, s.added, s.changed, s.unchanged], ['done', 0, 0, 2]);
    assert.ok(!fake.log.slice(before).some((r) => r.path.startsWith('/metadata/classic_tv_sampler')), 'an unchanged item: no metadata request');
    fake.touch('classic_tv_sampler', 'Classic TV Sampler (restored)');
    before = fake.log.length;
    s = await scan(source.id);
    assert.deepEqual([s.state, s.changed], ['done', 2]);
    assert.deepEqual(fake.log.slice(before).filter((r) => r.path.startsWith('/metadata/')).map((r) => r.path), ['/metadata/classic_tv_sampler'], 'the skipped item comes from the cache');
    assert.ok((await items(source.id)).every((i) => i.title.startsWith('Classic TV Sampler (restored) – ')));
    assert.ok((await readdir(archiveCacheDir(t.engine.config.dataDir))).includes('classic_tv_sampler.json'), 'metadata cached on disk');
    fake.remove('classic_tv_sampler');
    fake.addItem('his_girl_friday_1940'); // keep the search non-empty
    s = await scan(source.id);
    assert.deepEqual([s.state, s.missing], ['done', 2]);
  });

  it('bad input: an HTML search page, unknown identifiers, two kinds at once — 400s naming the field, nothing stored', async () => {
    fake.searchHtml = true;
    const html = await t.rejects('POST', '/api/sources/archive', { collection: 'feature_films' }, 400, 'collection');
    assert.match(html.message, /answered text\/html .* not JSON/);
    fake.searchHtml = false;
    const unknown = await t.rejects('POST', '/api/sources/archive', { identifiers: ['his_girl_friday_1940', 'no_such_item'] }, 400, 'identifiers');
    assert.match(unknown.message, /no Archive.org item "no_such_item"/);
    await t.rejects('POST', '/api/sources/archive', { query: 'title:x', collection: 'classic_tv' }, 400, 'body.collection');
    await t.rejects('POST', '/api/sources/archive', { identifiers: ['../etc/passwd'] }, 400, 'body.identifiers.0');
    await t.rejects('POST', '/api/sources/archive', { collection: 'classic_tv' }, 400, 'collection'); // already a source
  });

  it('a scan that meets an HTML page or endless 429s fails and changes nothing', async () => {
    const source = (await t.call('GET', '/api/sources')).body.find((s: any) => s.config.identifiers?.[0] === 'his_girl_friday_1940');
    const before = await items(source.id);
    fake.searchHtml = true;
    let s = await scan(source.id);
    assert.equal(s.state, 'failed');
    assert.match(s.error ?? '', /not JSON/);
    fake.searchHtml = false;
    fake.throttle(1, 3600);
    s = await scan(source.id);
    assert.equal(s.state, 'failed');
    assert.match(s.error ?? '', /limiting requests \(HTTP 429, retry after 3600 s\)/);
    assert.deepEqual(await items(source.id), before);
    assert.match((await t.call('GET', `/api/sources/${source.id}`)).body.lastScanStatus, /^failed: /);
    await rm(archiveCacheDir(t.engine.config.dataDir), { recursive: true, force: true });
  });
});
