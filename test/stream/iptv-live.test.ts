// End to end, real ffmpeg on 127.0.0.1: an IPTV stream imported from a playlist airs as a live item
// (no -re, no seek); when the provider drops it the channel shows the offline slate and keeps
// streaming, tries the source again with backoff, and goes back to it once it returns — one clean
// MPEG-TS throughout (0 CC errors, one program, monotonic timestamps).
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { LogEvent } from '../../src/engine/events.js';
import { startIptvServer, type IptvServer } from '../fakes/iptv-http.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { closeIptvTest } from '../helpers/iptv.js';
import { tempDir } from '../helpers/library.js';
import { makeClip } from '../helpers/media.js';
import { api, openTs, sleep, waitFor } from '../helpers/stream.js';
import { avStreams, summary } from '../helpers/ts-analyze.js';

const CLIP_S = 60;

describe('IPTV live item: drops and returns', () => {
  let t: TestApi;
  let dir = '';
  let fake: IptvServer;
  const logs: LogEvent[] = [];

  before(async () => {
    dir = await tempDir('iptv-live');
    const ts = await makeClip(dir, 'live.ts', { duration: CLIP_S, size: '320x240' });
    fake = await startIptvServer({ liveTs: { file: ts, bytesPerSecond: Math.ceil((await stat(ts)).size / CLIP_S) } });
    fake.page('/tv.m3u', `#EXTM3U\n#EXTINF:-1 tvg-id="live.one",Live One\n${fake.url}/live/one.ts|User-Agent=IPTV-test\n`);
    t = await startApi({ listen: true });
    t.engine.events.on('log', (l) => logs.push(l));
  });
  after(() => closeIptvTest(t, fake, dir));

  it('plays live, shows the offline slate while the source is down, and returns to it', async () => {
    const src = await api.post(t.url, '/api/sources/iptv', { playlist: `${fake.url}/tv.m3u` }) as { id: number };
    const item = t.engine.store.db.prepare('SELECT id FROM media_items WHERE source_id = ?').get(src.id) as { id: number };
    const ch = await api.post(t.url, '/api/channels', { number: 40, name: 'IPTV', content: [{ type: 'item', id: item.id }] }) as { number: string };
    const client = openTs(`${t.url}/stream/channels/${ch.number}.ts`);
    const pieces = async () => ((await api.get(t.url, '/api/sessions')) as { number: string; pieces: { kind: string; why: string | null }[] }[])
      .find((s) => s.number === ch.number)?.pieces ?? [];
    assert.ok(await waitFor(async () => (await pieces()).some((p) => p.kind === 'live') && client.bytes > 100_000, 30_000), 'the live piece plays');
    await sleep(3000);
    fake.kill();
    assert.ok(await waitFor(async () => (await pieces()).some((p) => p.kind === 'slate' && /live source down/.test(p.why ?? '')), 40_000), 'offline slate while down');
    const bytesAtSlate = client.bytes;
    assert.ok(await waitFor(() => client.bytes > bytesAtSlate + 50_000, 15_000), 'the channel keeps streaming while its source is down');
    fake.revive();
    assert.ok(await waitFor(async () => (await pieces()).filter((p) => p.kind === 'live').length >= 2, 40_000), 'back to the live source');
    await sleep(4000);
    const read = await client.close();
    const final = await pieces();
    await fetch(`${t.url}/api/sessions/${ch.number}`, { method: 'DELETE', headers: { 'x-exstreamtv': '1' } });
    const r = read.report;
    const { video, audio } = avStreams(r);
    console.log(`# IPTV drop+return: ${(read.bytes / 1e6).toFixed(1)} MB; ${summary(r)}; pieces ${final.map((p) => p.kind).join(',')}`);
    assert.equal(read.status, 200);
    assert.equal(r.programs.length, 1, 'one program');
    assert.equal(r.ccErrorTotal, 0, `CC errors: ${summary(r)}`);
    assert.equal(video.nonMonotonic, 0, 'video DTS strictly increasing');
    assert.equal(audio.nonMonotonic, 0, 'audio DTS strictly increasing');
    const kinds = final.map((p) => p.kind);
    const firstSlate = kinds.indexOf('slate');
    assert.ok(kinds.indexOf('live') < firstSlate && kinds.lastIndexOf('live') > firstSlate, `live, slate, live: ${kinds.join(',')}`);
    assert.ok(logs.some((l) => /live source of "Live One" is down .* trying again in \d+ s/.test(l.msg)), 'the outage and retry are logged');
    assert.ok(fake.log.filter((q) => q.path === '/live/one.ts').every((q) => q.userAgent === 'IPTV-test'), 'every request carried the playlist user agent');
  });
});
