// Who may use what, over the real server (inject with a chosen client address): the admin API wants
// the token from other hosts, loopback is exempt unless trustLoopback is off, forged Host headers
// and cross-site state-changing requests are refused, tuner/guide/stream URLs stay open unless
// tunerToken is on (then the URLs the box hands out carry the stream token), pages get a CSP.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InjectOptions } from 'fastify';
import { startApi, type TestApi } from '../helpers/api.js';
import { dbSnapshot } from '../helpers/db-snapshot.js';
import { readAdminToken, streamTokenOf } from '../../src/server/security/token.js';

const LAN = '192.168.7.50';

async function req(t: TestApi, o: { method?: string; url: string; from?: string; headers?: Record<string, string>; payload?: string }) {
  const res = await t.app.inject({ method: (o.method ?? 'GET') as 'GET', url: o.url, remoteAddress: o.from ?? '127.0.0.1', headers: o.headers ?? {}, ...(o.payload !== undefined ? { payload: o.payload } : {}) } as InjectOptions);
  return { status: res.statusCode, headers: res.headers, body: res.body, json: () => res.json() };
}

describe('admin API access (defaults: loopback exempt, tuner open)', () => {
  let t: TestApi;
  let token: string;
  before(async () => {
    t = await startApi();
    await t.api.createChannel({ number: '7', name: 'Seven' });
    token = readAdminToken(t.engine.config.dataDir)!;
  });
  after(async () => { await t?.close(); });

  test('the token file is made on start: 0600, 43 base64url characters', () => {
    const file = join(t.engine.config.dataDir, 'admin.token');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(readFileSync(file, 'utf8').trim(), /^[A-Za-z0-9_-]{43}$/);
    assert.equal(readFileSync(file, 'utf8').trim(), token);
  });

  test('from the LAN: 401 without the token or with a wrong one, 200 with it; loopback needs none', async () => {
    for (const url of ['/api/status', '/api/channels', '/api/sessions', '/api/backups', '/api/events', '/api/token', '/api/no-such-thing']) {
      const r = await req(t, { url, from: LAN });
      assert.equal(r.status, 401, url);
      assert.match(String(r.headers['www-authenticate']), /^Bearer/);
      assert.match(r.json().message, /admin token/);
      assert.doesNotMatch(r.body, new RegExp(token), 'the token never appears in a refusal');
    }
    assert.equal((await req(t, { url: '/api/channels', from: LAN, headers: { authorization: 'Bearer wrong-token-wrong-token-wrong-token' } })).status, 401);
    assert.equal((await req(t, { url: '/api/channels', from: '127.0.0.1', headers: { authorization: 'Bearer nope' } })).status, 401, 'a wrong token is refused even from loopback');
    const ok = await req(t, { url: '/api/channels', from: LAN, headers: { authorization: `Bearer ${token}` } });
    assert.equal(ok.status, 200);
    assert.equal(ok.json()[0].number, '7');
    assert.equal((await req(t, { url: '/api/channels', from: '127.0.0.1' })).status, 200);
    assert.equal((await req(t, { url: '/api/channels', from: '::ffff:127.0.0.1' })).status, 200);
    assert.equal((await req(t, { url: '/api/openapi.json', from: LAN })).status, 200, 'the API description is public');
  });

  test('from the LAN, state-changing requests need the token: nothing changes without it', async () => {
    const before = dbSnapshot(t.engine.store);
    for (const [method, url, payload] of [['DELETE', '/api/channels/7', undefined], ['POST', '/api/sources', '{"path":"/etc"}'], ['POST', '/api/backups', undefined], ['DELETE', '/api/sessions/7', undefined], ['POST', '/api/token/rotate', undefined]] as const) {
      const r = await req(t, { method, url, from: LAN, ...(payload ? { payload, headers: { 'content-type': 'application/json' } } : {}) });
      assert.equal(r.status, 401, `${method} ${url}`);
    }
    assert.deepEqual(dbSnapshot(t.engine.store), before);
    assert.deepEqual(t.engine.backups.list(), []);
    assert.equal(readAdminToken(t.engine.config.dataDir), token);
    const made = await req(t, { method: 'POST', url: '/api/channels', from: LAN, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: '{"number":"8","name":"Eight"}' });
    assert.equal(made.status, 201);
  });

  test('tuner, guide and stream endpoints stay open from the LAN (DVRs cannot send headers)', async () => {
    for (const url of ['/discover.json', '/lineup.json', '/lineup_status.json', '/iptv/channels.m3u', '/api/channels.m3u', '/device.xml', '/watch/7']) {
      assert.equal((await req(t, { url, from: LAN, headers: { host: '192.168.7.1:8410' } })).status, 200, url);
    }
    const lineup = (await req(t, { url: '/lineup.json', from: LAN, headers: { host: '192.168.7.1:8410' } })).json();
    assert.equal(lineup[0].URL, 'http://192.168.7.1:8410/auto/v7', 'no token in URLs when none is required');
  });

  test('forged Host headers are refused on the admin API (DNS rebinding), also from loopback', async () => {
    for (const host of ['evil.example', 'evil.example:8410', 'localhost.evil.example', '127.0.0.1.nip.io', 'a b']) {
      const r = await req(t, { url: '/api/channels', headers: { host } });
      assert.equal(r.status, 403, host);
      assert.match(r.json().message, /not a name of this box/);
    }
    for (const host of ['127.0.0.1:8410', '192.168.7.1', '[::1]:8410', '[fe80::1]', 'localhost:8410', 'LOCALHOST']) {
      assert.equal((await req(t, { url: '/api/channels', headers: { host } })).status, 200, host);
    }
    assert.equal((await req(t, { url: '/lineup.json', from: LAN, headers: { host: 'evil.example' } })).status, 200, 'the tuner face does not check Host');
  });

  test('cross-site state-changing requests are refused: body-less POSTs, forms, foreign Origin; the client header or the token passes', async () => {
    const before = dbSnapshot(t.engine.store);
    const cases: { headers: Record<string, string>; payload?: string; why: RegExp }[] = [
      { headers: {}, why: /X-EXStreamTV/ },
      { headers: { origin: 'http://evil.example' }, why: /cross-site/ },
      { headers: { origin: 'null', 'x-exstreamtv': '1' }, why: /cross-site/ },
      { headers: { 'sec-fetch-site': 'cross-site', 'x-exstreamtv': '1' }, why: /cross-site/ },
      { headers: { 'content-type': 'text/plain' }, payload: '{"name":"x"}', why: /X-EXStreamTV/ },
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'name=x', why: /X-EXStreamTV/ },
      { headers: { origin: 'http://evil.example', 'content-type': 'application/json' }, payload: '{"reason":"x"}', why: /cross-site/ },
    ];
    for (const c of cases) {
      for (const url of ['/api/backups', '/api/sources/1/scan', '/api/hw/probe']) {
        const r = await req(t, { method: 'POST', url, headers: c.headers, ...(c.payload ? { payload: c.payload } : {}) });
        assert.equal(r.status, 403, `${url} ${JSON.stringify(c)}`);
        assert.match(r.json().message, c.why);
      }
    }
    assert.equal((await req(t, { method: 'DELETE', url: '/api/channels/8', headers: { origin: 'http://evil.example' } })).status, 403);
    assert.deepEqual(dbSnapshot(t.engine.store), before);
    assert.deepEqual(t.engine.backups.list(), [], 'no backup was made');
    // Same origin (the box's own page), the client header, or the token: allowed.
    assert.equal((await req(t, { method: 'POST', url: '/api/backups', headers: { host: '127.0.0.1:8410', origin: 'http://127.0.0.1:8410' } })).status, 201);
    assert.equal((await req(t, { method: 'POST', url: '/api/backups', headers: { 'x-exstreamtv': '1' } })).status, 201);
    assert.equal((await req(t, { method: 'POST', url: '/api/backups', from: LAN, headers: { authorization: `Bearer ${token}` } })).status, 201);
  });

  test('pages carry a strict Content-Security-Policy that allows exactly their inline code', async () => {
    const r = await req(t, { url: '/watch/7' });
    const csp = String(r.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    const inline = /<script>([\s\S]*?)<\/script>/.exec(r.body)![1]!;
    assert.ok(csp.includes(`'sha256-${createHash('sha256').update(inline).digest('base64')}'`), 'the inline script is allowed by its hash');
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['x-frame-options'], 'DENY');
    assert.equal((await req(t, { url: '/api/channels' })).headers['content-security-policy'], undefined, 'JSON needs none');
  });

  test('token rotate: the old token stops working at once, the file holds the new one', async () => {
    const r = await req(t, { method: 'POST', url: '/api/token/rotate', from: LAN, headers: { authorization: `Bearer ${token}` } });
    assert.equal(r.status, 200);
    const fresh = r.json().token as string;
    assert.notEqual(fresh, token);
    assert.equal(r.json().streamToken, streamTokenOf(fresh));
    assert.equal(readAdminToken(t.engine.config.dataDir), fresh);
    assert.equal(statSync(join(t.engine.config.dataDir, 'admin.token')).mode & 0o777, 0o600);
    assert.equal((await req(t, { url: '/api/channels', from: LAN, headers: { authorization: `Bearer ${token}` } })).status, 401);
    assert.equal((await req(t, { url: '/api/channels', from: LAN, headers: { authorization: `Bearer ${fresh}` } })).status, 200);
    token = fresh;
  });
});

