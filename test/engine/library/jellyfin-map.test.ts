// Pure mappers: Jellyfin/Emby item JSON (shapes as real servers answer) → our item and show rows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseServerKey, replacePath, serverKey } from '../../../src/engine/library/servers/config.js';
import { jfItem } from '../../../src/engine/library/servers/jellyfin-api.js';
import { externalIds, fingerprint, itemRecord, mapStreams, showRecord } from '../../../src/engine/library/servers/jellyfin-map.js';

const episode = jfItem.parse({
  Name: 'The Rainbow of Her Reasons', ServerId: 'b4d1a3c0c6f14f4e9bb9f1d6c41f8f21', Id: '9f3a0e6c2b7d4b1c8a5e0d2f6b3c9a71',
  Etag: '3e1f6b0b8c6a2e0f1d5c7a9b4e2d8f60', DateCreated: '2023-04-12T19:22:31.4830000Z', DateLastSaved: '2024-01-05T08:13:44.1200000Z',
  Path: '/media/tv/Foo/Season 01/Foo - S01E02.mkv', Type: 'Episode', SeriesId: 'aa11', SeriesName: 'Foo', ParentIndexNumber: 1, IndexNumber: 2, IndexNumberEnd: 3,
  RunTimeTicks: 13_420_000_000, PremiereDate: '2021-03-14T00:00:00.0000000Z', Overview: 'A plot.', Genres: ['Drama'], OfficialRating: 'TV-14',
  ProviderIds: { Tvdb: '8123456', Imdb: 'tt1234567', TvRage: null }, ImageTags: { Primary: 'abc' }, BackdropImageTags: [],
  MediaSources: [{
    Protocol: 'File', Id: '9f3a0e6c2b7d4b1c8a5e0d2f6b3c9a71', Path: '/media/tv/Foo/Season 01/Foo - S01E02.mkv', Container: 'mkv', Size: 734_003_200, Bitrate: 4_375_000,
    MediaStreams: [
      { Index: 0, Type: 'Subtitle', Codec: 'subrip', Language: 'eng', IsExternal: true, IsDefault: false, IsForced: false, Path: '/media/tv/Foo/Season 01/Foo - S01E02.en.srt' },
      { Index: 1, Type: 'Video', Codec: 'hevc', Profile: 'Main 10', Width: 1920, Height: 1080, RealFrameRate: 23.976, IsInterlaced: false, AspectRatio: '16:9', PixelFormat: 'yuv420p10le', IsExternal: false, IsDefault: true },
      { Index: 2, Type: 'Audio', Codec: 'eac3', Language: 'eng', Channels: 6, ChannelLayout: '5.1', SampleRate: 48000, BitRate: 640000, IsExternal: false, IsDefault: true },
      { Index: 3, Type: 'Audio', Codec: 'aac', Language: 'ger', Channels: 2, ChannelLayout: 'stereo', SampleRate: 48000, IsExternal: false },
      { Index: 4, Type: 'Subtitle', Codec: 'PGSSUB', Language: 'eng', IsForced: true, IsExternal: false },
      { Index: 5, Type: 'EmbeddedImage', Codec: 'mjpeg', IsExternal: false },
    ],
  }],
});

