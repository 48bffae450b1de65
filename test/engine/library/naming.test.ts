import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cleanTitle, isMediaFile, isSkippedDir, isVideoFile, parseMediaPath, seasonOfFolder, titleAndYear, type ParsedPath } from '../../../src/engine/library/naming.js';

type Expect = Partial<ParsedPath>;
const ep = (showTitle: string, season: number, episode: number, title: string, extra: Expect = {}): Expect =>
  ({ kind: 'episode', showTitle, season, episode, title, episodeEnd: null, ...extra });

const cases: [string, Expect][] = [
  // show folders and season folders
  ['Show/Season 01/x.mkv', { kind: 'episode', showTitle: 'Show', showKey: 'Show', showDir: 'Show', season: 1, episode: null, title: 'x' }],
  ['Show/Season 1/Show - S01E02 - Pilot.mkv', ep('Show', 1, 2, 'Pilot', { showKey: 'Show', showDir: 'Show' })],
  ['Show/x S01E02.mkv', ep('Show', 1, 2, 'Episode 2', { showKey: 'Show' })],
  ['Show/S02/05 - Name.mkv', ep('Show', 2, 5, 'Name')],
  ['Show/Specials/Show S00E01.mkv', ep('Show', 0, 1, 'Episode 1')],
  ['Show/Specials/Making Of.mkv', { kind: 'episode', showTitle: 'Show', season: 0, episode: null, title: 'Making Of' }],
  ['TV/Some Show/Season 3/Episode 4.mkv', ep('Some Show', 3, 4, 'Episode 4', { showKey: 'TV/Some Show', showDir: 'TV/Some Show' })],
  ['Doctor Who (2005)/Season 2/Doctor Who (2005) - S02E03 - School Reunion.mkv',
    ep('Doctor Who', 2, 3, 'School Reunion', { showYear: 2005, showKey: 'Doctor Who (2005)' })],
  ['Show/Staffel 4/Show s4e10.mkv', ep('Show', 4, 10, 'Episode 10')],
  // season from the name wins over the folder
  ['Show/Season 1/Show S03E01.mkv', ep('Show', 3, 1, 'Episode 1')],
  // files at the root: the show comes from the name, the key is the title
  ['Show.Name.S01E02.720p.HDTV.x264-GRP.mkv', ep('Show Name', 1, 2, 'Episode 2', { showKey: 'Show Name', showDir: null })],
  ['show_name_s1e2.mkv', ep('show name', 1, 2, 'Episode 2')],
  ['Show.Name.2010.S01E02.Title.Here.mkv', ep('Show Name', 1, 2, 'Title Here', { showYear: 2010 })],
  // multi-episode forms
  ['Show/Show S01E02E03.mkv', ep('Show', 1, 2, 'Episodes 2-3', { episodeEnd: 3 })],
  ['Show/Show S01E02-E03 - Double.mkv', ep('Show', 1, 2, 'Double', { episodeEnd: 3 })],
  ['Show/Show S01E02-03.mkv', ep('Show', 1, 2, 'Episodes 2-3', { episodeEnd: 3 })],
  ['Show/1x02 - Title.mkv', ep('Show', 1, 2, 'Title')],
  ['Show/Show 1x02-1x03.mkv', ep('Show', 1, 2, 'Episodes 2-3', { episodeEnd: 3 })],
  ['Show/Show.S01E02-1080p.mkv', ep('Show', 1, 2, 'Episode 2')],
  // movies
  ['Movie Name (2001).mkv', { kind: 'movie', title: 'Movie Name', year: 2001, showKey: null }],
  ['Movie.Name.2001.1080p.BluRay.x264.mkv', { kind: 'movie', title: 'Movie Name', year: 2001 }],
  ['Blade.Runner.2049.2017.1080p.mkv', { kind: 'movie', title: 'Blade Runner 2049', year: 2017 }],
  ['2001 A Space Odyssey (1968).mkv', { kind: 'movie', title: '2001 A Space Odyssey', year: 1968 }],
  ['Movies/Alien (1979)/alien.mkv', { kind: 'movie', title: 'Alien', year: 1979 }],
  ['Movies/Something.mkv', { kind: 'movie', title: 'Something', year: null }],
  ["Charlotte's Web (1973).mkv", { kind: 'movie', title: "Charlotte's Web", year: 1973 }],
  ['1917.mkv', { kind: 'other', title: '1917', year: null }],
  // other, and resolutions that are not episode markers
  ['random clip.mkv', { kind: 'other', title: 'random clip' }],
  ['Video 720x480 test.mkv', { kind: 'other', title: 'Video 720x480 test', episode: null }],
  ['S01E02.mkv', { kind: 'other', title: 'S01E02' }],
  // hostile names: quotes, %, :, brackets, leading dash, unicode, shell metacharacters
  ["-dash 'quote' 100% [x]: ü.mkv", { kind: 'other', title: "-dash 'quote' 100% [x]: ü" }],
  ['Movies/"Quoted" $(rm -rf) `x` (1999).mp4', { kind: 'movie', title: '"Quoted" $(rm -rf) `x`', year: 1999 }],
  ['Amélie [Director: 100%] (2001).mkv', { kind: 'movie', title: 'Amélie [Director: 100%]', year: 2001 }],
  ['日本のショー/Season 1/日本のショー - S01E01 - 始まり.mkv', ep('日本のショー', 1, 1, '始まり')],
  ['--weird--/Season 1/--weird-- S01E01 - a:b.mkv', ep('--weird--', 1, 1, 'a:b')],
];

