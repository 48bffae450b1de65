// A comparable picture of the whole database: every table's row count plus the full contents of
// the tables that API writes touch. Equal snapshots before and after = the request changed nothing.
import type { Store } from '../../src/engine/store/store.js';

const FULL = ['channels', 'schedule_definitions', 'collections', 'collection_items', 'media_sources', 'settings'];

export function dbSnapshot(store: Store): Record<string, unknown> {
  const tables = (store.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[])
    .map((t) => t.name);
  const out: Record<string, unknown> = {};
  for (const t of tables) out[`count:${t}`] = (store.db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n;
  for (const t of FULL) out[t] = store.db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all();
  out.timeline = store.db.prepare('SELECT id, channel_id, start_ms, end_ms, item_id FROM timeline_rows ORDER BY id').all();
  return out;
}
