// The pure XMLTV pieces: escaping, numbering, merge rules, element order and the streamed generator.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  airFlags, categories, channelXml, channelXmltvId, episodeNumbers, generatedDescription, itemBody, mergeRows,
  programmeXml, xmltvChunks, xmltvTime, type GuideItem, type GuideRow, type GuideSource,
} from '../../src/engine/guide/xmltv.js';
import { escapeXml, stripInvalidXml, xmlText } from '../../src/engine/guide/xml-text.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const ID_RE = /^[-a-zA-Z0-9]+(\.[-a-zA-Z0-9]+)+$/;

const item = (over: Partial<GuideItem> = {}): GuideItem => ({
  id: 1, kind: 'movie', title: 'A Film', showTitle: null, seasonNumber: null, episodeNumber: null, episodeEnd: null,
  year: null, releaseDate: null, plot: null, genres: [], images: {}, showYear: null, showPlot: null, showGenres: [], showImages: {},
  ...over,
});
const episode = (over: Partial<GuideItem> = {}): GuideItem =>
  item({ kind: 'episode', title: 'Pilot', showTitle: 'The Show', seasonNumber: 1, episodeNumber: 2, ...over });

const row = (kind: GuideRow['kind'], startMs: number, endMs: number, itemId: number | null = null, title: string | null = null): GuideRow =>
  ({ kind, startMs, endMs, itemId, title });

describe('XMLTV text', () => {
  it('escapes the five specials in text and attributes', () => {
    assert.equal(escapeXml(`<&>"'`), '&lt;&amp;&gt;&quot;&apos;');
    assert.equal(escapeXml('plain text'), 'plain text');
    assert.equal(xmlText(`Tom & Jerry's "<Big>" Day`), 'Tom &amp; Jerry&apos;s &quot;&lt;Big&gt;&quot; Day');
    assert.equal(xmlText('&amp;'), '&amp;amp;', 'no double-unescaping: & is always escaped');
  });

  it('drops characters invalid in XML 1.0 (controls, lone surrogates, U+FFFE/F) and the suspicious ones, keeps tab/LF/CR and emoji', () => {
    const controls = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('');
    assert.equal(stripInvalidXml(`a${controls}b`), 'a\t\n\rb');
    assert.equal(stripInvalidXml('x\u007f\u0080\u0085\u009fy'), 'xy', 'DEL and C1 controls');
    assert.equal(stripInvalidXml('📺 emoji 😀'), '📺 emoji 😀', 'surrogate pairs stay');
    assert.equal(stripInvalidXml('lone \uD800 high, \uDBFF\uD800 twice, low \uDC00, end\uD83D'), 'lone  high,  twice, low , end');
    assert.equal(stripInvalidXml('\uDE00\uD83D'), '', 'a reversed pair is two lone surrogates');
    assert.equal(stripInvalidXml('x\ufffe\uffff\ufffdy'), 'xy');
    assert.equal(stripInvalidXml('é ü ß 中文 \u00a0 \ue000 \ufffc \u{10ffff}'), 'é ü ß 中文 \u00a0 \ue000 \ufffc \u{10ffff}');
  });

  it('a hostile title renders to well-formed XML that reads back as the cleaned text', () => {
    const hostile = `<script>&"'\u0000\u0008\u000b\u001b\uD800 📺 </title>]]>`;
    const xml = programmeXml('5-1.exstreamtv', { startMs: 0, stopMs: HOUR, kind: 'item', itemId: 1, title: null }, item({ title: hostile, plot: hostile }));
    assert.equal(XMLValidator.validate(xml), true);
    const parsed = new XMLParser({ ignoreAttributes: false, processEntities: true }).parse(xml);
    assert.equal(parsed.programme.title, `<script>&"' 📺 </title>]]>`);
    assert.equal(parsed.programme.desc, `<script>&"' 📺 </title>]]>`);
  });

  it('times are YYYYMMDDhhmmss +0000 in UTC', () => {
    assert.equal(xmltvTime(Date.UTC(2024, 0, 2, 3, 4, 5)), '20240102030405 +0000');
    assert.equal(xmltvTime(Date.UTC(1999, 11, 31, 23, 59, 59, 999)), '19991231235959 +0000');
  });
});

