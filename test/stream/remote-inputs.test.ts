// End to end, real ffmpeg on 127.0.0.1: a channel whose items live on a local HTTP server that
// requires a header (403 without it) and serves byte ranges plays continuously across ≥ 6
// boundaries; a channel whose items take a resolver 3 s each never shows the wait; a resolver that
// fails becomes the error slate for its row, with the reason in /api/sessions, and the channel goes on.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileInput, urlInput } from '../../src/engine/ffmpeg/input.js';
import type { ClipSpec } from '../../src/engine/library/clips.js';
import type { LogEvent } from '../../src/engine/events.js';
import type { Locator } from '../../src/schemas/library.js';
import { startMediaServer, type MediaServer } from '../fakes/media-http.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { tempDir } from '../helpers/library.js';
import { api, assertContinuous, assertNoFfmpegLeft, makeClips, maxChunkGap, openTs, readTs, scanLibrary, sleep } from '../helpers/stream.js';

const READ_MS = 30_000;
const TOKEN = { name: 'X-Token', value: 's3cret' };

/** 3–4 s each: ≥ 6 boundaries in 30 s. MP4s without faststart: ffmpeg must seek (range) to the index at the end. */
const CLIPS: Record<string, ClipSpec> = {
  'r1 h264.mp4': { seconds: 4, width: 640, height: 360, fps: '30', vcodec: 'libx264', audio: [{ freq: 440 }] },
  'r2 mpeg2 ac3.mkv': { seconds: 3, width: 720, height: 480, fps: '25', vcodec: 'mpeg2video', pattern: 'smptebars', audio: [{ freq: 550, codec: 'ac3' }] },
  'r3 h264 mono.mp4': { seconds: 3, width: 480, height: 270, fps: '24', vcodec: 'libx264', pattern: 'rgbtestsrc', audio: [{ freq: 660, channels: 1, rate: 44100 }] },
  'r4 mpeg4.avi': { seconds: 4, width: 640, height: 480, fps: '30', vcodec: 'mpeg4', audio: [{ freq: 770, codec: 'mp2' }] },
};

