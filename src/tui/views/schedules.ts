// Schedules: each channel's schedule definition as an outline (general, sources, the main
// schedule with its slots, filler lists, blocks), edited in forms, with an instant preview of the
// guide the draft would produce (POST /api/schedules/preview after every change). Changes stay a
// draft per channel until `w` saves them (PUT /api/channels/:n/schedule); `u` undoes one change,
// `U` drops the draft. A simple channel (content back to back) shows as one source played in flood
// mode; saving an edit makes it a custom schedule. The drafts' state is in schedules-model.ts
// (tested without a screen); this is the blessed layer: widgets, requests, keys.
import blessed, { type Widgets } from 'blessed';
import type { Channel } from '../../schemas/channel.js';
import type { ScheduleDefinition } from '../../schemas/schedule.js';
import { ApiError } from '../../client/api-client.js';
import type { Binding } from '../keymap.js';
import { Poller } from '../model.js';
import type { AppContext, FormField, Pane, View, ViewDef } from '../view.js';
import { Table } from '../widgets/table.js';
import { loadContent, PREVIEW_LIMIT, TimelinePreview, type ContentNames, type RowsPage } from './channel-shared.js';
import { addKind, entryForm, fieldForIssue, removeEntry, type EntryForm } from './schedule-forms.js';
import { outline, rowForIssue, type OutlineRow } from './schedule-outline.js';
import { aiDraft } from './ai-draft.js';
import { openAiSetup } from './ai-setup.js';
import { appliedText, Drafts, plain, shiftRows, type Draft, type ScheduleReply } from './schedules-model.js';

const PREVIEW_HOURS = 24;
/** Changes in quick succession (a held key) make one preview request. */
const PREVIEW_DEBOUNCE_MS = 40;

const schedulePath = (number: string) => `/api/channels/${encodeURIComponent(number)}/schedule`;

class SchedulesEditor {
  readonly root: Widgets.BoxElement;
  readonly list: Table<Channel>;
  readonly outlineTable: Table<OutlineRow>;
  readonly outlinePane: Pane;
  readonly preview: TimelinePreview;
  readonly drafts = new Drafts();
  readonly poller = new Poller(() => this.load(), 30_000);
  names: ContentNames | null = null;
  pending: string | null = null;
  private outlineFocused = false;
  private previewSeq = 0;
  private previewTimer: NodeJS.Timeout | null = null;
  private saving = false;

  constructor(private readonly ctx: AppContext) {
    const t = ctx.theme;
    this.root = blessed.box({ parent: ctx.body, top: 0, left: 0, width: '100%', height: '100%' });
    this.list = new Table<Channel>({
      parent: this.root, theme: t, label: 'Channels', mouse: ctx.mouse,
      position: { top: 0, left: 0, width: '30%', height: '100%' },
      key: (c) => c.number,
      empty: 'no channels',
      onSelect: (c) => { void this.selectChannel(c); ctx.invalidate(); },
      columns: [
        { title: 'NUM', width: 6, get: (c) => c.number },
        { title: 'NAME', flex: 1, get: (c) => c.name },
        { title: '', width: 1, get: (c) => (this.drafts.dirty(this.drafts.get(c.number)) ? '●' : ''), style: (_c, s) => t.warn(s) },
      ],
    });
    const isError = (r: OutlineRow) => r.key === this.current()?.errorRow;
    this.outlineTable = new Table<OutlineRow>({
      parent: this.root, theme: t, label: 'Schedule', mouse: ctx.mouse,
      position: { top: 0, left: '30%', right: 0, height: '50%' },
      key: (r) => r.key,
      empty: 'select a channel',
      columns: [
        { title: 'PART', width: 18, get: (r) => r.label, style: (r, s) => (isError(r) ? t.err(s) : r.label.startsWith(' ') ? s : t.bold(s)) },
        { title: 'SETTINGS', flex: 1, get: (r) => (isError(r) ? `✖ ${r.detail}` : r.detail), style: (r, s) => (isError(r) ? t.err(s) : s) },
      ],
    });
    const table = this.outlineTable;
    this.outlinePane = {
      label: 'Schedule', element: table.element, handleKey: (id) => table.handleKey(id), filter: table.filter,
      setFocused: (f) => { this.outlineFocused = f; table.setFocused(f); },
    };
    this.preview = new TimelinePreview(ctx, this.root, { top: '50%', left: '30%', right: 0, bottom: 0 });
  }

