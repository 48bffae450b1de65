// End to end, real ffmpeg on 127.0.0.1: a playlist's streams become live channels of their own
// (numbered from tvg-chno, logo from tvg-logo), with the provider's XMLTV by tvg-id in the guide
// (hour blocks titled with the channel name where it has none). A live HLS source (ffmpeg-made
// segments, a window moving with the clock) drops and returns: the channel airs the offline slate
// in between and goes back to live, 0 CC errors; its health shows down, then up, in the source
// and the session. A dead source is marked down and its channel keeps streaming the slate.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import type { Channel } from '../../src/schemas/channel.js';
import type { MediaSource } from '../../src/schemas/library.js';
import type { SessionStats } from '../../src/schemas/session.js';
import { makeLiveHls, startIptvServer, type IptvServer } from '../fakes/iptv-http.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { closeIptvTest } from '../helpers/iptv.js';
import { tempDir } from '../helpers/library.js';
import { api, openTs, sleep, waitFor } from '../helpers/stream.js';
import { avStreams, summary } from '../helpers/ts-analyze.js';

const xmltvStamp = (ms: number, offsetMin: number) => {
  const d = new Date(ms + offsetMin * 60_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const sign = offsetMin < 0 ? '-' : '+';
  const a = Math.abs(offsetMin);
  return `${d} ${sign}${String(Math.floor(a / 60)).padStart(2, '0')}${String(a % 60).padStart(2, '0')}`;
};

describe('IPTV live channels: guide, health, HLS drop and return', () => {
  let t: TestApi;
  let dir = '';
  let fake: IptvServer;
  let source: MediaSource;
  let channels: Channel[] = [];
  const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  const logs: string[] = [];

  before(async () => {
    dir = await tempDir('iptv-channel');
    await mkdir(join(dir, 'hls'));
    fake = await startIptvServer({ liveHls: await makeLiveHls(join(dir, 'hls'), 90) });
    // The provider's guide: its own time zone (+01:00), one programme on air now.
    fake.page('/guide.xml', `<?xml version="1.0" encoding="UTF-8"?>\n<tv>\n<channel id="hls.one"><display-name>HLS One</display-name></channel>\n`
      + `<programme start="${xmltvStamp(hour, 60)}" stop="${xmltvStamp(hour + 2 * 3_600_000, 60)}" channel="hls.one"><title>Live &amp; Loud</title><desc>The show.</desc><category>Music</category></programme>\n</tv>\n`, 'application/xml');
    fake.page('/tv.m3u', `#EXTM3U x-tvg-url="${fake.url}/guide.xml"\n`
      + `#EXTINF:-1 tvg-id="hls.one" tvg-chno="7" tvg-logo="${fake.url}/logo.png" group-title="Music",HLS One\n${fake.url}/hls/live.m3u8\n`
      + `#EXTINF:-1 tvg-id="dead.one" tvg-chno="7",Dead One\n${fake.url}/gone/dead.ts\n`);
    t = await startApi({ listen: true });
    t.engine.events.on('log', (l) => { if (l.level !== 'debug') logs.push(`${l.level} ${l.msg}`); });
  });
  after(() => closeIptvTest(t, fake, dir));

  it('makes each stream a channel: numbered from tvg-chno (a taken one gets the next free), logo and group from the playlist', async () => {
    source = await api.post(t.url, '/api/sources/iptv', { playlist: `${fake.url}/tv.m3u` }) as MediaSource;
    await t.rejects('POST', `/api/sources/${source.id}/channels`, { entries: ['no.such'] }, 400, 'entries');
    await t.rejects('POST', `/api/sources/${source.id}/channels`, { entries: ['hls.one', 'dead.one'], number: 9 }, 400, 'number');
    channels = await api.post(t.url, `/api/sources/${source.id}/channels`, { probe: false }) as Channel[];
    assert.deepEqual(channels.map((c) => [c.number, c.name, c.logo, c.group]), [
      ['7', 'HLS One', `${fake.url}/logo.png`, 'Music'], ['8', 'Dead One', null, null],
    ]);
    await t.rejects('POST', `/api/sources/${source.id}/channels`, { entries: ['HLS One'], number: 7 }, 400, 'number');
  });

  it('guides the channel from the provider XMLTV by tvg-id, the other in hour blocks titled with its name', async () => {
    const res = await fetch(`${t.url}/iptv/xmltv.xml?days=1`);
    assert.equal(res.status, 200);
    const xml = await res.text();
    assert.equal(XMLValidator.validate(xml), true);
    const progs = (id: string) => [...xml.matchAll(new RegExp(`<programme start="([^"]+)" stop="([^"]+)" channel="${id}">\\s*<title>([^<]*)</title>`, 'g'))];
    const seven = progs('7\\.exstreamtv');
    const show = seven.find((m) => m[3] === 'Live &amp; Loud');
    assert.ok(show, `the provider's programme: ${seven.map((m) => m[3]).join(', ')}`);
    assert.equal(show![1], xmltvStamp(hour, 0), 'the provider time (+0100) shown in UTC');
    assert.ok(seven.some((m) => m[3] === 'HLS One'), 'hour blocks after the provider guide ends');
    const eight = progs('8\\.exstreamtv');
    assert.ok(eight.length >= 24 && eight.every((m) => m[3] === 'Dead One'), 'hour blocks titled with the channel name');
    assert.ok(fake.log.some((q) => q.path === '/guide.xml'));
  });

  it('plays the HLS source live, airs the slate while it is down, returns to it; health follows', async () => {
    const ch = channels[0]!;
    const client = openTs(`${t.url}/stream/channels/${ch.number}.ts`);
    const session = async () => ((await api.get(t.url, '/api/sessions')) as SessionStats[]).find((s) => s.number === ch.number);
    const health = async () => (await api.get(t.url, `/api/sources/${source.id}`)) as MediaSource;
    assert.ok(await waitFor(async () => (await session())?.live?.state === 'up' && client.bytes > 100_000, 40_000), 'the live piece plays and the stream is up');
    assert.equal((await health()).health?.state, 'ok');
    fake.kill();
    assert.ok(await waitFor(async () => (await session())?.pieces.some((p) => p.kind === 'slate' && /live source down/.test(p.why ?? '')), 45_000), 'offline slate while down');
    const down = await session();
    assert.equal(down?.live?.state, 'down');
    assert.ok(down?.live?.nextRetryAt && down.live.lastError, `next retry and error: ${JSON.stringify(down?.live)}`);
    const src = await health();
    assert.equal(src.health?.state, 'down');
    assert.ok(src.streams?.some((s) => s.state === 'down' && s.lastError), 'per-stream detail');
    const bytesAtSlate = client.bytes;
    assert.ok(await waitFor(() => client.bytes > bytesAtSlate + 50_000, 15_000), 'the channel keeps streaming while its source is down');
    fake.revive();
    assert.ok(await waitFor(async () => (await session())?.live?.state === 'up', 60_000), 'back to the live source');
    await sleep(3000);
    const final = await session();
    const read = await client.close();
    await fetch(`${t.url}/api/sessions/${ch.number}`, { method: 'DELETE', headers: { 'x-exstreamtv': '1' } });
    const r = read.report;
    const { video, audio } = avStreams(r);
    console.log(`# IPTV HLS drop+return: ${(read.bytes / 1e6).toFixed(1)} MB; ${summary(r)}; pieces ${final?.pieces.map((p) => p.kind).join(',')}`);
    assert.equal(r.programs.length, 1, 'one program');
    assert.equal(r.ccErrorTotal, 0, `CC errors: ${summary(r)}`);
    assert.equal(video.nonMonotonic, 0, 'video DTS strictly increasing');
    assert.equal(audio.nonMonotonic, 0, 'audio DTS strictly increasing');
    const kinds = final!.pieces.map((p) => p.kind);
    assert.ok(kinds.indexOf('slate') >= 0 && kinds.lastIndexOf('live') > kinds.indexOf('slate'), `live after the slate: ${kinds.join(',')}`);
    assert.ok(logs.some((l) => /live source of "HLS One" is down .* trying again in \d+ s/.test(l)), `the outage is logged: ${logs.join(' | ')}`);
  });

  it('marks a dead source down; its channel keeps streaming the slate', async () => {
    const ch = channels[1]!;
    const client = openTs(`${t.url}/stream/channels/${ch.number}.ts`);
    const session = async () => ((await api.get(t.url, '/api/sessions')) as SessionStats[]).find((s) => s.number === ch.number);
    assert.ok(await waitFor(async () => (await session())?.live?.state === 'down', 40_000), 'the stream is marked down');
    const at = client.bytes;
    assert.ok(await waitFor(() => client.bytes > at + 50_000, 15_000), 'the channel keeps streaming');
    const src = (await api.get(t.url, `/api/sources/${source.id}`)) as MediaSource;
    const list = (await api.get(t.url, '/api/sources')) as MediaSource[];
    assert.equal(src.health?.state, 'degraded', `one stream up, one down: ${src.health?.summary}`);
    assert.match(src.health!.summary, /1 of 2 streams seen down/);
    assert.equal(list.find((s) => s.id === source.id)?.health?.state, 'degraded');
    const read = await client.close();
    await fetch(`${t.url}/api/sessions/${ch.number}`, { method: 'DELETE', headers: { 'x-exstreamtv': '1' } });
    assert.equal(read.report.ccErrorTotal, 0);
    assert.equal(t.serverErrors.length, 0, t.serverErrors.join('\n'));
  });
});
