// Writes an import plan in one transaction: collections first (created, or their items replaced),
// then channels (created, or replaced in place) with their schedule definitions and first days
// of timeline. Any failure rolls everything back.
import { scheduleDefinition, type ScheduleDefinition, type StoredDefinition } from '../../schemas/schedule.js';
import type { ContentRef } from '../../schemas/channel.js';
import { randomSeed } from '../schedule/rng.js';
import { validateDefinition } from '../schedule/validate.js';
import type { Store } from '../store/store.js';
import type { TimelineService } from '../timeline/service.js';
import type { ImportPlan, PlannedDefinition, PlannedRef } from './plan.js';

export interface Applied { channels: string[]; collections: number[] }

function resolveDefinition(d: PlannedDefinition, ids: ReadonlyMap<string, number>): StoredDefinition {
  const ref = (r: PlannedRef): ContentRef => (r.type === 'list' ? { type: 'collection', id: ids.get(r.key)! } : r);
  const m = d.main;
  const empty = (m.mode === 'flood' && m.sources.length === 0) || ((m.mode === 'time_slots' || m.mode === 'random_slots') && m.slots.length === 0);
  if (empty) return { kind: 'flood', order: 'in_order', content: [] }; // nothing matched: an empty channel, filled in later
  return scheduleDefinition.parse({ ...d, sources: d.sources.map((s) => ({ ...s, content: s.content.map(ref) })) });
}

export function applyPlan(store: Store, timeline: TimelineService, plan: ImportPlan, now = Date.now()): Applied {
  return store.tx(() => {
    const ids = new Map<string, number>();
    const touched: number[] = [];
    for (const l of plan.lists) {
      let id: number;
      if (l.replaces !== null) {
        id = l.replaces;
        store.collections.changeItems(id, [], store.collections.itemIds(id));
        touched.push(id);
      } else {
        id = store.collections.create(l.name, 'manual', null).id;
      }
      if (l.itemIds.length) store.collections.changeItems(id, l.itemIds, []);
      ids.set(l.key, id);
    }
    const numbers: string[] = [];
    for (const c of plan.channels) {
      const definition = resolveDefinition(c.definition, ids);
      if ('version' in definition) validateDefinition(definition as ScheduleDefinition, store, c.number, `channel ${c.number}`);
      const record = { number: c.number, name: c.name, group: c.group, logo: c.logo, enabled: c.enabled, stream: c.stream, definition };
      const ch = c.replaces !== null ? store.channels.update(c.replaces, record) : store.channels.create(record, randomSeed());
      timeline.rebuild(ch.id, now);
      numbers.push(ch.number);
    }
    // Channels of ours that air a replaced collection see its new items from now.
    const mine = new Set(numbers);
    for (const id of touched) for (const ch of store.channels.usersOf({ type: 'collection', id })) if (!mine.has(ch.number)) timeline.rebuild(ch.id, now);
    return { channels: numbers, collections: [...ids.values()] };
  });
}
