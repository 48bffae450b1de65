// The guide of IPTV live channels over the real API: the playlist's x-tvg-url (or a configured
// guide, which wins) read by tvg-id; a guide that fails later keeps the last good copy; one that
// never worked (404, an HTML login page) gives hour blocks — the box's guide never breaks.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import type { Channel } from '../../src/schemas/channel.js';
import type { MediaSource } from '../../src/schemas/library.js';
import { startIptvServer, type IptvServer } from '../fakes/iptv-http.js';
import { startApi, type TestApi } from '../helpers/api.js';

const HOUR = 3_600_000;
const stamp = (ms: number) => `${new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14)} +0000`;
const guideXml = (id: string, title: string, start: number) => `<?xml version="1.0" encoding="UTF-8"?>\n<tv>\n`
  + `<programme start="${stamp(start)}" stop="${stamp(start + HOUR)}" channel="${id}"><title>${title}</title></programme>\n</tv>\n`;

describe('API: IPTV live channel guide', () => {
  let t: TestApi;
  let fake: IptvServer;
  const hour = Math.floor(Date.now() / HOUR) * HOUR;
  const titles = async (number: string) => {
    const res = await t.app.inject({ method: 'GET', url: '/iptv/xmltv.xml?days=1' });
    assert.equal(res.statusCode, 200);
    assert.equal(XMLValidator.validate(res.body), true);
    return [...res.body.matchAll(new RegExp(`channel="${number.replace('.', '-')}\\.exstreamtv">\\s*<title>([^<]*)</title>`, 'g'))].map((m) => m[1]!);
  };

  before(async () => {
    fake = await startIptvServer();
    fake.page('/guide.xml', guideXml('a', 'From the playlist guide', hour), 'application/xml');
    fake.page('/other.xml', guideXml('b', 'From the configured guide', hour), 'application/xml');
    fake.page('/a.m3u', `#EXTM3U x-tvg-url="${fake.url}/guide.xml"\n#EXTINF:-1 tvg-id="a" tvg-chno="1",Alpha\n${fake.url}/live/a.ts\n`);
    fake.page('/b.m3u', `#EXTM3U x-tvg-url="${fake.url}/guide.xml"\n#EXTINF:-1 tvg-id="b" tvg-chno="2",Bravo\n${fake.url}/live/b.ts\n`);
    fake.page('/c.m3u', `#EXTM3U x-tvg-url="${fake.url}/missing.xml"\n#EXTINF:-1 tvg-id="c" tvg-chno="3",Charlie\n${fake.url}/live/c.ts\n`);
    t = await startApi();
  });
  after(async () => {
    await t?.close();
    await fake?.close();
  });

  it('reads the provider guide by tvg-id; a configured guide wins over x-tvg-url; a missing one gives hour blocks', async () => {
    const add = async (body: object) => {
      const s = (await t.call('POST', '/api/sources/iptv', body)).body as MediaSource;
      const r = await t.call('POST', `/api/sources/${s.id}/channels`, { probe: false });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return { source: s, channel: (r.body as Channel[])[0]! };
    };
    const a = await add({ playlist: `${fake.url}/a.m3u` });
    const b = await add({ playlist: `${fake.url}/b.m3u`, guide: `${fake.url}/other.xml` });
    await add({ playlist: `${fake.url}/c.m3u` });
    assert.equal(b.source.config.guide, `${fake.url}/other.xml`);
    assert.ok((await titles(a.channel.number)).includes('From the playlist guide'));
    assert.ok((await titles('2')).includes('From the configured guide'));
    const c = await titles('3');
    assert.ok(c.length >= 24 && c.every((x) => x === 'Charlie'), `hour blocks: ${c.slice(0, 3).join(', ')}`);
    assert.match(t.engine.iptvGuide.error(3) ?? '', /HTTP 404/);
    assert.equal(t.serverErrors.length, 0);

    // The provider's guide turns into a login page: the last good copy stays, the error is kept.
    fake.page('/guide.xml', '<!DOCTYPE html><html><body>log in</body></html>', 'text/html');
    await t.engine.iptvGuide.refresh(a.source.id, new Set(['a']));
    assert.match(t.engine.iptvGuide.error(a.source.id) ?? '', /not an XMLTV guide/);
    assert.ok((await titles('1')).includes('From the playlist guide'), 'the last good copy is kept');
  });

  it('refuses a guide that is neither a URL nor an absolute path, or in a system folder', async () => {
    await t.rejects('POST', '/api/sources/iptv', { playlist: `${fake.url}/a.m3u?x=1`, guide: 'guide.xml' }, 400, 'body.guide');
    await t.rejects('POST', '/api/sources/iptv', { playlist: `${fake.url}/a.m3u?x=2`, guide: '/etc/passwd' }, 400, 'guide');
  });
});