  channel(): Channel | undefined { return this.list.selected(); }
  current(): Draft | undefined { const c = this.channel(); return c ? this.drafts.get(c.number) : undefined; }

  async load(): Promise<void> {
    const [channels, n] = await Promise.all([this.ctx.model.call(() => this.ctx.client.channels()), loadContent(this.ctx).catch(() => this.names)]);
    this.names = n;
    this.list.setRows(channels);
    if (this.pending && this.list.select(this.pending)) this.pending = null;
    void this.selectChannel(this.list.selected());
    this.ctx.invalidate();
  }

  async selectChannel(c: Channel | undefined): Promise<void> {
    if (!c) { this.outlineTable.setRows([]); this.preview.show(null); return; }
    if (this.drafts.needsLoad(c)) {
      try {
        this.drafts.load(c, await this.ctx.client.request<ScheduleReply>('GET', schedulePath(c.number)));
      } catch (err) {
        if (this.channel()?.number !== c.number) return;
        this.outlineTable.setRows([]);
        this.outlineTable.empty = `✖ ${(err as Error).message}`;
        this.ctx.invalidate();
        return;
      }
    }
    if (this.channel()?.number !== c.number) return;
    this.outlineTable.empty = 'select a channel';
    this.showDraft();
  }

  /** Outline and preview of the selected channel's draft. */
  showDraft(): void {
    const c = this.channel();
    const d = this.current();
    if (!c || !d) return;
    this.outlineTable.setRows(outline(d.def, this.names));
    if (this.drafts.dirty(d)) this.schedulePreview();
    else {
      // Clean again (undo, save, drop): no draft preview may land after the saved guide.
      if (this.previewTimer) { clearTimeout(this.previewTimer); this.previewTimer = null; }
      this.previewSeq++;
      this.drafts.clearError(d);
      this.preview.show(c.number, true);
    }
    this.ctx.invalidate();
  }

  /** Asks the API for the draft's next 24 h (debounced): rows, or the first problem. */
  private schedulePreview(): void {
    if (this.previewTimer) clearTimeout(this.previewTimer);
    this.previewSeq++; // an answer still on its way is for an older draft
    this.previewTimer = setTimeout(() => { this.previewTimer = null; void this.runPreview(); }, PREVIEW_DEBOUNCE_MS);
  }

  private async runPreview(): Promise<void> {
    const c = this.channel();
    const d = this.current();
    if (!c || !d) return;
    const seq = ++this.previewSeq;
    const label = `Preview of the unsaved draft — ${c.number}`;
    try {
      const page = await this.previewRows(c.number, d.def);
      if (seq !== this.previewSeq) return;
      this.drafts.clearError(d);
      this.preview.showRows(label, page, 'nothing to air: the sources have no playable content');
    } catch (err) {
      if (seq !== this.previewSeq) return;
      const e = err as ApiError;
      this.drafts.fail(d, e.message, e instanceof ApiError ? e.issues[0]?.path : undefined, outline(d.def, this.names));
      this.preview.showRows(`${label}: not valid`, { rows: [], total: 0, nextFrom: null }, `✖ ${d.error}`);
    }
    this.ctx.invalidate();
  }

  /** Preview rows of a definition; a mirror shows the mirrored channel's guide, shifted. Throws ApiError when invalid. */
  async previewRows(number: string, def: ScheduleDefinition): Promise<RowsPage> {
    try {
      return await this.ctx.client.request<RowsPage>('POST', '/api/schedules/preview', { definition: def, hours: PREVIEW_HOURS, channel: number, limit: PREVIEW_LIMIT });
    } catch (err) {
      const m = def.main;
      if (!(m.mode === 'mirror' && err instanceof ApiError && err.issues[0]?.path.endsWith('main.mode'))) throw err;
      const shift = m.shiftMin * 60_000;
      const res = await this.ctx.client.timeline(m.channel, { from: new Date(Date.now() - shift).toISOString(), hours: PREVIEW_HOURS, limit: PREVIEW_LIMIT });
      return { ...res, rows: shiftRows(res.rows, shift), nextFrom: res.nextFrom && new Date(Date.parse(res.nextFrom) + shift).toISOString() };
    }
  }

