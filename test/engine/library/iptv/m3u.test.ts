// The M3U parser: every attribute form providers use, header options, and bad playlists refused whole.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseM3u, PlaylistError } from '../../../../src/engine/library/iptv/m3u.js';

const GOOD = [
  '\uFEFF#EXTM3U x-tvg-url="http://127.0.0.1:1/guide.xml,http://127.0.0.1:1/other.xml"',
  '#EXTINF:-1 tvg-id="news.uk" tvg-name="News UK" tvg-logo="http://127.0.0.1:1/n.png" tvg-chno="101" group-title="News, World",News, Weather & Sport',
  'http://127.0.0.1:1/live/news.ts',
  '',
  '#EXTINF:-1 tvg-id="film.one",Film One',
  '#EXTVLCOPT:http-user-agent=VLC/3.0 (Linux)',
  '#EXTVLCOPT:http-referrer=http://portal.example/',
  'http://127.0.0.1:1/hls/index.m3u8',
  '#EXTINF:0,Kids',
  '#EXTGRP:Children',
  'https://127.0.0.1:1/live/kids.ts?token=a&b=c|User-Agent=Mozilla%2F5.0%20(X11)&Referer=http://kodi.example/&X-Custom=1',
  '#EXTINF:-1 tvg-name="Nameless by tvg",',
  'http://127.0.0.1:1/live/x.ts',
].join('\r\n');

describe('M3U playlists', () => {
  it('reads every attribute form, header options and the guide URL', () => {
    const p = parseM3u(GOOD);
    assert.equal(p.tvgUrl, 'http://127.0.0.1:1/guide.xml');
    assert.equal(p.entries.length, 4);
    const [news, film, kids, nameless] = p.entries;
    assert.deepEqual(news, {
      line: 2, name: 'News, Weather & Sport', url: 'http://127.0.0.1:1/live/news.ts', tvgId: 'news.uk', tvgName: 'News UK',
      tvgLogo: 'http://127.0.0.1:1/n.png', tvgChno: '101', group: 'News, World', headers: {},
    });
    assert.equal(film!.name, 'Film One');
    assert.deepEqual(film!.headers, { 'User-Agent': 'VLC/3.0 (Linux)', Referer: 'http://portal.example/' });
    assert.equal(kids!.url, 'https://127.0.0.1:1/live/kids.ts?token=a&b=c');
    assert.equal(kids!.group, 'Children');
    assert.deepEqual(kids!.headers, { 'User-Agent': 'Mozilla/5.0 (X11)', Referer: 'http://kodi.example/', 'X-Custom': '1' });
    assert.equal(nameless!.name, 'Nameless by tvg');
    assert.equal(nameless!.tvgId, null);
  });

  it('takes url-tvg when there is no x-tvg-url, and none when neither is there', () => {
    assert.equal(parseM3u('#EXTM3U url-tvg="http://g/x.xml"\n#EXTINF:-1,A\nhttp://h/a').tvgUrl, 'http://g/x.xml');
    assert.equal(parseM3u('#EXTM3U\n#EXTINF:-1,A\nhttp://h/a').tvgUrl, null);
  });

  const refuses = (text: string, ...needles: RegExp[]) => {
    assert.throws(() => parseM3u(text), (err: unknown) => {
      assert.ok(err instanceof PlaylistError, String(err));
      for (const n of needles) assert.match(err.message, n);
      return true;
    });
  };

  it('refuses an HTML page, an empty file and text that is no playlist', () => {
    refuses('<!DOCTYPE html>\n<html><body>Login</body></html>', /HTML\/XML page, not an M3U playlist/);
    refuses('   \n', /empty/);
    refuses('http://h/a.ts\n', /first line is not #EXTM3U/);
    refuses('#EXTM3U\n# nothing\n', /no entries/);
  });

  it('refuses entries with no URL, naming their lines, even when other entries are fine', () => {
    refuses('#EXTM3U\n#EXTINF:-1,Lost\n#EXTINF:-1,Fine\nhttp://h/fine.ts\n#EXTINF:-1,Last', /line 2: entry "Lost" has no URL/, /line 5: entry "Last" has no URL/, /2 problems/);
  });

  it('refuses URLs with shell metacharacters, spaces, bad header names and non-http schemes', () => {
    refuses('#EXTM3U\n#EXTINF:-1,A\nhttp://h/a.ts;rm -rf ~\n', /line 3: URL .* shell metacharacters/);
    refuses('#EXTM3U\n#EXTINF:-1,A\nhttp://h/$(reboot).ts\n', /shell metacharacters/);
    refuses('#EXTM3U\n#EXTINF:-1,A\nhttp://h/`id`.ts\n', /shell metacharacters/);
    refuses('#EXTM3U\n#EXTINF:-1,A\nfile:///etc/passwd\n', /only http and https/);
    refuses('#EXTM3U\n#EXTINF:-1,A\nhttp://h/a.ts|Bad Name=1\n', /"Bad Name" is not a valid header name/);
    refuses('#EXTM3U\n#EXTINF:-1,A\nhttp://h/a.ts|User-Agent=a%0D%0AX-Evil: 1\n', /holds a line break/);
  });
});
