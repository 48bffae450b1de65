// `exstreamtv source add iptv`: a playlist file imported through the real binary (in-process engine
// over a real SQLite file); a bad playlist exits non-zero, says why and adds nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';

describe('cli: source add iptv', () => {
  let dir = '';
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'exs-src-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  test('imports a playlist file; a bad one is refused with its line and nothing is added', async () => {
    const list = join(dir, 'tv.m3u');
    await writeFile(list, '#EXTM3U x-tvg-url="http://127.0.0.1:1/guide.xml"\n#EXTINF:-1 tvg-id="a" group-title="News",A, the news\nhttp://127.0.0.1:1/a.ts|User-Agent=Kodi\n#EXTINF:-1,B\nhttp://127.0.0.1:1/b.m3u8\n');
    const r = await cli(['source', 'add', 'iptv', list, '--slot', '30', '--data-dir', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /added IPTV source \d+ "tv\.m3u": 2 streams \(guide: http:\/\/127\.0\.0\.1:1\/guide\.xml\)/);
    const items = JSON.parse((await cli(['library', 'items', '--data-dir', dir, '--json'])).stdout) as { items: { title: string; durationMs: number }[] };
    assert.deepEqual(items.items.map((i) => [i.title, i.durationMs]).sort(), [['A, the news', 1_800_000], ['B', 1_800_000]]);

    const bad = join(dir, 'bad.m3u');
    await writeFile(bad, '#EXTM3U\n#EXTINF:-1,Evil\nhttp://127.0.0.1:1/a.ts;reboot\n');
    const refused = await cli(['source', 'add', 'iptv', bad, '--data-dir', dir]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /playlist: line 3: URL .* shell metacharacters/);
    const system = await cli(['source', 'add', 'iptv', '/etc/passwd', '--data-dir', dir]);
    assert.notEqual(system.code, 0);
    assert.match(system.stderr, /system folder/, 'a playlist under a system tree is refused like a library folder');
    const sources = JSON.parse((await cli(['library', 'list', '--data-dir', dir, '--json'])).stdout) as unknown[];
    assert.equal(sources.length, 1);
  });

  test('source add iptv --channels makes every stream a live channel; channel add --iptv makes one', async () => {
    const data = join(dir, 'live');
    const list = join(dir, 'live.m3u');
    // Port 1 refuses at once: the probe fails fast and the channels are made anyway (transcoded).
    await writeFile(list, '#EXTM3U\n#EXTINF:-1 tvg-id="n" tvg-chno="12" tvg-logo="http://127.0.0.1:1/n.png",News\nhttp://127.0.0.1:1/n.ts\n#EXTINF:-1 tvg-id="m",Music\nhttp://127.0.0.1:1/m.ts\n');
    const r = await cli(['source', 'add', 'iptv', list, '--channels', '--data-dir', data]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /live channel 12 "News"\n\s+live channel 13 "Music"/);
    const one = await cli(['channel', 'add', '40', '--iptv', 'live.m3u:m', '--name', 'Music Two', '--data-dir', data]);
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, /created live channel 40 "Music Two" from live\.m3u/);
    const bad = await cli(['channel', 'add', '41', '--iptv', 'live.m3u', '--data-dir', data]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /--iptv wants SOURCE:STREAM/);
    const none = await cli(['channel', 'add', '41', '--iptv', 'live.m3u:nothing', '--data-dir', data]);
    assert.notEqual(none.code, 0);
    assert.match(none.stderr, /entries: no stream "nothing"/);
    const channels = JSON.parse((await cli(['channel', 'list', '--json', '--data-dir', data])).stdout) as { number: string; logo: string | null }[];
    assert.deepEqual(channels.map((c) => [c.number, c.logo]), [['12', 'http://127.0.0.1:1/n.png'], ['13', null], ['40', null]]);
  });
});