  /** Replaces the draft's definition (one undo step) and refreshes outline and preview. */
  change(d: Draft, def: ScheduleDefinition, select?: string): void {
    this.drafts.change(d, def);
    // An answer that arrives after the user moved to another channel changes its own draft only.
    if (d !== this.current()) { this.ctx.invalidate(); return; }
    this.showDraft();
    if (select) this.outlineTable.select(select);
  }

  needDraft(): Draft | null {
    const d = this.current();
    if (!d) this.ctx.flash(this.channel() ? 'the schedule is still loading' : 'no channel selected', 'info');
    return d ?? null;
  }

  /**
   * Opens an entry's form. On submit the changed draft goes to the preview: a problem in this
   * entry keeps the form open with the message at its field; one elsewhere is left to the outline.
   */
  openForm(build: (d: Draft) => EntryForm, adding: boolean): void {
    const d = this.needDraft();
    const c = this.channel();
    const names = this.names;
    if (!d || !c || !names) return;
    let spec: EntryForm;
    try { spec = build(d); } catch (err) { this.ctx.flash((err as Error).message, 'err'); return; }
    const fieldFor = fieldForIssue(spec.prefix, spec.fields);
    const mine = (path: string) => fieldFor(path) !== undefined || (spec.prefix !== '' && rowForIssue(path, outline(d.def, names)) === spec.prefix);
    this.ctx.form({
      title: `${spec.title} — channel ${c.number}`, fields: spec.fields, submitLabel: 'apply', fieldFor,
      submit: async (v) => {
        const next = spec.apply(v, d.def);
        try {
          await this.previewRows(c.number, next);
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          if (err.status === 400 && (!err.issues.length || err.issues.some((i) => mine(i.path)))) throw err;
        }
        this.change(d, next, spec.selectAfter(next));
        return appliedText(spec.title, adding, c.number);
      },
    });
  }

  edit(): void {
    if (!this.outlineFocused) { this.ctx.focus(this.outlinePane); return; }
    const r = this.outlineTable.selected();
    if (!r) return;
    const isEntry = r.index !== undefined || r.kind === 'general' || r.kind === 'main';
    if (!isEntry) { this.add(); return; }
    this.openForm((d) => entryForm(r.kind, r.index ?? null, d.def, this.names!), false);
  }

  add(): void {
    const d = this.needDraft();
    if (!d) return;
    const r = this.outlineTable.selected() ?? { kind: 'sources' as const, key: 'sources', label: '', detail: '' };
    const kind = addKind(r.kind, d.def);
    if (!kind) { this.ctx.flash('a mirror has no entries: it airs another channel (e on Main changes the mode)', 'info'); return; }
    this.openForm((dd) => entryForm(kind, null, dd.def, this.names!), true);
  }

  remove(): void {
    const d = this.needDraft();
    const r = this.outlineTable.selected();
    if (!d || !r) return;
    const next = r.index !== undefined ? removeEntry(r.kind, r.index, d.def) : null;
    if (!next) { this.ctx.flash('select an entry (an indented row) to remove it; sections stay', 'info'); return; }
    this.change(d, next);
    this.ctx.flash(`removed ${r.label.trim()} from the draft (u undoes, w saves)`, 'ok');
  }

  undo(): void {
    const d = this.needDraft();
    if (!d) return;
    const said = this.drafts.undo(d);
    if (!said) { this.ctx.flash('nothing to undo', 'info'); return; }
    this.showDraft();
    this.ctx.flash(said, 'ok');
  }

