// The Library view's state without a screen: the newest scan per source and its SCAN cell, the
// progress line and poll rate, health and where-cells, which pane enter and D act on, what the
// right-hand pane shows (search or a collection's items, stale answers dropped, renames and
// deletions followed), the keys, and the words the view says.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Collection } from '../../src/schemas/collection.js';
import type { MediaItem, MediaItemDetail, MediaSource, ScanState } from '../../src/schemas/library.js';
import {
  addedText, ago, healthOf, healthStyle, itemDetailLines, itemTitle, LIBRARY_KEYS, LibraryModel, openedText, POLL_IDLE_MS,
  POLL_SCANNING_MS, problemsOf, removedText, scanFraction, SEARCH_EMPTY, whereOf,
} from '../../src/tui/views/library-model.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
/** Colours as visible markers, so a test sees which one was used. */
const t = { ok: (s: string) => `<ok>${s}`, warn: (s: string) => `<warn>${s}`, err: (s: string) => `<err>${s}`, dim: (s: string) => `<dim>${s}`, bold: (s: string) => `<b>${s}`, accent: (s: string) => `<acc>${s}` };

const src = (id: number, o: Partial<MediaSource> & { health?: unknown } = {}) =>
  ({ id, name: `Source ${id}`, kind: 'local', config: { path: `/media/${id}` }, items: 3, missing: 0, unreadable: 0, lastScanAt: null, lastScanStatus: null, ...o } as unknown as MediaSource);
const scan = (sourceId: number, o: Partial<ScanState> = {}): ScanState => ({
  id: sourceId * 10, sourceId, state: 'running', phase: 'probing', found: 10, total: 10, probed: 4, added: 2, changed: 1, unchanged: 0,
  missing: 0, unreadable: 1, current: null, error: null, startedAt: '2026-03-01T11:59:00Z', finishedAt: null, ...o,
});
const coll = (id: number, name: string, items = 2, o: Partial<Collection> = {}): Collection =>
  ({ id, name, kind: 'manual', query: null, items, createdAt: '', updatedAt: '', ...o });
const item = (id: number, o: Partial<MediaItem> = {}) => ({ id, title: `Item ${id}`, showTitle: null, seasonNumber: null, episodeNumber: null, kind: 'movie', durationMs: 60_000, status: 'ok', ...o } as unknown as MediaItem);

test('scans: the newest per source, its SCAN cell and the poll rate', () => {
  const m = new LibraryModel();
  assert.equal(m.pollMs(), POLL_IDLE_MS);
  // GET /api/scans answers newest first: the older failed scan of source 1 must not win.
  m.setScans([scan(1, { id: 12 }), scan(1, { id: 11, state: 'failed', error: 'gone' }), scan(2, { phase: 'walking', found: 7 })]);
  assert.equal(m.scans.get(1)!.id, 12);
  assert.equal(m.pollMs(), POLL_SCANNING_MS);
  assert.equal(m.scanCell(src(1), NOW), '▶ probing 40%');
  assert.equal(m.scanCell(src(2), NOW), '▶ walking 7');
  m.setScan(scan(1, { state: 'done', phase: 'done' }));
  assert.equal(m.scanCell(src(1, { lastScanAt: '2026-03-01T11:59:30Z' }), NOW), '✔ just now');
  assert.equal(m.scanCell(src(1, { lastScanAt: '2026-03-01T10:55:00Z' }), NOW), '✔ 1h05m ago');
  m.setScan(scan(2, { state: 'failed', error: 'unreadable folder' }));
  assert.equal(m.pollMs(), POLL_IDLE_MS);
  assert.equal(m.scanCell(src(2), NOW), '✖ failed never');
  assert.equal(m.scanCell(src(3, { lastScanStatus: 'failed', lastScanAt: '2026-03-01T11:00:00Z' } as never), NOW), '✖ failed 1h00m ago');
  assert.equal(m.scanCell(src(3), NOW), '○ not scanned');
  m.forgetSource(2);
  assert.equal(m.scans.has(2), false);
  assert.deepEqual([scanFraction(scan(1)), scanFraction(scan(1, { phase: 'walking' })), scanFraction(scan(1, { total: 0 })), scanFraction(scan(1, { state: 'done' }))], [0.4, null, 0, 1]);
  assert.equal(ago(null, NOW), 'never');
});

