// The small parsers the import relies on: GUID spellings of three programs, EF Core time spans,
// server URL spellings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timeSpanMs } from '../../src/engine/import/ersatztv.js';
import { sameUrl } from '../../src/engine/import/match.js';
import { idsOfGuids } from '../../src/engine/import/model.js';

test('GUIDs: new agents, legacy agents, Tunarr source types, ErsatzTV', () => {
  assert.deepEqual(idsOfGuids(['imdb://tt0113277', 'tmdb://949', 'tvdb://361753']), { imdb: 'tt0113277', tmdb: '949', tvdb: '361753' });
  assert.deepEqual(idsOfGuids(['com.plexapp.agents.imdb://tt0078748?lang=en']), { imdb: 'tt0078748' });
  assert.deepEqual(idsOfGuids(['com.plexapp.agents.thetvdb://81189/1/3?lang=en', 'com.plexapp.agents.themoviedb://348?lang=en']), { tvdb: '81189', tmdb: '348' });
  assert.deepEqual(idsOfGuids(['plex://movie/5d7768245af944001f1f6b8d', 'plex-guid://plex://episode/1', 'local://42']), {});
  assert.deepEqual(idsOfGuids(['imdb://tt1', 'imdb://tt2']), { imdb: 'tt1' }, 'the first one wins');
});

test('EF Core TimeSpan text → ms', () => {
  assert.equal(timeSpanMs('00:22:00'), 1_320_000);
  assert.equal(timeSpanMs('01:30:00.5000000'), 5_400_500);
  assert.equal(timeSpanMs('1.02:00:00'), 93_600_000);
  assert.equal(timeSpanMs('garbage'), 0);
  assert.equal(timeSpanMs(null), 0);
});

test('server URLs compare by scheme, host, port and path', () => {
  assert.equal(sameUrl('http://Plex.Local:32400/'), sameUrl('http://plex.local:32400'));
  assert.notEqual(sameUrl('http://plex.local:32400'), sameUrl('https://plex.local:32400'));
  assert.notEqual(sameUrl('http://plex.local:32400'), sameUrl('http://plex.local:32401'));
});