describe('remote inputs: HTTP with a required header and ranges, slow and failing resolvers', () => {
  let t: TestApi;
  let media: string;
  let server: MediaServer;
  let items: Map<string, { id: number; durationMs: number }>;
  const names = Object.keys(CLIPS).sort();
  /** item.changed per channel id: when, and what kind. */
  const changes = new Map<number, { at: number; title: string; kind: string }[]>();
  const logs: LogEvent[] = [];

  const setLocator = (id: number, locator: Locator) =>
    t.engine.store.db.prepare('UPDATE media_items SET locator = ? WHERE id = ?').run(JSON.stringify(locator), id);
  const channel = async (number: number, ids: number[]) => {
    const ch = await api.post(t.url, '/api/channels', { number, name: `Remote ${number}`, content: ids.map((id) => ({ type: 'item', id })) });
    return { number: ch.number as string, id: t.engine.store.channels.findByNumber(ch.number)!.id };
  };


  before(async () => {
    t = await startApi({ listen: true });
    media = await tempDir('exstreamtv-remote');
    await makeClips(media, CLIPS);
    items = await scanLibrary(t.url, media);
    server = await startMediaServer(media, TOKEN);
    t.engine.events.on('log', (l) => logs.push(l));
    t.engine.events.on('item.changed', (e) => {
      const list = changes.get(e.channelId) ?? [];
      list.push({ at: Date.now(), title: e.title, kind: e.kind });
      changes.set(e.channelId, list);
    });
  });

  after(async () => {
    await t?.close();
    await server?.close();
    if (media) await rm(media, { recursive: true, force: true });
    await assertNoFfmpegLeft();
  });

  it('the media server refuses a request without the header and serves ranges with it', async () => {
    const url = server.fileUrl(names[0]!);
    assert.equal((await fetch(url)).status, 403);
    const r = await fetch(url, { headers: { [TOKEN.name]: TOKEN.value, Range: 'bytes=0-187' } });
    assert.equal(r.status, 206);
    assert.equal((await r.arrayBuffer()).byteLength, 188);
  });

  it('HTTP items with a required header: continuous across ≥ 6 boundaries, every request authorised, ranges used', async () => {
    for (const n of names) setLocator(items.get(n)!.id, { type: 'url', url: server.fileUrl(n), headers: { [TOKEN.name]: TOKEN.value, 'User-Agent': 'EXStreamTV-test' } });
    const ch = await channel(11, names.map((n) => items.get(n)!.id));
    const before = server.log.length;
    const ts = await readTs(`${t.url}/stream/channels/${ch.number}.ts`, READ_MS);
    const sessions = await api.get(t.url, '/api/sessions') as { number: string; pieces: { kind: string; why: string | null }[] }[];
    await fetch(`${t.url}/api/sessions/${ch.number}`, { method: 'DELETE', headers: { 'x-exstreamtv': '1' } });
    const reqs = server.log.slice(before);
    console.log(`# media server: ${reqs.length} requests, ${reqs.filter((q) => q.status === 206).length} ranges; changes: ${(changes.get(ch.id) ?? []).map((c) => `${c.kind}:${c.title}`).join(' | ')}`);
    assertContinuous(ts, 'HTTP channel');
    const seen = changes.get(ch.id) ?? [];
    assert.ok(seen.length - 1 >= 6, `${seen.length - 1} boundaries`);
    assert.ok(seen.every((c) => c.kind === 'media'), 'every item played (no error slate)');
    assert.equal(reqs.filter((q) => q.status === 403).length, 0, 'ffmpeg sent the header with every request');
    assert.ok(reqs.every((q) => q.userAgent === 'EXStreamTV-test'), 'and the user agent');
    assert.ok(reqs.some((q) => q.status === 206), 'byte ranges were used (index at the end of an MP4, seeks)');
    const s = sessions.find((x) => x.number === ch.number);
    assert.ok(s && s.pieces.every((p) => p.kind === 'transcode'), JSON.stringify(s?.pieces));
  });

  it('a resolver that takes 3 s never shows in the output (resolved ahead of air)', async () => {
    let calls = 0;
    const unregister = t.engine.streams.resolvers.register('slow-test', async ({ locator, signal }) => {
      calls++;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, 3000);
        signal.addEventListener('abort', () => { clearTimeout(timer); reject(new Error('aborted')); });
      });
      return fileInput(join(media, locator.type === 'resolve' ? locator.key : ''));
    });
    for (const n of names) setLocator(items.get(n)!.id, { type: 'resolve', resolver: 'slow-test', key: n });
    const ch = await channel(12, names.map((n) => items.get(n)!.id));
    // The viewer's buffer: media received minus wall time since its first byte. A wait at a boundary
    // longer than the session's lead (4 s) empties it; a 3 s resolver at air time does (tested without prefetch).
    const client = openTs(`${t.url}/stream/channels/${ch.number}.ts`);
    let minLead = Infinity;
    const until = Date.now() + READ_MS;
    while (Date.now() < until) {
      await sleep(200);
      const first = client.chunks[0]?.at;
      const v = client.analyzer.report().streams.find((x) => x.kind === 'video');
      if (first === undefined || v?.lastDtsS == null || v.firstDtsS == null || Date.now() - first < 5000) continue;
      minLead = Math.min(minLead, (v.lastDtsS - v.firstDtsS) - (Date.now() - first) / 1000);
    }
    const ts = await client.close();
    await fetch(`${t.url}/api/sessions/${ch.number}`, { method: 'DELETE', headers: { 'x-exstreamtv': '1' } });
    unregister();
    assertContinuous(ts, 'slow-resolver channel');
    const seen = changes.get(ch.id) ?? [];
    const first = ts.chunks[0]!.at;
    // After the cold start (which waits for the first resolution), the viewer's buffer never runs dry.
    const gap = maxChunkGap(ts.chunks, first + 1000);
    console.log(`# slow resolver: ${calls} resolutions, first byte after ${first - ts.startedAt} ms, viewer buffer ≥ ${minLead.toFixed(2)} s, largest later silence ${gap} ms; ${seen.length - 1} boundaries`);
    assert.ok(seen.length - 1 >= 6, `${seen.length - 1} boundaries`);
    assert.ok(seen.every((c) => c.kind === 'media'), 'every item played (no error slate)');
    assert.ok(minLead > 0, `the viewer's buffer ran dry (${minLead.toFixed(2)} s): the resolver showed`);
    assert.ok(calls >= 7, `${calls} resolutions`);
  });

  it('a remote input refused on air (a signed URL gone stale before its expiry) is resolved again for the retry, and plays', async () => {
    // A 12 s copy of the first clip on its own server: the refused first attempt leaves most of the
    // row, so the retry runs (under 1.5 s left would end the row with the error slate instead).
    const longDir = await tempDir('exstreamtv-remote-long');
    await makeClips(longDir, { 'long.mp4': { ...CLIPS[names[0]!]!, seconds: 12 } });
    const longServer = await startMediaServer(longDir, TOKEN);
    // The first resolution hands out a token the server no longer takes (403); later ones a good one.
    let calls = 0;
    const unregister = t.engine.streams.resolvers.register('stale-test', async () => {
      calls++;
      return urlInput(longServer.fileUrl('long.mp4'), { [TOKEN.name]: calls === 1 ? 'expired-signature' : TOKEN.value });
    });
    const id = items.get(names[0]!)!.id;
    setLocator(id, { type: 'resolve', resolver: 'stale-test', key: 'long.mp4' });
    t.engine.store.db.prepare('UPDATE media_items SET duration_ms = 12000 WHERE id = ?').run(id);
    try {
      const ch = await channel(14, [id]);
      const ts = await readTs(`${t.url}/stream/channels/${ch.number}.ts`, 8000);
      const s = (await api.get(t.url, '/api/sessions') as any[]).find((x) => x.number === ch.number);
      await fetch(`${t.url}/api/sessions/${ch.number}`, { method: 'DELETE', headers: { 'x-exstreamtv': '1' } });
      const reqs = longServer.log;
      console.log(`# stale URL: ${calls} resolutions, requests ${reqs.map((q) => q.status).join(' ')}, pieces ${s?.pieces.map((p: any) => p.kind).join(', ')}`);
      assertContinuous(ts, 'stale-URL channel');
      assert.equal(reqs[0]?.status, 403, 'the stale URL was refused');
      assert.ok(reqs.some((q) => q.status === 200 || q.status === 206), 'the URL resolved again was served');
      assert.ok(calls >= 2, `${calls} resolutions`);
      assert.ok(s && s.restarts >= 1, 'the refused attempt was retried');
      assert.ok(s.pieces.every((p: any) => p.kind === 'transcode'), `no error slate, the row played after the retry: ${JSON.stringify(s.pieces)}`);
    } finally {
      unregister();
      await longServer.close();
      await rm(longDir, { recursive: true, force: true });
    }
  });

  it('a resolver error is the error slate for its row, with the reason in /api/sessions; the channel goes on', async () => {
    const unregister = t.engine.streams.resolvers.register('flaky-test', async ({ locator }) => {
      if (locator.type === 'resolve' && locator.key === 'bad') throw new Error('upstream said 401: token expired');
      return fileInput(join(media, locator.type === 'resolve' ? locator.key : ''));
    });
    const [a, b] = [items.get(names[1]!)!.id, items.get(names[2]!)!.id];
    setLocator(a, { type: 'resolve', resolver: 'flaky-test', key: 'bad' });
    setLocator(b, { type: 'resolve', resolver: 'flaky-test', key: names[2]! });
    const ch = await channel(13, [a, b]);
    const ts = await readTs(`${t.url}/stream/channels/${ch.number}.ts`, 9000);
    const s = (await api.get(t.url, '/api/sessions') as any[]).find((x) => x.number === ch.number);
    await fetch(`${t.url}/api/sessions/${ch.number}`, { method: 'DELETE', headers: { 'x-exstreamtv': '1' } });
    unregister();
    assertContinuous(ts, 'failing-resolver channel');
    assert.ok(s, 'session listed');
    const slate = s.pieces.find((p: any) => p.kind === 'slate');
    assert.ok(slate && /flaky-test.*token expired/.test(slate.why), `slate with the reason: ${JSON.stringify(s.pieces)}`);
    assert.match(s.lastError, /token expired/);
    assert.ok(s.pieces.some((p: any) => p.kind === 'transcode'), `the next row played: ${JSON.stringify(s.pieces)}`);
    assert.ok(logs.some((l) => l.channel === ch.number && l.level === 'warn' && /token expired/.test(l.msg)), 'the reason is in the log');
  });
});