test('the progress line: the running scan with its bar, else the selected source\'s trouble, a failed scan, or a hint', () => {
  const m = new LibraryModel();
  const list = [src(1), src(2, { health: { state: 'down', summary: 'server unreachable' } })];
  assert.equal(m.progress(list, list[0], 80, t), ' <dim>no scan running · s scans the selected source');
  assert.equal(m.progress(list, list[1], 80, t), ' <err>✖ Source 2: server unreachable');
  m.setScan(scan(2, { state: 'failed', error: 'no such folder' }));
  assert.equal(m.progress(list, list[0], 80, t), ' <err>✖ last scan of source 2 failed: no such folder');
  m.setScan(scan(1, { current: 'a.mkv' }));
  m.setScan(scan(9, { phase: 'walking' }));
  const line = m.progress(list, list[0], 80, t);
  assert.match(line, /^ <acc>▶ Source 1 <ok>[█░▓▒ ]+ {2}40% probing 4\/10 · \+2 ~1 ✖1 · a\.mkv \(\+1 more\)/);
  m.setScans([scan(1, { state: 'done', phase: 'done' })]);
  assert.match(m.progress(list, list[0], 80, t), /^ <acc>▶ source 9 .* walking: 10 files found/, 'a source not listed is named by id');
});

test('cells: health colours, where the media is, problems', () => {
  assert.equal(healthStyle(undefined, 'x', t), '<dim>x');
  assert.deepEqual((['ok', 'degraded', 'down', 'unknown'] as const).map((state) => healthStyle({ state, summary: '' }, 'x', t)), ['<ok>x', '<warn>x', '<err>x', '<dim>x']);
  assert.equal(healthOf(src(1)), undefined);
  assert.equal(whereOf(src(1)), '/media/1');
  assert.equal(whereOf(src(1, { config: { playlist: 'http://x/list.m3u' } })), 'http://x/list.m3u');
  assert.equal(whereOf(src(1, { config: { serverName: 'Den', libraryName: 'Films' } })), 'Den: Films');
  assert.equal(problemsOf(src(1)), '—');
  assert.equal(problemsOf(src(1, { missing: 2, unreadable: 1 })), '▲ 2m 1u');
  assert.equal(itemTitle(item(1, { showTitle: 'Space Patrol', seasonNumber: 1, episodeNumber: 2, title: 'Pilot' })), 'Space Patrol S01E02 Pilot');
});

test('keys: enter and D act on the focused pane; every key names one action', () => {
  const m = new LibraryModel();
  assert.deepEqual([m.enterAction(), m.deleteAction()], ['itemInfo', 'removeSource']);
  m.focused = 'collections';
  assert.deepEqual([m.enterAction(), m.deleteAction()], ['openCollection', 'deleteCollection']);
  m.focused = 'results';
  assert.deepEqual([m.enterAction(), m.deleteAction()], ['itemInfo', null]);
  const keys = LIBRARY_KEYS.flatMap((k) => k.keys);
  assert.equal(new Set(keys).size, keys.length, 'no key bound twice');
  assert.deepEqual(LIBRARY_KEYS.filter((k) => !k.mutates).map((k) => k.action), ['search', 'enter'], 'only search and enter work under --readonly');
  assert.deepEqual(LIBRARY_KEYS.find((k) => k.keys.includes('e'))!.panes, [1]);
});

test('the right-hand pane: search, a collection\'s items, stale answers dropped', () => {
  const m = new LibraryModel();
  assert.deepEqual(m.right, { label: 'Search', empty: SEARCH_EMPTY });
  assert.equal(m.search('  patrol '), 'patrol');
  assert.equal(m.searched(1), '1 match for "patrol"');
  assert.deepEqual(m.right, { label: 'Search "patrol"', empty: 'nothing matches "patrol"' });
  const first = m.askItems();
  const second = m.askItems();
  assert.equal(m.showItems(first, { id: 5, name: 'Old' }, 1, 1), 'stale', 'an older answer does not replace a newer request');
  assert.equal(m.showItems(second, { id: 5, name: 'Sci-fi' }, 500, 800), 'new');
  assert.deepEqual(m.right, { label: 'Items of collection "Sci-fi" — first 500 of 800', empty: 'collection "Sci-fi" is empty: f search, then + adds the selected result' });
  assert.equal(m.showItems(m.askItems(), { id: 5, name: 'Sci-fi' }, 3, 3), 'same', 'a refresh keeps the selection');
  assert.equal(m.right.label, 'Items of collection "Sci-fi"');
  const ticket = m.askItems();
  assert.equal(m.search(''), '');
  assert.equal(m.showItems(ticket, { id: 5, name: 'Sci-fi' }, 3, 3), 'stale', 'a search asked meanwhile wins');
  assert.deepEqual([m.shown, m.right.label], [null, 'Search']);
});

