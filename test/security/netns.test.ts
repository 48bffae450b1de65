// The LAN as an attacker (or a DVR) sees it: `exstreamtv serve` on 0.0.0.0 in one network namespace,
// curl and the CLI in a second one joined to it by a veth pair. Needs root and iproute2; skipped
// only where namespaces cannot be made (never under CI=true as root).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { openEngine } from '../../src/appliance.js';
import { readAdminToken, streamTokenOf } from '../../src/server/security/token.js';
import { createNetns, run, type Child, type Netns } from '../discovery/netns.js';
import { BIN } from '../helpers/cli.js';
import { prepareChannels } from '../helpers/live-channel.js';
import { FFMPEG, FFPROBE } from '../helpers/media.js';

const BOX = '10.231.0.1';
const URL_ = `http://${BOX}:8410`;

describe('the box seen from another host (network namespace pair)', () => {
  let box: Netns | undefined;
  let lan: Netns | undefined;
  let skip = '';
  let dir = '';
  let token = '';
  let daemon: Child | undefined;

  const serve = async (env: Record<string, string> = {}) => {
    if (daemon) { daemon.proc.kill('SIGTERM'); await daemon.exited; }
    daemon = box!.spawn(process.execPath, [BIN, 'serve', '--data-dir', dir, '--bind', '0.0.0.0', '--port', '8410'],
      { EXSTREAMTV_FFMPEG: FFMPEG, EXSTREAMTV_FFPROBE: FFPROBE, EXSTREAMTV_SSDP: 'false', EXSTREAMTV_UDP_DISCOVERY: 'false', ...env });
    await daemon.waitFor(/exstreamtv listening on 0\.0\.0\.0:8410/);
  };
  /** curl from the other host: status and body (bodies of streams go to a file). */
  const curl = async (ns: Netns, args: string[]) => {
    const out = join(dir, `curl-${Math.random().toString(36).slice(2)}`);
    const r = await ns.exec('curl', ['-sS', '--max-time', '20', '-o', out, '-w', '%{http_code}', ...args], 30_000);
    const body = await readFile(out).catch(() => Buffer.alloc(0));
    await rm(out, { force: true });
    return { status: Number(r.stdout), body, text: body.toString('utf8') };
  };

  before(async () => {
    const a = await createNetns('secbox');
    if ('skip' in a) { skip = a.skip; return; }
    box = a;
    const b = await createNetns('seclan');
    if ('skip' in b) { skip = b.skip; return; }
    lan = b;
    const [va, vb] = [`exsA${process.pid % 100000}`, `exsB${process.pid % 100000}`];
    const link = await run('ip', ['link', 'add', va, 'netns', box.name, 'type', 'veth', 'peer', 'name', vb, 'netns', lan.name]);
    if (link.code !== 0) { skip = `cannot make a veth pair: ${link.stderr.trim()}`; return; }
    for (const [ns, dev, ip] of [[box, va, BOX], [lan, vb, '10.231.0.2']] as const) {
      const up = await ns.exec('sh', ['-c', `ip addr add ${ip}/24 dev ${dev} && ip link set ${dev} up`]);
      assert.equal(up.code, 0, up.stderr);
    }
    dir = await mkdtemp(join(tmpdir(), 'exs-netns-'));
    const engine = openEngine(loadConfig({ dataDir: dir, ffmpegPath: FFMPEG, ffprobePath: FFPROBE }, {}));
    try {
      await prepareChannels(engine, join(dir, 'media'), { 'a.mp4': { duration: 3, size: '320x180', fps: 25, vcodec: 'libx264', faststart: true } }, 1);
    } finally {
      await engine.close();
    }
    await serve();
    token = readAdminToken(dir)!;
    assert.ok(token, 'the daemon wrote its token');
  });

  after(async () => {
    if (daemon && daemon.proc.exitCode === null) { daemon.proc.kill('SIGTERM'); await daemon.exited; }
    await lan?.destroy();
    await box?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const maybeSkip = (t: { skip(m: string): void }) => {
    if (!skip) return false;
    if (process.env.CI === 'true' && process.getuid?.() === 0) throw new Error(`network namespaces must work under CI as root: ${skip}`);
    t.skip(skip);
    return true;
  };

  test('admin API: 401 without the token, works with it; a forged Host is refused', async (t) => {
    if (maybeSkip(t)) return;
    for (const path of ['/api/channels', '/api/status', '/api/backups', '/api/sessions']) {
      assert.equal((await curl(lan!, [`${URL_}${path}`])).status, 401, path);
    }
    const denied = await curl(lan!, ['-X', 'POST', '-H', 'content-type: application/json', '-d', '{"path":"/etc"}', `${URL_}/api/sources`]);
    assert.equal(denied.status, 401);
    assert.equal((await curl(lan!, ['-X', 'DELETE', `${URL_}/api/channels/1`])).status, 401);
    const ok = await curl(lan!, ['-H', `Authorization: Bearer ${token}`, `${URL_}/api/channels`]);
    assert.equal(ok.status, 200);
    assert.equal(JSON.parse(ok.text)[0].number, '1');
    const forged = await curl(lan!, ['-H', `Authorization: Bearer ${token}`, '-H', 'Host: rebind.evil.example:8410', `${URL_}/api/channels`]);
    assert.equal(forged.status, 403);
    assert.match(forged.text, /not a name of this box/);
    // With the token, even a system folder is refused (the file rule holds for admins too).
    const etc = await curl(lan!, ['-H', `Authorization: Bearer ${token}`, '-H', 'content-type: application/json', '-d', '{"path":"/etc"}', `${URL_}/api/sources`]);
    assert.equal(etc.status, 400);
  });

  test('a body-less cross-site POST is refused (from the LAN and from a browser on the box itself)', async (t) => {
    if (maybeSkip(t)) return;
    const lanPost = await curl(lan!, ['-X', 'POST', '-H', 'Origin: http://evil.example', `${URL_}/api/sources/1/scan`]);
    assert.equal(lanPost.status, 401);
    const local = await curl(box!, ['-X', 'POST', '-H', 'Origin: http://evil.example', 'http://127.0.0.1:8410/api/sources/1/scan']);
    assert.equal(local.status, 403);
    assert.match(local.text, /cross-site/);
    const form = await curl(box!, ['-X', 'POST', '-H', 'content-type: application/x-www-form-urlencoded', '-d', 'a=1', 'http://127.0.0.1:8410/api/backups']);
    assert.equal(form.status, 403);
  });

  test('the remote CLI: --token / EXSTREAMTV_TOKEN', async (t) => {
    if (maybeSkip(t)) return;
    const cli = (args: string[], env: string[] = []) => lan!.exec('env', [...env, process.execPath, BIN, '--url', URL_, ...args], 30_000);
    const without = await cli(['channel', 'list', '--json']);
    assert.equal(without.code, 1);
    assert.match(without.stderr, /admin token/);
    const withFlag = await cli(['--token', token, 'channel', 'list', '--json']);
    assert.equal(withFlag.code, 0, withFlag.stderr);
    assert.equal(JSON.parse(withFlag.stdout)[0].number, '1');
    const withEnv = await cli(['token', 'show'], [`EXSTREAMTV_TOKEN=${token}`]);
    assert.equal(withEnv.code, 0, withEnv.stderr);
    assert.equal(withEnv.stdout.trim(), token);
  });

  test('streams, lineup and guide work without a token by default', async (t) => {
    if (maybeSkip(t)) return;
    const lineup = await curl(lan!, [`${URL_}/lineup.json`]);
    assert.equal(lineup.status, 200);
    assert.equal(JSON.parse(lineup.text)[0].URL, `${URL_}/auto/v1`);
    const guide = await curl(lan!, [`${URL_}/iptv/xmltv.xml`]);
    assert.equal(guide.status, 200);
    assert.match(guide.text, /<tv /);
    const ts = await curl(lan!, [`${URL_}/auto/v1?duration=2`]);
    assert.equal(ts.status, 200);
    assert.ok(ts.body.length > 10_000 && ts.body[0] === 0x47 && ts.body[188] === 0x47, `MPEG-TS came (${ts.body.length} bytes)`);
  });

  test('with tunerToken on: 401 without ?token=, and the handed-out URLs carry it', async (t) => {
    if (maybeSkip(t)) return;
    await serve({ EXSTREAMTV_TUNER_TOKEN: 'true' });
    const stream = streamTokenOf(token);
    for (const path of ['/lineup.json', '/iptv/xmltv.xml', '/iptv/channels.m3u', '/auto/v1?duration=1', '/stream/channels/1.ts?duration=1']) {
      assert.equal((await curl(lan!, [`${URL_}${path}`])).status, 401, path);
    }
    const lineup = await curl(lan!, [`${URL_}/lineup.json?token=${stream}`]);
    assert.equal(lineup.status, 200);
    const url = JSON.parse(lineup.text)[0].URL as string;
    assert.equal(url, `${URL_}/auto/v1?token=${stream}`);
    const m3u = await curl(lan!, [`${URL_}/iptv/channels.m3u?token=${stream}`]);
    assert.match(m3u.text, new RegExp(`url-tvg="${URL_}/iptv/xmltv.xml\\?token=${stream}"`));
    const tsUrl = m3u.text.split('\n').find((l) => l.startsWith('http'))!;
    assert.equal((await curl(lan!, [`${tsUrl.replace(/\?/, '?duration=2&')}`])).body[0], 0x47, 'the M3U stream URL plays');
    const ts = await curl(lan!, [`${url}&duration=2`]);
    assert.equal(ts.status, 200);
    assert.ok(ts.body.length > 10_000 && ts.body[0] === 0x47, `MPEG-TS with the token (${ts.body.length} bytes)`);
    // HLS: the playlist's segment lines carry the token on, and a segment plays with it.
    let playlist = await curl(lan!, [`${URL_}/stream/channels/1/index.m3u8?token=${stream}`]);
    for (let i = 0; i < 5 && playlist.status === 503; i++) playlist = await curl(lan!, [`${URL_}/stream/channels/1/index.m3u8?token=${stream}`]);
    assert.equal(playlist.status, 200, playlist.text);
    const segments = playlist.text.split('\n').filter((l) => l && !l.startsWith('#'));
    assert.ok(segments.length > 0 && segments.every((l) => l.endsWith(`?token=${stream}`)), playlist.text);
    const seg = await curl(lan!, [`${URL_}/stream/channels/1/${segments[0]}`]);
    assert.equal(seg.status, 200);
    assert.equal(seg.body[0], 0x47);
    assert.equal((await curl(lan!, [`${URL_}/stream/channels/1/${segments[0]!.replace(/\?.*$/, '')}`])).status, 401, 'not without it');
  });
});
