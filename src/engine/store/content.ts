// Does the content a channel or schedule names exist? (repository lookups, no SQL of its own)
import type { ContentRef } from '../../schemas/channel.js';
import type { Store } from './store.js';
import { InvalidError } from '../errors.js';

/** Rejects references to content that does not exist, naming the field. */
export function assertContentExists(store: Store, content: readonly ContentRef[], field = 'content'): void {
  content.forEach((ref, i) => {
    const found = ref.type === 'collection' ? store.collections.find(ref.id)
      : ref.type === 'show' ? store.shows.find(ref.id)
      : store.items.find(ref.id);
    if (!found) throw new InvalidError(`${field}.${i}.id`, `${ref.type} ${ref.id} does not exist`);
  });
}
