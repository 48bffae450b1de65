// The paged-listing guard against in-memory servers: capped page sizes, ignored paging, pages that
// do not add up, a failing request ahead.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServerError } from '../../../src/engine/library/servers/http.js';
import { listAllPages, type Page } from '../../../src/engine/library/servers/paging.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `id${String(i).padStart(3, '0')}`);

function server(all: string[], serve: (start: number, size: number) => string[] = (s, n) => all.slice(s, s + n)) {
  const asked: number[] = [];
  return {
    asked,
    fetchPage: async (start: number, size: number): Promise<Page<string>> => {
      asked.push(start);
      await new Promise((r) => setImmediate(r));
      return { items: serve(start, size), total: all.length };
    },
  };
}
const list = (s: ReturnType<typeof server>, pageSize = 5) => listAllPages({ product: 'Test', pageSize, fetchPage: s.fetchPage, keyOf: (x) => x });

describe('paged listings', () => {
  it('every item once, in order, with one request ahead', async () => {
    const all = ids(23);
    const s = server(all);
    assert.deepEqual(await list(s), all);
    assert.deepEqual(s.asked, [0, 5, 10, 15, 20]);
  });

  it('a server that caps the page size below what was asked: still complete, requests ahead dropped', async () => {
    const all = ids(17);
    const s = server(all, (start, size) => all.slice(start, start + Math.min(size, 3)));
    assert.deepEqual(await list(s), all);
  });

  it('a server that ignores paging fails the listing', async () => {
    const all = ids(12);
    await assert.rejects(list(server(all, () => all)), (e: unknown) => e instanceof ServerError && /ignored paging \(asked for 5 items from 0, got 12\)/.test(e.message));
    await assert.rejects(list(server(all, (_s, n) => all.slice(0, n))), /ignored paging \(asked for 5 items from 5, got 5 starting again from the top\)/);
  });

  it('pages that do not add up to the total fail the listing; a failing request fails it too', async () => {
    const all = ids(12);
    // An item deleted between two pages: the next page overlaps the one before.
    await assert.rejects(list(server(all, (s, n) => all.slice(s, s + n).filter((x) => x !== 'id007'))), /listed 9 of 12 items with some twice or missing \(the library changed while listing/);
    // A server that stops early (empty pages before the total).
    await assert.rejects(list(server(all, (s, n) => (s >= 10 ? [] : all.slice(s, s + n)))), /listed 10 of 12 items/);
    const failing = server(all);
    const fetchPage = async (start: number, size: number) => {
      if (start >= 10) throw new ServerError('HTTP 500', 'library');
      return failing.fetchPage(start, size);
    };
    await assert.rejects(listAllPages({ product: 'Test', pageSize: 5, fetchPage, keyOf: (x) => x }), /HTTP 500/);
  });
});