describe('XMLTV channel ids', () => {
  it('is stable, DNS-like and dotted for every channel number', () => {
    assert.equal(channelXmltvId('5'), '5.exstreamtv');
    assert.equal(channelXmltvId('5.1'), '5-1.exstreamtv');
    assert.equal(channelXmltvId('99999.9999'), '99999-9999.exstreamtv');
    for (const n of ['1', '5.1', '12.34', '99999']) assert.match(channelXmltvId(n), ID_RE);
    assert.notEqual(channelXmltvId('5.1'), channelXmltvId('51'));
  });

  it('<channel>: three display names, deduplicated; icon only for http(s) logos', () => {
    const xml = channelXml({ id: 1, number: '5.1', name: 'News & Co', logo: 'https://x.example/l.png?a=1&b=2' });
    assert.equal(xml, '  <channel id="5-1.exstreamtv">\n    <display-name>5.1 News &amp; Co</display-name>\n    <display-name>5.1</display-name>\n'
      + '    <display-name>News &amp; Co</display-name>\n    <icon src="https://x.example/l.png?a=1&amp;b=2"/>\n  </channel>\n');
    assert.ok(!channelXml({ id: 1, number: '7', name: 'Seven', logo: '/srv/logo.png' }).includes('<icon'));
    assert.equal((channelXml({ id: 1, number: '7', name: '7', logo: null }).match(/display-name>/g) ?? []).length / 2, 2, '"7 7" and "7"');
  });
});

describe('XMLTV episode numbers', () => {
  it('xmltv_ns is zero-based season.episode., onscreen is SxxEyy', () => {
    assert.deepEqual(episodeNumbers(1, 2), { xmltvNs: '0.1.', onscreen: 'S01E02' });
    assert.deepEqual(episodeNumbers(1, 1), { xmltvNs: '0.0.', onscreen: 'S01E01' });
    assert.deepEqual(episodeNumbers(10, 100), { xmltvNs: '9.99.', onscreen: 'S10E100' });
  });

  it('multi-episode: first episode in xmltv_ns (no range syntax there), the range onscreen', () => {
    assert.deepEqual(episodeNumbers(1, 2, 3), { xmltvNs: '0.1.', onscreen: 'S01E02-E03' });
    assert.deepEqual(episodeNumbers(1, 2, 2), { xmltvNs: '0.1.', onscreen: 'S01E02' }, 'an end equal to the start is no range');
    assert.deepEqual(episodeNumbers(1, 2, 1), { xmltvNs: '0.1.', onscreen: 'S01E02' });
  });

  it('unknown or unrepresentable parts are left empty; nothing known → null', () => {
    assert.deepEqual(episodeNumbers(null, 3), { xmltvNs: '.2.', onscreen: 'E03' });
    assert.deepEqual(episodeNumbers(2, null), { xmltvNs: '1..', onscreen: 'S02' });
    assert.deepEqual(episodeNumbers(0, 4), { xmltvNs: '.3.', onscreen: 'S00E04' }, 'specials have no zero-based season');
    assert.deepEqual(episodeNumbers(1, 0), { xmltvNs: '0..', onscreen: 'S01E00' });
    assert.equal(episodeNumbers(null, null), null);
    for (const [s, e, end] of [[1, 2, 3], [null, 3, null], [0, 4, null], [2, null, null]] as const) {
      assert.match(episodeNumbers(s, e, end)!.xmltvNs, /^\d*\.\d*\.$/, 'what tv_validate_file accepts');
    }
  });
});

describe('XMLTV merge rules', () => {
  it('a filler extends the programme before it', () => {
    assert.deepEqual(mergeRows([row('item', 0, 30, 1), row('filler', 30, 35, 9), row('filler', 35, 40, 9), row('item', 40, 70, 2)]), [
      { startMs: 0, stopMs: 40, kind: 'item', itemId: 1, title: null },
      { startMs: 40, stopMs: 70, kind: 'item', itemId: 2, title: null },
    ]);
  });

  it('a leading filler merges into the next programme', () => {
    assert.deepEqual(mergeRows([row('filler', 0, 5, 9), row('filler', 5, 8, 9), row('item', 8, 30, 1)]), [
      { startMs: 0, stopMs: 30, kind: 'item', itemId: 1, title: null },
    ]);
  });

  it('consecutive slates become one Offline block; different slate texts stay apart', () => {
    assert.deepEqual(mergeRows([row('slate', 0, 10, null, 'Offline'), row('slate', 10, 20, null, 'Offline'), row('slate', 20, 25, null, null)]), [
      { startMs: 0, stopMs: 25, kind: 'slate', itemId: null, title: 'Offline' },
    ]);
    assert.equal(mergeRows([row('slate', 0, 10, null, 'Offline'), row('slate', 10, 20, null, 'Technical difficulties')]).length, 2);
    assert.equal(mergeRows([row('slate', 0, 10), row('filler', 10, 12, 9), row('slate', 12, 20)]).length, 1, 'filler between slates joins them');
  });

  it('items between slates stay; overlaps are cut; gaps stay gaps', () => {
    assert.deepEqual(mergeRows([row('item', 0, 30, 1), row('item', 20, 50, 2), row('item', 60, 70, 3)]).map((b) => [b.startMs, b.stopMs]),
      [[0, 30], [30, 50], [60, 70]]);
    assert.deepEqual(mergeRows([row('item', 0, 30, 1), row('item', 10, 25, 2)]).map((b) => b.itemId), [1], 'a row swallowed by an overlap is dropped');
  });

  it('filler with nothing to join is listed on its own; no rows → no blocks', () => {
    assert.deepEqual(mergeRows([row('filler', 0, 5, 9), row('filler', 5, 9, 8)]).map((b) => [b.kind, b.startMs, b.stopMs, b.itemId]),
      [['filler', 0, 5, 9], ['filler', 5, 9, 8]]);
    assert.deepEqual(mergeRows([]), []);
  });

  it('a filler after a gap moves the next start back instead of bridging the gap', () => {
    assert.deepEqual(mergeRows([row('item', 0, 10, 1), row('filler', 20, 25, 9), row('item', 25, 40, 2)]).map((b) => [b.startMs, b.stopMs]),
      [[0, 10], [20, 40]]);
  });
});