  async revert(): Promise<void> {
    const d = this.needDraft();
    const c = this.channel();
    if (!d || !c) return;
    if (!this.drafts.dirty(d)) { this.ctx.flash('no unsaved changes', 'info'); return; }
    if (!(await this.ctx.confirm(`Drop the unsaved changes to channel ${c.number}'s schedule?`))) { this.ctx.flash('kept the draft', 'info'); return; }
    // The schedule as saved now (it may have changed elsewhere since the draft began).
    this.drafts.revert(d, await this.ctx.client.request<ScheduleReply>('GET', schedulePath(c.number)).catch(() => null));
    if (d === this.current()) this.showDraft();
    this.ctx.flash(`channel ${c.number}: back to the saved schedule (u brings the draft back)`, 'ok');
  }

  async save(): Promise<void> {
    const d = this.needDraft();
    const c = this.channel();
    if (!d || !c) return;
    if (this.saving) { this.ctx.flash('saving…', 'info'); return; }
    if (!this.drafts.dirty(d)) { this.ctx.flash('nothing to save: the draft matches the saved schedule', 'info'); return; }
    // What is sent is what counts as saved: edits made while the request runs stay unsaved.
    const body = d.def;
    this.saving = true;
    this.ctx.flash(`saving the schedule of channel ${c.number}…`, 'info');
    try {
      const saved = await this.put(c, d, body);
      if (!saved) return;
      const now = await this.ctx.client.request<ScheduleReply>('GET', schedulePath(c.number)).catch(() => null);
      this.drafts.saved(d, body, now?.revision ?? null, saved.updatedAt);
      this.poller.kick();
      if (d === this.current()) this.showDraft();
      this.ctx.flash(`saved the schedule of channel ${c.number}: the guide is rebuilt from now (the programme on air keeps playing)`, 'ok');
    } catch (err) {
      const e = err as ApiError;
      this.drafts.fail(d, e.message, e instanceof ApiError ? e.issues[0]?.path : undefined, outline(d.def, this.names));
      if (d.errorRow && d === this.current()) this.outlineTable.select(d.errorRow);
      this.ctx.flash(`not saved: ${d.error}`, 'err');
    } finally {
      this.saving = false;
    }
  }

