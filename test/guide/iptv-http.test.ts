// The guide over real HTTP (127.0.0.1:0) from a real engine, checked by the real XMLTV tools:
// tv_validate_file (DTD + XMLTV rules) and tv_sort --duplicate-error (overlaps), plus the M3U.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startApi, type TestApi } from '../helpers/api.js';
import { addFakeItems, addFakeSource, episodes } from '../helpers/fake-items.js';
import { channelXmltvId } from '../../src/engine/guide/xmltv.js';
import { haveTools, TOOLS } from '../helpers/tools.js';

const run = promisify(execFile);
const TV_VALIDATE = TOOLS.tvValidate.cmd;
const TV_SORT = TOOLS.tvSort.cmd;
const DTD = TOOLS.xmltvDtd.cmd;
const ID_RE = /^[-a-zA-Z0-9]+(\.[-a-zA-Z0-9]+)+$/;
const HOUR = 3_600_000;
const MIN = 60_000;

const HOSTILE_SHOW = `Night <Shift> & "Co" 'x' \u0001\u001f\u007f\u0085 📺`;
const HOSTILE_EPISODE = `Ep <b>1</b> & \u0007bell \uD800 lone \uDC00 too]`;

interface Programme { channel: string; start: string; stop: string; body: string }

function parseGuide(xml: string) {
  const channels = [...xml.matchAll(/<channel id="([^"]*)">([\s\S]*?)<\/channel>/g)].map((m) => ({
    id: m[1]!, names: [...m[2]!.matchAll(/<display-name>([^<]*)<\/display-name>/g)].map((n) => n[1]!), index: m.index!,
  }));
  const programmes: (Programme & { index: number })[] = [...xml.matchAll(/<programme start="([^"]+)" stop="([^"]+)" channel="([^"]+)">([\s\S]*?)<\/programme>/g)]
    .map((m) => ({ start: m[1]!, stop: m[2]!, channel: m[3]!, body: m[4]!, index: m.index! }));
  return { channels, programmes };
}

function parseM3u(text: string) {
  const lines = text.split('\n');
  const entries: { attrs: Record<string, string>; name: string; url: string; raw: string }[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.startsWith('#EXTINF:')) continue;
    const attrs: Record<string, string> = {};
    for (const m of line.matchAll(/([a-z0-9\-_]+)="([^"]*)"/gi)) attrs[m[1]!] = m[2]!;
    entries.push({ attrs, name: line.slice(line.lastIndexOf(',') + 1), url: lines[i + 1]!, raw: line });
  }
  return { header: lines[0]!, entries };
}

