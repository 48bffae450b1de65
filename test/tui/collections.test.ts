// Collections in the Library view against the real API: made from search results (`n`), a
// duplicate name refused at the field, items added with `+`, listed with enter on a collection,
// removed with `-`, renamed with `e`, deleted with `D` behind a [y/N] confirm; --readonly refuses
// every one of those keys; the view at 80×24.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addFakeItems, addFakeSource, episodes } from '../helpers/fake-items.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { KEY, startTui, type Tui } from './harness.js';

describe('tui: library collections', () => {
  let api: TestApi;
  let ids: number[];
  before(async () => {
    api = await startApi();
    const src = addFakeSource(api.engine.store, 'Fake shows');
    ids = addFakeItems(api.engine.store, src, [...episodes('Space Patrol', 3, 20 * 60_000), { title: 'Moon Movie', durationMs: 90 * 60_000 }]);
    await api.api.createCollection({ name: 'Sci-fi', itemIds: ids });
  });
  after(async () => { await api.close(); });

  const byName = async (name: string) => (await api.api.collections()).find((c) => c.name === name);
  /** Focus the Collections pane and select the one collection matching `filter`. */
  async function pickCollection(t: Tui, filter: string): Promise<void> {
    await t.keys(KEY.tab, '/');
    await t.keys(...filter.split(''), KEY.enter);
    await t.waitFor((x) => x.includes(`Collections (1/`), `the collection filtered by "${filter}"`);
  }
  async function search(t: Tui, q: string, expect: string): Promise<void> {
    await t.keys('f');
    await t.waitFor((x) => x.includes('Search the library'), 'the search prompt');
    await t.keys(KEY.ctrlU, q, KEY.enter);
    await t.waitFor((x) => x.includes(expect), `results for "${q}"`);
  }

  test('n makes a collection from the search results; a duplicate name is refused at the field; empty without results', async () => {
    const t = await startTui({ api, initialView: 'library' });
    try {
      await t.waitFor((x) => x.includes('Sci-fi'), 'collections');
      await search(t, 'patrol', '3 matches for "patrol"');
      await t.keys('n');
      let text = await t.waitFor((x) => x.includes('New collection'), 'the form');
      assert.match(text, /‹ from the 3 search results ›/);
      await t.keys('Sci-fi', KEY.enter);
      text = await t.waitFor((x) => x.includes('a collection named "Sci-fi" already exists'), 'the 409 in the form');
      assert.ok(t.app.modal(), 'the form stays open');
      assert.match(text, /✖ a collection named "Sci-fi" already exists/);
      await t.keys(KEY.ctrlU, 'Patrol picks', KEY.enter);
      text = await t.waitFor((x) => x.includes('created collection "Patrol picks" (3 items)'), 'created');
      await t.waitFor((x) => /Patrol picks\s+manual\s+3/.test(x), 'listed with its 3 items');
      const c = (await byName('Patrol picks'))!;
      assert.equal(c.items, 3);
      assert.deepEqual([...(await api.api.collection(c.id)).itemIds].sort(), ids.slice(0, 3).sort());

      // The choice can make it empty; with no results there is no choice at all.
      await t.keys('n');
      await t.waitFor((x) => x.includes('New collection'), 'the form again');
      await t.keys('Patrol later', KEY.tab, KEY.right);
      await t.waitFor((x) => x.includes('‹ empty ›'), 'empty chosen');
      await t.keys(KEY.enter);
      await t.waitFor((x) => x.includes('created collection "Patrol later" (0 items)'), 'created empty');
      await search(t, 'nothingmatchesthis', '0 matches');
      await t.keys('n');
      text = await t.waitFor((x) => x.includes('New collection'), 'the form without results');
      assert.doesNotMatch(text, /search results/);
      await t.keys(KEY.esc);
      assert.equal((await byName('Patrol later'))!.items, 0);
    } finally { await t.close(); }
  });

  test('+ adds the selected result to the selected collection; enter lists its items; - removes one', async () => {
    const mix = await api.api.createCollection({ name: 'Mix tape', itemIds: [ids[0]!] });
    const t = await startTui({ api, initialView: 'library' });
    try {
      await t.waitFor((x) => x.includes('Mix tape'), 'collections');
      await search(t, 'moon', '1 match for "moon"');
      await pickCollection(t, 'Mix');
      await t.keys('+');
      await t.waitFor((x) => x.includes('added "Moon Movie" to "Mix tape" (2 items)'), 'added');
      await t.waitFor((x) => /Mix tape\s+manual\s+2/.test(x), 'the count updated');
      await t.keys('+');
      await t.waitFor((x) => x.includes('"Moon Movie" is already in "Mix tape" (2 items)'), 'already in');
      assert.deepEqual((await api.api.collection(mix.id)).itemIds, [ids[0], ids[3]]);

      await t.keys(KEY.enter);
      let text = await t.waitFor((x) => x.includes('Items of collection "Mix tape" (2)'), 'the items');
      assert.match(text, /collection "Mix tape": 2 items/);
      assert.match(text, /Space Patrol S01E01 Space Patrol episode 1\s+episode\s+20m00s/);
      assert.match(text, /Moon Movie\s+movie\s+1h30m/);
      // The items pane has the focus now: j/G move in it, - removes from the collection it lists.
      await t.keys('G', '-');
      text = await t.waitFor((x) => x.includes('removed "Moon Movie" from "Mix tape" (1 item left)'), 'removed');
      text = await t.waitFor((x) => x.includes('Items of collection "Mix tape" (1)') && /Mix tape\s+manual\s+1/.test(x), 'both panes updated');
      assert.doesNotMatch(text, /Moon Movie\s+movie/);
      assert.deepEqual((await api.api.collection(mix.id)).itemIds, [ids[0]]);
      // enter in the items pane: the item's details, as for a search result.
      await t.keys(KEY.enter);
      await t.waitFor((x) => x.includes(`Item ${ids[0]}`) && x.includes('Location'), 'item details');
      await t.keys(KEY.esc);
      // A search result not in the selected collection: - says so.
      await search(t, 'moon', '1 match for "moon"');
      await t.keys('-');
      await t.waitFor((x) => x.includes('"Moon Movie" is not in "Mix tape"'), 'not in it');
    } finally { await t.close(); }
  });

  test('e renames (a taken name refused at the field); D deletes the focused pane\'s row after [y/N]', async () => {
    await api.api.createCollection({ name: 'Old name', itemIds: [ids[1]!, ids[2]!] });
    const t = await startTui({ api, initialView: 'library' });
    try {
      await t.waitFor((x) => x.includes('Old name'), 'collections');
      // Sources pane focused: D is about the source.
      await t.keys('D');
      await t.waitFor((x) => x.includes('Remove source "Fake shows"') && x.includes('[y/N]'), 'the source confirm');
      await t.keys('n');
      await t.waitFor((x) => x.includes('kept source "Fake shows"'), 'kept');

      await pickCollection(t, 'Old');
      await t.keys('e');
      await t.waitFor((x) => x.includes('Rename collection "Old name"'), 'the rename form');
      await t.keys(KEY.ctrlU, 'Sci-fi', KEY.enter);
      await t.waitFor((x) => x.includes('✖ a collection named "Sci-fi" already exists'), 'the 409 at the field');
      assert.ok(t.app.modal(), 'the form stays open');
      await t.keys(KEY.ctrlU, 'Old gold', KEY.enter);
      await t.waitFor((x) => x.includes('renamed collection "Old name" to "Old gold"'), 'renamed');
      await t.waitFor((x) => /Old gold\s+manual\s+2/.test(x), 'the new name listed');
      const c = (await byName('Old gold'))!;
      assert.ok(c);

      await t.keys('D');
      await t.waitFor((x) => x.includes('Delete collection "Old gold" (2 items)? The media stays in the library.') && x.includes('[y/N]'), 'the confirm');
      await t.keys('n');
      await t.waitFor((x) => x.includes('kept collection "Old gold"'), 'n keeps it');
      assert.ok(await byName('Old gold'));
      await t.keys('D');
      await t.waitFor((x) => x.includes('Delete collection "Old gold"'), 'the confirm again');
      await t.keys('y');
      await t.waitFor((x) => x.includes('deleted collection "Old gold"'), 'y deletes');
      assert.equal(await byName('Old gold'), undefined);
      await assert.rejects(api.api.collection(c.id), /not found/);
      // The right-hand pane focused: D deletes nothing there.
      await t.keys(KEY.tab, 'D');
      await t.waitFor((x) => x.includes('D deletes in the Sources or Collections pane'), 'explained');
      assert.equal(t.app.modal(), undefined);
    } finally { await t.close(); }
  });

  test('--readonly refuses n, +, -, e and D; enter still lists items', async () => {
    const before = JSON.stringify(await api.api.collections());
    const t = await startTui({ api, initialView: 'library', readonly: true });
    try {
      await t.waitFor((x) => x.includes('Sci-fi'), 'collections');
      await search(t, 'moon', '1 match for "moon"');
      await pickCollection(t, 'Sci');
      for (const [key, desc] of [['n', 'new collection'], ['+', 'add the selected item'], ['-', 'remove the item from the collection'], ['e', 'rename the selected collection'], ['D', 'delete the focused pane']] as const) {
        await t.keys(key);
        await t.waitFor((x) => x.includes(`read-only: "${desc}`), `${key} refused`);
        assert.equal(t.app.modal(), undefined, `${key} opened nothing`);
      }
      assert.equal(JSON.stringify(await api.api.collections()), before);
      await t.keys(KEY.enter);
      await t.waitFor((x) => x.includes('Items of collection "Sci-fi" (4)'), 'items listed');
      await t.keys('?');
      const help = await t.waitFor((x) => x.includes('Help — Library (read-only)'), 'help');
      assert.match(help, /7 editing keys hidden: read-only/);
    } finally { await t.close(); }
  });

  test('80×24: the collections pane, the items of a collection and the new-collection form fit', async () => {
    const t = await startTui({ api, initialView: 'library', cols: 80, rows: 24 });
    try {
      await t.waitFor((x) => x.includes('Sci-fi'), 'collections');
      await pickCollection(t, 'Sci');
      await t.keys(KEY.enter);
      let text = await t.waitFor((x) => x.includes('Items of collection "Sci-fi" (4)'), 'the items');
      assert.match(text, /Space Patrol S01E01 /);
      assert.match(text, /Moon Movie/);
      assert.ok(t.s.lines().every((l) => l.length <= 80));
      await t.keys('n');
      text = await t.waitFor((x) => x.includes('New collection'), 'the form');
      assert.match(text, /from the 4 items of "Sci-fi" shown/);
      await t.keys(KEY.esc);
    } finally { await t.close(); }
  });
});