describe('XMLTV programme content', () => {
  it('children appear in DTD order: title, sub-title, desc, date, category, icon, episode-num, previously-shown/new', () => {
    const body = itemBody(episode({
      plot: 'Plot.', releaseDate: '2020-05-06', genres: ['Drama'], images: { poster: 'http://img/p.jpg' }, episodeEnd: 3,
    }));
    const order = [...body.matchAll(/<([a-z-]+)[ >/]/g)].map((m) => m[1]);
    assert.deepEqual(order, ['title', 'sub-title', 'desc', 'date', 'category', 'category', 'icon', 'episode-num', 'episode-num']);
    const xml = programmeXml('1.exstreamtv', { startMs: Date.UTC(2024, 0, 1), stopMs: Date.UTC(2024, 0, 1, 1), kind: 'item', itemId: 1, title: null },
      episode({ releaseDate: '2020-05-06' }));
    assert.match(xml, /<\/episode-num>\n {4}<previously-shown\/>\n {2}<\/programme>\n$/);
  });

  it('titles: show title for episodes, item title for movies; the row title overrides', () => {
    assert.match(itemBody(episode()), /^ {4}<title>The Show<\/title>\n {4}<sub-title>Pilot<\/sub-title>/);
    assert.match(itemBody(item()), /^ {4}<title>A Film<\/title>\n {4}<desc>/);
    assert.match(itemBody(episode(), 'Special <Event>'), /^ {4}<title>Special &lt;Event&gt;<\/title>\n {4}<sub-title>Pilot<\/sub-title>/);
    assert.match(itemBody(item({ title: '\u0001\u0002' })), /<title>Unknown<\/title>/, 'a title of nothing but controls');
  });

  it('desc is never empty: plot, else the show plot (episodes), else a generated sentence', () => {
    assert.match(itemBody(episode({ plot: '  \n ' })), /<desc>Season 1, episode 2 of The Show\.<\/desc>/);
    assert.match(itemBody(episode({ showPlot: 'About the show.' })), /<desc>About the show\.<\/desc>/);
    assert.match(itemBody(item({ year: 1999 })), /<desc>A Film \(1999\)\.<\/desc>/);
    assert.equal(generatedDescription(episode({ episodeEnd: 3 })), 'Season 1, episodes 2–3 of The Show.');
    assert.equal(generatedDescription(episode({ seasonNumber: 0 })), 'Special, episode 2 of The Show.');
    assert.equal(generatedDescription(episode({ seasonNumber: null })), 'Episode 2 of The Show.');
    assert.equal(generatedDescription(episode({ seasonNumber: null, episodeNumber: null })), 'An episode of The Show.');
    assert.equal(generatedDescription(item({ kind: 'other', title: 'Clip' })), 'Clip.');
  });

  it('categories: genres (the show\'s as fallback) then Movie/Series, deduplicated', () => {
    assert.deepEqual(categories(item({ genres: ['Drama', 'drama', ' ', 'Movie'] })), ['Drama', 'Movie']);
    assert.deepEqual(categories(episode({ showGenres: ['Comedy'] })), ['Comedy', 'Series']);
    assert.deepEqual(categories(item({ kind: 'other' })), []);
  });

  it('<date> is the release date (YYYYMMDD), else the year; the icon only an http(s) poster', () => {
    assert.match(itemBody(item({ releaseDate: '2001-02-03', year: 2001 })), /<date>20010203<\/date>/);
    assert.match(itemBody(item({ year: 1987 })), /<date>1987<\/date>/);
    assert.ok(!itemBody(item()).includes('<date>'));
    assert.ok(!itemBody(item({ images: { poster: '/local/poster.jpg' } })).includes('<icon'));
    assert.match(itemBody(episode({ showImages: { poster: 'https://s/p.jpg' } })), /<icon src="https:\/\/s\/p\.jpg"\/>/);
  });

  it('a redirect row (airs another channel) is one programme naming the target', () => {
    const [b] = mergeRows([{ ...row('redirect', 0, HOUR), target: '7' }]);
    assert.equal(b!.target, '7');
    const xml = programmeXml('5.exstreamtv', b!, undefined);
    assert.match(xml, /<title>Channel 7<\/title>\n {4}<desc>This time slot airs channel 7\.<\/desc>/);
  });

  it('<previously-shown/> only when released before the airing date, <new/> only on it', () => {
    const airing = xmltvTime(Date.UTC(2024, 5, 10, 20));
    assert.equal(airFlags('20240609', null, airing), '    <previously-shown/>\n');
    assert.equal(airFlags('20240610', 2024, airing), '    <new/>\n');
    assert.equal(airFlags('20240611', 2024, airing), '');
    assert.equal(airFlags(null, 2023, airing), '    <previously-shown/>\n');
    assert.equal(airFlags(null, 2024, airing), '', 'same year: unknown');
    assert.equal(airFlags(null, null, airing), '');
  });
});

