// Pure mappers: Plex metadata JSON (shapes as PMS 1.40 answers) → our item and show rows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plexItem } from '../../../src/engine/library/servers/plex-api.js';
import { plexFingerprint, plexIds, plexItemRecord, plexShowRecord } from '../../../src/engine/library/servers/plex-map.js';

const episode = plexItem.parse({
  ratingKey: '48213', key: '/library/metadata/48213', parentRatingKey: '48190', grandparentRatingKey: '48187', guid: 'plex://episode/5d9c0916e98e47001eb2a2a2',
  type: 'episode', title: 'Hammerbarn', grandparentTitle: 'Bluey', parentTitle: 'Season 1', contentRating: 'TV-Y', summary: 'Bandit takes the girls shopping.',
  index: 7, parentIndex: 1, year: 2018, thumb: '/library/metadata/48213/thumb/1699999999', originallyAvailableAt: '2018-10-08', duration: 421_000,
  addedAt: 1_699_999_000, updatedAt: 1_699_999_999, Guid: [{ id: 'imdb://tt9038212' }, { id: 'tvdb://6816330' }, { id: 'tmdb://1565543' }],
  Media: [{ id: 90211, duration: 421_000, bitrate: 2345, width: 1920, height: 1080, aspectRatio: 1.78, audioChannels: 6, audioCodec: 'eac3', videoCodec: 'h264', container: 'mkv',
    Part: [{ id: 90877, key: '/library/parts/90877/1699999999/file.mkv', duration: 421_000, file: '/data/tv/Bluey/Season 01/Bluey - S01E07.mkv', size: 123_456_789, container: 'mkv' }] }],
});

describe('Plex mappers', () => {
  it('an episode: numbers, ms duration, dates, ids from Guid[], a part-keyed resolve locator with the server path', () => {
    const r = plexItemRecord(episode, { resolver: 'plex', showId: 3, seasonId: 4 });
    assert.deepEqual([r.kind, r.title, r.seasonNumber, r.episodeNumber, r.durationMs, r.status], ['episode', 'Hammerbarn', 1, 7, 421_000, 'ok']);
    assert.deepEqual([r.releaseDate, r.year, r.contentRating, r.size, r.container, r.bitRate], ['2018-10-08', 2018, 'TV-Y', 123_456_789, 'mkv', 2_345_000]);
    assert.deepEqual(r.externalIds, { imdb: 'tt9038212', tvdb: '6816330', tmdb: '1565543' });
    assert.deepEqual(r.locator, { type: 'resolve', resolver: 'plex', key: '/library/parts/90877/1699999999/file.mkv|/data/tv/Bluey/Season 01/Bluey - S01E07.mkv' });
    assert.deepEqual(r.streams.map((s) => [s.index, s.type, s.codec, s.width, s.channels]), [[0, 'video', 'h264', 1920, null], [1, 'audio', 'eac3', null, 6]]);
    assert.equal(r.mtimeMs, 1_699_999_999_000, 'updatedAt is in seconds');
  });

  it('fingerprint from key, addedAt, updatedAt and the part; no part is unreadable with a reason', () => {
    const f = plexFingerprint(episode);
    assert.notEqual(plexFingerprint({ ...episode, updatedAt: 1_700_000_500 }), f);
    assert.notEqual(plexFingerprint({ ...episode, Media: [{ ...episode.Media![0]!, Part: [{ ...episode.Media![0]!.Part[0]!, size: 1 }] }] }), f);
    const bare = plexItemRecord(plexItem.parse({ ratingKey: '1', type: 'movie', title: 'Stub' }), { resolver: 'plex', showId: null, seasonId: null });
    assert.deepEqual([bare.kind, bare.status], ['movie', 'unreadable']);
    assert.match(bare.error ?? '', /no playable part/);
    assert.deepEqual(plexIds({ Guid: [{ id: 'plex://movie/x' }, { id: 'imdb://tt1' }] }), { imdb: 'tt1' });
  });

  it('a show record', () => {
    const show = plexItem.parse({ ratingKey: '48187', type: 'show', title: 'Bluey', year: 2018, summary: 'A dog.', Genre: [{ tag: 'Animation' }, { tag: 'Kids' }], Guid: [{ id: 'tvdb://353546' }], thumb: '/t', art: '/a' });
    assert.deepEqual(plexShowRecord(show), { externalKey: '48187', title: 'Bluey', year: 2018, plot: 'A dog.', genres: ['Animation', 'Kids'], images: { poster: '/t', fanart: '/a' }, externalIds: { tvdb: '353546' } });
  });
});
