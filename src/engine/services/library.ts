// The library as the API reads it: items (filtered, in a collection's order or matching a search
// collection's query), one item, full-text search, shows, and counts per status.
import type { ItemQuery, ItemStatus, MediaItem, MediaItemDetail, Show } from '../../schemas/library.js';
import type { Store } from '../store/store.js';
import type { CollectionService } from './collections.js';

export class LibraryService {
  constructor(private readonly store: Store, private readonly collections: CollectionService) {}

  /** Items matching the query; with a collection: its members (a search collection's are its query's matches, narrowed by q). */
  items(q: ItemQuery): { total: number; items: MediaItem[] } {
    if (q.collectionId === undefined) return this.store.items.query(q);
    const c = this.collections.get(q.collectionId);
    if (c.kind === 'manual') return this.store.items.query(q);
    const { collectionId: _id, ...rest } = q;
    return c.query ? this.store.items.query({ ...rest, q: [rest.q, c.query].filter(Boolean).join(' ') }) : { total: 0, items: [] };
  }

  item(id: number): MediaItemDetail { return this.store.items.get(id); }
  search(text: string, limit?: number): MediaItem[] { return this.store.items.search(text, limit); }
  shows(): Show[] { return this.store.shows.list(); }
  show(id: number): Show { return this.store.shows.get(id); }
  counts(): Record<ItemStatus, number> { return this.store.items.counts(); }
}