  /** PUT with the revision the draft began from; when someone else saved since, asks before overwriting (null: not saved). */
  private async put(c: Channel, d: Draft, body: ScheduleDefinition): Promise<Channel | null> {
    const put = (expect: boolean) => this.ctx.client.request<Channel>('PUT', `${schedulePath(c.number)}${expect ? `?expectRevision=${d.revision}` : ''}`, body);
    try {
      return await put(true);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 409)) throw err;
      // Someone else saved this schedule since it was loaded (another TUI, the CLI, a restore).
      if (!(await this.ctx.confirm(`Channel ${c.number}'s schedule was changed elsewhere since you loaded it. Overwrite it with your draft?`))) {
        this.ctx.flash(`not saved: channel ${c.number}'s schedule changed elsewhere (U drops your draft and loads it)`, 'info');
        return null;
      }
      return put(false);
    }
  }

  operation(op: 'balance' | 'consolidate', what: string): () => Promise<void> {
    return async () => {
      const d = this.needDraft();
      const number = this.channel()?.number;
      if (!d || !number) return;
      await this.ctx.act(what, async () => {
        const r = await this.ctx.client.request<{ definition: ScheduleDefinition }>('POST', '/api/schedules/operations', { definition: d.def, operation: { op } })
          .catch((err: unknown) => { throw err instanceof ApiError ? new ApiError(err.status, plain(err.message)) : err; });
        if (JSON.stringify(r.definition) === JSON.stringify(d.def)) return `${what}: nothing to change`;
        this.change(d, r.definition);
        return `${what}: done in the draft of channel ${number} (u undoes, w saves)`;
      });
    };
  }

  replicate(): void {
    const d = this.needDraft();
    const r = this.outlineTable.selected();
    const c = this.channel();
    if (!d || !c) return;
    if (r?.kind !== 'slot' || r.index === undefined) { this.ctx.flash('select a time slot to replicate', 'info'); return; }
    const fields: FormField[] = [
      { name: 'times', label: 'Copies', kind: 'text', size: 8, value: '3', hint: 'how many more slots like it' },
      { name: 'everyMin', label: 'Every', kind: 'text', size: 8, value: '60', hint: 'minutes apart' },
    ];
    const index = r.index;
    this.ctx.form({
      title: `Replicate slot ${r.label.trim()} — channel ${c.number}`, fields, submitLabel: 'replicate',
      fieldFor: (p) => fields.find((f) => p.endsWith(f.name))?.name,
      submit: async (v) => {
        const body = { definition: d.def, operation: { op: 'replicate', slot: index, times: Number(v.times), everyMin: Number(v.everyMin) } };
        const res = await this.ctx.client.request<{ definition: ScheduleDefinition }>('POST', '/api/schedules/operations', body);
        this.change(d, res.definition);
        return `replicated the slot ${v.times} times, every ${v.everyMin} min (u undoes, w saves)`;
      },
    });
  }

  ai(): void {
    const d = this.needDraft();
    const c = this.channel();
    if (d && c) void aiDraft(this.ctx, c.number, d.def, (def) => this.change(d, def));
  }

  bindings(): Binding[] {
    return [
      { keys: ['e', 'enter'], desc: 'edit the selected part (elsewhere: go to the schedule outline)', hint: 'edit', mutates: true, run: () => this.edit() },
      { keys: ['a'], desc: 'add to the selected section: a source, slot, flood share, filler list or block', hint: 'add', mutates: true, panes: [1], run: () => this.add() },
      { keys: ['D'], desc: 'remove the selected entry from the draft', hint: 'remove', mutates: true, panes: [1], run: () => this.remove() },
      { keys: ['w', 'C-s'], desc: 'save the draft: the guide is rebuilt from now', hint: 'save', mutates: true, run: () => this.save() },
      { keys: ['u'], desc: 'undo the last change to the draft', hint: 'undo', mutates: true, run: () => this.undo() },
      { keys: ['U'], desc: 'drop the draft: back to the saved schedule (asks first)', mutates: true, run: () => this.revert() },
      { keys: ['I'], desc: 'AI: change the draft from a sentence (not saved; no provider yet: opens the set-up)', mutates: true, run: () => this.ai() },
      { keys: ['A'], desc: 'AI provider set-up: base URL, model, API key; a health check lists the models (exstreamtv ai setup)', mutates: true, run: () => openAiSetup(this.ctx) },
      { keys: ['B'], desc: 'balance: weights by how much content each source has', mutates: true, run: this.operation('balance', 'balance') },
      { keys: ['C'], desc: 'consolidate: merge back-to-back slots of the same source', mutates: true, run: this.operation('consolidate', 'consolidate') },
      { keys: ['R'], desc: 'replicate the selected time slot at a regular interval', mutates: true, panes: [1], run: () => this.replicate() },
      ...this.preview.bindings(2),
    ];
  }

  stopPreview(): void { if (this.previewTimer) clearTimeout(this.previewTimer); }
}

export const schedulesView: ViewDef = {
  id: 'schedules',
  title: 'Schedules',
  create(ctx: AppContext): View {
    const s = new SchedulesEditor(ctx);
    return {
      id: 'schedules', title: 'Schedules', root: s.root, panes: [s.list, s.outlinePane, s.preview.table], bindings: s.bindings(),
      show(arg) {
        const sel = (arg as { select?: string } | undefined)?.select;
        if (sel && !s.list.select(sel)) s.pending = sel;
        s.poller.start();
      },
      hide() {
        s.poller.stop();
        const unsaved = s.drafts.unsaved();
        if (unsaved.length) ctx.flash(`unsaved schedule changes on channel ${unsaved.join(', ')}: come back (3) and press w to save`, 'info');
      },
      refresh() { s.poller.kick(); },
      render() {
        s.outlineTable.label = s.drafts.title(s.channel(), s.current());
        s.list.render();
        s.outlineTable.render();
        s.preview.table.render();
      },
      onEvent(e) {
        if (e.event !== 'timeline.changed') return;
        const n = (e.data as { number: string }).number;
        if (!s.drafts.dirty(s.drafts.get(n))) s.preview.changed(n);
      },
      destroy() { s.poller.stop(); s.stopPreview(); },
    };
  },
};
