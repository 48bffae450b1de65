// The pure M3U renderer: quoting, no empty attributes, ids shared with XMLTV, URLs, line endings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { m3uAttr, m3uName, m3uValue, renderM3u, streamUrl, type M3uChannel } from '../../src/engine/guide/m3u.js';
import { channelXmltvId } from '../../src/engine/guide/xmltv.js';

const base = 'http://192.168.1.20:8410';
const opts = { baseUrl: base, format: 'ts' as const, guideUrl: `${base}/iptv/xmltv.xml` };
const ch = (over: Partial<M3uChannel> = {}): M3uChannel => ({ number: '5', name: 'Five', group: null, logo: null, enabled: true, ...over });

/** Jellyfin's reading of an #EXTINF line (Emby.Server.Implementations/LiveTv/TunerHosts/M3uParser.cs). */
function jellyfin(extinf: string): { attrs: Record<string, string>; name: string } {
  const attrs: Record<string, string> = {};
  let remaining = extinf;
  for (const m of extinf.matchAll(/([a-z0-9\-_]+)="([^"]+)"/gi)) {
    attrs[m[1]!] = m[2]!;
    remaining = remaining.replace(`${m[1]}="${m[2]}"`, '');
  }
  const parts = remaining.split(',').filter(Boolean);
  return { attrs, name: parts.length > 1 ? parts.at(-1)!.trim() : '' };
}

describe('M3U', () => {
  it('header names the guide; one #EXTINF + URL per enabled channel; LF endings', () => {
    const text = renderM3u([ch(), ch({ number: '5.1', name: 'Five One' }), ch({ number: '6', enabled: false })], opts);
    assert.equal(text, [
      `#EXTM3U url-tvg="${base}/iptv/xmltv.xml" x-tvg-url="${base}/iptv/xmltv.xml"`,
      '#EXTINF:-1 tvg-id="5.exstreamtv" tvg-chno="5" tvg-name="Five" channel-id="5.exstreamtv" channel-number="5" tvc-guide-title="Five" tvc-stream-vcodec="h264" tvc-stream-acodec="aac",Five',
      `${base}/stream/channels/5.ts`,
      '#EXTINF:-1 tvg-id="5-1.exstreamtv" tvg-chno="5.1" tvg-name="Five One" channel-id="5-1.exstreamtv" channel-number="5.1" tvc-guide-title="Five One" tvc-stream-vcodec="h264" tvc-stream-acodec="aac",Five One',
      `${base}/stream/channels/5.1.ts`,
      '',
    ].join('\n'));
    assert.ok(!text.includes('\r'));
  });

  it('tvg-id is the XMLTV channel id', () => {
    for (const n of ['1', '5.1', '99999.9999']) {
      assert.equal(jellyfin(renderM3u([ch({ number: n })], opts).split('\n')[1]!).attrs['tvg-id'], channelXmltvId(n));
    }
  });

  it('HLS URLs with ?format=hls', () => {
    assert.equal(streamUrl(base, '5.1', 'hls'), `${base}/stream/channels/5.1/index.m3u8`);
    assert.match(renderM3u([ch({ number: '7' })], { ...opts, format: 'hls' }), /\nhttp:\/\/192\.168\.1\.20:8410\/stream\/channels\/7\/index\.m3u8\n$/);
  });

  it('quotes in values become apostrophes; CR/LF/controls become spaces; nothing invalid survives', () => {
    assert.equal(m3uValue('Say "hi"\r\nthere\t\u0000now'), "Say 'hi' there now");
    assert.equal(m3uValue(' a  \u0085 b \uD800 c \ufffd'), 'a b c');
    assert.equal(m3uValue('📺 é'), '📺 é');
    const line = renderM3u([ch({ name: 'The "Best"\nChannel', group: 'Kids\r\n"Fun"' })], opts).split('\n');
    assert.equal(line.length, 4, 'header, EXTINF, URL, and the final empty string: no stray line breaks');
    const { attrs, name } = jellyfin(line[1]!);
    assert.equal(attrs['tvg-name'], "The 'Best' Channel");
    assert.equal(attrs['group-title'], "Kids 'Fun'");
    assert.equal(name, "The \"Best\" Channel".replace(/"/g, "'"));
  });

  it('no empty attribute values: blank or missing values leave the attribute out', () => {
    assert.equal(m3uAttr('group-title', ''), '');
    assert.equal(m3uAttr('group-title', ' \r\n '), '');
    assert.equal(m3uAttr('group-title', null), '');
    const text = renderM3u([ch({ group: '  ', logo: '/srv/logos/five.png' }), ch({ number: '9', logo: 'https://l.example/9.png' })], opts);
    assert.ok(!/=""/.test(text));
    assert.ok(!text.includes('group-title'));
    assert.ok(!text.includes('/srv/logos'), 'file-path logos are not served: left out');
    assert.match(text, /tvg-logo="https:\/\/l\.example\/9\.png"/);
  });

  it('a comma in the name survives parsers that take the text after the last comma', () => {
    assert.equal(m3uName('News, Weather, Sport'), 'News\u201a Weather\u201a Sport');
    const line = renderM3u([ch({ name: 'News, Weather', group: 'A, B' })], opts).split('\n')[1]!;
    const { attrs, name } = jellyfin(line);
    assert.equal(name, 'News\u201a Weather');
    assert.equal(attrs['tvg-name'], 'News, Weather', 'attribute values keep their commas');
    assert.equal(attrs['group-title'], 'A, B');
  });
});
