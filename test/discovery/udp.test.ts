// The UDP responder against real datagrams on loopback and the real libhdhomerun client
// (`hdhomerun_config discover 127.0.0.1`, Debian hdhomerun-config). Only 127.0.0.1 is ever sent to.
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { after, before, describe, test } from 'node:test';
import { discoverRequest, parseReply } from '../../src/engine/tuner/hdhr-protocol.js';
import { startUdpDiscovery, type UdpDiscovery } from '../../src/discovery/udp.js';
import { run } from './netns.js';
import { haveTools, missingTools, TOOLS } from '../helpers/tools.js';

const IDENTITY = { deviceId: '1050A0BC', uuid: '0f5c8a1e-3b7d-4c2a-9e61-2d4f8b9a7c10', deviceAuth: 'exsauth0123456789abcdef0' };
/** What Jellyfin (and hdhomerun_config) send: DEVICE_TYPE and DEVICE_ID wildcards. */
const JELLYFIN_REQ = Buffer.from('0002000c0104ffffffff0204ffffffff73cc7d8f', 'hex');

interface Probe { sock: Socket; replies: { msg: Buffer; from: string }[]; send(b: Buffer, port: number): Promise<void>; quiet(ms: number): Promise<void>; close(): void }

async function probe(): Promise<Probe> {
  const sock = createSocket('udp4');
  const replies: Probe['replies'] = [];
  sock.on('message', (msg, r) => replies.push({ msg, from: `${r.address}:${r.port}` }));
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  return {
    sock, replies,
    send: (b, port) => new Promise((res, rej) => sock.send(b, port, '127.0.0.1', (e) => (e ? rej(e) : res()))),
    quiet: (ms) => new Promise((r) => setTimeout(r, ms)),
    close: () => sock.close(),
  };
}

async function waitReplies(p: Probe, n: number, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (p.replies.length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
}

describe('UDP discovery responder', () => {
  test('ignores bad datagrams, answers a good one with BASE_URL 127.0.0.1 for a loopback sender', async () => {
    const logs: string[] = [];
    const d = await startUdpDiscovery({ port: 0, identity: IDENTITY, tunerCount: 3, baseUrlFor: () => 'http://127.0.0.1:8410', log: (l, m) => logs.push(`${l} ${m}`) });
    const p = await probe();
    try {
      assert.ok(d.port);
      const bad = [Buffer.alloc(0), Buffer.from('hello'), JELLYFIN_REQ.subarray(0, 12), Buffer.concat([JELLYFIN_REQ, Buffer.from([1])]),
        Buffer.from(JELLYFIN_REQ).fill(0xff, 16), Buffer.alloc(1400, 0xab), discoverRequest({ deviceType: 1, deviceId: 0x10100cde })];
      for (const b of bad) await p.send(b, d.port);
      await p.quiet(300);
      assert.equal(p.replies.length, 0, 'no reply to garbage or to another device id');
      await p.send(JELLYFIN_REQ, d.port);
      await waitReplies(p, 1);
      assert.equal(p.replies.length, 1);
      assert.equal(p.replies[0]!.from, `127.0.0.1:${d.port}`);
      assert.deepEqual(parseReply(p.replies[0]!.msg), {
        deviceType: 1, deviceId: '1050A0BC', tunerCount: 3, deviceAuth: IDENTITY.deviceAuth,
        baseUrl: 'http://127.0.0.1:8410', lineupUrl: 'http://127.0.0.1:8410/lineup.json',
      });
      assert.ok(logs.filter((l) => l.startsWith('debug')).length <= 1, `ignored datagrams log at most one rate-limited debug line: ${logs.join('\n')}`);
      assert.equal(logs.filter((l) => !l.startsWith('debug')).length, 0, logs.join('\n'));
    } finally {
      p.close();
      await d.close();
    }
  });

  test('a port already in use: one clear warn line, port null, close() is harmless', async () => {
    const holder = createSocket({ type: 'udp4', reuseAddr: false });
    await new Promise<void>((r) => holder.bind(0, '0.0.0.0', r));
    const port = holder.address().port;
    const logs: string[] = [];
    try {
      const d = await startUdpDiscovery({ port, identity: IDENTITY, tunerCount: 2, baseUrlFor: () => 'http://127.0.0.1:1', log: (l, m) => logs.push(`${l} ${m}`) });
      assert.equal(d.port, null);
      await d.close();
      assert.equal(logs.length, 1, logs.join('\n'));
      assert.match(logs[0]!, new RegExp(`^warn UDP discovery off: UDP port ${port} is already in use`));
    } finally {
      holder.close();
    }
  });
});

describe('UDP discovery with the real client: hdhomerun_config discover 127.0.0.1 (UDP 65001)', () => {
  let d: UdpDiscovery | null = null;
  let skip: string | false = false;
  const logs: string[] = [];

  before(async () => {
    if (missingTools([TOOLS.hdhomerunConfig])) return; // the test says why (or fails under CI=true)
    // Without SO_REUSEADDR: if anything holds 65001 this fails instead of sharing the port.
    d = await startUdpDiscovery({ port: 65001, reuseAddr: false, identity: IDENTITY, tunerCount: 4, baseUrlFor: () => 'http://127.0.0.1:8410', log: (l, m) => logs.push(`${l} ${m}`) });
    if (d.port === null) skip = `UDP port 65001 is busy on this host: ${logs.join('; ')}`;
  });
  after(async () => { await d?.close(); });

  test('bad datagrams first, then the real client still finds our DeviceID', async (t) => {
    if (!haveTools(t, [TOOLS.hdhomerunConfig])) return;
    if (skip) return t.skip(skip);
    const p = await probe();
    try {
      const flipped = Buffer.from(JELLYFIN_REQ); flipped[17]! ^= 0x40;
      const rnd = Array.from({ length: 50 }, (_, i) => Buffer.from(Array.from({ length: (i * 37) % 300 }, (_, k) => (k * 131 + i * 7) & 0xff)));
      for (const b of [flipped, JELLYFIN_REQ.subarray(0, 10), JELLYFIN_REQ.subarray(0, 19), ...rnd]) await p.send(b, 65001);
      await p.quiet(300);
      assert.equal(p.replies.length, 0, 'nothing answers garbage');
    } finally {
      p.close();
    }
    const r = await run('hdhomerun_config', ['discover', '127.0.0.1'], 15_000);
    t.diagnostic(`hdhomerun_config discover 127.0.0.1 → exit ${r.code}: ${r.stdout.trim()} ${r.stderr.trim()}`);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /hdhomerun device 1050A0BC found at 127\.0\.0\.1/);
    assert.equal(logs.filter((l) => !l.startsWith('debug')).length, 0, logs.join('\n'));
  });
});
