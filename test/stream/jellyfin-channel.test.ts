// End to end, real ffmpeg on 127.0.0.1: a channel built from a fake Jellyfin library (synced over
// the API) streams continuously across ≥ 4 boundaries, every media request direct play with the
// MediaBrowser auth header and byte ranges; with path replacement the same channel reads the local
// files (the fake sees no media request). The same from a fake Plex section ({base}{Part.key} with
// X-Plex-Token as a header).
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ClipSpec } from '../../src/engine/library/clips.js';
import { tokenFile } from '../../src/engine/library/servers/tokens.js';
import { startFakeJellyfin, type FakeJellyfin } from '../fakes/jellyfin.js';
import { startFakePlex, type FakePlex } from '../fakes/plex.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { tempDir } from '../helpers/library.js';
import { api, assertContinuous, assertNoFfmpegLeft, makeClips, readTs } from '../helpers/stream.js';

const READ_MS = 24_000;
/** 3–4 s each (MP4 without faststart: ffmpeg must range-request the index at the end). */
const CLIPS: Record<string, ClipSpec> = {
  'S01E01.mp4': { seconds: 4, width: 640, height: 360, fps: '30', vcodec: 'libx264', audio: [{ freq: 440 }] },
  'S01E02.mp4': { seconds: 3, width: 480, height: 270, fps: '25', vcodec: 'libx264', pattern: 'smptebars', audio: [{ freq: 550 }] },
  'S01E03.mkv': { seconds: 3, width: 720, height: 480, fps: '25', vcodec: 'mpeg2video', audio: [{ freq: 660, codec: 'ac3' }] },
  'S01E04.mp4': { seconds: 4, width: 640, height: 360, fps: '24', vcodec: 'mpeg4', pattern: 'rgbtestsrc', audio: [{ freq: 770, channels: 1 }] },
};

