// The Library view's state and what it draws, without a screen: the newest scan per source (its
// SCAN cell, the progress line, how often to poll), source health and where a source's media is,
// which pane has the keyboard (what enter and D act on), what the right-hand pane shows (search
// results or a collection's items: its title, empty text, and which answers are stale), the keys
// and the action each runs, and the words the view says. The blessed layer (library.ts) only asks
// the API, copies these into widgets and runs the actions.
import type { Collection } from '../../schemas/collection.js';
import type { MediaItem, MediaItemDetail, MediaSource, ScanState } from '../../schemas/library.js';
import { bar, bytes, duration, episodeLabel, esc, fit, truncate } from '../text.js';
import type { Theme } from '../theme.js';
import type { FormField } from '../view.js';

type Colours = Pick<Theme, 'ok' | 'warn' | 'err' | 'dim' | 'bold' | 'accent'>;

/** The optional health of a source row (IPTV streams, media servers): shown coloured by state. */
export interface SourceHealth { state: 'ok' | 'degraded' | 'down' | 'unknown'; summary: string; checkedAt?: string }
export const healthOf = (s: MediaSource) => (s as MediaSource & { health?: SourceHealth }).health;
/** Where a source's media is: its folder, playlist, or server and library. */
export const whereOf = (s: MediaSource) => String(s.config.path ?? s.config.playlist ?? (s.config.serverName ? `${String(s.config.serverName)}: ${String(s.config.libraryName)}` : ''));
/** A source's health colour: green ok, red down, yellow degraded, dim unknown or none. */
export function healthStyle(h: SourceHealth | undefined, x: string, t: Colours): string {
  if (!h) return t.dim(x);
  return h.state === 'ok' ? t.ok(x) : h.state === 'down' ? t.err(x) : h.state === 'degraded' ? t.warn(x) : t.dim(x);
}
/** The PROBLEMS cell: missing and unreadable files, or —. */
export const problemsOf = (s: MediaSource) => (s.missing || s.unreadable ? `▲ ${s.missing}m ${s.unreadable}u` : '—');

/** 0..1 while the scan can tell, null while it is still walking (count unknown). */
export function scanFraction(s: ScanState): number | null {
  if (s.state !== 'running') return 1;
  if (s.phase === 'walking') return null;
  if (s.phase === 'probing') return s.total ? s.probed / s.total : 0;
  return 1;
}

/** The most items `enter` on a collection lists. */
export const COLLECTION_ITEMS_SHOWN = 500;
/** Poll interval while a scan runs (events carry progress; the poll is the safety net) and while none does. */
export const POLL_SCANNING_MS = 1000;
export const POLL_IDLE_MS = 30_000;
export const SEARCH_EMPTY = 'press f to search titles, shows, plots and file names';

export const itemTitle = (i: MediaItem) => (i.showTitle ? `${i.showTitle} ${episodeLabel(i.seasonNumber, i.episodeNumber)} ${i.title}` : i.title);
export const nItems = (n: number) => `${n} item${n === 1 ? '' : 's'}`;
export const itemsLabel = (name: string, listed: number, total: number) =>
  `Items of collection "${name}"${listed < total ? ` — first ${listed} of ${total}` : ''}`;

/** "just now", "5m ago", "2h3m ago", "never". */
export function ago(iso: string | null, now = Date.now()): string {
  if (!iso) return 'never';
  const s = Math.max(0, (now - Date.parse(iso)) / 1000);
  return s < 90 ? 'just now' : `${duration(s).replace(/\d+s$/, '')} ago`;
}

