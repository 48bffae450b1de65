// A live channel whose stream matches its profile is copied, not transcoded: the stream is probed
// once when it becomes a channel (with the playlist's user agent), and a profile in auto mode then
// copies its picture (piece "direct"; its MPEG audio is encoded to the profile's AAC), one clean MPEG-TS.
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Channel } from '../../src/schemas/channel.js';
import type { MediaItemDetail, MediaSource } from '../../src/schemas/library.js';
import type { SessionStats } from '../../src/schemas/session.js';
import { startIptvServer, type IptvServer } from '../fakes/iptv-http.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { closeIptvTest } from '../helpers/iptv.js';
import { tempDir } from '../helpers/library.js';
import { makeClip } from '../helpers/media.js';
import { api, openTs, waitFor } from '../helpers/stream.js';
import { summary } from '../helpers/ts-analyze.js';

const CLIP_S = 30;

describe('IPTV live channel: copied when it matches the profile', () => {
  let t: TestApi;
  let dir = '';
  let fake: IptvServer;

  before(async () => {
    dir = await tempDir('iptv-direct');
    const ts = await makeClip(dir, 'live.ts', { duration: CLIP_S, size: '320x240', fps: 25 });
    fake = await startIptvServer({ liveTs: { file: ts, bytesPerSecond: Math.ceil((await stat(ts)).size / CLIP_S) } });
    fake.page('/tv.m3u', `#EXTM3U\n#EXTINF:-1 tvg-id="cam" tvg-chno="30",Camera\n${fake.url}/live/cam.ts|User-Agent=Probe-UA\n`);
    t = await startApi({ listen: true });
  });
  after(() => closeIptvTest(t, fake, dir));

  it('probes the stream when it becomes a channel and copies its picture in auto mode', async () => {
    await api.post(t.url, '/api/profiles', { name: 'copy-240', width: 320, height: 240, fps: 25, videoBitrateK: 800, mode: 'auto' });
    const source = await api.post(t.url, '/api/sources/iptv', { playlist: `${fake.url}/tv.m3u` }) as MediaSource;
    const t0 = Date.now();
    const [ch] = await api.post(t.url, `/api/sources/${source.id}/channels`, { entries: ['cam'], profile: 'copy-240' }) as Channel[];
    console.log(`# channel with probe: ${Date.now() - t0} ms`);
    assert.equal(ch!.number, '30');
    assert.equal(ch!.stream.profile, 'copy-240');
    const item = await api.get(t.url, `/api/items/${ch!.content[0]!.id}`) as MediaItemDetail;
    assert.deepEqual(item.streams.map((s) => [s.type, s.codec, s.width]), [['video', 'h264', 320], ['audio', 'mp2', null]], 'probed facts stored');
    assert.ok(fake.log.some((q) => q.path === '/live/cam.ts' && q.userAgent === 'Probe-UA'), 'the probe sent the playlist user agent');

    const client = openTs(`${t.url}/stream/channels/30.ts`);
    const session = async () => ((await api.get(t.url, '/api/sessions')) as SessionStats[]).find((s) => s.number === '30');
    assert.ok(await waitFor(async () => (await session())?.live?.state === 'up' && client.bytes > 50_000, 30_000), 'the copied stream plays');
    console.log(`# tuned and up: ${Date.now() - t0} ms`);
    const s = await session();
    const read = await client.close();
    await fetch(`${t.url}/api/sessions/30`, { method: 'DELETE', headers: { 'x-exstreamtv': '1' } });
    assert.equal(s?.piece, 'direct', `copied: ${JSON.stringify(s?.pieces)}`);
    assert.match(s?.pieces.at(-1)?.why ?? '', /audio encoded: audio codec mp2/, 'the picture is copied, the MPEG audio encoded to AAC');
    assert.equal(read.report.programs.length, 1);
    assert.equal(read.report.ccErrorTotal, 0, summary(read.report));
  });
});