describe('a channel from a Jellyfin library', () => {
  let t: TestApi;
  let jf: FakeJellyfin;
  let plex: FakePlex | undefined;
  let media: string;
  let sourceId: number;
  let ids: number[];
  const changes = new Map<number, string[]>();


  const play = async (number: number, items = ids) => {
    const ch = await api.post(t.url, '/api/channels', { number, name: `Server ${number}`, content: items.map((id) => ({ type: 'item', id })) });
    const channelId = t.engine.store.channels.findByNumber(ch.number)!.id;
    const ts = await readTs(`${t.url}/stream/channels/${ch.number}.ts`, READ_MS);
    const sessions = await api.get(t.url, '/api/sessions') as { number: string; pieces: { kind: string; why: string | null }[] }[];
    await fetch(`${t.url}/api/sessions/${ch.number}`, { method: 'DELETE', headers: { 'x-exstreamtv': '1' } });
    return { ts, seen: changes.get(channelId) ?? [], session: sessions.find((s) => s.number === ch.number) };
  };

  before(async () => {
    media = await tempDir('exstreamtv-jellyfin');
    await makeClips(media, CLIPS);
    jf = await startFakeJellyfin();
    const lib = jf.addLibrary('TV Shows', 'tvshows', '/srv/jellyfin/tv');
    const series = jf.addSeries(lib, 'Test Pattern Theatre');
    Object.entries(CLIPS).forEach(([name, spec], i) => {
      jf.addEpisode(lib, series, { season: 1, episode: i + 1, name: `Part ${i + 1}`, seconds: spec.seconds, file: join(media, name), path: `/srv/jellyfin/tv/Test Pattern Theatre/${name}` });
    });
    t = await startApi({ listen: true });
    t.engine.events.on('item.changed', (e) => changes.set(e.channelId, [...(changes.get(e.channelId) ?? []), `${e.kind}:${e.title}`]));
    const source = await api.post(t.url, '/api/servers/sources', { kind: 'jellyfin', url: jf.url, username: 'alice', password: 'correct horse', library: 'TV Shows' });
    sourceId = source.id;
    const scan = await api.post(t.url, `/api/sources/${sourceId}/scan`);
    assert.equal((await t.engine.scans.wait(scan.id)).state, 'done');
    const items = (await api.get(t.url, `/api/items?sourceId=${sourceId}`)).items as { id: number; episodeNumber: number }[];
    ids = items.sort((a, b) => a.episodeNumber - b.episodeNumber).map((i) => i.id);
    assert.equal(ids.length, 4);
  });

  after(async () => {
    await t?.close();
    await jf?.close();
    await plex?.close();
    if (media) await rm(media, { recursive: true, force: true });
    await assertNoFfmpegLeft();
  });

  it('direct play over HTTP with the MediaBrowser header: continuous across ≥ 4 boundaries', async () => {
    const before = jf.mediaRequests().length;
    const { ts, seen, session } = await play(21);
    const reqs = jf.mediaRequests().slice(before);
    console.log(`# fake Jellyfin: ${reqs.length} media requests, ${reqs.filter((q) => q.status === 206).length} ranges; ${seen.join(' | ')}`);
    assertContinuous(ts, 'Jellyfin channel');
    assert.ok(seen.length - 1 >= 4, `${seen.length - 1} boundaries`);
    assert.ok(seen.every((c) => c.startsWith('media:')), `every item played (no error slate): ${JSON.stringify(session?.pieces)}`);
    assert.ok(reqs.length >= 4, 'the media came from the server');
    assert.ok(reqs.every((q) => q.status === 200 || q.status === 206), `all authorised: ${reqs.map((q) => q.status)}`);
    assert.ok(reqs.every((q) => /^MediaBrowser .*Token="[0-9a-f]{32}"/.test(q.auth ?? '') && q.query.get('static') === 'true'));
    assert.ok(reqs.some((q) => q.status === 206), 'byte ranges were used');
  });

  it('with path replacement the same channel reads the local files (no media request)', async () => {
    const r = await fetch(`${t.url}/api/sources/${sourceId}/path-map`, {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pathMap: [{ from: '/srv/jellyfin/tv/Test Pattern Theatre', to: media }] }),
    });
    assert.equal(r.status, 200);
    // A broken token would fail every HTTP request: path replacement never needs the server.
    await writeFile(tokenFile(t.engine.config.dataDir, sourceId), 'revoked\n', { mode: 0o600 });
    const before = jf.log.length;
    const { ts, seen } = await play(22);
    assertContinuous(ts, 'path-replaced channel');
    assert.ok(seen.length - 1 >= 4, `${seen.length - 1} boundaries`);
    assert.ok(seen.every((c) => c.startsWith('media:')), seen.join(' | '));
    assert.deepEqual(jf.log.slice(before).map((q) => q.path), [], 'the server saw no request at all');
  });

  it('a Plex section: {base}{Part.key} with X-Plex-Token as a header, continuous across ≥ 4 boundaries', async () => {
    plex = await startFakePlex();
    const section = plex.addSection('TV Shows', 'show', '/data/tv');
    const show = plex.addShow(section, 'Test Pattern Theatre');
    Object.entries(CLIPS).forEach(([name, spec], i) => {
      plex!.addEpisode(section, show, { season: 1, episode: i + 1, title: `Part ${i + 1}`, seconds: spec.seconds, file: join(media, name), path: `/data/tv/Test Pattern Theatre/${name}` });
    });
    const source = await api.post(t.url, '/api/servers/sources', { kind: 'plex', url: plex.url, token: plex.token, library: 'TV Shows' });
    const scan = await api.post(t.url, `/api/sources/${source.id}/scan`);
    assert.equal((await t.engine.scans.wait(scan.id)).state, 'done');
    const items = (await api.get(t.url, `/api/items?sourceId=${source.id}`)).items as { id: number; episodeNumber: number }[];
    const { ts, seen } = await play(23, items.sort((a, b) => a.episodeNumber - b.episodeNumber).map((i) => i.id));
    const parts = plex.log.filter((q) => q.path.startsWith('/library/parts/'));
    assertContinuous(ts, 'Plex channel');
    assert.ok(seen.length - 1 >= 4, `${seen.length - 1} boundaries`);
    assert.ok(seen.every((c) => c.startsWith('media:')), seen.join(' | '));
    assert.ok(parts.length >= 4 && parts.every((q) => q.status === 200 || q.status === 206), `parts: ${parts.map((q) => q.status)}`);
    assert.ok(parts.every((q) => q.token === plex!.token && q.clientId), 'token and client identifier on every part request');
  });
});