describe('xmltvChunks', () => {
  const t0 = Date.UTC(2024, 0, 1, 12);
  const items = new Map<number, GuideItem>([[1, episode({ id: 1 })], [2, item({ id: 2, title: 'Movie & More' })]]);
  const rows = new Map<number, GuideRow[]>([
    [10, Array.from({ length: 200 }, (_, i) => row(i % 3 === 2 ? 'filler' : 'item', t0 - HOUR + i * 20 * MIN, t0 - HOUR + (i + 1) * 20 * MIN, 1 + (i % 2)))],
    [11, []],
    [12, [row('slate', t0 - 30 * MIN, t0, null, 'Offline'), row('slate', t0, t0 + HOUR, null, 'Offline'), row('item', t0 + HOUR, t0 + 2 * HOUR, 99)]],
  ]);
  const calls: number[][] = [];
  const source: GuideSource = {
    channels: () => [
      { id: 10, number: '5.1', name: 'Five', logo: null },
      { id: 11, number: '6', name: 'Empty', logo: null },
      { id: 12, number: '7', name: 'Slates', logo: null },
    ],
    rows: (id, from, to) => (rows.get(id) ?? []).filter((r) => r.endMs > from && r.startMs < to),
    items: (ids) => { calls.push([...ids]); return new Map(ids.flatMap((id) => (items.has(id) ? [[id, items.get(id)!] as const] : []))); },
  };

  it('yields the document in pieces of about chunkSize, channels first, ≥ 1 programme per channel', () => {
    calls.length = 0;
    const pieces = [...xmltvChunks(source, { now: t0, days: 1, chunkSize: 2048 })];
    assert.ok(pieces.length > 5, `several pieces (${pieces.length})`);
    assert.ok(pieces.slice(0, -1).every((p) => p.length >= 2048 && p.length < 2048 + 1024));
    const xml = pieces.join('');
    assert.equal(XMLValidator.validate(xml.replace(/<!DOCTYPE[^>]*>/, '')), true);
    assert.ok(xml.lastIndexOf('<channel ') < xml.indexOf('<programme '));
    for (const id of ['5-1.exstreamtv', '6.exstreamtv', '7.exstreamtv']) assert.ok(xml.includes(`channel="${id}"`), id);
    const empty = [...xml.matchAll(/<programme [^>]*channel="6\.exstreamtv">([\s\S]*?)<\/programme>/g)];
    assert.equal(empty.length, 1);
    assert.match(empty[0]![1]!, /<title>Offline<\/title>\n {4}<desc>Nothing is scheduled on this channel\.<\/desc>/);
    const seven = [...xml.matchAll(/<programme [^>]*channel="7\.exstreamtv">([\s\S]*?)<\/programme>/g)].map((m) => /<title>(.*)<\/title>/.exec(m[1]!)![1]);
    assert.deepEqual(seven, ['Offline', 'Unknown'], 'slates merged; a row whose item is gone is "Unknown"');
    assert.deepEqual(calls, [[1, 2], [99]], 'item details fetched once per item, batched per channel');
  });

  it('covers [now - 1 h, now + days): rows outside the window are not read', () => {
    const xml = [...xmltvChunks(source, { now: t0, days: 1 })].join('');
    const starts = [...xml.matchAll(/<programme start="(\d{14})/g)].map((m) => m[1]!);
    assert.ok(starts.every((s) => s >= xmltvTime(t0 - HOUR).slice(0, 14) && s < xmltvTime(t0 + 24 * HOUR).slice(0, 14)));
  });
});