/** The item details message: title, show, status, length/size/container, location, streams. */
export function itemDetailLines(d: MediaItemDetail, t: Pick<Theme, 'bold'>): string[] {
  const where = d.locator.type === 'file' ? d.locator.path : d.locator.type === 'url' ? d.locator.url : d.locator.key;
  return [
    `${t.bold('Title')}     ${esc(d.title)}`,
    ...(d.showTitle ? [`${t.bold('Show')}      ${esc(`${d.showTitle} ${episodeLabel(d.seasonNumber, d.episodeNumber)}`)}`] : []),
    `${t.bold('Status')}    ${d.status === 'ok' ? '✔ ok' : esc(`✖ ${d.status}${d.error ? `: ${d.error}` : ''}`)}`,
    `${t.bold('Length')}    ${d.durationMs ? duration(d.durationMs / 1000) : '?'}   ${t.bold('Size')} ${d.size ? bytes(d.size) : '?'}   ${t.bold('Container')} ${esc(d.container ?? '?')}`,
    `${t.bold('Location')}  ${esc(where)}`,
    '',
    ...d.streams.map((s) => esc(`#${s.index} ${s.type} ${s.codec ?? '?'}${s.width ? ` ${s.width}x${s.height}` : ''}${s.fps ? ` ${s.fps}fps` : ''}${s.fieldOrder && s.fieldOrder !== 'progressive' ? ` ${s.fieldOrder}` : ''}${s.channels ? ` ${s.channels}ch` : ''}${s.language ? ` ${s.language}` : ''}`)),
  ];
}

/** What a key does; the blessed layer maps each to its handler. */
export type LibraryAction = 'add' | 'scan' | 'search' | 'enter' | 'delete' | 'newCollection' | 'addToCollection' | 'removeFromCollection' | 'rename';
export interface LibraryKey { keys: string[]; desc: string; hint?: string; mutates?: boolean; panes?: number[]; action: LibraryAction }
/** Panes by index: 0 sources, 1 collections, 2 results (the right-hand pane). */
export const LIBRARY_KEYS: LibraryKey[] = [
  { keys: ['a'], desc: 'add a source: a folder, a Jellyfin/Emby/Plex library or an IPTV playlist (and scan it)', hint: 'add', mutates: true, action: 'add' },
  { keys: ['s'], desc: 'scan the selected source', hint: 'scan', mutates: true, panes: [0], action: 'scan' },
  { keys: ['f'], desc: 'search the library', hint: 'search', action: 'search' },
  { keys: ['enter'], desc: 'collection: list its items on the right; item: details', action: 'enter' },
  { keys: ['D'], desc: 'delete the focused pane\'s source or collection (asks)', hint: 'delete', mutates: true, action: 'delete' },
  { keys: ['n'], desc: 'new collection: of the items on the right, or empty', hint: 'new coll', mutates: true, action: 'newCollection' },
  { keys: ['+'], desc: 'add the selected item to the selected collection', hint: 'to coll', mutates: true, panes: [1, 2], action: 'addToCollection' },
  { keys: ['-'], desc: 'remove the item from the collection listed (or selected)', hint: 'from coll', mutates: true, panes: [1, 2], action: 'removeFromCollection' },
  { keys: ['e'], desc: 'rename the selected collection', hint: 'rename', mutates: true, panes: [1], action: 'rename' },
];

export type PaneName = 'sources' | 'collections' | 'results';

/** The right-hand pane: search results, or the items of one collection. */
export interface RightPane { label: string; empty: string }

export class LibraryModel {
  /** The newest scan per source. */
  readonly scans = new Map<number, ScanState>();
  query = '';
  /** Which pane has the keyboard (`D` and `enter` act on it). */
  focused: PaneName = 'sources';
  /** The collection whose items the right-hand pane shows (null: it shows search results). */
  shown: { id: number; name: string } | null = null;
  shownTotal = 0;
  right: RightPane = { label: 'Search', empty: SEARCH_EMPTY };
  /** Bumped whenever the right-hand pane changes: a collection's items that arrive later are stale. */
  private itemsSeq = 0;

  // ── scans ──────────────────────────────────────────────────────────────────────────────────
  /** GET /api/scans (newest first): keeps the newest per source. */
  setScans(newestFirst: ScanState[]): void {
    for (const s of [...newestFirst].reverse()) this.scans.set(s.sourceId, s);
  }
  /** A scan started, progressed or finished (an event or a POST answer). */
  setScan(s: ScanState): void { this.scans.set(s.sourceId, s); }
  forgetSource(id: number): void { this.scans.delete(id); }
  running(): ScanState[] { return [...this.scans.values()].filter((s) => s.state === 'running'); }
  pollMs(): number { return this.running().length ? POLL_SCANNING_MS : POLL_IDLE_MS; }

