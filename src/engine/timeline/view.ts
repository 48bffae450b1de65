// Timeline rows as clients see them (API, TUI, XMLTV guide): times as ISO strings, titles resolved.
import type { TimelineRow, TimelineRowOut } from '../../schemas/timeline.js';
import type { GuideInfo } from '../store/repos/items.js';
import type { Store } from '../store/store.js';
import { OFFLINE_TITLE } from '../schedule/builder.js';

/** Title of a row whose item is gone (deleted from the library while scheduled). */
export const UNKNOWN_TITLE = 'Unknown';

/** Maps one row, given what is known about its item (pure). */
export function rowOut(row: TimelineRow, item: GuideInfo | undefined): TimelineRowOut {
  // A row's own title (slate text, guide override) wins over the item's.
  const title = row.title ?? item?.title
    ?? (row.kind === 'slate' ? OFFLINE_TITLE : row.kind === 'redirect' ? `Simulcast of channel ${row.target}` : UNKNOWN_TITLE);
  return {
    id: row.id,
    start: new Date(row.startMs).toISOString(),
    end: new Date(row.endMs).toISOString(),
    kind: row.kind,
    itemId: row.itemId,
    inMs: row.inMs,
    outMs: row.outMs,
    title,
    target: row.target ?? null,
    showTitle: item?.showTitle ?? null,
    seasonNumber: item?.seasonNumber ?? null,
    episodeNumber: item?.episodeNumber ?? null,
  };
}

/** Maps rows, looking their items up in one query. */
export function rowsOut(store: Store, rows: readonly TimelineRow[]): TimelineRowOut[] {
  const ids = rows.flatMap((r) => (r.itemId === null ? [] : [r.itemId]));
  const info = ids.length ? store.items.guideInfo(ids) : new Map<number, GuideInfo>();
  return rows.map((r) => rowOut(r, r.itemId === null ? undefined : info.get(r.itemId)));
}