describe('Jellyfin mappers', () => {
  it('an episode: numbers, ms from ticks, metadata, ids, artwork, a resolve locator with the server path', () => {
    const r = itemRecord(episode, { base: 'http://jf:8096', resolver: 'jellyfin', showId: 7, seasonId: 9 });
    assert.equal(r.kind, 'episode');
    assert.deepEqual([r.seasonNumber, r.episodeNumber, r.episodeEnd], [1, 2, 3]);
    assert.equal(r.durationMs, 1_342_000);
    assert.equal(r.status, 'ok');
    assert.deepEqual([r.releaseDate, r.year, r.plot, r.contentRating], ['2021-03-14', 2021, 'A plot.', 'TV-14']);
    assert.deepEqual(r.genres, ['Drama']);
    assert.deepEqual(r.externalIds, { tvdb: '8123456', imdb: 'tt1234567' });
    assert.deepEqual(r.images, { poster: 'http://jf:8096/Items/9f3a0e6c2b7d4b1c8a5e0d2f6b3c9a71/Images/Primary?tag=abc' });
    assert.deepEqual(r.locator, { type: 'resolve', resolver: 'jellyfin', key: '9f3a0e6c2b7d4b1c8a5e0d2f6b3c9a71|/media/tv/Foo/Season 01/Foo - S01E02.mkv' });
    assert.deepEqual([r.size, r.container, r.bitRate, r.showId, r.seasonId], [734_003_200, 'mkv', 4_375_000, 7, 9]);
  });

  it('streams: external subtitles (counted first by Jellyfin) left out, the rest renumbered as in the container', () => {
    const s = mapStreams(episode.MediaSources![0]!.MediaStreams);
    assert.deepEqual(s.map((x) => [x.index, x.type, x.codec, x.language]), [
      [0, 'video', 'hevc', null], [1, 'audio', 'eac3', 'eng'], [2, 'audio', 'aac', 'ger'], [3, 'subtitle', 'PGSSUB', 'eng'], [4, 'attachment', 'mjpeg', null],
    ]);
    assert.deepEqual([s[0]!.width, s[0]!.height, s[0]!.fps, s[0]!.fieldOrder, s[0]!.pixFmt], [1920, 1080, 23.976, 'progressive', 'yuv420p10le']);
    assert.deepEqual([s[1]!.channels, s[1]!.channelLayout, s[1]!.sampleRate, s[1]!.isDefault], [6, '5.1', 48000, true]);
    assert.equal(s[3]!.isForced, true);
  });

  it('a movie without a duration yet is unreadable with a reason; provider ids lower-cased, nulls dropped', () => {
    const movie = jfItem.parse({ Id: 'm1', Name: 'Heat', Type: 'Movie', ProductionYear: 1995, ProviderIds: { Imdb: 'tt0113277', Tmdb: '949', Tvdb: '' } });
    const r = itemRecord(movie, { base: 'http://jf', resolver: 'emby', showId: null, seasonId: null });
    assert.equal(r.kind, 'movie');
    assert.equal(r.status, 'unreadable');
    assert.match(r.error ?? '', /no duration/);
    assert.equal(r.year, 1995);
    assert.deepEqual(externalIds(movie), { imdb: 'tt0113277', tmdb: '949' });
    assert.deepEqual(r.locator, { type: 'resolve', resolver: 'emby', key: 'm1|' });
  });

  it('a show record; fingerprints change with Etag, save time or the file', () => {
    const show = jfItem.parse({ Id: 'aa11', Name: 'Foo', Type: 'Series', ProductionYear: 2019, Overview: 'O', Genres: ['Comedy'], ProviderIds: { Tvdb: '1' }, BackdropImageTags: ['b'] });
    assert.deepEqual(showRecord('http://jf', show), {
      externalKey: 'aa11', title: 'Foo', year: 2019, plot: 'O', genres: ['Comedy'], externalIds: { tvdb: '1' },
      images: { fanart: 'http://jf/Items/aa11/Images/Backdrop/0?tag=b' },
    });
    const f = fingerprint(episode);
    assert.equal(fingerprint(jfItem.parse({ ...episode })), f);
    assert.notEqual(fingerprint({ ...episode, Etag: 'x' }), f);
    assert.notEqual(fingerprint({ ...episode, DateLastSaved: '2025-01-01T00:00:00Z' }), f);
    assert.notEqual(fingerprint({ ...episode, MediaSources: [{ ...episode.MediaSources![0]!, Size: 1 }] }), f);
  });

  it('locator keys and path replacement on whole path segments', () => {
    assert.deepEqual(parseServerKey(serverKey('abc', '/a|b/c.mkv')), { id: 'abc', path: '/a|b/c.mkv' });
    assert.deepEqual(parseServerKey(serverKey('abc', null)), { id: 'abc', path: null });
    const map = [{ from: '/media/tv/', to: '/mnt/nas/tv' }, { from: '/media', to: '/srv/media' }];
    assert.equal(replacePath('/media/tv/Foo/x.mkv', map), '/mnt/nas/tv/Foo/x.mkv');
    assert.equal(replacePath('/media/movies/y.mkv', map), '/srv/media/movies/y.mkv');
    assert.equal(replacePath('/media2/y.mkv', map), null, 'not a prefix of a segment');
    assert.equal(replacePath(null, map), null);
  });
});