describe('trustLoopback off, tunerToken on, allowedHosts', () => {
  let t: TestApi;
  let token: string;
  let stream: string;
  before(async () => {
    t = await startApi({ config: { trustLoopback: false, tunerToken: true, allowedHosts: ['tv.home.lan', '*.example.lan'] } });
    await t.engine.channels.create({ number: '3', name: 'Three', group: null, logo: null, enabled: true, order: 'in_order', content: [], stream: { profile: null, alwaysOn: false } } as never);
    token = readAdminToken(t.engine.config.dataDir)!;
    stream = streamTokenOf(token);
  });
  after(async () => { await t?.close(); });

  test('loopback needs the token too (behind a reverse proxy on the box)', async () => {
    assert.equal((await req(t, { url: '/api/channels' })).status, 401);
    assert.equal((await req(t, { url: '/api/channels', headers: { authorization: `Bearer ${token}` } })).status, 200);
  });

  test('configured names pass the Host check, others do not', async () => {
    const auth = { authorization: `Bearer ${token}` };
    for (const host of ['tv.home.lan', 'tv.home.lan:8410', 'box.example.lan']) assert.equal((await req(t, { url: '/api/status', headers: { ...auth, host } })).status, 200, host);
    for (const host of ['example.lan', 'tv.home.lan.evil.example', 'xexample.lan']) assert.equal((await req(t, { url: '/api/status', headers: { ...auth, host } })).status, 403, host);
  });

  test('tuner, guide and stream URLs need ?token= (stream or admin token) and hand it on', async () => {
    const host = { host: '192.168.7.1:8410' };
    for (const url of ['/lineup.json', '/iptv/channels.m3u', '/iptv/xmltv.xml', '/api/xmltv.xml', '/auto/v3', '/stream/channels/3.ts', '/stream/channels/3/index.m3u8', '/watch/3']) {
      assert.equal((await req(t, { url, from: LAN, headers: host })).status, 401, url);
      assert.equal((await req(t, { url: `${url}?token=wrong`, from: LAN, headers: host })).status, 401, url);
    }
    assert.equal((await req(t, { url: `/iptv/xmltv.xml?token=${stream}&days=1`, from: LAN, headers: host })).status, 200);
    const m3u = await req(t, { url: `/iptv/channels.m3u?token=${stream}`, from: LAN, headers: host });
    assert.equal(m3u.status, 200);
    assert.ok(m3u.body.includes(`url-tvg="http://192.168.7.1:8410/iptv/xmltv.xml?token=${stream}"`), m3u.body);
    assert.ok(m3u.body.includes(`\nhttp://192.168.7.1:8410/stream/channels/3.ts?token=${stream}\n`), m3u.body);
    const hls = await req(t, { url: `/iptv/channels.m3u?format=hls&token=${token}`, from: LAN, headers: host });
    assert.ok(hls.body.includes(`/stream/channels/3/index.m3u8?token=${stream}`), 'the admin token works too, but the stream token is what is handed out');
    assert.ok(!hls.body.includes(token));
    const lineup = (await req(t, { url: `/lineup.json?token=${stream}`, from: LAN, headers: host })).json();
    assert.equal(lineup[0].URL, `http://192.168.7.1:8410/auto/v3?token=${stream}`);
    // discover.json stays open (DVRs fetch it first, announced by SSDP anyway) but hands out the token only to who showed it.
    assert.equal((await req(t, { url: '/discover.json', from: LAN, headers: host })).json().LineupURL, 'http://192.168.7.1:8410/lineup.json');
    assert.equal((await req(t, { url: `/discover.json?token=${stream}`, from: LAN, headers: host })).json().LineupURL, `http://192.168.7.1:8410/lineup.json?token=${stream}`);
    // The stream token is no admin token.
    assert.equal((await req(t, { url: '/api/channels', from: LAN, headers: { authorization: `Bearer ${stream}` } })).status, 401);
  });
});
