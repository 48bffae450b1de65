import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NfoError, parseEpisodeNfo, parseItemNfo, parseMovieNfo, parseShowNfo, readNfo } from '../../../src/engine/library/nfo.js';

const TVSHOW = `<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>
<tvshow>
  <title>Law &amp; Order</title>
  <plot>Cops &lt;and&gt; lawyers.</plot>
  <premiered>1990-09-13</premiered>
  <genre>Crime</genre><genre>Drama / Legal</genre>
  <uniqueid type="tvdb" default="true">72368</uniqueid>
  <imdbid>tt0098844</imdbid>
  <thumb aspect="poster">https://example.org/poster.jpg</thumb>
  <fanart><thumb>https://example.org/fanart.jpg</thumb></fanart>
</tvshow>`;

describe('nfo', () => {
  it('reads tvshow.nfo', () => {
    assert.deepEqual(parseShowNfo(TVSHOW), {
      title: 'Law & Order', plot: 'Cops <and> lawyers.', year: 1990, premiered: '1990-09-13', genres: ['Crime', 'Drama', 'Legal'],
      externalIds: { tvdb: '72368', imdb: 'tt0098844' }, images: { poster: 'https://example.org/poster.jpg', fanart: 'https://example.org/fanart.jpg' },
    });
  });

  it('reads a multi-episode file as a range, tolerating several roots and a trailing URL', () => {
    const xml = `<episodedetails><title>Part 1</title><season>2</season><episode>5</episode><plot>First.</plot><aired>2001-02-03</aired></episodedetails>
<episodedetails><title>Part 2</title><season>2</season><episode>6</episode></episodedetails>
https://thetvdb.com/?tab=episode&id=1`;
    assert.deepEqual(parseEpisodeNfo(xml), { title: 'Part 1 / Part 2', season: 2, episode: 5, episodeEnd: 6, plot: 'First.', aired: '2001-02-03', externalIds: {} });
  });

  it('reads movie.nfo and tells item NFO kinds apart', () => {
    const xml = `<movie><title>Heat</title><year>1995</year><plot>L.A.</plot><genre>Crime</genre><mpaa>Rated R</mpaa><runtime>170</runtime>
      <id>tt0113277</id><uniqueid type="tmdb">949</uniqueid></movie>`;
    const movie = parseMovieNfo(xml);
    assert.equal(movie.title, 'Heat');
    assert.equal(movie.year, 1995);
    assert.equal(movie.contentRating, 'Rated R');
    assert.equal(movie.runtimeMinutes, 170);
    assert.deepEqual(movie.externalIds, { tmdb: '949', imdb: 'tt0113277' });
    assert.equal(parseItemNfo(xml).type, 'movie');
    assert.equal(parseItemNfo('<episodedetails><title>x</title></episodedetails>').type, 'episode');
  });

  it('keeps markup and entities as inert text', () => {
    const xml = `<!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<movie><title><![CDATA[<script>alert(1)</script>]]></title><plot>$(rm -rf /) &amp;&amp; \`id\`</plot><year>2001</year></movie>`;
    const movie = parseMovieNfo(xml);
    assert.equal(movie.title, '<script>alert(1)</script>');
    assert.equal(movie.plot, '$(rm -rf /) && `id`');
  });

  it('rejects malformed NFOs with a reason', () => {
    assert.throws(() => parseShowNfo('<tvshow><title>x</title><plot>oops</tvshow>'), (e: unknown) => e instanceof NfoError && /line 1: Expected closing tag/.test(e.message));
    assert.throws(() => parseShowNfo('\u0000\u0001 binary'), NfoError);
    assert.throws(() => parseShowNfo('<movie><title>x</title></movie>'), /no <tvshow> element/);
    assert.throws(() => parseItemNfo(''), NfoError);
  });

  it('readNfo: absent → null silently, malformed → null with a warning', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nfo-'));
    try {
      const warnings: string[] = [];
      const log = (_: 'warn', msg: string) => { warnings.push(msg); };
      assert.equal(await readNfo(join(dir, 'none.nfo'), 'none.nfo', parseShowNfo, log), null);
      assert.deepEqual(warnings, []);
      await writeFile(join(dir, 'bad.nfo'), '<tvshow><title>x</tvshow>');
      assert.equal(await readNfo(join(dir, 'bad.nfo'), 'Show/bad.nfo', parseShowNfo, log), null);
      assert.match(warnings[0] ?? '', /ignoring NFO Show\/bad\.nfo: malformed \(line 1/);
      await writeFile(join(dir, 'good.nfo'), TVSHOW);
      assert.equal((await readNfo(join(dir, 'good.nfo'), 'good.nfo', parseShowNfo, log))?.title, 'Law & Order');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
