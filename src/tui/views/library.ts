// Library: media sources with scan progress and health, adding one (a folder, a media server, an
// IPTV playlist: the form in source-kinds.ts), scanning, search and collections.
// Collections are made and edited where one searches: `n` makes one (from the results shown, or
// empty), `+`/`-` add and remove items, enter on a collection shows its items in the right-hand
// pane, `e` renames, `D` deletes whatever the focused pane (sources or collections) selects.
import blessed from 'blessed';
import type { Collection } from '../../schemas/collection.js';
import type { MediaItem, MediaItemDetail, MediaSource, ScanState } from '../../schemas/library.js';
import type { Binding } from '../keymap.js';
import { Poller } from '../model.js';
import { bar, bytes, duration, episodeLabel, esc, fit, truncate } from '../text.js';
import type { AppContext, FormField, Pane, View, ViewDef } from '../view.js';
import { Table } from '../widgets/table.js';
import { chooseKindForm, type AddContext } from './source-kinds.js';

/** The optional health of a source row (IPTV streams, media servers): shown coloured by state. */
interface SourceHealth { state: 'ok' | 'degraded' | 'down' | 'unknown'; summary: string; checkedAt?: string }
const healthOf = (s: MediaSource) => (s as MediaSource & { health?: SourceHealth }).health;
/** Where a source's media is: its folder, playlist, or server and library. */
const whereOf = (s: MediaSource) => String(s.config.path ?? s.config.playlist ?? (s.config.serverName ? `${String(s.config.serverName)}: ${String(s.config.libraryName)}` : ''));

/** 0..1 while the scan can tell, null while it is still walking (count unknown). */
export function scanFraction(s: ScanState): number | null {
  if (s.state !== 'running') return 1;
  if (s.phase === 'walking') return null;
  if (s.phase === 'probing') return s.total ? s.probed / s.total : 0;
  return 1;
}

/** The most items `enter` on a collection lists. */
export const COLLECTION_ITEMS_SHOWN = 500;

const itemTitle = (i: MediaItem) => (i.showTitle ? `${i.showTitle} ${episodeLabel(i.seasonNumber, i.episodeNumber)} ${i.title}` : i.title);
const nItems = (n: number) => `${n} item${n === 1 ? '' : 's'}`;

function ago(iso: string | null): string {
  if (!iso) return 'never';
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  return s < 90 ? 'just now' : `${duration(s).replace(/\d+s$/, '')} ago`;
}