  /** The SCAN cell: ▶ progress, ✖ failed, ✔ when, ○ never. */
  scanCell(s: MediaSource, now = Date.now()): string {
    const sc = this.scans.get(s.id);
    if (sc?.state === 'running') {
      const f = scanFraction(sc);
      return f === null ? `▶ walking ${sc.found}` : `▶ ${sc.phase} ${Math.round(f * 100)}%`;
    }
    if (sc?.state === 'failed' || s.lastScanStatus === 'failed') return `✖ failed ${ago(s.lastScanAt, now)}`;
    return s.lastScanAt ? `✔ ${ago(s.lastScanAt, now)}` : '○ not scanned';
  }

  /** The line under the sources: the running scan's bar, else the selected source's trouble, a failed scan, or a hint. */
  progress(sources: MediaSource[], selected: MediaSource | undefined, w: number, t: Colours): string {
    const running = this.running();
    if (!running.length) {
      const h = selected && healthOf(selected);
      if (selected && h && h.state !== 'ok') return ` ${healthStyle(h, esc(truncate(`${h.state === 'down' ? '✖' : '▲'} ${selected.name}: ${h.summary}`, w - 2)), t)}`;
      const failed = [...this.scans.values()].find((s) => s.state === 'failed' && s.error);
      return failed ? ` ${t.err(esc(truncate(`✖ last scan of source ${failed.sourceId} failed: ${failed.error}`, w - 2)))}` : ` ${t.dim('no scan running · s scans the selected source')}`;
    }
    const s = running[0]!;
    const name = sources.find((x) => x.id === s.sourceId)?.name ?? `source ${s.sourceId}`;
    const f = scanFraction(s);
    const barW = Math.max(10, Math.floor(w / 4));
    const counts = f === null ? `walking: ${s.found} files found` : `${s.phase} ${s.probed}/${s.total} · +${s.added} ~${s.changed} ✖${s.unreadable}`;
    const head = `▶ ${name} `;
    const pct = f === null ? '' : ` ${String(Math.round(f * 100)).padStart(3)}%`;
    const rest = fit(` ${counts}${s.current ? ` · ${s.current}` : ''}${running.length > 1 ? ` (+${running.length - 1} more)` : ''}`, Math.max(1, w - head.length - barW - pct.length - 2));
    return ` ${t.accent(esc(head))}${t.ok(esc(bar(f ?? 0, barW)))}${esc(pct)}${esc(rest)}`;
  }

  // ── keys ───────────────────────────────────────────────────────────────────────────────────
  /** enter: a collection lists its items; anywhere else it shows the selected item's details. */
  enterAction(): 'openCollection' | 'itemInfo' { return this.focused === 'collections' ? 'openCollection' : 'itemInfo'; }
  /** D: removes a source or deletes a collection, by the focused pane; null: nothing to delete there. */
  deleteAction(): 'removeSource' | 'deleteCollection' | null {
    return this.focused === 'sources' ? 'removeSource' : this.focused === 'collections' ? 'deleteCollection' : null;
  }

  // ── the right-hand pane ────────────────────────────────────────────────────────────────────
  /** A new search was asked (any collection answer still on its way is stale); an empty one clears the pane. */
  search(q: string): string {
    this.query = q.trim();
    this.itemsSeq++;
    if (!this.query) { this.shown = null; this.right = { label: 'Search', empty: SEARCH_EMPTY }; }
    return this.query;
  }
  /** The search's results arrived: the pane's words, and the flash line's. */
  searched(count: number): string {
    this.shown = null;
    this.right = { label: `Search "${this.query}"`, empty: `nothing matches "${this.query}"` };
    return `${count} match${count === 1 ? '' : 'es'} for "${this.query}"`;
  }