describe('naming: parseMediaPath', () => {
  for (const [path, expected] of cases) {
    it(path, () => {
      const got = parseMediaPath(path);
      const picked = Object.fromEntries(Object.keys(expected).map((k) => [k, got[k as keyof ParsedPath]]));
      assert.deepEqual(picked, expected);
    });
  }
});

describe('naming: helpers', () => {
  it('recognises season folders', () => {
    const table: [string, number | null][] = [['Season 1', 1], ['Season 01', 1], ['season.12', 12], ['S03', 3], ['Specials', 0], ['Special', 0],
      ['Staffel 2', 2], ['Season 1 (2005)', 1], ['Seasoned', null], ['Show', null], ['S1E1', null]];
    for (const [name, n] of table) assert.equal(seasonOfFolder(name), n, name);
  });

  it('selects video files and skips hidden, sample and non-video ones', () => {
    const table: [string, boolean][] = [['a.mkv', true], ['A.MP4', true], ['b.m2ts', true], ['c.ogv', true], ['d.3gp', true], ['e.vob', true],
      ['.hidden.mkv', false], ['movie.sample.mkv', false], ['movie-sample.mkv', false], ['Free Sample.mkv', true], ['notes.txt', false],
      ['poster.jpg', false], ['movie.nfo', false], ['mkv', false], ['subs.srt', false]];
    for (const [name, ok] of table) assert.equal(isVideoFile(name), ok, name);
    // The scanner also takes audio files (they air over their cover art), by the same rules.
    for (const [name, ok] of [...table, ['song.mp3', true], ['Track 01.FLAC', true], ['a.m4a', true], ['.x.opus', false], ['song.sample.mp3', false]] as [string, boolean][]) {
      assert.equal(isMediaFile(name), ok, name);
    }
    for (const [name, skip] of [['.git', true], ['Sample', true], ['samples', true], ['@eaDir', true], ['Season 1', false], ['Samplers', false]] as const) {
      assert.equal(isSkippedDir(name), skip, name);
    }
  });

  it('cleans titles and finds years', () => {
    assert.equal(cleanTitle('The.Office.US'), 'The Office US');
    assert.equal(cleanTitle('Mr. Robot'), 'Mr. Robot');
    assert.equal(cleanTitle(' - Pilot 1080p WEB-DL'), 'Pilot');
    assert.equal(cleanTitle('x264'), 'x264');
    assert.deepEqual(titleAndYear('Heat [1995]'), { title: 'Heat', year: 1995 });
    assert.deepEqual(titleAndYear('Movie.1234.mkv'), { title: 'Movie 1234 mkv', year: null });
  });
});
