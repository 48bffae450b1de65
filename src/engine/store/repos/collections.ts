import type { Db } from '../db.js';
import { isoOr } from '../rows.js';
import type { Collection } from '../../../schemas/collection.js';
import { ConflictError, NotFoundError } from '../../errors.js';

interface CollectionRow { id: number; name: string; kind: 'manual' | 'search'; query: string | null; created_at: number; updated_at: number; items: number; source_id: number | null; external_key: string | null }

/** A collection that follows one on a media server (kept in sync by its source's scans). */
export interface ServerCollectionRow { id: number; externalKey: string; name: string; itemIds: number[] }

const SELECT = `SELECT c.*, (SELECT count(*) FROM collection_items ci WHERE ci.collection_id = c.id) AS items FROM collections c`;
const toCollection = (r: CollectionRow): Collection => ({
  id: r.id, name: r.name, kind: r.kind, query: r.query, items: r.items, createdAt: isoOr(r.created_at), updatedAt: isoOr(r.updated_at),
  ...(r.source_id !== null ? { sourceId: r.source_id } : {}),
});
const followsServer = (c: Collection) => new ConflictError(`collection "${c.name}" follows a collection of its media server (source ${c.sourceId}): change it there, or make a new collection from its items`);

export class CollectionsRepo {
  constructor(private readonly db: Db) {}

  list(): Collection[] {
    return (this.db.prepare(`${SELECT} ORDER BY c.name`).all() as CollectionRow[]).map(toCollection);
  }

  find(id: number): Collection | undefined {
    const r = this.db.prepare(`${SELECT} WHERE c.id = ?`).get(id) as CollectionRow | undefined;
    return r && toCollection(r);
  }

  get(id: number): Collection {
    const c = this.find(id);
    if (!c) throw new NotFoundError(`collection ${id}`);
    return c;
  }

  findByName(name: string): Collection | undefined {
    const r = this.db.prepare(`${SELECT} WHERE c.name = ?`).get(name) as CollectionRow | undefined;
    return r && toCollection(r);
  }

  private assertFreeName(name: string, exceptId?: number): void {
    const other = this.findByName(name);
    if (other && other.id !== exceptId) throw new ConflictError(`a collection named "${other.name}" already exists`, 'name');
  }

  create(name: string, kind: 'manual' | 'search', query: string | null): Collection {
    this.assertFreeName(name);
    const now = Date.now();
    const info = this.db.prepare('INSERT INTO collections (name, kind, query, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
      .run(name, kind, query, now, now);
    return this.get(Number(info.lastInsertRowid));
  }

  update(id: number, patch: { name?: string; query?: string }): Collection {
    const c = this.get(id);
    if (c.sourceId !== undefined && patch.name !== undefined && patch.name !== c.name) throw followsServer(c);
    if (patch.name !== undefined) this.assertFreeName(patch.name, id);
    if (patch.query !== undefined && c.kind !== 'search') throw new ConflictError('only search collections have a query', 'query');
    this.db.prepare('UPDATE collections SET name = ?, query = ?, updated_at = ? WHERE id = ?')
      .run(patch.name ?? c.name, patch.query ?? c.query, Date.now(), id);
    return this.get(id);
  }

  /** Appends items (keeping order, ignoring ones already present) and removes others. */
  changeItems(id: number, add: number[], remove: number[]): Collection {
    const c = this.get(id);
    if (c.kind !== 'manual') throw new ConflictError('items can only be added to manual collections; a search collection follows its query', 'add');
    if (c.sourceId !== undefined) throw followsServer(c);
    const del = this.db.prepare('DELETE FROM collection_items WHERE collection_id = ? AND item_id = ?');
    for (const itemId of remove) del.run(id, itemId);
    let pos = (this.db.prepare('SELECT coalesce(max(position), -1) AS p FROM collection_items WHERE collection_id = ?').get(id) as { p: number }).p;
    const ins = this.db.prepare('INSERT OR IGNORE INTO collection_items (collection_id, item_id, position) VALUES (?, ?, ?)');
    for (const itemId of add) if (ins.run(id, itemId, pos + 1).changes) pos++;
    this.db.prepare('UPDATE collections SET updated_at = ? WHERE id = ?').run(Date.now(), id);
    return this.get(id);
  }

  itemIds(id: number): number[] {
    return (this.db.prepare('SELECT item_id FROM collection_items WHERE collection_id = ? ORDER BY position').all(id) as { item_id: number }[]).map((r) => r.item_id);
  }

  /** The collections that follow the source's server, with their members in order. */
  ofSource(sourceId: number): ServerCollectionRow[] {
    const rows = this.db.prepare('SELECT id, external_key, name FROM collections WHERE source_id = ?').all(sourceId) as { id: number; external_key: string; name: string }[];
    return rows.map((r) => ({ id: r.id, externalKey: r.external_key, name: r.name, itemIds: this.itemIds(r.id) }));
  }

  /** Creates a collection that follows a server's (name must be free). Call inside a transaction. */
  createForSource(sourceId: number, externalKey: string, name: string, itemIds: number[]): number {
    const now = Date.now();
    const id = Number(this.db.prepare("INSERT INTO collections (name, kind, query, created_at, updated_at, source_id, external_key) VALUES (?, 'manual', NULL, ?, ?, ?, ?)")
      .run(name, now, now, sourceId, externalKey).lastInsertRowid);
    this.setItems(id, itemIds);
    return id;
  }

  /** Replaces a server collection's name and members as the sync found them. Call inside a transaction. */
  setFromServer(id: number, name: string, itemIds: number[]): void {
    this.db.prepare('UPDATE collections SET name = ?, updated_at = ? WHERE id = ?').run(name, Date.now(), id);
    this.db.prepare('DELETE FROM collection_items WHERE collection_id = ?').run(id);
    this.setItems(id, itemIds);
  }

  private setItems(id: number, itemIds: number[]): void {
    const ins = this.db.prepare('INSERT OR IGNORE INTO collection_items (collection_id, item_id, position) VALUES (?, ?, ?)');
    itemIds.forEach((itemId, i) => ins.run(id, itemId, i));
  }

  remove(id: number): void {
    const info = this.db.prepare('DELETE FROM collections WHERE id = ?').run(id);
    if (info.changes === 0) throw new NotFoundError(`collection ${id}`);
  }
}