  /** Asking for a collection's items: the ticket its answer must still hold. */
  askItems(): number { return ++this.itemsSeq; }
  /**
   * A collection's items arrived for a ticket: 'stale' (something newer was asked: drop them),
   * 'same' (the collection already shown: keep the selection) or 'new' (select the first).
   */
  showItems(ticket: number, c: { id: number; name: string }, listed: number, total: number): 'stale' | 'same' | 'new' {
    if (ticket !== this.itemsSeq) return 'stale';
    const same = this.shown?.id === c.id;
    this.shown = { id: c.id, name: c.name };
    this.shownTotal = total;
    this.right = { label: itemsLabel(c.name, listed, total), empty: `collection "${c.name}" is empty: f search, then + adds the selected result` };
    return same ? 'same' : 'new';
  }

  /** The collections list was loaded: follows a rename of the one shown; true when it was deleted (clear the rows). */
  collectionsLoaded(cols: Collection[], listed: number): boolean {
    const shown = this.shown;
    if (!shown) return false;
    const c = cols.find((x) => x.id === shown.id);
    if (c && c.name !== shown.name) this.renamed(c, listed);
    if (c) return false;
    this.right = { label: `Collection "${shown.name}" (deleted)`, empty: 'this collection was deleted' };
    this.shown = null;
    return true;
  }
  /** A collection was renamed (here or elsewhere). */
  renamed(u: Collection, listed: number): void {
    if (this.shown?.id !== u.id) return;
    this.shown.name = u.name;
    this.right = { ...this.right, label: itemsLabel(u.name, listed, this.shownTotal) };
  }
  /** An item left a collection: true when that collection is the one shown (drop the row). */
  itemRemoved(u: Collection, listedAfter: number): boolean {
    if (this.shown?.id !== u.id) return false;
    this.shownTotal = u.items;
    this.right = { ...this.right, label: itemsLabel(u.name, listedAfter, this.shownTotal) };
    return true;
  }
  /** A collection was deleted here: true when it was the one shown (clear the rows). */
  collectionDeleted(c: Collection): boolean {
    if (this.shown?.id !== c.id) return false;
    this.itemsSeq++;
    this.shown = null;
    this.right = { label: 'Search', empty: `collection "${c.name}" was deleted · f searches` };
    return true;
  }
  /** `-` takes the item out of the collection shown, else out of the one selected. */
  removeTarget(cols: Collection[], selected: Collection | undefined): Collection | undefined {
    const shown = this.shown;
    return shown ? cols.find((c) => c.id === shown.id) : selected;
  }

  /** The new-collection form's fields: a name, and where its items come from when some are shown. */
  newCollectionFields(shownCount: number): FormField[] {
    const what = this.shown ? `the ${nItems(shownCount)} of "${this.shown.name}" shown` : `the ${shownCount} search result${shownCount === 1 ? '' : 's'}`;
    const fields: FormField[] = [{ name: 'name', label: 'Name', kind: 'text', value: '' }];
    if (shownCount) fields.push({ name: 'from', label: 'Items', kind: 'choice', value: 'results', options: [{ value: 'results', label: `from ${what}` }, { value: 'empty', label: 'empty' }] });
    return fields;
  }
}

/** The flash line after opening a collection. */
export function openedText(c: Collection, total: number): string {
  return `collection "${c.name}": ${nItems(total)}${c.kind === 'search' ? ` matching "${c.query ?? ''}" (a search collection follows its query)` : ' · - removes the selected one'}`;
}
/** The flash line after `+` (before: the collection as selected; u: as answered). */
export function addedText(i: MediaItem, before: Collection, u: Collection): string {
  return u.items === before.items ? `"${itemTitle(i)}" is already in "${u.name}" (${nItems(u.items)})` : `added "${itemTitle(i)}" to "${u.name}" (${nItems(u.items)})`;
}
/** The flash line after `-`. */
export function removedText(i: MediaItem, before: Collection, u: Collection): string {
  return u.items === before.items ? `"${itemTitle(i)}" is not in "${u.name}"` : `removed "${itemTitle(i)}" from "${u.name}" (${nItems(u.items)} left)`;
}
