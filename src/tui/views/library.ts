// Library: media sources with scan progress and health, adding one (a folder, a media server, an
// IPTV playlist: the form in source-kinds.ts), scanning, search and collections.
// Collections are made and edited where one searches: `n` makes one (from the results shown, or
// empty), `+`/`-` add and remove items, enter on a collection shows its items in the right-hand
// pane, `e` renames, `D` deletes whatever the focused pane (sources or collections) selects.
// The state, rows, keys and words are in library-model.ts (tested without a screen); this is the
// blessed layer: widgets, requests, and the action each key runs.
import blessed, { type Widgets } from 'blessed';
import type { Collection } from '../../schemas/collection.js';
import type { MediaItem, MediaItemDetail, MediaSource, ScanState } from '../../schemas/library.js';
import type { Binding } from '../keymap.js';
import { Poller } from '../model.js';
import { duration } from '../text.js';
import type { AppContext, Pane, View, ViewDef } from '../view.js';
import { Table } from '../widgets/table.js';
import {
  addedText, COLLECTION_ITEMS_SHOWN, healthOf, healthStyle, itemDetailLines, itemTitle, LIBRARY_KEYS, LibraryModel, nItems,
  openedText, POLL_IDLE_MS, POLL_SCANNING_MS, problemsOf, removedText, SEARCH_EMPTY, whereOf, type LibraryAction, type PaneName,
} from './library-model.js';
import { chooseKindForm, type AddContext } from './source-kinds.js';

/** The three tables: sources (top), collections (bottom left), search results or a collection's items (bottom right). */
function tables(ctx: AppContext, root: Widgets.BoxElement, m: LibraryModel) {
  const t = ctx.theme;
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
      { title: 'PROBLEMS', width: 10, hideBelow: 90, get: problemsOf, style: (s, x) => (s.missing || s.unreadable ? t.warn(x) : t.dim(x)) },
      { title: 'HEALTH', flex: 1, min: 8, hideBelow: 100, get: (s) => healthOf(s)?.summary ?? '—', style: (s, x) => healthStyle(healthOf(s), x, t) },
      { title: 'SCAN', width: 16, get: (s) => m.scanCell(s), style: (_s, x) => (x.includes('✖') ? t.err(x) : x.includes('▶') ? t.accent(x) : x) },
    ],
  });
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
    empty: SEARCH_EMPTY,
    columns: [
      { title: 'TITLE', flex: 1, get: itemTitle },
      { title: 'KIND', width: 7, hideBelow: 40, get: (i) => i.kind },
      { title: 'LENGTH', width: 7, align: 'right', get: (i) => (i.durationMs ? duration(i.durationMs / 1000) : '') },
      { title: 'STATUS', width: 11, hideBelow: 50, get: (i) => (i.status === 'ok' ? '✔ ok' : `✖ ${i.status}`), style: (i, s) => (i.status === 'ok' ? s : t.err(s)) },
    ],
  });
  return { sources, collections, results };
}

class LibraryScreen {
  readonly m = new LibraryModel();
  readonly root: Widgets.BoxElement;
  readonly sources: Table<MediaSource>;
  readonly collections: Table<Collection>;
  readonly results: Table<MediaItem>;
  readonly panes: Pane[];
  private readonly progressBox: Widgets.BoxElement;
  private lastProgress = '';
  // Events carry progress as it happens; this poll is the safety net (and the only source
  // when the event stream is down).
  readonly poller = new Poller(() => this.load(), POLL_IDLE_MS);

  constructor(private readonly ctx: AppContext) {
    this.root = blessed.box({ parent: ctx.body, top: 0, left: 0, width: '100%', height: '100%' });
    ({ sources: this.sources, collections: this.collections, results: this.results } = tables(ctx, this.root, this.m));
    this.progressBox = blessed.box({ parent: this.root, top: '40%', left: 0, width: '100%', height: 1, tags: true });
    this.panes = [this.tracked('sources', this.sources), this.tracked('collections', this.collections), this.tracked('results', this.results)];
  }

