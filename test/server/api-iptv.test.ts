// IPTV sources end to end over the API: a playlist served by a fake provider on 127.0.0.1 is imported
// all or nothing, rescanned incrementally, and its entries play through the resolver registry with
// real ffmpeg, headers from the playlist reaching the provider (live MPEG-TS and HLS).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execa } from 'execa';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openInput } from '../../src/engine/ffmpeg/input.js';
import { ResolverRegistry } from '../../src/engine/stream/resolvers.js';
import { startIptvServer, type IptvServer } from '../fakes/iptv-http.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { tempDir } from '../helpers/library.js';
import { FFMPEG, makeClip } from '../helpers/media.js';

const playlist = (base: string) => [
  `#EXTM3U x-tvg-url="${base}/guide.xml"`,
  '#EXTINF:-1 tvg-id="news.uk" tvg-name="News UK" tvg-logo="http://127.0.0.1:1/n.png" tvg-chno="101" group-title="News",News, Weather & Sport',
  `${base}/live/news.ts|User-Agent=Kodi%2F20.0&Referer=http://kodi.example/`,
  '#EXTINF:-1 tvg-id="film.one",Film One',
  '#EXTVLCOPT:http-user-agent=VLC/3.0',
  `${base}/hls/index.m3u8`,
].join('\n');

