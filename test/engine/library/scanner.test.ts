import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { scanLocalSource, type ScanProgress } from '../../../src/engine/library/scanner.js';
import type { Store } from '../../../src/engine/store/store.js';
import { FFPROBE, makeClip, truncate } from '../../helpers/media.js';
import { storeWithSource, tempDir, writeLibrary } from '../../helpers/library.js';

const TVSHOW = `<tvshow><title>Show A From NFO</title><plot>A show &amp; its plot.</plot><year>1999</year>
  <genre>Comedy</genre><uniqueid type="tvdb">123</uniqueid></tvshow>`;
const EPISODE = `<episodedetails><title>The NFO Title</title><season>1</season><episode>2</episode><plot>NFO plot.</plot>
  <aired>2000-01-15</aired></episodedetails>`;
const HOSTILE = "Movies/-Hostile 'q' \"dq\" 100% [x]: ü (1999).mp4";

describe('scanner: a mixed library', () => {
  let dir = '';
  let store: Store;
  let sourceId = 0;
  const progress: ScanProgress[] = [];
  const logs: string[] = [];
  let summary: Awaited<ReturnType<typeof scanLocalSource>>;
  const item = (key: string) => {
    const found = store.items.query({ sourceId, limit: 1000, offset: 0 }).items.find((i) => i.externalKey === key);
    assert.ok(found, `item ${key} exists`);
    return store.items.get(found.id);
  };

  before(async () => {
    dir = await tempDir('scan-mixed');
    const media = join(dir, 'media');
    const lib = join(dir, 'library');
    const [pilot, plain, interlaced, movie, cover, hevc, broken, blip, song] = await Promise.all([
      makeClip(media, 'pilot.mkv', { audio: [{ lang: 'eng' }, { lang: 'fra' }], subtitles: [{ lang: 'eng' }],
        chapters: [{ title: 'Cold open', startMs: 0, endMs: 500 }, { title: 'Act 1', startMs: 500, endMs: 2000 }] }),
      makeClip(media, 'plain.mkv'),
      makeClip(media, 'interlaced.mkv', { vcodec: 'mpeg2video', size: '720x480', sar: '8:9', fps: '30000/1001', interlaced: true }),
      makeClip(media, 'movie.mp4', { vcodec: 'mpeg4' }),
      makeClip(media, 'cover.mp4', { noVideo: true, coverArt: true }),
      makeClip(media, 'hevc.mp4', { vcodec: 'libx265' }),
      makeClip(media, 'broken.mkv'),
      makeClip(media, 'blip.mkv', { duration: 0.5 }),
      makeClip(media, 'song.m4a', { noVideo: true, coverArt: true, duration: 3 }),
    ]);
    await truncate(broken, 0.5);
    await writeLibrary(lib, {
      'Show A/tvshow.nfo': { text: TVSHOW },
      'Show A/Season 01/Show A - S01E01 - Pilot.mkv': { clip: pilot },
      'Show A/Season 01/Show A - S01E02.mkv': { clip: plain },
      'Show A/Season 01/Show A - S01E02.nfo': { text: EPISODE },
      'Show A/Season 01/Sample/sample.mkv': { clip: plain },
      'Show A/Season 01/Show A - S01E03.sample.mkv': { clip: plain },
      'Old Show/Season 2/Old Show 2x05.mkv': { clip: interlaced },
      [HOSTILE]: { clip: movie },
      'Movies/Broken Movie (2010).mkv': { clip: broken },
      'Clips/audio only.mp4': { clip: cover },
      'Clips/hevc clip.mp4': { clip: hevc },
      'Clips/blip.mkv': { clip: blip },
      'Music/song.m4a': { clip: song },
      'Clips/hevc clip.nfo': { text: '<movie><title>Unclosed</movie>' },
      '.hidden/secret.mkv': { clip: plain },
      'notes.txt': { text: 'not a video' },
    });
    ({ store, sourceId } = storeWithSource(dir, lib));
    summary = await scanLocalSource({
      store, ffprobePath: FFPROBE, concurrency: 2, onProgress: (p) => progress.push(p), log: (level, msg) => logs.push(`${level}: ${msg}`),
    }, sourceId);
  });
  after(async () => {
    store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('counts what it found and records the scan', () => {
    const { durationMs, ...counts } = summary;
    assert.deepEqual(counts, { found: 9, total: 9, probed: 9, added: 9, changed: 0, unchanged: 0, missing: 0, unreadable: 2 });
    assert.ok(durationMs > 0);
    const source = store.sources.get(sourceId);
    assert.deepEqual([source.lastScanStatus, source.items, source.unreadable, source.missing], ['ok', 9, 2, 0]);
  });

  it('records a truncated file and a clip too short to air as unreadable, with the reason; audio-only files are playable', () => {
    const broken = item('Movies/Broken Movie (2010).mkv');
    assert.equal(broken.status, 'unreadable');
    assert.match(broken.error ?? '', /^file is truncated: its container declares/);
    assert.deepEqual([broken.kind, broken.title, broken.year], ['movie', 'Broken Movie', 2010]);
    const blip = item('Clips/blip.mkv');
    assert.deepEqual([blip.status, blip.error], ['unreadable', 'too short to air: 0.5 s (channels need at least 1 s)']);
    assert.ok(logs.some((l) => /^warn: unreadable: Clips\/blip\.mkv: too short to air/.test(l)), 'the scan log says so');
    for (const key of ['Clips/audio only.mp4', 'Music/song.m4a']) {
      const audio = item(key);
      assert.deepEqual([audio.status, audio.error], ['ok', null], key);
      assert.ok(audio.streams.some((s) => s.type === 'attachment' && s.codec === 'png'), `${key}: cover art kept`);
      assert.equal(store.items.playableItem(audio.id).length, 1, `${key} can be scheduled`);
    }
    assert.equal(store.items.playableItem(broken.id).length, 0);
  });

  it('stores probed streams and chapters', () => {
    const pilot = item('Show A/Season 01/Show A - S01E01 - Pilot.mkv');
    assert.equal(pilot.status, 'ok');
    assert.ok(Math.abs((pilot.durationMs ?? 0) - 2000) < 100, `duration ${pilot.durationMs}`);
    assert.equal(pilot.container, 'matroska,webm');
    assert.deepEqual(pilot.locator, { type: 'file', path: join(dir, 'library', 'Show A/Season 01/Show A - S01E01 - Pilot.mkv') });
    assert.deepEqual(pilot.streams.map((s) => [s.index, s.type, s.codec, s.language]),
      [[0, 'video', 'h264', null], [1, 'audio', 'aac', 'eng'], [2, 'audio', 'aac', 'fra'], [3, 'subtitle', 'subrip', 'eng']]);
    const v = pilot.streams[0]!;
    assert.deepEqual([v.width, v.height, v.fps, v.fieldOrder, v.sar], [160, 120, 25, 'progressive', '1:1']);
    assert.deepEqual(pilot.chapters.map((c) => [c.index, c.title, c.startMs, c.endMs]), [[0, 'Cold open', 0, 500], [1, 'Act 1', 500, 2000]]);

    const old = item('Old Show/Season 2/Old Show 2x05.mkv');
    const iv = old.streams.find((s) => s.type === 'video')!;
    assert.deepEqual([iv.codec, iv.width, iv.height, iv.sar, iv.fieldOrder, iv.fps], ['mpeg2video', 720, 480, '8:9', 'tt', 29.97]);
    assert.equal(item('Clips/hevc clip.mp4').streams[0]!.codec, 'hevc');
  });

  it('names shows, seasons and episodes, with NFO values winning', () => {
    const pilot = item('Show A/Season 01/Show A - S01E01 - Pilot.mkv');
    assert.deepEqual([pilot.kind, pilot.title, pilot.showTitle, pilot.seasonNumber, pilot.episodeNumber], ['episode', 'Pilot', 'Show A From NFO', 1, 1]);
    const e2 = item('Show A/Season 01/Show A - S01E02.mkv');
    assert.deepEqual([e2.title, e2.plot, e2.releaseDate, e2.episodeNumber], ['The NFO Title', 'NFO plot.', '2000-01-15', 2]);
    const show = store.shows.get(pilot.showId!);
    assert.deepEqual([show.title, show.plot, show.year, show.genres, show.episodes, show.seasons], ['Show A From NFO', 'A show & its plot.', 1999, ['Comedy'], 2, [1]]);
    const old = item('Old Show/Season 2/Old Show 2x05.mkv');
    assert.deepEqual([old.showTitle, old.seasonNumber, old.episodeNumber, store.shows.get(old.showId!).seasons], ['Old Show', 2, 5, [2]]);
    const hostile = item(HOSTILE);
    assert.deepEqual([hostile.status, hostile.kind, hostile.title, hostile.year], ['ok', 'movie', "-Hostile 'q' \"dq\" 100% [x]: ü", 1999]);
    assert.equal(store.items.search('Hostile').length, 1);
  });

  it('skips hidden and sample files, and warns about a malformed NFO without failing', () => {
    const keys = store.items.query({ sourceId, limit: 1000, offset: 0 }).items.map((i) => i.externalKey);
    assert.ok(!keys.some((k) => /sample|secret|notes/i.test(k)), keys.join(', '));
    assert.ok(logs.some((l) => /^warn: ignoring NFO Clips\/hevc clip\.nfo: malformed/.test(l)), logs.join('\n'));
    assert.equal(item('Clips/hevc clip.mp4').title, 'hevc clip');
  });

  it('reports progress by phase, throttled', () => {
    const phases = progress.map((p) => p.phase).filter((p, i, all) => p !== all[i - 1]);
    assert.deepEqual(phases, ['walking', 'probing', 'saving', 'done']);
    const last = progress.at(-1)!;
    assert.deepEqual([last.phase, last.found, last.probed, last.current], ['done', 9, 9, null]);
    assert.ok(progress.length <= 6 + Math.ceil(summary.durationMs / 100), `${progress.length} reports in ${summary.durationMs} ms`);
  });
});