describe('guide over HTTP: XMLTV + M3U', () => {
  let t: TestApi;
  let dir: string;
  let xml = '';
  let m3u = '';
  let xmlHeaders: Headers;
  const now = Date.now();
  // ep3 is released tomorrow (UTC): the 2-day guide holds a whole tomorrow, whatever the hour now.
  const tomorrow = new Date(now + 24 * HOUR).toISOString().slice(0, 10);

  before(async () => {
    t = await startApi({ listen: true, config: { timelineDays: 2 } });
    dir = await mkdtemp(join(tmpdir(), 'exstreamtv-guide-'));
    const store = t.engine.store;
    const source = addFakeSource(store);
    const eps = episodes(HOSTILE_SHOW, 3, 22 * MIN).map((e, i) => ({
      ...e, title: i === 0 ? HOSTILE_EPISODE : e.title, genres: ['Comedy', 'Drama & "Stuff"'],
      ...(i === 1 ? { plot: '   ', episodeEnd: 3, releaseDate: '2001-02-03' } : {}),
      ...(i === 2 ? { plot: 'A plot\nover two lines & <more>', releaseDate: tomorrow } : {}),
    }));
    const showIds = addFakeItems(store, source, eps);
    const movieIds = addFakeItems(store, source, [
      { title: 'The Long Road', durationMs: 45 * MIN, year: 1999, genres: ['Drama'], plot: 'Two people walk.',
        images: { poster: 'https://img.example.com/p.jpg?w=300&h=450' } },
      { title: 'Local Poster', durationMs: 38 * MIN, images: { poster: '/media/posters/local.jpg' } },
    ]);
    const coll = async (name: string, itemIds: number[]) => (await t.call('POST', '/api/collections', { name, itemIds })).body.id as number;
    const shows = await coll('Shows', showIds);
    const movies = await coll('Movies', movieIds);
    const mk = async (body: Record<string, unknown>) => {
      const res = await t.call('POST', '/api/channels', body);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.id as number;
    };
    await mk({ number: '5.1', name: `News & "Views" <5.1> 'q' 📺`, group: 'Group, "with" comma', logo: 'https://logo.example.com/a.png?x=1&y=2', content: [{ type: 'collection', id: shows }] });
    const seven = await mk({ number: 7, name: 'Movies, Always', content: [{ type: 'collection', id: movies }] });
    // Channel 7's timeline ends in an hour: the guide request must extend it first.
    store.timeline.deleteFrom(seven, now + HOUR);
    assert.ok(store.timeline.last(seven)!.endMs < now + 2 * HOUR);
    // A file-path logo must be an image in <dataDir>/images (or a library folder).
    await mkdir(join(t.engine.config.dataDir, 'images'), { recursive: true });
    await writeFile(join(t.engine.config.dataDir, 'images', 'nine.png'), 'png');
    await mk({ number: 9, name: 'Nothing Yet', logo: join(t.engine.config.dataDir, 'images', 'nine.png') });
    await mk({ number: 12, name: 'Hidden', enabled: false, content: [{ type: 'collection', id: movies }] });
    // Channel 20: rows written by hand (filler around items, consecutive slates), covering now - 30 min … now + 3 d.
    const hand = await mk({ number: 20, name: 'Hand Built', content: [{ type: 'collection', id: movies }] });
    const [m1, m2] = movieIds as [number, number];
    const t0 = Math.floor((now - 30 * MIN) / MIN) * MIN;
    store.tx(() => {
      store.timeline.deleteFrom(hand, 0);
      const rows = [
        { kind: 'filler' as const, itemId: m2, len: 5 * MIN, title: null },
        { kind: 'item' as const, itemId: m1, len: 45 * MIN, title: null },
        { kind: 'filler' as const, itemId: m2, len: 3 * MIN, title: null },
        { kind: 'filler' as const, itemId: m2, len: 2 * MIN, title: null },
        { kind: 'item' as const, itemId: m2, len: 38 * MIN, title: 'Override <title>' },
        { kind: 'slate' as const, itemId: null, len: 20 * MIN, title: 'Offline' },
        { kind: 'slate' as const, itemId: null, len: 60 * MIN, title: 'Offline' },
        { kind: 'slate' as const, itemId: null, len: 3 * 24 * 60 * MIN, title: 'Offline' },
      ];
      let s = t0;
      store.timeline.insert(hand, rows.map((r) => {
        const row = { startMs: s, endMs: s + r.len, kind: r.kind, itemId: r.itemId, inMs: 0, outMs: r.len, title: r.title, cursor: null };
        s += r.len;
        return row;
      }));
    });

    const res = await fetch(`${t.url}/iptv/xmltv.xml`);
    assert.equal(res.status, 200);
    xmlHeaders = res.headers;
    xml = await res.text();
    const m = await fetch(`${t.url}/iptv/channels.m3u`);
    assert.equal(m.status, 200);
    assert.equal(m.headers.get('content-type'), 'audio/x-mpegurl; charset=utf-8');
    m3u = await m.text();
    await writeFile(join(dir, 'guide.xml'), xml);
  });

  after(async () => {
    assert.deepEqual(t.serverErrors, [], 'no 5xx replies');
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('streams XML (application/xml; charset=utf-8, chunked, no Content-Length)', () => {
    assert.equal(xmlHeaders.get('content-type'), 'application/xml; charset=utf-8');
    assert.equal(xmlHeaders.get('content-length'), null);
    assert.equal(xmlHeaders.get('transfer-encoding'), 'chunked');
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tv SYSTEM "xmltv.dtd">\n<tv '));
    assert.ok(xml.endsWith('</tv>\n'));
  });

  it('tv_validate_file --dtd-file xmltv.dtd: "Validated ok."', async (ctx) => {
    if (!haveTools(ctx, [TOOLS.tvValidate, TOOLS.xmltvDtd])) return;
    const { stdout, stderr } = await run(TV_VALIDATE, ['--dtd-file', DTD, join(dir, 'guide.xml')]).catch((err) => {
      assert.fail(`tv_validate_file failed:\n${err.stdout}\n${err.stderr}`);
    });
    assert.match(stdout, /Validated ok\./, `stdout: ${stdout}\nstderr: ${stderr}`);
  });

  it('tv_sort --duplicate-error: no overlapping programmes (nothing on stderr)', async (ctx) => {
    if (!haveTools(ctx, [TOOLS.tvSort])) return;
    const { stderr } = await run(TV_SORT, ['--duplicate-error', '--output', join(dir, 'sorted.xml'), join(dir, 'guide.xml')]);
    assert.equal(stderr, '');
  });

  it('channels first, valid stable ids, every enabled channel has programmes, disabled ones are absent', () => {
    const { channels, programmes } = parseGuide(xml);
    assert.ok(programmes.length > 50);
    const lastChannel = Math.max(...channels.map((c) => c.index));
    assert.ok(programmes.every((p) => p.index > lastChannel), 'all <channel> before all <programme>');
    assert.deepEqual(channels.map((c) => c.id), ['5-1.exstreamtv', '7.exstreamtv', '9.exstreamtv', '20.exstreamtv']);
    for (const c of channels) {
      assert.match(c.id, ID_RE);
      assert.ok(programmes.some((p) => p.channel === c.id), `${c.id} has a programme`);
    }
    assert.ok(programmes.every((p) => channels.some((c) => c.id === p.channel)), 'no programme of an unknown channel');
    const c51 = channels[0]!;
    assert.deepEqual(c51.names, [`5.1 News &amp; &quot;Views&quot; &lt;5.1&gt; &apos;q&apos; 📺`, '5.1', `News &amp; &quot;Views&quot; &lt;5.1&gt; &apos;q&apos; 📺`]);
    assert.match(xml, /<icon src="https:\/\/logo\.example\.com\/a\.png\?x=1&amp;y=2"\/>/);
    assert.ok(!xml.includes('/images/nine.png'), 'a file path never reaches the guide');
    assert.match(xml, /<icon src="http:\/\/[^"]+\/images\/channels\/\d+"\/>/, 'a file-path logo is listed at the URL the box serves it at');
    assert.ok(!xml.includes('Hidden'));
  });

  it('programmes of a channel are in order, contiguous where the timeline is, and cover the window', () => {
    const { programmes } = parseGuide(xml);
    const stamp = (s: string) => Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(8, 10), +s.slice(10, 12), +s.slice(12, 14));
    for (const id of ['5-1.exstreamtv', '7.exstreamtv', '9.exstreamtv', '20.exstreamtv']) {
      const ps = programmes.filter((p) => p.channel === id);
      for (const p of ps) assert.match(p.start, /^\d{14} \+0000$/);
      for (let i = 1; i < ps.length; i++) assert.equal(ps[i]!.start, ps[i - 1]!.stop, `${id}: programme ${i} starts when ${i - 1} stops`);
      assert.ok(stamp(ps.at(-1)!.stop) >= now + 2 * 24 * HOUR - 60_000, `${id} covers the configured 2 days`);
    }
  });

  it('escapes hostile text and drops characters XML cannot carry', () => {
    const showTitle = `Night &lt;Shift&gt; &amp; &quot;Co&quot; &apos;x&apos; 📺`;
    assert.ok(xml.includes(`<title>${showTitle}</title>`), 'show title escaped, controls/DEL/C1 dropped, emoji kept');
    assert.ok(xml.includes('<sub-title>Ep &lt;b&gt;1&lt;/b&gt; &amp; bell lone too]</sub-title>'), 'episode title: escaped, BEL and lone surrogates dropped, spaces collapsed');
    assert.ok(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd\ufffe\uffff]/.test(xml), 'no invalid or suspicious characters');
    assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(xml), 'no lone surrogates');
    assert.ok(xml.includes('<category>Drama &amp; &quot;Stuff&quot;</category>'));
    assert.ok(xml.includes('<desc>A plot\nover two lines &amp; &lt;more&gt;</desc>'));
  });

  it('episodes: show title, sub-title, numbering, desc never empty, flags; movies: category, date, poster', () => {
    const { programmes } = parseGuide(xml);
    const bodies = programmes.filter((p) => p.channel === '5-1.exstreamtv').map((p) => p.body);
    const ep1 = bodies.find((b) => b.includes('<sub-title>Ep '))!;
    assert.match(ep1, /<episode-num system="xmltv_ns">0\.0\.<\/episode-num>\n {4}<episode-num system="onscreen">S01E01<\/episode-num>/);
    assert.match(ep1, /<desc>Season 1, episode 1 of Night &lt;Shift&gt;/);
    assert.match(ep1, /<category>Comedy<\/category>\n {4}<category>Drama &amp; &quot;Stuff&quot;<\/category>\n {4}<category>Series<\/category>/);
    assert.ok(!ep1.includes('previously-shown') && !ep1.includes('<new/>'), 'unknown release: neither flag');
    const ep2 = bodies.find((b) => b.includes('episode 2</sub-title>'))!;
    assert.match(ep2, /<desc>Season 1, episodes 2–3 of /, 'blank plot → generated sentence');
    assert.match(ep2, /<date>20010203<\/date>/);
    assert.match(ep2, /xmltv_ns">0\.1\.<.*\n.*onscreen">S01E02-E03</);
    assert.match(ep2, /<previously-shown\/>\n {2}$/);
    const release = tomorrow.replace(/-/g, '');
    const ep3s = programmes.filter((p) => p.channel === '5-1.exstreamtv' && p.body.includes('episode 3</sub-title>'));
    const onDay = (cmp: (day: string) => boolean) => ep3s.filter((p) => cmp(p.start.slice(0, 8)));
    assert.ok(onDay((d) => d === release).length > 0, 'ep3 airs on its release day');
    for (const p of onDay((d) => d === release)) assert.match(p.body, /<new\/>\n {2}$/, `released on the airing date: new (${p.start})`);
    for (const p of onDay((d) => d > release)) assert.match(p.body, /<previously-shown\/>\n {2}$/, `released before the airing date (${p.start})`);
    for (const p of onDay((d) => d < release)) assert.ok(!/<new\/>|previously-shown/.test(p.body), `not yet released: neither flag (${p.start})`);
    for (const b of bodies) assert.match(b, /<desc>[^<\s][^<]*<\/desc>/);
    const movie = programmes.find((p) => p.channel === '7.exstreamtv' && p.body.includes('The Long Road'))!.body;
    assert.equal(movie, [
      '\n    <title>The Long Road</title>', '    <desc>Two people walk.</desc>', '    <date>1999</date>',
      '    <category>Drama</category>', '    <category>Movie</category>', '    <icon src="https://img.example.com/p.jpg?w=300&amp;h=450"/>',
      '    <previously-shown/>', '  ',
    ].join('\n'));
    const local = programmes.find((p) => p.channel === '7.exstreamtv' && p.body.includes('Local Poster'))!.body;
    assert.ok(!local.includes('<icon'), 'a file-path poster is left out');
    assert.match(local, /<desc>Local Poster\.<\/desc>/);
  });

  it('empty channel: one Offline programme per slate block; hand-built rows merge filler and slates', () => {
    const { programmes } = parseGuide(xml);
    const nine = programmes.filter((p) => p.channel === '9.exstreamtv');
    assert.ok(nine.length >= 1 && nine.every((p) => p.body.includes('<title>Offline</title>')));
    const hand = programmes.filter((p) => p.channel === '20.exstreamtv');
    assert.deepEqual(hand.map((p) => /<title>([^<]*)<\/title>/.exec(p.body)![1]), ['The Long Road', 'Override &lt;title&gt;', 'Offline']);
    const t0 = Math.floor((now - 30 * MIN) / MIN) * MIN;
    const fmt = (ms: number) => new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14) + ' +0000';
    assert.equal(hand[0]!.start, fmt(t0), 'leading filler merged into the first programme');
    assert.equal(hand[0]!.stop, fmt(t0 + 55 * MIN), 'following filler extends it');
    assert.equal(hand[1]!.start, fmt(t0 + 55 * MIN));
    assert.equal(hand[2]!.start, fmt(t0 + 93 * MIN), 'three slates, one block');
    assert.equal(hand[2]!.stop, fmt(t0 + 93 * MIN + 80 * MIN + 3 * 24 * HOUR));
  });

  it('M3U: header, one entry per enabled channel, tvg-id = XMLTV id, absolute URLs, safe quoting', () => {
    const { header, entries } = parseM3u(m3u);
    const base = t.url;
    assert.equal(header, `#EXTM3U url-tvg="${base}/iptv/xmltv.xml" x-tvg-url="${base}/iptv/xmltv.xml"`);
    assert.ok(!m3u.includes('\r'), 'LF line endings');
    assert.ok(!/=""/.test(m3u), 'no empty attribute values');
    assert.ok(m3u.endsWith('\n'));
    const { channels } = parseGuide(xml);
    assert.deepEqual(entries.map((e) => e.attrs['tvg-chno']), ['5.1', '7', '9', '20']);
    for (const e of entries) {
      const id = e.attrs['tvg-id']!;
      assert.equal(id, channelXmltvId(e.attrs['tvg-chno']!));
      const ch = channels.find((c) => c.id === id);
      assert.ok(ch, `tvg-id ${id} is an XMLTV channel id`);
      assert.equal(ch.names[1], e.attrs['tvg-chno']);
      assert.equal(e.url, `${base}/stream/channels/${e.attrs['tvg-chno']}.ts`);
      assert.equal(e.attrs['channel-id'], id);
      assert.equal(e.attrs['tvc-stream-vcodec'], 'h264');
      // Every quote pair is balanced: attribute text never holds a raw ".
      assert.equal((e.raw.slice(0, e.raw.lastIndexOf(',')).match(/"/g) ?? []).length % 2, 0);
    }
    const e51 = entries[0]!;
    assert.equal(e51.attrs['tvg-name'], `News & 'Views' <5.1> 'q' 📺`);
    assert.equal(e51.attrs['group-title'], `Group, 'with' comma`);
    assert.equal(e51.attrs['tvg-logo'], 'https://logo.example.com/a.png?x=1&y=2');
    assert.equal(entries[1]!.name, 'Movies\u201a Always', 'a comma in the name does not cut it for last-comma parsers');
    assert.match(entries[2]!.attrs['tvg-logo'] ?? '', new RegExp(`^${base}/images/channels/\\d+$`), 'a file-path logo is served by the box');
  });

  it('?format=hls lists HLS URLs; aliases under /api; bad query values are 400', async () => {
    const hls = await (await fetch(`${t.url}/iptv/channels.m3u?format=hls`)).text();
    assert.match(hls, new RegExp(`\\n${t.url}/stream/channels/5\\.1/index\\.m3u8\\n`));
    assert.equal(await (await fetch(`${t.url}/api/channels.m3u`)).text(), m3u);
    const alias = await fetch(`${t.url}/api/xmltv.xml?days=1`);
    assert.equal(alias.status, 200);
    const short = await alias.text();
    assert.ok(short.length < xml.length && short.endsWith('</tv>\n'));
    for (const q of ['days=0', 'days=15', 'days=abc', 'days=1.5', 'days=']) {
      const res = await t.call('GET', `/iptv/xmltv.xml?${q}`);
      assert.equal(res.status, 400, q);
      assert.match(res.body.message, /days/);
    }
    assert.equal((await t.call('GET', '/iptv/channels.m3u?format=mp4')).status, 400);
  });

  it('a client that hangs up mid-guide or asks HEAD leaves the server serving', async () => {
    const ac = new AbortController();
    const res = await fetch(`${t.url}/iptv/xmltv.xml?days=14`, { signal: ac.signal });
    const reader = res.body!.getReader();
    await reader.read();
    ac.abort();
    await reader.read().catch(() => undefined);
    const head = await fetch(`${t.url}/iptv/xmltv.xml`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-type'), 'application/xml; charset=utf-8');
    const again = await fetch(`${t.url}/api/xmltv.xml`);
    assert.equal(again.status, 200);
    assert.ok((await again.text()).endsWith('</tv>\n'));
  });

  it('the routes are documented under the guide tag', async () => {
    const doc = (await t.call('GET', '/api/openapi.json')).body;
    for (const p of ['/iptv/xmltv.xml', '/api/xmltv.xml', '/iptv/channels.m3u', '/api/channels.m3u']) {
      assert.deepEqual(doc.paths[p]?.get?.tags, ['guide'], p);
      assert.ok(doc.paths[p].get.summary);
    }
  });
});