describe('API: IPTV sources', () => {
  let dir = '';
  let fake: IptvServer;
  let t: TestApi;

  before(async () => {
    dir = await tempDir('iptv');
    const ts = await makeClip(dir, 'live.ts', { duration: 4 });
    await mkdir(join(dir, 'hls'));
    await execa(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25:duration=4', '-f', 'lavfi', '-i', 'sine=duration=4',
      '-c:v', 'libx264', '-g', '25', '-c:a', 'aac', '-f', 'hls', '-hls_time', '1', '-hls_playlist_type', 'vod', join(dir, 'hls', 'index.m3u8')]);
    fake = await startIptvServer({ liveTs: { file: ts, bytesPerSecond: 64_000 }, hlsDir: join(dir, 'hls') });
    fake.page('/list.m3u', playlist(fake.url));
    fake.page('/login', '<!DOCTYPE html><html><body>Please log in</body></html>', 'text/html');
    fake.page('/nourl.m3u', '#EXTM3U\n#EXTINF:-1,Good\nhttp://127.0.0.1:1/a.ts\n#EXTINF:-1,Broken\n');
    fake.page('/shell.m3u', '#EXTM3U\n#EXTINF:-1,Good\nhttp://127.0.0.1:1/a.ts\n#EXTINF:-1,Evil\nhttp://127.0.0.1:1/a.ts;curl${IFS}x|sh\n');
    t = await startApi();
  });
  after(async () => {
    await t?.close();
    await fake?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('imports a playlist from a URL as live items with their attributes and headers', async () => {
    const res = await t.call('POST', '/api/sources/iptv', { playlist: `${fake.url}/list.m3u`, name: 'Provider', slotMinutes: 30 });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.kind, 'iptv');
    assert.equal(res.body.items, 2);
    assert.equal(res.body.config.tvgUrl, `${fake.url}/guide.xml`);
    const items = (await t.call('GET', `/api/items?sourceId=${res.body.id}`)).body.items;
    const news = items.find((i: any) => i.externalKey === 'tvg:news.uk');
    assert.equal(news.title, 'News, Weather & Sport');
    assert.deepEqual(news.genres, ['News']);
    assert.equal(news.durationMs, 30 * 60_000);
    assert.deepEqual(news.locator, { type: 'url', url: `${fake.url}/live/news.ts`, live: true, headers: { 'User-Agent': 'Kodi/20.0', Referer: 'http://kodi.example/' } });
    assert.equal(t.serverErrors.length, 0);
  });

  it('refuses a duplicate, an HTML page, entries with no URL and shell metacharacters, importing nothing', async () => {
    await t.rejects('POST', '/api/sources/iptv', { playlist: `${fake.url}/list.m3u` }, 400, 'playlist');
    const html = await t.rejects('POST', '/api/sources/iptv', { playlist: `${fake.url}/login` }, 400, 'playlist');
    assert.match(html.message, /HTML\/XML page/);
    const nourl = await t.rejects('POST', '/api/sources/iptv', { playlist: `${fake.url}/nourl.m3u` }, 400, 'playlist');
    assert.match(nourl.message, /line 4: entry "Broken" has no URL/);
    const shell = await t.rejects('POST', '/api/sources/iptv', { playlist: `${fake.url}/shell.m3u` }, 400, 'playlist');
    assert.match(shell.message, /line 5: .*shell metacharacters/);
    await t.rejects('POST', '/api/sources/iptv', { playlist: 'ftp://127.0.0.1/x.m3u' }, 400, 'body.playlist');
    await t.rejects('POST', '/api/sources/iptv', { playlist: `${fake.url}/missing.m3u` }, 400, 'playlist');
    await t.rejects('POST', '/api/sources/iptv', { playlist: `${fake.url}/list.m3u`, slotMinutes: 0 }, 400, 'body.slotMinutes');
    assert.equal(t.serverErrors.length, 0);
  });

  it('imports from a file and rescans incrementally: changed, unchanged, missing', async () => {
    const file = join(dir, 'local.m3u8');
    await writeFile(file, '#EXTM3U\n#EXTINF:-1 tvg-id="a",A\nhttp://127.0.0.1:1/a.ts\n#EXTINF:-1 tvg-id="b",B\nhttp://127.0.0.1:1/b.ts\n');
    const src = (await t.call('POST', '/api/sources/iptv', { playlist: file })).body;
    assert.equal(src.items, 2);
    await writeFile(file, '#EXTM3U\n#EXTINF:-1 tvg-id="a",A renamed\nhttp://127.0.0.1:1/a.ts\n#EXTINF:-1 tvg-id="c",C\nhttp://127.0.0.1:1/c.ts\n');
    const scan = t.engine.scans.start(src.id);
    const done = await t.engine.scans.wait(scan.id);
    assert.equal(done.state, 'done', String(done.error));
    assert.deepEqual({ found: done.found, added: done.added, changed: done.changed, unchanged: done.unchanged, missing: done.missing },
      { found: 2, added: 1, changed: 1, unchanged: 0, missing: 1 });
    const again = await t.engine.scans.wait(t.engine.scans.start(src.id).id);
    assert.deepEqual({ added: again.added, changed: again.changed, unchanged: again.unchanged, missing: again.missing }, { added: 0, changed: 0, unchanged: 2, missing: 0 });
    // A playlist that turns bad fails the scan and leaves the items as they were.
    await writeFile(file, '<html>gone</html>');
    const failed = await t.engine.scans.wait(t.engine.scans.start(src.id).id);
    assert.equal(failed.state, 'failed');
    assert.match(String(failed.error), /HTML/);
    assert.equal(t.engine.sources.get(src.id).items, 3);
    assert.match(String(t.engine.sources.get(src.id).lastScanStatus), /^failed: /);
  });

  it('plays the imported streams through the resolver with real ffmpeg, sending the playlist headers', async () => {
    const items = (await t.call('GET', '/api/items?q=news')).body.items.concat((await t.call('GET', '/api/items?q=film')).body.items);
    assert.equal(items.length, 2);
    const registry = new ResolverRegistry();
    for (const item of items) {
      const input = await registry.resolve({ locator: item.locator, itemId: item.id, title: item.title });
      assert.equal(input.live, true);
      assert.equal(input.seekable, false);
      const args = openInput(input, 5_000, true);
      assert.ok(!args.includes('-re') && !args.includes('-ss'), `live input: no -re, no seek: ${args.join(' ')}`);
      assert.ok(args.includes('-rw_timeout'));
      const out = await execa(FFMPEG, ['-v', 'error', '-nostdin', ...args, '-t', '1', '-map', '0:v', '-f', 'framecrc', '-'], { timeout: 20_000 });
      assert.ok(out.stdout.split('\n').filter((l) => /^0,/.test(l)).length >= 20, `${item.title}: frames decoded`);
    }
    const live = fake.log.find((r) => r.path === '/live/news.ts');
    assert.deepEqual({ ua: live?.userAgent, referer: live?.referer }, { ua: 'Kodi/20.0', referer: 'http://kodi.example/' });
    const hls = fake.log.filter((r) => r.path.startsWith('/hls/'));
    assert.ok(hls.length >= 2 && hls.every((r) => r.userAgent === 'VLC/3.0'), JSON.stringify(hls));
  });
});
