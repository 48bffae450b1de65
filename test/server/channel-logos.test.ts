// File-path channel logos are served, never accepted and dropped: the M3U tvg-logo and the XMLTV
// <icon> point at /images/channels/{id} on this box, which answers the image itself; a path outside
// the allowed image folders is refused when set, and a logo whose file went away answers 404.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../helpers/api.js';
import { addFakeItems, addFakeSource, episodes } from '../helpers/fake-items.js';

// The smallest PNG: a signature and an IHDR are enough for the test (served as bytes).
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('channel logos: file paths served by the box', () => {
  let t: TestApi;
  let logo: string;
  let id: number;
  const HOST = { host: '192.168.1.20:8410' };
  before(async () => {
    t = await startApi({ config: { timelineDays: 1 } });
    const source = addFakeSource(t.engine.store);
    const items = addFakeItems(t.engine.store, source, episodes('Logo Show', 2, 30 * 60_000));
    mkdirSync(join(t.engine.config.dataDir, 'images'), { recursive: true });
    logo = join(t.engine.config.dataDir, 'images', 'seven.png');
    writeFileSync(logo, PNG);
    const res = await t.call('POST', '/api/channels', { number: '7', name: 'Seven', logo, content: [{ type: 'item', id: items[0]! }] });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.logo, logo, 'the path is kept');
    id = res.body.id;
    await t.call('POST', '/api/channels', { number: '8', name: 'Eight', logo: 'https://example.com/8.png', content: [{ type: 'item', id: items[1]! }] });
  });
  after(async () => {
    assert.deepEqual(t.serverErrors, [], 'no 5xx replies');
    await t.close();
  });

  it('M3U and XMLTV point at the box for a file logo and keep an http(s) logo as it is', async () => {
    const m3u = (await t.app.inject({ method: 'GET', url: '/iptv/channels.m3u', headers: HOST })).body;
    assert.match(m3u, new RegExp(`tvg-chno="7" tvg-name="Seven" tvg-logo="http://192\\.168\\.1\\.20:8410/images/channels/${id}"`));
    assert.match(m3u, /tvg-chno="8" tvg-name="Eight" tvg-logo="https:\/\/example\.com\/8\.png"/);
    assert.ok(!m3u.includes(logo), 'the file path itself is never handed out');
    const xml = (await t.app.inject({ method: 'GET', url: '/iptv/xmltv.xml', headers: HOST })).body;
    assert.match(xml, new RegExp(`<display-name>7</display-name>\\n(?:.*\\n)*?\\s*<icon src="http://192\\.168\\.1\\.20:8410/images/channels/${id}"/>`));
    assert.match(xml, /<icon src="https:\/\/example\.com\/8\.png"\/>/);
  });

  it('GET /images/channels/{id} answers the image with its type, no session or token needed', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/images/channels/${id}`, headers: HOST });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'image/png');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.deepEqual(res.rawPayload, PNG);
  });

  it('404 for a channel without a file logo, an unknown channel, and a logo whose file is gone', async () => {
    const eight = (await t.call('GET', '/api/channels/8')).body.id;
    for (const url of [`/images/channels/${eight}`, '/images/channels/999']) {
      const res = await t.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 404, url);
      assert.match(JSON.parse(res.body).message, /logo of channel #\d+ not found/);
    }
    assert.equal((await t.app.inject({ method: 'GET', url: '/images/channels/abc' })).statusCode, 400, 'the id is a number');
    rmSync(logo);
    try {
      assert.equal((await t.app.inject({ method: 'GET', url: `/images/channels/${id}` })).statusCode, 404);
    } finally { writeFileSync(logo, PNG); }
  });

  it('a path outside the image folders is refused when set, naming the field', async () => {
    await t.rejects('PATCH', '/api/channels/7', { logo: '/etc/hostname' }, 400, 'logo');
    await t.rejects('POST', '/api/channels', { number: '9', name: 'Nine', logo: join(t.engine.config.dataDir, 'exstreamtv.db') }, 400, 'logo');
  });
});
