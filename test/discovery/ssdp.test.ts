// SSDP with the real client (gssdp-discover, Debian gupnp-tools), inside a throwaway network
// namespace whose only interface is lo (multicast on, 224.0.0.0/4 routed to it): nothing reaches
// the host's networks. Without namespaces (no root / no CAP_NET_ADMIN) the test skips and says why.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { SSDP_DEVICE_TYPE, startSsdp } from '../../src/discovery/ssdp.js';
import { createNetns, netnsListed } from './netns.js';
import { haveTools, TOOLS } from '../helpers/tools.js';

const CHILD = fileURLToPath(new URL('./ssdp-child.js', import.meta.url));
const UUID = '6d3c1f0e-8a2b-4e57-b9c4-1a2b3c4d5e6f';

describe('SSDP', () => {
  test('an interface that does not exist: one clear line, no sockets, null', async () => {
    const logs: string[] = [];
    const h = await startSsdp({ uuid: UUID, location: 'http://127.0.0.1:1/device.xml', interfaces: ['exs-no-such-if'], log: (l, m) => logs.push(`${l} ${m}`) });
    assert.equal(h, null);
    assert.equal(logs.length, 1, logs.join('\n'));
    assert.match(logs[0]!, /^info SSDP off: no IPv4 address on interface\(s\) exs-no-such-if; Plex won't auto-discover/);
  });

  test('gssdp-discover -i lo finds MediaServer:1 and upnp:rootdevice with our uuid and LOCATION (network namespace)', async (t) => {
    if (!haveTools(t, [TOOLS.gssdpDiscover, TOOLS.ip])) return;
    const ns = await createNetns('ssdp');
    if ('skip' in ns) return t.skip(ns.skip);
    try {
      // Default interfaces: the namespace has no LAN interface, so node-ssdp would have no socket.
      const none = ns.spawn(process.execPath, [CHILD, JSON.stringify({ uuid: UUID, location: { port: 8410, path: '/device.xml' } })]);
      await none.waitFor(/^READY .*$/m);
      assert.match(none.output(), /^READY null$/m);
      const offLines = none.output().split('\n').filter((l) => l.startsWith('LOG '));
      assert.deepEqual(offLines, ["LOG info SSDP off: no LAN interface (only loopback); Plex won't auto-discover this tuner (add it by URL instead)"]);
      none.proc.kill('SIGTERM');
      assert.equal(await none.exited, 0);

      // UDP 1900 held by a program without SO_REUSEADDR: a start error is one warn line too.
      const holder = ns.spawn(process.execPath, ['-e', `require('node:dgram').createSocket('udp4').bind(1900, '0.0.0.0', () => console.log('HOLDING')); process.stdin.resume();`]);
      await holder.waitFor(/HOLDING/);
      const busy = ns.spawn(process.execPath, [CHILD, JSON.stringify({ uuid: UUID, location: { port: 8410, path: '/device.xml' }, interfaces: ['lo'] })]);
      await busy.waitFor(/^READY .*$/m);
      assert.match(busy.output(), /^READY null$/m);
      assert.deepEqual(busy.output().split('\n').filter((l) => l.startsWith('LOG ')),
        ["LOG warn SSDP off: cannot start on UDP 1900: bind EADDRINUSE 0.0.0.0:1900; Plex won't auto-discover this tuner (add it by URL instead)"]);
      busy.proc.kill('SIGTERM');
      assert.equal(await busy.exited, 0);
      holder.proc.kill('SIGTERM');
      await holder.exited;

      const child = ns.spawn(process.execPath, [CHILD, JSON.stringify({ uuid: UUID, location: { port: 8410, path: '/device.xml' }, interfaces: ['lo'] })]);
      await child.waitFor(/^READY .*$/m);
      assert.match(child.output(), /^READY \["127\.0\.0\.1"\]$/m, child.output());

      const [media, root] = await Promise.all([
        ns.exec('gssdp-discover', ['-i', 'lo', '--timeout=5', '--target', SSDP_DEVICE_TYPE]),
        ns.exec('gssdp-discover', ['-i', 'lo', '--timeout=5', '--target', 'upnp:rootdevice']),
      ]);
      t.diagnostic(`gssdp-discover --target ${SSDP_DEVICE_TYPE}:\n${media.stdout}${media.stderr}`);
      t.diagnostic(`gssdp-discover --target upnp:rootdevice:\n${root.stdout}${root.stderr}`);
      assert.equal(media.code, 0, media.stderr);
      assert.match(media.stdout, new RegExp(`USN:\\s+uuid:${UUID}::${SSDP_DEVICE_TYPE.replace(/[.]/g, '\\.')}\\s*\\n\\s*Location:\\s+http://127\\.0\\.0\\.1:8410/device\\.xml`));
      assert.match(root.stdout, new RegExp(`USN:\\s+uuid:${UUID}::upnp:rootdevice\\s*\\n\\s*Location:\\s+http://127\\.0\\.0\\.1:8410/device\\.xml`));

      // Stopping sends ssdp:byebye.
      const bye = ns.exec('gssdp-discover', ['-i', 'lo', '--timeout=3', '--message-type=unavailable', '--target', SSDP_DEVICE_TYPE]);
      await new Promise((r) => setTimeout(r, 700));
      child.proc.kill('SIGTERM');
      assert.equal(await child.exited, 0, child.output());
      assert.match(child.output(), /^CLOSED$/m);
      const byeOut = await bye;
      t.diagnostic(`gssdp-discover --message-type=unavailable:\n${byeOut.stdout}`);
      assert.match(byeOut.stdout, new RegExp(`resource unavailable\\s*\\n\\s*USN:\\s+uuid:${UUID}::${SSDP_DEVICE_TYPE.replace(/[.]/g, '\\.')}`));
    } finally {
      await ns.destroy();
      assert.equal(await netnsListed(ns.name), false, `namespace ${ns.name} was deleted`);
    }
  });
});
