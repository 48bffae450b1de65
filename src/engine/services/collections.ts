import type { Collection, CollectionDetail, CollectionInput, CollectionPatch } from '../../schemas/collection.js';
import type { Store } from '../store/store.js';
import type { ChannelService } from './channels.js';
import { ConflictError, InvalidError } from '../errors.js';

export class CollectionService {
  constructor(private readonly store: Store, private readonly channels: ChannelService) {}

  list(): Collection[] { return this.store.collections.list(); }
  get(id: number): Collection { return this.store.collections.get(id); }

  /** The collection with its members: a manual one's items in order, a search one's current playable matches. */
  detail(id: number): CollectionDetail {
    const c = this.get(id);
    const itemIds = c.kind === 'manual' ? this.store.collections.itemIds(id)
      : this.store.items.playableOfCollection(id, 'search', c.query).map((i) => i.id);
    return { ...c, itemIds };
  }

  private assertItems(ids: number[], field: string): void {
    const missing = this.store.items.exist(ids);
    if (missing.length) throw new InvalidError(field, `media item${missing.length > 1 ? 's' : ''} ${missing.slice(0, 10).join(', ')} do${missing.length > 1 ? '' : 'es'} not exist`);
  }

  create(input: CollectionInput): Collection {
    if (input.itemIds) this.assertItems(input.itemIds, 'itemIds');
    return this.store.tx(() => {
      const c = this.store.collections.create(input.name, input.kind, input.kind === 'search' ? input.query! : null);
      return input.itemIds?.length ? this.store.collections.changeItems(c.id, input.itemIds, []) : c;
    });
  }

  update(id: number, patch: CollectionPatch): Collection {
    return this.store.tx(() => {
      const c = this.store.collections.update(id, patch);
      if (patch.query !== undefined) this.channels.rebuildUsersOf({ type: 'collection', id });
      return c;
    });
  }

  changeItems(id: number, add: number[], remove: number[]): Collection {
    this.assertItems(add, 'add');
    return this.store.tx(() => {
      const c = this.store.collections.changeItems(id, add, remove);
      this.channels.rebuildUsersOf({ type: 'collection', id });
      return c;
    });
  }

  remove(id: number): void {
    const c = this.get(id);
    const users = this.store.channels.usersOf({ type: 'collection', id });
    if (users.length) {
      const names = users.map((u) => `${u.number} (${u.name})`).join(', ');
      throw new ConflictError(`collection "${c.name}" is used by channel ${names}; remove it from the channel first`);
    }
    this.store.collections.remove(id);
  }
}
