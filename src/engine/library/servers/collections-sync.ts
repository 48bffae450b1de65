// Applies a server's complete list of collections and playlists to the collections that follow
// them here (one per server collection with items in this source's library): new ones created,
// renamed or re-filled ones rewritten, unchanged ones not touched at all, ones gone from the server
// removed (or, when a channel uses one, emptied). A show among the members stands for its episodes.
// Call inside the sync's transaction.
import type { Store } from '../../store/store.js';
import type { ServerCollection } from './collections.js';

export interface CollectionSyncCounts { created: number; changed: number; removed: number }

const sameIds = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function applyServerCollections(
  store: Store, source: { id: number; name: string }, wanted: readonly ServerCollection[], showEpisodes: ReadonlyMap<string, readonly string[]>,
  log: (msg: string) => void = () => {},
): CollectionSyncCounts {
  const counts = { created: 0, changed: 0, removed: 0 };
  const existing = new Map(store.collections.ofSource(source.id).map((c) => [c.externalKey, c]));
  if (!wanted.length && !existing.size) return counts;
  const itemIds = new Map<string, number>();
  for (const [key, k] of store.items.known(source.id)) if (k.status !== 'missing') itemIds.set(key, k.id);

  const taken = new Set<string>();
  const nameFor = (col: ServerCollection, selfId: number | undefined) => {
    for (const name of [col.name, `${col.name} (${source.name})`, `${col.name} (${source.name} ${col.key})`]) {
      const other = store.collections.findByName(name);
      if ((!other || other.id === selfId) && !taken.has(name.toLowerCase())) { taken.add(name.toLowerCase()); return name; }
    }
    return null;
  };

  const kept = new Set<string>();
  for (const col of wanted) {
    const ids = [...new Set(col.members.flatMap((m) => (itemIds.has(m) ? [itemIds.get(m)!] : (showEpisodes.get(m) ?? []).flatMap((e) => itemIds.get(e) ?? []))))];
    if (!ids.length) continue; // nothing of it in this library
    const old = existing.get(col.key);
    const name = nameFor(col, old?.id);
    if (name === null) { log(`${col.kind} "${col.name}" was not synced: its name is taken`); continue; }
    kept.add(col.key);
    if (!old) { store.collections.createForSource(source.id, col.key, name, ids); counts.created++; continue; }
    if (old.name !== name || !sameIds(old.itemIds, ids)) { store.collections.setFromServer(old.id, name, ids); counts.changed++; }
  }
  for (const [key, old] of existing) {
    if (kept.has(key)) continue;
    if (!store.channels.usersOf({ type: 'collection', id: old.id }).length) { store.collections.remove(old.id); counts.removed++; continue; }
    if (old.itemIds.length) {
      store.collections.setFromServer(old.id, old.name, []);
      counts.changed++;
      log(`collection "${old.name}" is gone from the server but a channel uses it: it is kept, empty`);
    }
  }
  return counts;
}
