// The provider-guide reader: programmes of the wanted tvg-ids only, times with their own offsets
// (UTC-correct), gzip, entities, bounded size, HTML refused; hour blocks on local clock hours
// (a half-hour time zone pinned) filling every gap.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { fillWithHours, nextLocalHour } from '../../../../src/engine/library/iptv/guide.js';
import { GuideError, parseXmltvTime, readXmltv } from '../../../../src/engine/library/iptv/xmltv-read.js';

const T0 = Date.UTC(2026, 11, 7, 18, 0, 0);
const HOUR = 3_600_000;

const GUIDE = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tv SYSTEM "xmltv.dtd">
<tv generator-info-name="provider">
  <channel id="news.uk"><display-name>News UK</display-name></channel>
  <programme start="20261207190000 +0100" stop="20261207193000 +0100" channel="news.uk">
    <title lang="en">Evening &amp; News</title><sub-title>Headlines</sub-title>
    <desc lang="en">The day's
      news.</desc>
    <category>News</category><category>Current affairs</category>
    <icon src="http://127.0.0.1:1/n.png"/>
    <episode-num system="onscreen">S01E02</episode-num>
  </programme>
  <programme start="20261207183000 +0000" channel="news.uk"><title>Weather</title></programme>
  <programme start="20261207140000 -0500" stop="20261207150000 -0500" channel="sport&amp;more"><title>Match</title></programme>
  <programme start="20261207180000 +0000" stop="20261207190000 +0000" channel="other"><title>Not wanted</title></programme>
  <programme start="20250101000000 +0000" stop="20250101010000 +0000" channel="news.uk"><title>Long ago</title></programme>
</tv>
`;

describe('XMLTV reader (provider guides)', () => {
  let dir = '';
  const window = { from: T0 - 6 * HOUR, to: T0 + 24 * HOUR };
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'exs-xmltv-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  it('parses times with their offsets', () => {
    assert.equal(parseXmltvTime('20261207190000 +0100'), T0);
    assert.equal(parseXmltvTime('20261207130000 -0500'), T0);
    assert.equal(parseXmltvTime('20261207180000'), T0, 'no offset: UTC');
    assert.equal(parseXmltvTime('202612071800'), T0, 'seconds may be left out');
    assert.equal(parseXmltvTime('tomorrow'), null);
  });

  it('keeps the wanted channels in the window, in time order, a missing stop an hour after the start when nothing follows', async () => {
    const file = join(dir, 'guide.xml');
    await writeFile(file, GUIDE);
    const got = await readXmltv(file, { wanted: new Set(['news.uk', 'sport&more']), ...window });
    assert.deepEqual([...got.keys()].sort(), ['news.uk', 'sport&more']);
    const news = got.get('news.uk')!;
    assert.deepEqual(news.map((p) => [p.title, p.startMs - T0, p.stopMs - T0]), [['Evening & News', 0, HOUR / 2], ['Weather', HOUR / 2, 1.5 * HOUR]]);
    assert.deepEqual(news[0], { startMs: T0, stopMs: T0 + HOUR / 2, title: 'Evening & News', subTitle: 'Headlines', desc: "The day's news.",
      categories: ['News', 'Current affairs'], icon: 'http://127.0.0.1:1/n.png', episodeNum: { system: 'onscreen', value: 'S01E02' } });
    assert.equal(got.get('sport&more')![0]!.startMs, T0 + HOUR, '14:00 -0500 is 19:00 UTC');
  });

  it('reads gzip, refuses HTML and oversized guides', async () => {
    const gz = join(dir, 'guide.xml.gz');
    await writeFile(gz, gzipSync(GUIDE));
    assert.equal((await readXmltv(gz, { wanted: new Set(['news.uk']), ...window })).get('news.uk')!.length, 2);
    const html = join(dir, 'login.html');
    await writeFile(html, '<!DOCTYPE html><html><body>Please log in</body></html>');
    await assert.rejects(readXmltv(html, { wanted: new Set(['news.uk']), ...window }), (e) => e instanceof GuideError && /not an XMLTV guide/.test(e.message));
    await assert.rejects(readXmltv(file(dir), { wanted: new Set(['news.uk']), ...window, maxBytes: 200 }), /larger than/);
    await assert.rejects(readXmltv(join(dir, 'nope.xml'), { wanted: new Set(['x']), ...window }), /is not a file/);
  });

  it('fills gaps with hour blocks ending on local clock hours (Asia/Kolkata, +05:30)', () => {
    const tz = process.env.TZ;
    process.env.TZ = 'Asia/Kolkata';
    try {
      // 18:00 UTC is 23:30 local: the next local hour is 18:30 UTC.
      assert.equal(nextLocalHour(T0), T0 + HOUR / 2);
      assert.equal(nextLocalHour(T0 + HOUR / 2), T0 + 1.5 * HOUR);
      const prog = { startMs: T0 + HOUR, stopMs: T0 + 2 * HOUR, title: 'Match', subTitle: null, desc: null, categories: [], icon: null, episodeNum: null };
      const blocks = fillWithHours([prog], T0, T0 + 3 * HOUR, 'Sport');
      assert.deepEqual(blocks.map((b) => [b.title, (b.startMs - T0) / 60_000, (b.stopMs - T0) / 60_000]), [
        ['Sport', -30, 30], ['Sport', 30, 60], ['Match', 60, 120], ['Sport', 120, 150], ['Sport', 150, 180],
      ]);
      for (let i = 1; i < blocks.length; i++) assert.equal(blocks[i]!.startMs, blocks[i - 1]!.stopMs, 'contiguous, no overlap');
    } finally {
      if (tz === undefined) delete process.env.TZ; else process.env.TZ = tz;
    }
  });
});

const file = (dir: string) => join(dir, 'guide.xml');
