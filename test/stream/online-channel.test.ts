// End to end, real ffmpeg on 127.0.0.1: one channel whose schedule mixes a local file, an Archive.org
// item (fake Archive.org: /download/ → 302 → byte ranges) and two YouTube videos (fake yt-dlp: one
// as separate video and audio URLs — two ffmpeg inputs —, one muxed whose first URL answers 403 and
// is resolved again) crosses those boundaries continuously: one program, 0 CC errors, no error slate.
import assert from 'node:assert/strict';
import { execa } from 'execa';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ClipSpec } from '../../src/engine/library/clips.js';
import { startFakeArchive, type FakeArchive } from '../fakes/archive.js';
import { startFakeYoutube, type FakeYoutube } from '../fakes/youtube.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { tempDir } from '../helpers/library.js';
import { FFMPEG } from '../helpers/media.js';
import { api, assertContinuous, assertNoFfmpegLeft, makeClips, openTs, scanLibrary, waitFor } from '../helpers/stream.js';

/** Read until every item aired and 4 boundaries passed (a loaded machine may fall behind and skip ahead), at most this long. */
const READ_MAX_MS = 120_000;
const CLIPS: Record<string, ClipSpec> = {
  'Local.mp4': { seconds: 4, width: 640, height: 360, fps: '25', vcodec: 'libx264', audio: [{ freq: 440 }] },
  'HisGirlFriday1940.mp4': { seconds: 4, width: 640, height: 480, fps: '24', vcodec: 'libx264', pattern: 'smptebars', audio: [{ freq: 550 }] },
  'yt-video.mp4': { seconds: 4, width: 640, height: 360, fps: '25', vcodec: 'libx264', pattern: 'rgbtestsrc' },
  'yt-muxed.mp4': { seconds: 3, width: 640, height: 360, fps: '25', vcodec: 'libx264', pattern: 'testsrc', audio: [{ freq: 770 }] },
};

describe('a channel mixing a local file, Archive.org and YouTube', () => {
  let dir = '';
  let archive: FakeArchive;
  let yt: FakeYoutube;
  let t: TestApi;

  before(async () => {
    dir = await tempDir('online-channel');
    const local = join(dir, 'local');
    const remote = join(dir, 'remote');
    await makeClips(local, { 'Local.mp4': CLIPS['Local.mp4']! });
    await makeClips(remote, Object.fromEntries(Object.entries(CLIPS).filter(([k]) => k !== 'Local.mp4')));
    await execa(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=660:sample_rate=44100:duration=4', '-c:a', 'aac', '-b:a', '128k', join(remote, 'yt-audio.m4a')]);
    archive = await startFakeArchive();
    archive.addItem('his_girl_friday_1940', { 'HisGirlFriday1940.mp4': join(remote, 'HisGirlFriday1940.mp4') });
    yt = await startFakeYoutube(dir, remote);
    yt.addVideo('aaaaaaaaaaa', { title: 'Two Inputs', duration: 4, video: 'yt-video.mp4', audio: 'yt-audio.m4a' });
    yt.addVideo('bbbbbbbbbbb', { title: 'Muxed', duration: 3, video: 'yt-muxed.mp4' });
    yt.addPlaylist('https://www.youtube.com/playlist?list=PLmixed', 'Mixed', ['aaaaaaaaaaa', 'bbbbbbbbbbb']);
    t = await startApi({ listen: true, config: { archiveUrl: archive.url, ytDlpPath: yt.ytDlp } });
    await scanLibrary(t.url, local);
  });

  after(async () => {
    await t?.close();
    await archive?.close();
    await yt?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    await assertNoFfmpegLeft();
  });

  const addAndScan = async (path: string, body: unknown) => {
    const source = await api.post(t.url, path, body);
    const scan = await api.post(t.url, `/api/sources/${source.id}/scan`);
    assert.equal((await t.engine.scans.wait(scan.id)).state, 'done');
    return (await api.get(t.url, `/api/items?sourceId=${source.id}`)).items as { id: number; title: string }[];
  };

  it('crosses local → Archive.org → YouTube (two inputs) → YouTube (403, resolved again) continuously', async () => {
    const localItem = (await api.get(t.url, '/api/items?q=Local')).items[0] as { id: number };
    const [film] = await addAndScan('/api/sources/archive', { identifiers: ['his_girl_friday_1940'] });
    const videos = await addAndScan('/api/sources/youtube', { url: 'https://www.youtube.com/playlist?list=PLmixed' });
    const byTitle = (s: string) => videos.find((v) => v.title === s)!.id;
    yt.forbidFirst('bbbbbbbbbbb');
    const ids = [localItem.id, film!.id, byTitle('Two Inputs'), byTitle('Muxed')];
    const ch = await api.post(t.url, '/api/channels', { number: 31, name: 'Online', content: ids.map((id) => ({ type: 'item', id })) });
    const channelId = t.engine.store.channels.findByNumber(ch.number)!.id;
    const seen: string[] = [];
    t.engine.events.on('item.changed', (e) => { if (e.channelId === channelId) seen.push(`${e.kind}:${e.title}`); });
    const client = openTs(`${t.url}/stream/channels/31.ts`);
    const TITLES = ['Local', 'His Girl Friday', 'Two Inputs', 'Muxed'];
    await waitFor(() => seen.length >= 5 && TITLES.every((x) => seen.includes(`media:${x}`)), READ_MAX_MS, 200);
    const ts = await client.close();
    const sessions = await api.get(t.url, '/api/sessions') as { number: string; pieces: { title: string; kind: string }[]; lastError: string | null }[];
    await fetch(`${t.url}/api/sessions/31`, { method: 'DELETE', headers: { 'x-exstreamtv': '1' } });
    const pieces = sessions.find((s) => s.number === '31')?.pieces ?? [];
    console.log(`# online channel: ${seen.join(' | ')}`);
    assertContinuous(ts, 'local + Archive.org + YouTube channel');
    assert.ok(seen.length - 1 >= 4, `${seen.length - 1} boundaries: ${seen.join(' | ')}`);
    assert.ok(seen.every((c) => c.startsWith('media:')), `no error slate: ${JSON.stringify(pieces)}`);
    for (const title of TITLES) assert.ok(seen.includes(`media:${title}`), `${title} aired`);
    const served = archive.log.filter((r) => r.path.startsWith('/serve/his_girl_friday_1940/'));
    assert.ok(archive.log.some((r) => r.path === '/download/his_girl_friday_1940/HisGirlFriday1940.mp4' && r.status === 302), 'the stable /download/ URL');
    assert.ok(served.length > 0 && served.every((r) => r.status === 200 || r.status === 206) && served.some((r) => r.range), 'the data node with byte ranges');
    const media = (id: string) => yt.requests.filter((r) => r.id === id);
    assert.deepEqual([...new Set(media('aaaaaaaaaaa').filter((r) => r.status === 206 || r.status === 200).map((r) => r.file))].sort(), ['yt-audio.m4a', 'yt-video.mp4'], 'video and audio read as two inputs');
    assert.equal(media('bbbbbbbbbbb')[0]?.status, 403, 'the first URL of the muxed video answered 403');
    assert.ok(media('bbbbbbbbbbb').slice(1).some((r) => r.status === 206 || r.status === 200), 'and the one resolved again played');
  });
});
