// GET /api/status tells clients (the TUI's Tuner view) whether network discovery is on and, when
// not, why. Only loopback daemons here: nothing announces itself on the machine's LAN.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type ConfigInput } from '../../src/config.js';
import { startDaemon } from '../../src/main.js';
import type { ServerStatus } from '../../src/schemas/status.js';
import { startApi } from '../helpers/api.js';
import { freePort } from '../helpers/cli.js';

async function daemonStatus(config: ConfigInput): Promise<ServerStatus> {
  const dir = await mkdtemp(join(tmpdir(), 'exstreamtv-status-'));
  try {
    const port = await freePort();
    const d = await startDaemon(loadConfig({ dataDir: dir, bind: '127.0.0.1', port, logLevel: 'silent', backupDaily: false, ...config }, {}));
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/status`);
      assert.equal(res.status, 200);
      return (await res.json()) as ServerStatus;
    } finally {
      await d.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('status: discovery', () => {
  test('a server without discovery (in-process, tests) says both parts are off, and why', async () => {
    const t = await startApi();
    try {
      const s = (await t.call('GET', '/api/status')).body as ServerStatus;
      assert.equal(s.discovery.udp.on, false);
      assert.equal(s.discovery.udp.port, null);
      assert.equal(s.discovery.ssdp.on, false);
      assert.deepEqual(s.discovery.ssdp.addresses, []);
      assert.match(s.discovery.udp.reason!, /^off: only the daemon \(exstreamtv serve\) announces the tuner$/);
      assert.match(s.discovery.ssdp.reason!, /^off: /);
    } finally { await t.close(); }
  });

  test('the daemon with discovery switched off names the setting', async () => {
    const s = await daemonStatus({ udpDiscovery: false, ssdp: false });
    assert.deepEqual(s.discovery, {
      udp: { on: false, port: null, reason: 'off: udpDiscovery is false (EXSTREAMTV_UDP_DISCOVERY)' },
      ssdp: { on: false, addresses: [], reason: 'off: ssdp is false (EXSTREAMTV_SSDP)' },
    });
  });

  test('the daemon bound to loopback: off, because DVRs on the LAN could not reach it', async () => {
    const s = await daemonStatus({ udpDiscovery: true, ssdp: true });
    assert.equal(s.discovery.udp.on, false);
    assert.equal(s.discovery.ssdp.on, false);
    for (const part of [s.discovery.udp, s.discovery.ssdp]) assert.match(part.reason!, /^off: HTTP is bound to 127\.0\.0\.1/);
  });
});
