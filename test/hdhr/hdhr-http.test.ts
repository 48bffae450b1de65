// The HDHomeRun HTTP face as Plex calls it, on a real server over loopback with real ffmpeg.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startLiveServer, type LiveServer } from '../helpers/live-channel.js';
import { isValidDeviceId, parseDeviceId } from '../../src/engine/tuner/device-id.js';
import { loadIdentity } from '../../src/engine/tuner/identity.js';
import { liveProcesses } from '../../src/engine/ffmpeg/process.js';

/** GET with an explicit Host header (what a DVR on the LAN sends). */
function get(url: string, host?: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers: host ? { Host: host } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a tune and resolves with the response once the first bytes arrived; abort() ends it. */
function tune(url: string): Promise<{ status: number; headers: Record<string, unknown>; first: Buffer; abort(): void }> {
  return new Promise((resolve, reject) => {
    const ac = new AbortController();
    fetch(url, { signal: ac.signal }).then(async (res) => {
      if (res.status !== 200) return resolve({ status: res.status, headers: Object.fromEntries(res.headers), first: Buffer.alloc(0), abort: () => ac.abort() });
      const reader = res.body!.getReader();
      const { value } = await reader.read();
      resolve({ status: res.status, headers: Object.fromEntries(res.headers), first: Buffer.from(value ?? []), abort: () => { ac.abort(); } });
      reader.read().catch(() => {});
    }, reject);
  });
}

describe('HDHomeRun HTTP', () => {
  let live: LiveServer;
  before(async () => { live = await startLiveServer({ channels: 3, config: { tunerCount: 2, streamIdleS: 1 } }); });
  after(async () => { await live?.close(); });

  test('Plex call sequence: discover → lineup_status → lineup → lineup.post → /auto/vN', async () => {
    const host = '192.0.2.10:' + new URL(live.url).port;
    const d = await get(`${live.url}/discover.json`, host);
    assert.equal(d.status, 200);
    const disc = JSON.parse(d.body.toString());
    assert.equal(typeof disc.TunerCount, 'number');
    assert.equal(disc.TunerCount, 2);
    assert.equal(disc.BaseURL, `http://${host}`);
    assert.equal(disc.LineupURL, `http://${host}/lineup.json`);
    assert.ok(isValidDeviceId(parseDeviceId(disc.DeviceID)!), `DeviceID ${disc.DeviceID} passes the checksum`);
    for (const k of ['FriendlyName', 'Manufacturer', 'ModelNumber', 'FirmwareName', 'FirmwareVersion', 'DeviceAuth']) assert.ok(disc[k], k);

    const st = JSON.parse((await get(`${live.url}/lineup_status.json`, host)).body.toString());
    assert.deepEqual(st, { ScanInProgress: 0, ScanPossible: 1, Source: 'Cable', SourceList: ['Cable'] });

    const lineup = JSON.parse((await get(`${live.url}/lineup.json`, host)).body.toString()) as { GuideNumber: string; GuideName: string; URL: string }[];
    assert.deepEqual(lineup.map((l) => l.GuideNumber), ['1', '2', '3']);
    assert.equal(lineup[0]!.URL, `http://${host}/auto/v1`);

    for (const q of ['?scan=start&source=Cable', '?scan=abort', '?favorite=+1']) {
      assert.equal((await get(`${live.url}/lineup.post${q}`, host, 'POST')).status, 200, q);
    }

    const t = await tune(`${live.url}/auto/v1?transcode=internet720`);
    try {
      assert.equal(t.status, 200);
      assert.equal(t.headers['content-type'], 'video/mp2t');
      assert.equal(t.headers['content-length'], undefined);
      assert.equal(t.first[0], 0x47, 'MPEG-TS sync byte');
    } finally { t.abort(); }
  });

  test('BaseURL is never localhost', async () => {
    const d = JSON.parse((await get(`${live.url}/discover.json`, 'localhost:1234')).body.toString());
    assert.doesNotMatch(d.BaseURL, /localhost/);
  });

  test('device.xml has URLBase under root and the persisted UDN', async () => {
    for (const path of ['/device.xml', '/capability']) {
      const r = await get(`${live.url}${path}`, '192.0.2.10:8410');
      assert.equal(r.status, 200);
      assert.match(String(r.headers['content-type']), /application\/xml/);
      const xml = r.body.toString();
      assert.match(xml, /<root xmlns="urn:schemas-upnp-org:device-1-0">\s*<specVersion>[\s\S]*<\/specVersion>\s*<URLBase>http:\/\/192\.0\.2\.10:8410<\/URLBase>/);
      assert.ok(xml.includes(`<UDN>uuid:${loadIdentity(live.engine.store.settings).uuid}</UDN>`));
    }
  });

  test('unknown channel → 404; ?duration=N ends the stream', async () => {
    assert.equal((await get(`${live.url}/auto/v99`)).status, 404);
    assert.equal((await get(`${live.url}/auto/x1`)).status, 404);
    const t0 = Date.now();
    const r = await get(`${live.url}/auto/v2?duration=2`);
    const took = Date.now() - t0;
    assert.equal(r.status, 200);
    assert.ok(took >= 1900 && took < 6000, `ended after ${took} ms`);
    assert.ok(r.body.length > 100_000, `${r.body.length} bytes`);
    assert.equal(r.body.length % 188, 0);
  });

  test('tuner count: viewers of one channel share a tuner; a third channel gets 503 805', async () => {
    await waitFor(() => live.engine.streams.tunersInUse().length === 0, 8000);
    const a = await tune(`${live.url}/auto/v1`);
    const a2 = await tune(`${live.url}/auto/v1`);
    const b = await tune(`${live.url}/auto/v2`);
    try {
      assert.deepEqual([a.status, a2.status, b.status], [200, 200, 200]);
      const c = await get(`${live.url}/auto/v3`);
      assert.equal(c.status, 503);
      assert.equal(c.headers['x-hdhomerun-error'], '805 All Tuners In Use');
      const hls = await get(`${live.url}/stream/channels/3/index.m3u8`);
      assert.equal(hls.status, 503, 'HLS needs a tuner too');
      assert.equal(live.engine.streams.stats().find((s) => s.number === '1')?.viewers, 2);
    } finally { a.abort(); a2.abort(); b.abort(); }
    // A freed tuner can be used again.
    await waitFor(() => live.engine.streams.tunersInUse().length < 2, 5000);
    const c = await tune(`${live.url}/auto/v3`);
    c.abort();
    assert.equal(c.status, 200);
    await waitFor(() => liveProcesses() === 0, 10_000);
  });

  test('DeviceID and UUID are generated once and persisted', () => {
    const a = loadIdentity(live.engine.store.settings);
    const b = loadIdentity(live.engine.store.settings);
    assert.deepEqual(a, b);
  });
});

async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}