  /** A table as a pane that tells the model when it has the keyboard. */
  private tracked<R>(name: PaneName, table: Table<R>): Pane {
    const m = this.m;
    return {
      get label() { return table.label.replace(/ \(.*$/, ''); },
      element: table.element,
      handleKey: (id) => table.handleKey(id),
      filter: table.filter,
      setFocused(f) { if (f) m.focused = name; table.setFocused(f); },
    };
  }

  async load(): Promise<void> {
    const { ctx, m } = this;
    const [src, cols, sc] = await Promise.all([
      ctx.model.call(() => ctx.client.request<MediaSource[]>('GET', '/api/sources')),
      ctx.client.collections(),
      ctx.client.request<ScanState[]>('GET', '/api/scans'),
    ]);
    this.sources.setRows(src);
    this.collections.setRows(cols);
    if (m.collectionsLoaded(cols, this.results.all().length)) this.results.setRows([]);
    m.setScans(sc);
    this.poller.setInterval(m.pollMs());
    ctx.invalidate();
  }

  render(): void {
    const p = this.m.progress(this.sources.all(), this.sources.selected(), this.progressBox.width as number, this.ctx.theme);
    if (p !== this.lastProgress) { this.progressBox.setContent(p); this.lastProgress = p; }
    this.results.label = this.m.right.label;
    this.results.empty = this.m.right.empty;
    this.sources.render();
    this.collections.render();
    this.results.render();
  }

  /** Shows a collection's items in the right-hand pane (keeping the selection when it already shows them). */
  async showCollection(id: number): Promise<number> {
    const ticket = this.m.askItems();
    const [d, page] = await Promise.all([
      this.ctx.client.collection(id),
      this.ctx.client.request<{ total: number; items: MediaItem[] }>('GET', `/api/items?collectionId=${id}&limit=${COLLECTION_ITEMS_SHOWN}`),
    ]);
    const shown = this.m.showItems(ticket, { id, name: d.name }, page.items.length, page.total);
    if (shown === 'stale') return page.total;
    this.results.setRows(page.items);
    if (shown === 'new' && page.items[0]) this.results.select(String(page.items[0].id));
    this.ctx.invalidate();
    return page.total;
  }

  /** A changed collection's row, without waiting for the next load. */
  updateRow(u: Collection): void { this.collections.setRows(this.collections.all().map((c) => (c.id === u.id ? u : c))); }

  /** The selected source, or a flash line saying there is none. */
  source(): MediaSource | undefined {
    const s = this.sources.selected();
    if (!s) this.ctx.flash('no source selected', 'info');
    return s;
  }
  collection(): Collection | undefined {
    const c = this.collections.selected();
    if (!c) this.ctx.flash('no collection selected', 'info');
    return c;
  }
  // ── sources ──────────────────────────────────────────────────────────────────────────────────
  addSource(): void {
    const { ctx, m } = this;
    const addCtx: AddContext = {
      client: ctx.client,
      next: (spec) => { setImmediate(() => ctx.form(spec)); },
      added: async (list, scan) => {
        for (const src of scan ? list : []) {
          try { m.setScan(await ctx.client.scan(src.id)); } catch (err) { ctx.flash(`scan "${src.name}" later (s): ${(err as Error).message}`, 'info'); }
        }
        this.poller.kick();
      },
      message: (title, lines, copy) => ctx.message(title, lines, copy),
      flash: (msg, level) => ctx.flash(msg, level),
    };
    ctx.form(chooseKindForm(addCtx));
  }

  async scan(): Promise<void> {
    const s = this.source();
    if (!s) return;
    await this.ctx.act(`scan ${s.name}`, async () => {
      const st = await this.ctx.client.scan(s.id);
      this.m.setScan(st);
      this.poller.setInterval(POLL_SCANNING_MS);
      return `scanning "${s.name}" (scan ${st.id})`;
    });
  }

  async removeSource(): Promise<void> {
    const { ctx } = this;
    const s = this.source();
    if (!s) return;
    const yes = await ctx.confirm(`Remove source "${s.name}" and its ${s.items} items from the library (files stay)?`);
    if (!yes) { ctx.flash(`kept source "${s.name}"`, 'info'); return; }
    await ctx.act(`remove source ${s.name}`, async () => {
      await ctx.client.request('DELETE', `/api/sources/${s.id}`);
      this.m.forgetSource(s.id);
      this.poller.kick();
      return `removed source "${s.name}"; channels rebuilt from now`;
    });
  }

  // ── search and items ─────────────────────────────────────────────────────────────────────────
  async search(): Promise<void> {
    const { ctx, m } = this;
    const q = await ctx.prompt('Search the library', m.query);
    if (q === null) return;
    const query = m.search(q);
    if (!query) { this.results.setRows([]); return; }
    await ctx.act(`search "${query}"`, async () => {
      const res = await ctx.client.request<{ items: MediaItem[] }>('GET', `/api/search?q=${encodeURIComponent(query)}&limit=200`);
      this.results.setRows(res.items);
      return m.searched(res.items.length);
    });
  }

  async itemInfo(): Promise<void> {
    const i = this.results.selected();
    if (!i) { this.ctx.flash('search first (f), then pick a result', 'info'); return; }
    await this.ctx.act('item details', async () => {
      const d = await this.ctx.client.request<MediaItemDetail>('GET', `/api/items/${i.id}`);
      this.ctx.message(`Item ${d.id}`, itemDetailLines(d, this.ctx.theme));
    });
  }

  // ── collections ──────────────────────────────────────────────────────────────────────────────
  async openCollection(): Promise<void> {
    const c = this.collection();
    if (!c) return;
    await this.ctx.act(`items of ${c.name}`, async () => {
      const total = await this.showCollection(c.id);
      this.ctx.focus(this.panes[2]!);
      return openedText(c, total);
    });
  }

  newCollection(): void {
    const { ctx } = this;
    const from = this.results.visibleRows();
    ctx.form({
      title: 'New collection',
      submitLabel: 'create',
      fields: this.m.newCollectionFields(from.length),
      fieldFor: (path) => (path.replace(/^body\./, '').startsWith('itemIds') ? 'from' : 'name'),
      submit: async (v) => {
        const ids = v.from === 'results' ? from.map((i) => i.id) : [];
        const c = await ctx.client.createCollection({ name: String(v.name), ...(ids.length ? { itemIds: ids } : {}) });
        this.collections.select(String(c.id));
        return `created collection "${c.name}" (${nItems(c.items)})`;
      },
    });
  }

  async addToCollection(): Promise<void> {
    const i = this.results.selected();
    const c = this.collections.selected();
    if (!i) { this.ctx.flash('pick an item first: f searches, enter on a collection lists its items', 'info'); return; }
    if (!c) { this.ctx.flash('no collection selected: n makes one', 'info'); return; }
    await this.ctx.act(`add to ${c.name}`, async () => {
      const u = await this.ctx.client.changeCollectionItems(c.id, { add: [i.id] });
      this.updateRow(u);
      return addedText(i, c, u);
    });
  }

  async removeFromCollection(): Promise<void> {
    const { ctx, m } = this;
    const i = this.results.selected();
    const target = m.removeTarget(this.collections.all(), this.collections.selected());
    if (!i) { ctx.flash(m.shown ? `collection "${m.shown.name}" has no item selected` : 'pick an item first: enter on a collection lists its items', 'info'); return; }
    if (!target) { ctx.flash('no collection selected', 'info'); return; }
    await ctx.act(`remove from ${target.name}`, async () => {
      const u = await ctx.client.changeCollectionItems(target.id, { remove: [i.id] });
      this.updateRow(u);
      const left = this.results.all().filter((x) => x.id !== i.id);
      if (m.itemRemoved(u, left.length)) this.results.setRows(left);
      return removedText(i, target, u);
    });
  }

  renameCollection(): void {
    const c = this.collection();
    if (!c) return;
    this.ctx.form({
      title: `Rename collection "${c.name}"`,
      submitLabel: 'rename',
      fields: [{ name: 'name', label: 'Name', kind: 'text', value: c.name }],
      submit: async (v) => {
        const u = await this.ctx.client.updateCollection(c.id, { name: String(v.name) });
        this.updateRow(u);
        this.m.renamed(u, this.results.all().length);
        return u.name === c.name ? `collection "${c.name}" unchanged` : `renamed collection "${c.name}" to "${u.name}"`;
      },
    });
  }

  async deleteCollection(): Promise<void> {
    const { ctx } = this;
    const c = this.collection();
    if (!c) return;
    const yes = await ctx.confirm(`Delete collection "${c.name}" (${nItems(c.items)})? The media stays in the library.`);
    if (!yes) { ctx.flash(`kept collection "${c.name}"`, 'info'); return; }
    await ctx.act(`delete collection ${c.name}`, async () => {
      await ctx.client.deleteCollection(c.id);
      this.collections.setRows(this.collections.all().filter((x) => x.id !== c.id));
      if (this.m.collectionDeleted(c)) this.results.setRows([]);
      this.poller.kick();
      return `deleted collection "${c.name}"`;
    });
  }

  /** What each key runs; enter and D ask the model which pane they act on. */
  handlers(): Record<LibraryAction, () => void | Promise<void>> {
    return {
      add: () => this.addSource(),
      scan: () => this.scan(),
      search: () => this.search(),
      enter: () => (this.m.enterAction() === 'openCollection' ? this.openCollection() : this.itemInfo()),
      delete: () => {
        const what = this.m.deleteAction();
        if (what === 'removeSource') return this.removeSource();
        if (what === 'deleteCollection') return this.deleteCollection();
        this.ctx.flash('D deletes in the Sources or Collections pane: tab to one first', 'info');
      },
      newCollection: () => this.newCollection(),
      addToCollection: () => this.addToCollection(),
      removeFromCollection: () => this.removeFromCollection(),
      rename: () => this.renameCollection(),
    };
  }
}

export const libraryView: ViewDef = {
  id: 'library',
  title: 'Library',
  create(ctx: AppContext): View {
    const s = new LibraryScreen(ctx);
    const run = s.handlers();
    const bindings: Binding[] = LIBRARY_KEYS.map(({ action, ...k }) => ({ ...k, run: run[action] }));
    return {
      id: 'library', title: 'Library', root: s.root, panes: s.panes, bindings,
      show() { s.poller.start(); },
      hide() { s.poller.stop(); },
      refresh() {
        s.poller.kick();
        const shown = s.m.shown;
        if (shown) s.showCollection(shown.id).catch((err: Error) => ctx.flash(`items of collection ${shown.id}: ${err.message}`, 'err'));
      },
      render() { s.render(); },
      onEvent(e) {
        if (e.event !== 'scan.progress' && e.event !== 'scan.finished') return;
        s.m.setScan(e.data as ScanState);
        if (e.event === 'scan.finished') s.poller.kick();
      },
      destroy() { s.poller.stop(); },
    };
  },
};
