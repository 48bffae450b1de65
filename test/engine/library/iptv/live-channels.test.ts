// Which streams a request names (tvg-id, then name, then item id; ambiguity refused) and how new
// live channels are numbered (tvg-chno when free, else the next free whole number).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { numberChannels, pickEntry, type LiveEntry } from '../../../../src/engine/library/iptv/live-channels.js';

const entry = (itemId: number, title: string, tvgId: string | null, tvgChno: string | null = null): LiveEntry => ({
  itemId, key: tvgId ? `tvg:${tvgId}` : `http://127.0.0.1:1/${itemId}`, title, tvgId, tvgChno, logo: null, group: null,
  locator: { type: 'url', url: `http://127.0.0.1:1/${itemId}.ts`, live: true },
});

describe('IPTV live channels: choosing and numbering', () => {
  const list = [entry(1, 'News', 'news.uk', '101'), entry(2, 'Film', 'film', '5.1'), entry(3, 'Film', null), entry(4, 'Kids', 'kids', 'abc')];

  it('names a stream by tvg-id, by name (any case), or by item id; an ambiguous or unknown one is refused', () => {
    assert.equal(pickEntry(list, 'news.uk').itemId, 1);
    assert.equal(pickEntry(list, 'KIDS').itemId, 4);
    assert.equal(pickEntry(list, 'film').itemId, 2, 'a tvg-id wins over a name');
    assert.equal(pickEntry(list, '3').itemId, 3);
    assert.throws(() => pickEntry(list, 'Film'), /names 2 streams/);
    assert.throws(() => pickEntry(list, 'nope'), /entries: no stream "nope"/);
  });

  it('numbers from tvg-chno when it is a free channel number, else the next free number', () => {
    assert.deepEqual(numberChannels(list, new Set(['1', '102'])), ['101', '5.1', '103', '104']);
    assert.deepEqual(numberChannels(list, new Set(['101'])), ['102', '5.1', '103', '104'], 'a taken tvg-chno gets the next free one');
    assert.deepEqual(numberChannels([list[2]!], new Set()), ['1']);
    assert.deepEqual(numberChannels([list[0]!], new Set(), '7'), ['7'], 'an explicit number wins');
    assert.throws(() => numberChannels([list[0]!], new Set(['7']), '7'), /number: channel 7 already exists/);
  });
});
