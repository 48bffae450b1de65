// YouTube sources over the API through a fake yt-dlp (a script printing recorded-shape JSON with URLs
// at a local media server): yt-dlp missing, unset or too old refused with nothing stored; a playlist
// listed with --flat-playlist -J and each video read with -j once (incremental rescans); the air-time
// resolver: separate video and audio inputs with their expiry, one re-resolution on a 403, a second
// 403 an error, a hung yt-dlp killed at the resolver's timeout. And the two-input ffmpeg argv.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { directArgs } from '../../../../src/engine/ffmpeg/direct.js';
import { normaliseArgs } from '../../../../src/engine/ffmpeg/normalise.js';
import { urlInput } from '../../../../src/engine/ffmpeg/input.js';
import { checkVersion, ytDlpInfo } from '../../../../src/engine/library/youtube/ytdlp.js';
import { youtubeResolver } from '../../../../src/engine/library/youtube/resolver.js';
import { listingUrl } from '../../../../src/engine/library/youtube/videos.js';
import { ResolveError, ResolverRegistry } from '../../../../src/engine/stream/resolvers.js';
import { startFakeYoutube, type FakeYoutube } from '../../../fakes/youtube.js';
import { startApi, type TestApi } from '../../../helpers/api.js';
import { tempDir } from '../../../helpers/library.js';
import { makeClip } from '../../../helpers/media.js';
import { alive, waitFor } from '../../../helpers/stream.js';

const PLAYLIST = 'https://www.youtube.com/playlist?list=PLtestpattern';
const profile = { width: 640, height: 360, fps: 25, videoBitrateK: 1000, audioBitrateK: 128, audioRate: 48000, audioChannels: 2 } as const;