test('collections changing under the pane: renamed, items removed, deleted here or elsewhere', () => {
  const m = new LibraryModel();
  assert.equal(m.collectionsLoaded([coll(5, 'Sci-fi')], 0), false, 'nothing shown: nothing to follow');
  m.showItems(m.askItems(), { id: 5, name: 'Sci-fi' }, 3, 3);
  assert.equal(m.collectionsLoaded([coll(5, 'Science fiction', 3)], 3), false);
  assert.equal(m.right.label, 'Items of collection "Science fiction"');
  assert.equal(m.removeTarget([coll(4, 'A'), coll(5, 'Science fiction')], coll(4, 'A'))!.id, 5, '- acts on the collection shown, not the one selected');
  assert.equal(m.itemRemoved(coll(4, 'A', 1), 2), false);
  assert.equal(m.itemRemoved(coll(5, 'Science fiction', 2), 2), true);
  assert.equal(m.shownTotal, 2);
  m.renamed(coll(4, 'Other'), 2);
  assert.equal(m.shown!.name, 'Science fiction', 'renaming another collection changes nothing');
  m.renamed(coll(5, 'SF'), 2);
  assert.equal(m.right.label, 'Items of collection "SF"');
  assert.equal(m.collectionsLoaded([coll(4, 'A')], 2), true, 'deleted elsewhere: clear the rows');
  assert.deepEqual([m.shown, m.right], [null, { label: 'Collection "SF" (deleted)', empty: 'this collection was deleted' }]);
  assert.equal(m.removeTarget([coll(4, 'A')], coll(4, 'A'))!.id, 4);
  m.showItems(m.askItems(), { id: 4, name: 'A' }, 1, 1);
  assert.equal(m.collectionDeleted(coll(9, 'B')), false);
  assert.equal(m.collectionDeleted(coll(4, 'A')), true);
  assert.deepEqual(m.right, { label: 'Search', empty: 'collection "A" was deleted · f searches' });
});

test('words: the new-collection form, flash lines, item details', () => {
  const m = new LibraryModel();
  assert.deepEqual(m.newCollectionFields(0).map((f) => f.name), ['name']);
  m.search('moon');
  assert.equal(m.newCollectionFields(1)[1]!.options![0]!.label, 'from the 1 search result');
  m.showItems(m.askItems(), { id: 5, name: 'Sci-fi' }, 2, 2);
  assert.equal(m.newCollectionFields(2)[1]!.options![0]!.label, 'from the 2 items of "Sci-fi" shown');
  const i = item(7, { title: 'Moon Movie' });
  assert.equal(addedText(i, coll(5, 'Sci-fi', 2), coll(5, 'Sci-fi', 3)), 'added "Moon Movie" to "Sci-fi" (3 items)');
  assert.equal(addedText(i, coll(5, 'Sci-fi', 1), coll(5, 'Sci-fi', 1)), '"Moon Movie" is already in "Sci-fi" (1 item)');
  assert.equal(removedText(i, coll(5, 'Sci-fi', 2), coll(5, 'Sci-fi', 1)), 'removed "Moon Movie" from "Sci-fi" (1 item left)');
  assert.equal(removedText(i, coll(5, 'Sci-fi', 2), coll(5, 'Sci-fi', 2)), '"Moon Movie" is not in "Sci-fi"');
  assert.equal(openedText(coll(5, 'Sci-fi'), 2), 'collection "Sci-fi": 2 items · - removes the selected one');
  assert.equal(openedText(coll(6, 'Moons', 1, { kind: 'search', query: 'moon' }), 1), 'collection "Moons": 1 item matching "moon" (a search collection follows its query)');
  const d = {
    id: 7, title: 'Pilot', showTitle: 'Space Patrol', seasonNumber: 1, episodeNumber: 1, status: 'failed', error: 'no video', durationMs: 1_200_000, size: 2048, container: 'matroska',
    locator: { type: 'file', path: '/m/a.mkv' }, streams: [{ index: 0, type: 'video', codec: 'h264', width: 1280, height: 720, fps: 25, fieldOrder: 'tt', channels: null, language: null }],
  } as unknown as MediaItemDetail;
  const lines = itemDetailLines(d, t);
  assert.equal(lines[1], '<b>Show      Space Patrol S01E01');
  assert.equal(lines[2], '<b>Status    ✖ failed: no video');
  assert.match(lines[3]!, /^<b>Length {4}20m00s {3}<b>Size 2(\.0)? ?KiB {3}<b>Container matroska$/);
  assert.equal(lines[4], '<b>Location  /m/a.mkv');
  assert.equal(lines.at(-1), '#0 video h264 1280x720 25fps tt');
});
