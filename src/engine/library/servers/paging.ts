// A complete paged listing, or an error: detects servers that ignore paging (a page larger than
// asked, or one that starts over) and pages that do not add up to the total, so a truncated
// listing can never flag items missing.
import { ServerError } from './http.js';

export interface Page<T> { items: T[]; total: number }

export async function listAllPages<T>(o: {
  product: string;
  pageSize: number;
  fetchPage: (start: number, size: number) => Promise<Page<T>>;
  keyOf: (item: T) => string;
  onPage?: (got: number, total: number) => void;
}): Promise<T[]> {
  const out: T[] = [];
  const seen = new Set<string>();
  let total = Infinity;
  for (let start = 0; start < total;) {
    const page = await o.fetchPage(start, o.pageSize);
    total = page.total;
    const items = page.items;
    if (items.length > o.pageSize || (start > 0 && items.length > 0 && seen.has(o.keyOf(items[0]!)))) {
      throw new ServerError(`${o.product} ignored paging (asked for ${o.pageSize} items from ${start}, got ${items.length}${start > 0 ? ' starting again from the top' : ''}): `
        + 'nothing was changed; update the server or put no proxy in between that rewrites queries', 'library');
    }
    if (items.length === 0) break;
    for (const it of items) { seen.add(o.keyOf(it)); out.push(it); }
    start += items.length;
    o.onPage?.(out.length, total);
  }
  if (out.length !== total) {
    throw new ServerError(`${o.product} listed ${out.length} of ${total} items (the library changed while listing, or the server stopped early): nothing was flagged missing; scan again`, 'library');
  }
  return out;
}
