// A complete paged listing, or an error: detects servers that ignore paging (a page larger than
// asked, or one that starts over) and pages that do not add up to the total, so a truncated
// listing can never flag items missing. Once the total is known, the next page is asked for
// before the current one is read (two requests in flight), so the server's time and ours overlap.
import { ServerError } from './http.js';

export interface Page<T> { items: T[]; total: number }

export async function listAllPages<T>(o: {
  product: string;
  pageSize: number;
  fetchPage: (start: number, size: number) => Promise<Page<T>>;
  keyOf: (item: T) => string;
  onPage?: (got: number, total: number) => void;
}): Promise<T[]> {
  const changed = (got: number, total: number) => new ServerError(`${o.product} listed ${got} of ${total} items with some twice or missing `
    + '(the library changed while listing, or the server stopped early): nothing was flagged missing; scan again', 'library');
  const out: T[] = [];
  const seen = new Set<string>();
  const inFlight = new Map<number, Promise<Page<T>>>();
  const request = (start: number) => {
    const p = o.fetchPage(start, o.pageSize);
    p.catch(() => {}); // a request ahead may be dropped unread when an earlier page fails
    inFlight.set(start, p);
    return p;
  };
  let total = Infinity;
  let first: string | undefined;
  for (let start = 0; start < total;) {
    const current = inFlight.get(start) ?? request(start);
    inFlight.delete(start);
    if (total !== Infinity && start + o.pageSize < total && !inFlight.has(start + o.pageSize)) request(start + o.pageSize);
    const page = await current;
    total = page.total;
    const items = page.items;
    if (items.length > o.pageSize || (start > 0 && items.length > 0 && o.keyOf(items[0]!) === first)) {
      throw new ServerError(`${o.product} ignored paging (asked for ${o.pageSize} items from ${start}, got ${items.length}${start > 0 ? ' starting again from the top' : ''}): `
        + 'nothing was changed; update the server or put no proxy in between that rewrites queries', 'library');
    }
    if (items.some((it) => seen.has(o.keyOf(it)))) throw changed(out.length, total);
    if (items.length === 0) break;
    first ??= o.keyOf(items[0]!);
    for (const it of items) { seen.add(o.keyOf(it)); out.push(it); }
    // A short page that is not the last one: what was asked ahead starts at the wrong place.
    if (items.length < o.pageSize) inFlight.clear();
    start += items.length;
    o.onPage?.(out.length, total);
  }
  if (out.length !== total) throw changed(out.length, total);
  return out;
}