describe('YouTube sources', () => {
  let dir = '';
  let yt: FakeYoutube;
  let old: FakeYoutube;
  let t: TestApi;
  const runs = (flag: string) => yt.runs().filter((r) => r.args.includes(flag));

  before(async () => {
    dir = await tempDir('youtube');
    await makeClip(dir, 'clip.mp4', { duration: 2 });
    yt = await startFakeYoutube(dir, dir);
    yt.addVideo('aaaaaaaaaaa', { title: 'Test Pattern One', duration: 4, video: 'clip.mp4', audio: 'clip.mp4', uploadDate: '20240517' });
    yt.addVideo('bbbbbbbbbbb', { title: 'Test Pattern Two', duration: 3, video: 'clip.mp4' });
    yt.addPlaylist(PLAYLIST, 'Test Patterns', ['aaaaaaaaaaa', 'ccccccccccc', 'bbbbbbbbbbb']);
    const oldDir = await tempDir('youtube-old');
    old = await startFakeYoutube(oldDir, dir, '2023.03.04');
    t = await startApi({ config: { ytDlpPath: yt.ytDlp } });
  });
  after(async () => {
    await t?.close();
    await yt?.close();
    await old?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('versions: Debian\'s 2023 yt-dlp is too old; a stale one gets a warning', () => {
    assert.throws(() => checkVersion('/usr/bin/yt-dlp', '2023.03.04'), /too old for YouTube .*Debian's yt-dlp package is from 2023/);
    assert.throws(() => checkVersion('/x', 'not a version'), /not a yt-dlp version/);
    const now = Date.UTC(2026, 11, 7);
    assert.equal(checkVersion('/x', '2026.11.20', now).warning, null);
    assert.match(checkVersion('/x', '2025.06.30.232815', now).warning ?? '', /is 525 days old/);
  });

  it('a channel\'s own page is read through its Videos tab; other URLs as given', () => {
    assert.equal(listingUrl('https://www.youtube.com/@SomeChannel'), 'https://www.youtube.com/@SomeChannel/videos');
    assert.equal(listingUrl('https://youtube.com/channel/UCxxxxxxxxxxxxxxxxxxxxxx/'), 'https://youtube.com/channel/UCxxxxxxxxxxxxxxxxxxxxxx/videos');
    assert.equal(listingUrl('https://www.youtube.com/@SomeChannel/streams'), 'https://www.youtube.com/@SomeChannel/streams');
    assert.equal(listingUrl(PLAYLIST), PLAYLIST);
  });

  it('yt-dlp unset, missing or too old: 400 naming ytDlpPath, nothing stored; GET /api/youtube/yt-dlp says why', async () => {
    const ok = await t.call('GET', '/api/youtube/yt-dlp');
    assert.deepEqual(ok.body, { ok: true, path: yt.ytDlp, version: '2025.11.12', message: ok.body.message });
    for (const ytDlpPath of [undefined, `${dir}/no-such-yt-dlp`, old.ytDlp]) {
      const u = await startApi({ config: ytDlpPath ? { ytDlpPath } : {} });
      try {
        const body = await u.rejects('POST', '/api/sources/youtube', { url: PLAYLIST }, 400, 'ytDlpPath');
        assert.match(body.message, ytDlpPath === undefined ? /no yt-dlp is configured/ : ytDlpPath === old.ytDlp ? /2023\.03\.04 .* too old/ : /not found at/);
        const status = (await u.call('GET', '/api/youtube/yt-dlp')).body;
        assert.equal(status.ok, false);
        if (ytDlpPath === old.ytDlp) assert.equal(status.version, '2023.03.04');
      } finally { await u.close(); }
    }
    assert.equal(old.runs().length, 0, 'a too-old yt-dlp is never asked for anything but its version');
    const path = process.env.PATH;
    process.env.PATH = `${dirname(yt.ytDlp)}:${path}`;
    try {
      assert.equal((await ytDlpInfo('yt-dlp')).path, yt.ytDlp, 'a bare command name is looked up on PATH');
    } finally { process.env.PATH = path; }
  });

  it('a playlist: --flat-playlist -J, then -j per video once; an unavailable video skipped; rescans add no -j', async () => {
    await t.rejects('POST', '/api/sources/youtube', { url: 'https://www.youtube.com/playlist?list=PLnothere' }, 400, 'url');
    const add = await t.call('POST', '/api/sources/youtube', { url: PLAYLIST });
    assert.equal(add.status, 201, JSON.stringify(add.body));
    const scan = async () => t.engine.scans.wait((await t.call('POST', `/api/sources/${add.body.id}/scan`)).body.id);
    let s = await scan();
    assert.deepEqual([s.state, s.added, s.unreadable], ['done', 2, 1], s.error ?? '');
    const items = (await t.call('GET', `/api/items?sourceId=${add.body.id}`)).body.items as any[];
    assert.deepEqual(items.map((i) => [i.title, i.durationMs, i.locator]).sort(), [
      ['Test Pattern One', 4000, { type: 'resolve', resolver: 'youtube', key: 'aaaaaaaaaaa' }],
      ['Test Pattern Two', 3000, { type: 'resolve', resolver: 'youtube', key: 'bbbbbbbbbbb' }],
    ]);
    assert.equal(items.find((i) => i.title === 'Test Pattern One').releaseDate, '2024-05-17');
    assert.ok(runs('--flat-playlist').filter((r) => r.args.at(-1) === PLAYLIST).every((r) => r.args.includes('-J')));
    assert.equal(runs('--flat-playlist').filter((r) => r.args.at(-1) === PLAYLIST).length, 2, 'listed at add and at the scan');
    assert.deepEqual(runs('-j').map((r) => r.args.at(-1)).sort(), ['aaaaaaaaaaa', 'bbbbbbbbbbb', 'ccccccccccc'].map((id) => `https://www.youtube.com/watch?v=${id}`));
    const jBefore = runs('-j').length;
    s = await scan();
    assert.deepEqual([s.state, s.unchanged], ['done', 2]);
    assert.equal(runs('-j').length - jBefore, 1, 'only the unavailable video is asked again');
    yt.set({ garbage: true });
    try {
      s = await scan();
    } finally { yt.set({ garbage: false }); }
    assert.equal(s.state, 'failed');
    assert.match(s.error ?? '', /yt-dlp printed no JSON/);
    assert.deepEqual((await t.call('GET', `/api/items?sourceId=${add.body.id}`)).body.items, items, 'a failed scan changes nothing');
  });

  it('resolves shortly before air: separate video and audio inputs with expiry and headers; one muxed URL', async () => {
    const registry = new ResolverRegistry();
    registry.register('youtube', youtubeResolver(() => yt.ytDlp));
    const locator = (key: string) => ({ type: 'resolve' as const, resolver: 'youtube', key });
    const two = await registry.resolve({ locator: locator('aaaaaaaaaaa'), itemId: 1, title: 'x' });
    assert.match(two.url, /\/videoplayback\/aaaaaaaaaaa\/clip\.mp4\?expire=\d+.*itag=136/);
    assert.match(two.audioInput?.url ?? '', /itag=140/);
    assert.ok(two.expiresAt! > Date.now() + 5 * 3600_000 && two.expiresAt! <= Date.now() + 6 * 3600_000 + 1000);
    assert.match(two.userAgent ?? '', /^Mozilla\/5\.0/);
    assert.equal(two.headers?.['Sec-Fetch-Mode'], 'navigate');
    const runsBefore = yt.runs().length;
    assert.equal((await registry.resolve({ locator: locator('aaaaaaaaaaa'), itemId: 1, title: 'x' })).url, two.url, 'airing again reuses the URL');
    assert.equal(yt.runs().length, runsBefore, 'without running yt-dlp');
    const one = await registry.resolve({ locator: locator('bbbbbbbbbbb'), itemId: 2, title: 'y' });
    assert.equal(one.audioInput, undefined);
    assert.match(one.url, /itag=18/);
    assert.ok(runs('-f').every((r) => r.args[r.args.indexOf('-f') + 1]!.startsWith('bv*[height<=1080][vcodec^=avc1]+ba')));
  });

  it('a 403 is resolved once more; a second 403 is an error; a hung yt-dlp is killed at the timeout', async () => {
    const registry = new ResolverRegistry();
    registry.register('youtube', youtubeResolver(() => yt.ytDlp));
    const quick = new ResolverRegistry(3000);
    quick.register('youtube', youtubeResolver(() => yt.ytDlp));
    const locator = (key: string) => ({ type: 'resolve' as const, resolver: 'youtube', key });
    yt.forbidFirst('bbbbbbbbbbb');
    const before = runs('-f').length;
    const again = await registry.resolve({ locator: locator('bbbbbbbbbbb'), itemId: 2, title: 'y' });
    assert.equal(runs('-f').length - before, 2, 'resolved twice');
    assert.deepEqual(yt.requests.filter((r) => r.id === 'bbbbbbbbbbb').slice(-2).map((r) => r.status), [403, 206]);
    assert.equal(new URL(again.url).searchParams.get('n'), String(yt.runs().length));
    yt.forbidAlways('aaaaaaaaaaa');
    await assert.rejects(registry.resolve({ locator: locator('aaaaaaaaaaa'), itemId: 1, title: 'x' }), (e: Error) => e instanceof ResolveError && /HTTP 403 .* twice/.test(e.message));
    yt.set({ hang: ['ddddddddddd'] });
    await assert.rejects(quick.resolve({ locator: locator('ddddddddddd'), itemId: 3, title: 'z' }), /timed out after 3\.0 s/);
    const hung = yt.runs().at(-1)!;
    assert.equal(hung.args.at(-1), 'https://www.youtube.com/watch?v=ddddddddddd');
    assert.ok(await waitFor(() => !alive(hung.pid), 10_000), 'the hung yt-dlp was killed');
  });

  it('two inputs in the argv: the audio mapped from input 1, after it the watermark and silence inputs', () => {
    const input = { ...urlInput('http://127.0.0.1:1/v.mp4', { 'User-Agent': 'UA' }), audioInput: urlInput('http://127.0.0.1:1/a.m4a', { 'User-Agent': 'UA' }) };
    const video = { index: 0, codec: 'h264', width: 640, height: 360, fps: 25, pixFmt: 'yuv420p', sar: '1:1', fieldOrder: 'progressive' } as never;
    const args = normaliseArgs({ input, seekMs: 2000, playMs: 3000, video, audio: { index: 1 } }, profile as never);
    const inputs = args.flatMap((a, i) => (a === '-i' ? [args[i + 1]] : []));
    assert.deepEqual(inputs, ['http://127.0.0.1:1/v.mp4', 'http://127.0.0.1:1/a.m4a']);
    assert.equal(args.filter((a) => a === '-ss').length, 2, 'both inputs seek');
    assert.equal(args[args.indexOf('-map', args.indexOf('-map') + 1) + 1], '1:a:0');
    const direct = directArgs({ input, seekMs: 0, playMs: 3000, video, audio: { index: 1 }, copyAudio: false }, profile as never);
    assert.deepEqual(direct.slice(direct.indexOf('-map'), direct.indexOf('-map') + 4), ['-map', '0:0', '-map', '1:a:0']);
  });
});
