// `exstreamtv source add archive|youtube` and `source yt-dlp` through the real binary (in-process
// engine, real SQLite file) against a fake Archive.org and a fake yt-dlp on 127.0.0.1: added and
// scanned with progress; an HTML search or a too-old yt-dlp exits non-zero, says why, adds nothing.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { startFakeArchive, type FakeArchive } from '../fakes/archive.js';
import { startFakeYoutube, type FakeYoutube } from '../fakes/youtube.js';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/library.js';
import { makeClip } from '../helpers/media.js';

const PLAYLIST = 'https://www.youtube.com/playlist?list=PLcli';

describe('cli: source add archive|youtube', () => {
  let dir = '';
  let archive: FakeArchive;
  let yt: FakeYoutube;
  let old: FakeYoutube;
  let env: Record<string, string>;
  const sources = async () => JSON.parse((await cli(['library', 'list', '--data-dir', dir, '--json'], env)).stdout) as { kind: string; items: number }[];

  before(async () => {
    dir = await tempDir('cli-online');
    await makeClip(dir, 'clip.mp4', { duration: 1 });
    archive = await startFakeArchive();
    for (const id of ['his_girl_friday_1940', 'classic_tv_sampler', 'old_time_radio_hour']) archive.addItem(id);
    yt = await startFakeYoutube(await tempDir('cli-yt'), dir);
    yt.addVideo('aaaaaaaaaaa', { title: 'Clip', duration: 1, video: 'clip.mp4' });
    yt.addPlaylist(PLAYLIST, 'CLI', ['aaaaaaaaaaa']);
    old = await startFakeYoutube(await tempDir('cli-yt-old'), dir, '2023.03.04');
    env = { EXSTREAMTV_ARCHIVE_URL: archive.url, EXSTREAMTV_YT_DLP: yt.ytDlp };
  });
  after(async () => {
    await archive?.close();
    await yt?.close();
    await old?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('archive: a collection and item identifiers (names or /details/ addresses) added and scanned; an HTML search refused', async () => {
    const r = await cli(['source', 'add', 'archive', 'classic_tv', '--collection', '--data-dir', dir], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /added Archive\.org source \d+ "Archive\.org: classic_tv": 2 items/);
    assert.match(r.stderr, /scan Archive\.org: classic_tv: .*2 new/);
    const ids = await cli(['source', 'add', 'archive', '--items', 'his_girl_friday_1940, https://archive.org/details/classic_tv_sampler', '--data-dir', dir], env);
    assert.equal(ids.code, 0, ids.stderr);
    assert.match(ids.stdout, /: 3 items/);
    archive.searchHtml = true;
    const html = await cli(['source', 'add', 'archive', 'title:(His Girl Friday)', '--data-dir', dir], env);
    archive.searchHtml = false;
    assert.notEqual(html.code, 0);
    assert.match(html.stderr, /query: Archive\.org answered text\/html .*not JSON/);
    assert.deepEqual((await sources()).map((s) => [s.kind, s.items]), [['archive', 2], ['archive', 3]]);
  });

  test('youtube: a too-old yt-dlp refused (and said so by "source yt-dlp"); a current one adds the playlist', async () => {
    const status = await cli(['source', 'yt-dlp', '--data-dir', dir], { ...env, EXSTREAMTV_YT_DLP: old.ytDlp });
    assert.equal(status.code, 1);
    assert.match(status.stdout, /not usable: yt-dlp 2023\.03\.04 .* too old for YouTube/);
    const refused = await cli(['source', 'add', 'youtube', PLAYLIST, '--data-dir', dir], { ...env, EXSTREAMTV_YT_DLP: old.ytDlp });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /ytDlpPath: yt-dlp 2023\.03\.04 .*Debian's yt-dlp package is from 2023/);
    const added = await cli(['source', 'add', 'youtube', PLAYLIST, '--max-items', '10', '--data-dir', dir], env);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /added YouTube source \d+ "CLI": 1 items/);
    assert.deepEqual((await sources()).map((s) => s.kind), ['archive', 'archive', 'youtube']);
  });
});