export const libraryView: ViewDef = {
  id: 'library',
  title: 'Library',
  create(ctx: AppContext): View {
    const { theme: t, model } = ctx;
    const root = blessed.box({ parent: ctx.body, top: 0, left: 0, width: '100%', height: '100%' });
    const scans = new Map<number, ScanState>();
    let query = '';

    const scanCell = (s: MediaSource) => {
      const sc = scans.get(s.id);
      if (sc?.state === 'running') {
        const f = scanFraction(sc);
        return f === null ? `▶ walking ${sc.found}` : `▶ ${sc.phase} ${Math.round(f * 100)}%`;
      }
      if (sc?.state === 'failed' || s.lastScanStatus === 'failed') return `✖ failed ${ago(s.lastScanAt)}`;
      return s.lastScanAt ? `✔ ${ago(s.lastScanAt)}` : '○ not scanned';
    };
    const sources = new Table<MediaSource>({
      parent: root, theme: t, label: 'Sources', mouse: ctx.mouse,
      position: { top: 0, left: 0, width: '100%', height: '40%' },
      key: (s) => String(s.id),
      empty: 'no sources: press a to add a folder, a media server or a playlist',
      columns: [
        { title: 'ID', width: 3, align: 'right', get: (s) => String(s.id) },
        { title: 'NAME', flex: 1, min: 8, get: (s) => s.name },
        { title: 'KIND', width: 8, hideBelow: 100, get: (s) => s.kind },
        { title: 'PATH', flex: 2, min: 10, get: whereOf },
        { title: 'ITEMS', width: 6, align: 'right', get: (s) => String(s.items) },
        { title: 'PROBLEMS', width: 10, hideBelow: 90, get: (s) => (s.missing || s.unreadable ? `▲ ${s.missing}m ${s.unreadable}u` : '—'), style: (s, x) => (s.missing || s.unreadable ? t.warn(x) : t.dim(x)) },
        { title: 'HEALTH', flex: 1, min: 8, hideBelow: 100, get: (s) => healthOf(s)?.summary ?? '—', style: (s, x) => healthStyle(healthOf(s), x) },
        { title: 'SCAN', width: 16, get: scanCell, style: (_s, x) => (x.includes('✖') ? t.err(x) : x.includes('▶') ? t.accent(x) : x) },
      ],
    });
    function healthStyle(h: SourceHealth | undefined, x: string): string {
      if (!h) return t.dim(x);
      return h.state === 'ok' ? t.ok(x) : h.state === 'down' ? t.err(x) : h.state === 'degraded' ? t.warn(x) : t.dim(x);
    }
    const progress = blessed.box({ parent: root, top: '40%', left: 0, width: '100%', height: 1, tags: true });
    const collections = new Table<Collection>({
      parent: root, theme: t, label: 'Collections', mouse: ctx.mouse,
      position: { top: '40%+1', left: 0, width: '40%', bottom: 0 },
      key: (c) => String(c.id),
      empty: 'no collections: n makes one (from search results too)',
      columns: [
        { title: 'NAME', flex: 1, get: (c) => c.name },
        { title: 'KIND', width: 6, get: (c) => (c.sourceId !== undefined ? 'server' : c.kind) },
        { title: 'ITEMS', width: 5, align: 'right', get: (c) => String(c.items) },
      ],
    });
    const results = new Table<MediaItem>({
      parent: root, theme: t, label: 'Search', mouse: ctx.mouse,
      position: { top: '40%+1', left: '40%', right: 0, bottom: 0 },
      key: (i) => String(i.id),
      empty: 'press f to search titles, shows, plots and file names',
      columns: [
        { title: 'TITLE', flex: 1, get: itemTitle },
        { title: 'KIND', width: 7, hideBelow: 40, get: (i) => i.kind },
        { title: 'LENGTH', width: 7, align: 'right', get: (i) => (i.durationMs ? duration(i.durationMs / 1000) : '') },
        { title: 'STATUS', width: 11, hideBelow: 50, get: (i) => (i.status === 'ok' ? '✔ ok' : `✖ ${i.status}`), style: (i, s) => (i.status === 'ok' ? s : t.err(s)) },
      ],
    });

    // Which pane has the keyboard (`D` and `enter` act on it): the tables wrapped like the
    // Schedules view's outline pane.
    type PaneName = 'sources' | 'collections' | 'results';
    let focused: PaneName = 'sources';
    const tracked = <R>(name: PaneName, table: Table<R>): Pane => ({
      get label() { return table.label.replace(/ \(.*$/, ''); },
      element: table.element,
      handleKey: (id) => table.handleKey(id),
      filter: table.filter,
      setFocused(f) { if (f) focused = name; table.setFocused(f); },
    });
    const sourcesPane = tracked('sources', sources);
    const collectionsPane = tracked('collections', collections);
    const resultsPane = tracked('results', results);

    /** The collection whose items the right-hand pane shows (null: it shows search results). */
    let shown: { id: number; name: string } | null = null;
    let itemsSeq = 0;
    const itemsLabel = (name: string, listed: number, total: number) =>
      `Items of collection "${name}"${listed < total ? ` — first ${listed} of ${total}` : ''}`;
    let shownTotal = 0;

    async function load(): Promise<void> {
      const [src, cols, sc] = await Promise.all([
        model.call(() => ctx.client.request<MediaSource[]>('GET', '/api/sources')),
        ctx.client.collections(),
        ctx.client.request<ScanState[]>('GET', '/api/scans'),
      ]);
      sources.setRows(src);
      collections.setRows(cols);
      if (shown) {
        const c = cols.find((x) => x.id === shown!.id);
        if (c && c.name !== shown.name) { shown.name = c.name; results.label = itemsLabel(c.name, results.all().length, shownTotal); }
        if (!c) { results.label = `Collection "${shown.name}" (deleted)`; results.setRows([]); results.empty = 'this collection was deleted'; shown = null; }
      }
      // Newest first from the API: keep the newest per source.
      for (const s of [...sc].reverse()) scans.set(s.sourceId, s);
      scanPoller.setInterval([...scans.values()].some((s) => s.state === 'running') ? 1000 : 30_000);
      ctx.invalidate();
    }
    // Events carry progress as it happens; this poll is the safety net (and the only source
    // when the event stream is down).
    const scanPoller = new Poller(load, 30_000);

    let lastProgress = '';
    function progressText(w: number): string {
      const running = [...scans.values()].filter((s) => s.state === 'running');
      if (!running.length) {
        const sel = sources.selected();
        const h = sel && healthOf(sel);
        if (h && h.state !== 'ok') return ` ${healthStyle(h, esc(truncate(`${h.state === 'down' ? '✖' : '▲'} ${sel.name}: ${h.summary}`, w - 2)))}`;
        const failed = [...scans.values()].find((s) => s.state === 'failed' && s.error);
        return failed ? ` ${t.err(esc(truncate(`✖ last scan of source ${failed.sourceId} failed: ${failed.error}`, w - 2)))}` : ` ${t.dim('no scan running · s scans the selected source')}`;
      }
      const s = running[0]!;
      const name = sources.all().find((x) => x.id === s.sourceId)?.name ?? `source ${s.sourceId}`;
      const f = scanFraction(s);
      const barW = Math.max(10, Math.floor(w / 4));
      const counts = f === null ? `walking: ${s.found} files found` : `${s.phase} ${s.probed}/${s.total} · +${s.added} ~${s.changed} ✖${s.unreadable}`;
      const head = `▶ ${name} `;
      const pct = f === null ? '' : ` ${String(Math.round(f * 100)).padStart(3)}%`;
      const rest = fit(` ${counts}${s.current ? ` · ${s.current}` : ''}${running.length > 1 ? ` (+${running.length - 1} more)` : ''}`, Math.max(1, w - head.length - barW - pct.length - 2));
      return ` ${t.accent(esc(head))}${t.ok(esc(bar(f ?? 0, barW)))}${esc(pct)}${esc(rest)}`;
    }

    const addCtx: AddContext = {
      client: ctx.client,
      next: (spec) => { setImmediate(() => ctx.form(spec)); },
      async added(list, scan) {
        for (const src of scan ? list : []) {
          try { scans.set(src.id, await ctx.client.scan(src.id)); } catch (err) { ctx.flash(`scan "${src.name}" later (s): ${(err as Error).message}`, 'info'); }
        }
        scanPoller.kick();
      },
      message: (title, lines, copy) => ctx.message(title, lines, copy),
      flash: (m, level) => ctx.flash(m, level),
    };
    const addSource = () => ctx.form(chooseKindForm(addCtx));
    const scan = async () => {
      const s = sources.selected();
      if (!s) { ctx.flash('no source selected', 'info'); return; }
      await ctx.act(`scan ${s.name}`, async () => {
        const st = await ctx.client.scan(s.id);
        scans.set(s.id, st);
        scanPoller.setInterval(1000);
        return `scanning "${s.name}" (scan ${st.id})`;
      });
    };
    const removeSource = async () => {
      const s = sources.selected();
      if (!s) { ctx.flash('no source selected', 'info'); return; }
      const yes = await ctx.confirm(`Remove source "${s.name}" and its ${s.items} items from the library (files stay)?`);
      if (!yes) { ctx.flash(`kept source "${s.name}"`, 'info'); return; }
      await ctx.act(`remove source ${s.name}`, async () => {
        await ctx.client.request('DELETE', `/api/sources/${s.id}`);
        scans.delete(s.id);
        scanPoller.kick();
        return `removed source "${s.name}"; channels rebuilt from now`;
      });
    };
    const search = async () => {
      const q = await ctx.prompt('Search the library', query);
      if (q === null) return;
      query = q.trim();
      itemsSeq++;
      if (!query) { shown = null; results.setRows([]); results.label = 'Search'; results.empty = 'press f to search titles, shows, plots and file names'; return; }
      await ctx.act(`search "${query}"`, async () => {
        const res = await ctx.client.request<{ items: MediaItem[] }>('GET', `/api/search?q=${encodeURIComponent(query)}&limit=200`);
        shown = null;
        results.setRows(res.items);
        results.label = `Search "${query}"`;
        results.empty = `nothing matches "${query}"`;
        return `${res.items.length} match${res.items.length === 1 ? '' : 'es'} for "${query}"`;
      });
    };
    const itemInfo = async () => {
      const i = results.selected();
      if (!i) { ctx.flash('search first (f), then pick a result', 'info'); return; }
      await ctx.act('item details', async () => {
        const d = await ctx.client.request<MediaItemDetail>('GET', `/api/items/${i.id}`);
        const lines = [
          `${t.bold('Title')}     ${esc(d.title)}`,
          ...(d.showTitle ? [`${t.bold('Show')}      ${esc(`${d.showTitle} ${episodeLabel(d.seasonNumber, d.episodeNumber)}`)}`] : []),
          `${t.bold('Status')}    ${d.status === 'ok' ? '✔ ok' : esc(`✖ ${d.status}${d.error ? `: ${d.error}` : ''}`)}`,
          `${t.bold('Length')}    ${d.durationMs ? duration(d.durationMs / 1000) : '?'}   ${t.bold('Size')} ${d.size ? bytes(d.size) : '?'}   ${t.bold('Container')} ${esc(d.container ?? '?')}`,
          `${t.bold('Location')}  ${esc(d.locator.type === 'file' ? d.locator.path : d.locator.type === 'url' ? d.locator.url : d.locator.key)}`,
          '',
          ...d.streams.map((s) => esc(`#${s.index} ${s.type} ${s.codec ?? '?'}${s.width ? ` ${s.width}x${s.height}` : ''}${s.fps ? ` ${s.fps}fps` : ''}${s.fieldOrder && s.fieldOrder !== 'progressive' ? ` ${s.fieldOrder}` : ''}${s.channels ? ` ${s.channels}ch` : ''}${s.language ? ` ${s.language}` : ''}`)),
        ];
        ctx.message(`Item ${d.id}`, lines);
      });
    };

    // ── collections ─────────────────────────────────────────────────────────────────────────────
    /** The items of a collection, in its order (the first COLLECTION_ITEMS_SHOWN): one request. */
    async function collectionItems(id: number): Promise<{ name: string; items: MediaItem[]; total: number }> {
      const [d, page] = await Promise.all([
        ctx.client.collection(id),
        ctx.client.request<{ total: number; items: MediaItem[] }>('GET', `/api/items?collectionId=${id}&limit=${COLLECTION_ITEMS_SHOWN}`),
      ]);
      return { name: d.name, items: page.items, total: page.total };
    }
    /** Shows a collection's items in the right-hand pane (keeping the selection when it already shows them). */
    async function showCollection(id: number): Promise<number> {
      const seq = ++itemsSeq;
      const { name, items, total } = await collectionItems(id);
      if (seq !== itemsSeq) return total;
      const same = shown?.id === id;
      shown = { id, name };
      shownTotal = total;
      results.setRows(items);
      if (!same && items[0]) results.select(String(items[0].id));
      results.label = itemsLabel(name, items.length, total);
      results.empty = `collection "${name}" is empty: f search, then + adds the selected result`;
      ctx.invalidate();
      return total;
    }
    const openCollection = async () => {
      const c = collections.selected();
      if (!c) { ctx.flash('no collection selected', 'info'); return; }
      await ctx.act(`items of ${c.name}`, async () => {
        const total = await showCollection(c.id);
        ctx.focus(resultsPane);
        return `collection "${c.name}": ${nItems(total)}${c.kind === 'search' ? ` matching "${c.query ?? ''}" (a search collection follows its query)` : ' · - removes the selected one'}`;
      });
    };
    const enter = () => (focused === 'collections' ? openCollection() : itemInfo());
    /** A changed collection's row, without waiting for the next load. */
    const updateRow = (u: Collection) => collections.setRows(collections.all().map((c) => (c.id === u.id ? u : c)));

    const newCollection = () => {
      const from = results.visibleRows();
      const what = shown ? `the ${nItems(from.length)} of "${shown.name}" shown` : `the ${from.length} search result${from.length === 1 ? '' : 's'}`;
      const fields: FormField[] = [{ name: 'name', label: 'Name', kind: 'text', value: '' }];
      if (from.length) {
        fields.push({ name: 'from', label: 'Items', kind: 'choice', value: 'results', options: [{ value: 'results', label: `from ${what}` }, { value: 'empty', label: 'empty' }] });
      }
      ctx.form({
        title: 'New collection',
        submitLabel: 'create',
        fields,
        fieldFor: (path) => (path.replace(/^body\./, '').startsWith('itemIds') ? 'from' : 'name'),
        async submit(v) {
          const ids = v.from === 'results' ? from.map((i) => i.id) : [];
          const c = await ctx.client.createCollection({ name: String(v.name), ...(ids.length ? { itemIds: ids } : {}) });
          collections.select(String(c.id));
          return `created collection "${c.name}" (${nItems(c.items)})`;
        },
      });
    };
    const addToCollection = async () => {
      const i = results.selected();
      const c = collections.selected();
      if (!i) { ctx.flash('pick an item first: f searches, enter on a collection lists its items', 'info'); return; }
      if (!c) { ctx.flash('no collection selected: n makes one', 'info'); return; }
      await ctx.act(`add to ${c.name}`, async () => {
        const u = await ctx.client.changeCollectionItems(c.id, { add: [i.id] });
        updateRow(u);
        return u.items === c.items
          ? `"${itemTitle(i)}" is already in "${u.name}" (${nItems(u.items)})`
          : `added "${itemTitle(i)}" to "${u.name}" (${nItems(u.items)})`;
      });
    };
    const removeFromCollection = async () => {
      const i = results.selected();
      const target = shown ? collections.all().find((c) => c.id === shown!.id) : collections.selected();
      if (!i) { ctx.flash(shown ? `collection "${shown.name}" has no item selected` : 'pick an item first: enter on a collection lists its items', 'info'); return; }
      if (!target) { ctx.flash('no collection selected', 'info'); return; }
      await ctx.act(`remove from ${target.name}`, async () => {
        const u = await ctx.client.changeCollectionItems(target.id, { remove: [i.id] });
        updateRow(u);
        if (shown?.id === target.id) {
          results.setRows(results.all().filter((x) => x.id !== i.id));
          shownTotal = u.items;
          results.label = itemsLabel(u.name, results.all().length, shownTotal);
        }
        return u.items === target.items
          ? `"${itemTitle(i)}" is not in "${u.name}"`
          : `removed "${itemTitle(i)}" from "${u.name}" (${nItems(u.items)} left)`;
      });
    };
    const renameCollection = () => {
      const c = collections.selected();
      if (!c) { ctx.flash('no collection selected', 'info'); return; }
      ctx.form({
        title: `Rename collection "${c.name}"`,
        submitLabel: 'rename',
        fields: [{ name: 'name', label: 'Name', kind: 'text', value: c.name }],
        async submit(v) {
          const u = await ctx.client.updateCollection(c.id, { name: String(v.name) });
          updateRow(u);
          if (shown?.id === u.id) { shown.name = u.name; results.label = itemsLabel(u.name, results.all().length, shownTotal); }
          return u.name === c.name ? `collection "${c.name}" unchanged` : `renamed collection "${c.name}" to "${u.name}"`;
        },
      });
    };
    const deleteCollection = async () => {
      const c = collections.selected();
      if (!c) { ctx.flash('no collection selected', 'info'); return; }
      const yes = await ctx.confirm(`Delete collection "${c.name}" (${nItems(c.items)})? The media stays in the library.`);
      if (!yes) { ctx.flash(`kept collection "${c.name}"`, 'info'); return; }
      await ctx.act(`delete collection ${c.name}`, async () => {
        await ctx.client.deleteCollection(c.id);
        collections.setRows(collections.all().filter((x) => x.id !== c.id));
        if (shown?.id === c.id) {
          itemsSeq++;
          shown = null;
          results.setRows([]);
          results.label = 'Search';
          results.empty = `collection "${c.name}" was deleted · f searches`;
        }
        scanPoller.kick();
        return `deleted collection "${c.name}"`;
      });
    };
    const remove = () => {
      if (focused === 'sources') return removeSource();
      if (focused === 'collections') return deleteCollection();
      ctx.flash('D deletes in the Sources or Collections pane: tab to one first', 'info');
    };

    const bindings: Binding[] = [
      { keys: ['a'], desc: 'add a source: a folder, a Jellyfin/Emby/Plex library or an IPTV playlist (and scan it)', hint: 'add', mutates: true, run: addSource },
      { keys: ['s'], desc: 'scan the selected source', hint: 'scan', mutates: true, panes: [0], run: scan },
      { keys: ['f'], desc: 'search the library', hint: 'search', run: search },
      { keys: ['enter'], desc: 'collection: list its items on the right; item: details', run: enter },
      { keys: ['D'], desc: 'delete the focused pane\'s source or collection (asks)', hint: 'delete', mutates: true, run: remove },
      { keys: ['n'], desc: 'new collection: of the items on the right, or empty', hint: 'new coll', mutates: true, run: newCollection },
      { keys: ['+'], desc: 'add the selected item to the selected collection', hint: 'to coll', mutates: true, panes: [1, 2], run: addToCollection },
      { keys: ['-'], desc: 'remove the item from the collection listed (or selected)', hint: 'from coll', mutates: true, panes: [1, 2], run: removeFromCollection },
      { keys: ['e'], desc: 'rename the selected collection', hint: 'rename', mutates: true, panes: [1], run: renameCollection },
    ];

    return {
      id: 'library', title: 'Library', root, panes: [sourcesPane, collectionsPane, resultsPane], bindings,
      show() { scanPoller.start(); },
      hide() { scanPoller.stop(); },
      refresh() {
        scanPoller.kick();
        if (shown) { const id = shown.id; showCollection(id).catch((err: Error) => ctx.flash(`items of collection ${id}: ${err.message}`, 'err')); }
      },
      render() {
        const p = progressText(progress.width as number);
        if (p !== lastProgress) { progress.setContent(p); lastProgress = p; }
        sources.render();
        collections.render();
        results.render();
      },
      onEvent(e) {
        if (e.event === 'scan.progress' || e.event === 'scan.finished') {
          const s = e.data as ScanState;
          scans.set(s.sourceId, s);
          if (e.event === 'scan.finished') scanPoller.kick();
        }
      },
      destroy() { scanPoller.stop(); },
    };
  },
};
