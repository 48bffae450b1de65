// Discovery wired into the daemon. `exstreamtv serve` runs inside a network namespace whose only
// interface is lo, so SSDP has no LAN interface (one clear line) while UDP discovery and HTTP keep
// working; nothing reaches the host's networks.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { openEngine } from '../../src/appliance.js';
import { loadIdentity } from '../../src/engine/tuner/identity.js';
import { startDiscovery } from '../../src/discovery/index.js';
import { BIN } from '../helpers/cli.js';
import { createNetns, netnsListed } from './netns.js';
import { haveTools, TOOLS } from '../helpers/tools.js';

const IDENTITY = { deviceId: '1050A0BC', uuid: '0f5c8a1e-3b7d-4c2a-9e61-2d4f8b9a7c10', deviceAuth: 'exsauth0123456789abcdef0' };
const BASE = { port: 8410, lanAddress: undefined, tunerCount: 4, udpDiscoveryPort: 0 };

describe('discovery in the daemon', () => {
  test('HTTP bound to loopback: one line, nothing started', async () => {
    const logs: string[] = [];
    const d = await startDiscovery({ config: { ...BASE, bind: '127.0.0.1', udpDiscovery: true, ssdp: true }, identity: IDENTITY, log: (l, m) => logs.push(`${l} ${m}`) });
    assert.equal(d.udpPort, null);
    assert.deepEqual(d.ssdpAddresses, []);
    await d.close();
    assert.equal(logs.length, 1, logs.join('\n'));
    assert.match(logs[0]!, /^info discovery off: HTTP is bound to 127\.0\.0\.1/);
  });

  test('both switched off: one line, nothing started', async () => {
    const logs: string[] = [];
    const d = await startDiscovery({ config: { ...BASE, bind: '0.0.0.0', udpDiscovery: false, ssdp: false }, identity: IDENTITY, log: (l, m) => logs.push(`${l} ${m}`) });
    assert.equal(d.udpPort, null);
    await d.close();
    assert.deepEqual(logs, ['info discovery off (udpDiscovery and ssdp are false): add the tuner to DVRs by URL']);
  });

  test('exstreamtv serve on a host without LAN interface: "SSDP off" once, UDP discovery and HTTP still serve (network namespace)', async (t) => {
    if (!haveTools(t, [TOOLS.hdhomerunConfig, TOOLS.curl, TOOLS.ip])) return;
    const ns = await createNetns('daemon');
    if ('skip' in ns) return t.skip(ns.skip);
    const dir = await mkdtemp(join(tmpdir(), 'exstreamtv-discovery-'));
    try {
      const engine = openEngine(loadConfig({ dataDir: dir }, {}));
      const identity = loadIdentity(engine.store.settings);
      await engine.close();

      const serve = (env: Record<string, string> = {}) => ns.spawn(process.execPath, [BIN, 'serve', '--data-dir', dir, '--bind', '0.0.0.0', '--port', '8410'],
        { EXSTREAMTV_LOG_LEVEL: 'info', EXSTREAMTV_SSDP: 'true', EXSTREAMTV_UDP_DISCOVERY: 'true', ...env });
      const http = async (path: string) => {
        const r = await ns.exec('curl', ['-sS', '--max-time', '5', `http://127.0.0.1:8410${path}`]);
        assert.equal(r.code, 0, `GET ${path}: ${r.stderr}`);
        return JSON.parse(r.stdout) as Record<string, unknown>;
      };

      // 1. No LAN interface: SSDP off (one line), UDP discovery on 65001 answers the real client.
      const d = serve();
      await d.waitFor(/exstreamtv listening on 0\.0\.0\.0:8410.*$/m);
      const lines = d.output().split('\n');
      t.diagnostic(`daemon output:\n${d.output()}`);
      const ssdpLines = lines.filter((l) => /SSDP/.test(l));
      assert.equal(ssdpLines.length, 1, d.output());
      assert.match(ssdpLines[0]!, /INFO  SSDP off: no LAN interface \(only loopback\); Plex won't auto-discover this tuner \(add it by URL instead\)$/);
      assert.ok(lines.some((l) => l.includes(`UDP discovery on 0.0.0.0:65001 (DeviceID ${identity.deviceId}, 4 tuners)`)), d.output());
      assert.ok(!lines.some((l) => / (WARN|ERROR) /.test(l)), d.output());
      const found = await ns.exec('hdhomerun_config', ['discover', '127.0.0.1']);
      t.diagnostic(`hdhomerun_config discover 127.0.0.1 → ${found.stdout.trim()}`);
      assert.equal(found.stdout.trim(), `hdhomerun device ${identity.deviceId} found at 127.0.0.1`);
      assert.equal((await http('/api/status')).name, 'exstreamtv');
      assert.equal((await http('/discover.json')).DeviceID, identity.deviceId);
      d.proc.kill('SIGTERM');
      assert.equal(await d.exited, 0, d.output());

      // 2. UDP 65001 held by another program: one warn line, the daemon still serves.
      const holder = ns.spawn(process.execPath, ['-e', `const s = require('node:dgram').createSocket('udp4'); s.bind(65001, '0.0.0.0', () => console.log('HOLDING')); process.stdin.resume();`]);
      await holder.waitFor(/HOLDING/);
      const d2 = serve();
      await d2.waitFor(/exstreamtv listening on 0\.0\.0\.0:8410.*$/m);
      t.diagnostic(`daemon output with 65001 taken:\n${d2.output()}`);
      const warns = d2.output().split('\n').filter((l) => / WARN /.test(l));
      assert.equal(warns.length, 1, d2.output());
      assert.match(warns[0]!, /WARN  UDP discovery off: UDP port 65001 is already in use; Channels DVR \/ Jellyfin "detect" won't find this tuner \(add it by URL instead\)$/);
      assert.equal((await http('/api/status')).name, 'exstreamtv');
      d2.proc.kill('SIGTERM');
      assert.equal(await d2.exited, 0, d2.output());
    } finally {
      await ns.destroy();
      await rm(dir, { recursive: true, force: true });
      assert.equal(await netnsListed(ns.name), false);
    }
  });
});
