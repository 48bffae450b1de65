// Schedules: each channel's schedule definition as an outline (general, sources, the main
// schedule with its slots, filler lists, blocks), edited in forms, with an instant preview of the
// guide the draft would produce (POST /api/schedules/preview after every change). Changes stay a
// draft per channel until `w` saves them (PUT /api/channels/:n/schedule); `u` undoes one change,
// `U` drops the draft. A simple channel (content back to back) shows as one source played in flood
// mode; saving an edit makes it a custom schedule.
import blessed from 'blessed';
import type { Channel } from '../../schemas/channel.js';
import type { ScheduleDefinition } from '../../schemas/schedule.js';
import type { TimelineRowOut } from '../../schemas/timeline.js';
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

/** GET /api/channels/:n/schedule. */
interface ScheduleReply { custom: boolean; revision: number; definition: ScheduleDefinition }

interface Draft {
  def: ScheduleDefinition;
  /** The saved definition (JSON) the draft started from. */
  saved: string;
  revision: number;
  custom: boolean;
  /** The channel's updatedAt when loaded (a change elsewhere reloads a clean draft). */
  at: string;
  undo: ScheduleDefinition[];
  /** The preview's verdict on the draft. */
  error: string | null;
  errorRow: string | null;
}

const PREVIEW_HOURS = 24;
/** Changes in quick succession (a held key) make one preview request. */
const PREVIEW_DEBOUNCE_MS = 40;
/** An API message without the request-body prefix of its path ("body.definition.main…" → "main…"). */
const plain = (m: string) => m.replace(/^body\.(definition\.)?/, '').replace(/^definition\./, '');
const UNDO_DEPTH = 50;

export const schedulesView: ViewDef = {
  id: 'schedules',
  title: 'Schedules',
  create(ctx: AppContext): View {
    const { theme: t, model } = ctx;
    const root = blessed.box({ parent: ctx.body, top: 0, left: 0, width: '100%', height: '100%' });
    let names: ContentNames | null = null;
    let pending: string | null = null;
    const drafts = new Map<string, Draft>();
    const dirty = (d: Draft | undefined) => !!d && JSON.stringify(d.def) !== d.saved;
    let previewSeq = 0;
    let previewTimer: NodeJS.Timeout | null = null;

    const list = new Table<Channel>({
      parent: root, theme: t, label: 'Channels', mouse: ctx.mouse,
      position: { top: 0, left: 0, width: '30%', height: '100%' },
      key: (c) => c.number,
      empty: 'no channels',
      onSelect: (c) => { void selectChannel(c); ctx.invalidate(); },
      columns: [
        { title: 'NUM', width: 6, get: (c) => c.number },
        { title: 'NAME', flex: 1, get: (c) => c.name },
        { title: '', width: 1, get: (c) => (dirty(drafts.get(c.number)) ? '●' : ''), style: (_c, s) => t.warn(s) },
      ],
    });
    const outlineTable = new Table<OutlineRow>({
      parent: root, theme: t, label: 'Schedule', mouse: ctx.mouse,
      position: { top: 0, left: '30%', right: 0, height: '50%' },
      key: (r) => r.key,
      empty: 'select a channel',
      columns: [
        { title: 'PART', width: 18, get: (r) => r.label, style: (r, s) => (r.key === current()?.errorRow ? t.err(s) : r.label.startsWith(' ') ? s : t.bold(s)) },
        { title: 'SETTINGS', flex: 1, get: (r) => (r.key === current()?.errorRow ? `✖ ${r.detail}` : r.detail), style: (r, s) => (r.key === current()?.errorRow ? t.err(s) : s) },
      ],
    });
    let outlineFocused = false;
    const outlinePane: Pane = {
      label: 'Schedule',
      element: outlineTable.element,
      handleKey: (id) => outlineTable.handleKey(id),
      filter: outlineTable.filter,
      setFocused(f) { outlineFocused = f; outlineTable.setFocused(f); },
    };
    const preview = new TimelinePreview(ctx, root, { top: '50%', left: '30%', right: 0, bottom: 0 });

    const channel = () => list.selected();
    const current = (): Draft | undefined => { const c = channel(); return c ? drafts.get(c.number) : undefined; };

    async function selectChannel(c: Channel | undefined): Promise<void> {
      if (!c) { outlineTable.setRows([]); preview.show(null); return; }
      const have = drafts.get(c.number);
      if (!have || (have.at !== c.updatedAt && !dirty(have))) {
        try {
          const s = await ctx.client.request<ScheduleReply>('GET', `/api/channels/${encodeURIComponent(c.number)}/schedule`);
          drafts.set(c.number, { def: s.definition, saved: JSON.stringify(s.definition), revision: s.revision, custom: s.custom, at: c.updatedAt, undo: [], error: null, errorRow: null });
        } catch (err) {
          if (channel()?.number !== c.number) return;
          outlineTable.setRows([]);
          outlineTable.empty = `✖ ${(err as Error).message}`;
          ctx.invalidate();
          return;
        }
      }
      if (channel()?.number !== c.number) return;
      outlineTable.empty = 'select a channel';
      showDraft();
    }

    /** Outline and preview of the selected channel's draft. */
    function showDraft(): void {
      const c = channel();
      const d = current();
      if (!c || !d) return;
      outlineTable.setRows(outline(d.def, names));
      if (dirty(d)) schedulePreview();
      else {
        // Clean again (undo, save, drop): no draft preview may land after the saved guide.
        if (previewTimer) { clearTimeout(previewTimer); previewTimer = null; }
        previewSeq++;
        d.error = null;
        d.errorRow = null;
        preview.show(c.number, true);
      }
      ctx.invalidate();
    }

    /** Asks the API for the draft's next 24 h (debounced): rows, or the first problem. */
    function schedulePreview(): void {
      if (previewTimer) clearTimeout(previewTimer);
      previewSeq++; // an answer still on its way is for an older draft
      previewTimer = setTimeout(() => { previewTimer = null; void runPreview(); }, PREVIEW_DEBOUNCE_MS);
    }
    async function runPreview(): Promise<void> {
      const c = channel();
      const d = current();
      if (!c || !d) return;
      const seq = ++previewSeq;
      const label = `Preview of the unsaved draft — ${c.number}`;
      try {
        const page = await previewRows(c.number, d.def);
        if (seq !== previewSeq) return;
        d.error = null;
        d.errorRow = null;
        preview.showRows(label, page, 'nothing to air: the sources have no playable content');
      } catch (err) {
        if (seq !== previewSeq) return;
        const e = err as ApiError;
        d.error = plain(e.message);
        d.errorRow = e instanceof ApiError && e.issues[0] ? rowForIssue(e.issues[0].path, outline(d.def, names)) : null;
        preview.showRows(`${label}: not valid`, { rows: [], total: 0, nextFrom: null }, `✖ ${d.error}`);
      }
      ctx.invalidate();
    }

    /** Preview rows of a definition; a mirror shows the mirrored channel's guide, shifted. Throws ApiError when invalid. */
    async function previewRows(number: string, def: ScheduleDefinition): Promise<RowsPage> {
      try {
        return await ctx.client.request<RowsPage>('POST', '/api/schedules/preview', { definition: def, hours: PREVIEW_HOURS, channel: number, limit: PREVIEW_LIMIT });
      } catch (err) {
        const m = def.main;
        if (!(m.mode === 'mirror' && err instanceof ApiError && err.issues[0]?.path.endsWith('main.mode'))) throw err;
        const shift = m.shiftMin * 60_000;
        const from = new Date(Date.now() - shift).toISOString();
        const res = await ctx.client.timeline(m.channel, { from, hours: PREVIEW_HOURS, limit: PREVIEW_LIMIT });
        const move = (iso: string) => new Date(Date.parse(iso) + shift).toISOString();
        return { ...res, rows: res.rows.map((r) => ({ ...r, start: move(r.start), end: move(r.end) })), nextFrom: res.nextFrom && move(res.nextFrom) };
      }
    }

    /** Replaces the draft's definition (one undo step) and refreshes outline and preview. */
    function change(d: Draft, def: ScheduleDefinition, select?: string): void {
      d.undo.push(d.def);
      if (d.undo.length > UNDO_DEPTH) d.undo.shift();
      d.def = def;
      // An answer that arrives after the user moved to another channel changes its own draft only.
      if (d !== current()) { ctx.invalidate(); return; }
      showDraft();
      if (select) outlineTable.select(select);
    }

    const needDraft = (): Draft | null => {
      const d = current();
      if (!d) ctx.flash(channel() ? 'the schedule is still loading' : 'no channel selected', 'info');
      return d ?? null;
    };

    /**
     * Opens an entry's form. On submit the changed draft goes to the preview: a problem in this
     * entry keeps the form open with the message at its field; one elsewhere is left to the outline.
     */
    function openForm(build: (d: Draft) => EntryForm, adding: boolean): void {
      const d = needDraft();
      const c = channel();
      if (!d || !c || !names) return;
      let spec: EntryForm;
      try { spec = build(d); } catch (err) { ctx.flash((err as Error).message, 'err'); return; }
      const fieldFor = fieldForIssue(spec.prefix, spec.fields);
      const mine = (path: string) => fieldFor(path) !== undefined || (spec.prefix !== '' && rowForIssue(path, outline(d.def, names)) === spec.prefix);
      ctx.form({
        title: `${spec.title} — channel ${c.number}`,
        fields: spec.fields,
        submitLabel: 'apply',
        fieldFor,
        async submit(v) {
          const next = spec.apply(v, d.def);
          try {
            await previewRows(c.number, next);
          } catch (err) {
            if (err instanceof ApiError && err.status === 400 && (!err.issues.length || err.issues.some((i) => mine(i.path)))) throw err;
            if (!(err instanceof ApiError)) throw err;
          }
          change(d, next, spec.selectAfter(next));
          const what = spec.title.split(' — ')[0]!;
          return adding ? `added a ${what.replace(/^Add /, '').toLowerCase()} to the draft of channel ${c.number} (not saved yet: w saves, u undoes)`
            : `changed ${what.replace(/^\w/, (x) => x.toLowerCase())} in the draft of channel ${c.number} (not saved yet: w saves, u undoes)`;
        },
      });
    }

    const edit = () => {
      if (!outlineFocused) { ctx.focus(outlinePane); return; }
      const r = outlineTable.selected();
      if (!r) return;
      const isEntry = r.index !== undefined || r.kind === 'general' || r.kind === 'main';
      if (!isEntry) { add(); return; }
      openForm((d) => entryForm(r.kind, r.index ?? null, d.def, names!), false);
    };
    const add = () => {
      const d = needDraft();
      if (!d) return;
      const r = outlineTable.selected() ?? { kind: 'sources' as const, key: 'sources', label: '', detail: '' };
      const kind = addKind(r.kind, d.def);
      if (!kind) { ctx.flash('a mirror has no entries: it airs another channel (e on Main changes the mode)', 'info'); return; }
      openForm((dd) => entryForm(kind, null, dd.def, names!), true);
    };
    const remove = () => {
      const d = needDraft();
      const r = outlineTable.selected();
      if (!d || !r) return;
      const next = r.index !== undefined ? removeEntry(r.kind, r.index, d.def) : null;
      if (!next) { ctx.flash('select an entry (an indented row) to remove it; sections stay', 'info'); return; }
      change(d, next);
      ctx.flash(`removed ${r.label.trim()} from the draft (u undoes, w saves)`, 'ok');
    };
    const undo = () => {
      const d = needDraft();
      if (!d) return;
      const prev = d.undo.pop();
      if (!prev) { ctx.flash('nothing to undo', 'info'); return; }
      d.def = prev;
      showDraft();
      ctx.flash(dirty(d) ? `undone: ${d.undo.length} change(s) left to undo` : 'undone: the draft matches the saved schedule', 'ok');
    };
    const revert = async () => {
      const d = needDraft();
      const c = channel();
      if (!d || !c) return;
      if (!dirty(d)) { ctx.flash('no unsaved changes', 'info'); return; }
      if (!(await ctx.confirm(`Drop the unsaved changes to channel ${c.number}'s schedule?`))) { ctx.flash('kept the draft', 'info'); return; }
      // The schedule as saved now (it may have changed elsewhere since the draft began).
      const now = await ctx.client.request<ScheduleReply>('GET', `/api/channels/${encodeURIComponent(c.number)}/schedule`).catch(() => null);
      d.undo.push(d.def);
      if (now) { d.saved = JSON.stringify(now.definition); d.revision = now.revision; d.custom = now.custom; }
      d.def = JSON.parse(d.saved) as ScheduleDefinition;
      if (d === current()) showDraft();
      ctx.flash(`channel ${c.number}: back to the saved schedule (u brings the draft back)`, 'ok');
    };
    let saving = false;
    const save = async () => {
      const d = needDraft();
      const c = channel();
      if (!d || !c) return;
      if (saving) { ctx.flash('saving…', 'info'); return; }
      if (!dirty(d)) { ctx.flash('nothing to save: the draft matches the saved schedule', 'info'); return; }
      // What is sent is what counts as saved: edits made while the request runs stay unsaved.
      const body = d.def;
      const put = (expect: boolean) => ctx.client.request<Channel>('PUT',
        `/api/channels/${encodeURIComponent(c.number)}/schedule${expect ? `?expectRevision=${d.revision}` : ''}`, body);
      saving = true;
      ctx.flash(`saving the schedule of channel ${c.number}…`, 'info');
      try {
        let saved: Channel;
        try {
          saved = await put(true);
        } catch (err) {
          if (!(err instanceof ApiError && err.status === 409)) throw err;
          // Someone else saved this schedule since it was loaded (another TUI, the CLI, a restore).
          if (!(await ctx.confirm(`Channel ${c.number}'s schedule was changed elsewhere since you loaded it. Overwrite it with your draft?`))) {
            ctx.flash(`not saved: channel ${c.number}'s schedule changed elsewhere (U drops your draft and loads it)`, 'info');
            return;
          }
          saved = await put(false);
        }
        const now = await ctx.client.request<ScheduleReply>('GET', `/api/channels/${encodeURIComponent(c.number)}/schedule`).catch(() => null);
        d.saved = JSON.stringify(body);
        d.custom = true;
        d.revision = now?.revision ?? d.revision + 1;
        d.at = saved.updatedAt;
        d.error = null;
        d.errorRow = null;
        poller.kick();
        if (d === current()) showDraft();
        ctx.flash(`saved the schedule of channel ${c.number}: the guide is rebuilt from now (the programme on air keeps playing)`, 'ok');
      } catch (err) {
        const e = err as ApiError;
        d.error = plain(e.message);
        d.errorRow = e instanceof ApiError && e.issues[0] ? rowForIssue(e.issues[0].path, outline(d.def, names)) : null;
        if (d.errorRow && d === current()) outlineTable.select(d.errorRow);
        ctx.flash(`not saved: ${d.error}`, 'err');
      } finally {
        saving = false;
      }
    };
    const operation = (op: 'balance' | 'consolidate', what: string) => async () => {
      const d = needDraft();
      const number = channel()?.number;
      if (!d || !number) return;
      await ctx.act(what, async () => {
        const r = await ctx.client.request<{ definition: ScheduleDefinition }>('POST', '/api/schedules/operations', { definition: d.def, operation: { op } })
          .catch((err: unknown) => { throw err instanceof ApiError ? new ApiError(err.status, plain(err.message)) : err; });
        if (JSON.stringify(r.definition) === JSON.stringify(d.def)) return `${what}: nothing to change`;
        change(d, r.definition);
        return `${what}: done in the draft of channel ${number} (u undoes, w saves)`;
      });
    };
    const replicate = () => {
      const d = needDraft();
      const r = outlineTable.selected();
      const c = channel();
      if (!d || !c) return;
      if (r?.kind !== 'slot' || r.index === undefined) { ctx.flash('select a time slot to replicate', 'info'); return; }
      const fields: FormField[] = [
        { name: 'times', label: 'Copies', kind: 'text', size: 8, value: '3', hint: 'how many more slots like it' },
        { name: 'everyMin', label: 'Every', kind: 'text', size: 8, value: '60', hint: 'minutes apart' },
      ];
      const index = r.index;
      ctx.form({
        title: `Replicate slot ${r.label.trim()} — channel ${c.number}`, fields, submitLabel: 'replicate',
        fieldFor: (p) => fields.find((f) => p.endsWith(f.name))?.name,
        async submit(v) {
          const body = { definition: d.def, operation: { op: 'replicate', slot: index, times: Number(v.times), everyMin: Number(v.everyMin) } };
          const res = await ctx.client.request<{ definition: ScheduleDefinition }>('POST', '/api/schedules/operations', body);
          change(d, res.definition);
          return `replicated the slot ${v.times} times, every ${v.everyMin} min (u undoes, w saves)`;
        },
      });
    };

    async function load(): Promise<void> {
      const [channels, n] = await Promise.all([model.call(() => ctx.client.channels()), loadContent(ctx).catch(() => names)]);
      names = n;
      list.setRows(channels);
      if (pending && list.select(pending)) pending = null;
      void selectChannel(list.selected());
      ctx.invalidate();
    }
    const poller = new Poller(load, 30_000);

    const bindings: Binding[] = [
      { keys: ['e', 'enter'], desc: 'edit the selected part (elsewhere: go to the schedule outline)', hint: 'edit', mutates: true, run: edit },
      { keys: ['a'], desc: 'add to the selected section: a source, slot, flood share, filler list or block', hint: 'add', mutates: true, panes: [1], run: add },
      { keys: ['D'], desc: 'remove the selected entry from the draft', hint: 'remove', mutates: true, panes: [1], run: remove },
      { keys: ['w', 'C-s'], desc: 'save the draft: the guide is rebuilt from now', hint: 'save', mutates: true, run: save },
      { keys: ['u'], desc: 'undo the last change to the draft', hint: 'undo', mutates: true, run: undo },
      { keys: ['U'], desc: 'drop the draft: back to the saved schedule (asks first)', mutates: true, run: revert },
      { keys: ['I'], desc: 'AI: change the draft from a sentence (not saved; no provider yet: opens the set-up)', mutates: true, run: () => { const d = needDraft(); const c = channel(); if (d && c) void aiDraft(ctx, c.number, d.def, (def) => change(d, def)); } },
      { keys: ['A'], desc: 'AI provider set-up: base URL, model, API key; a health check lists the models (exstreamtv ai setup)', mutates: true, run: () => openAiSetup(ctx) },
      { keys: ['B'], desc: 'balance: weights by how much content each source has', mutates: true, run: operation('balance', 'balance') },
      { keys: ['C'], desc: 'consolidate: merge back-to-back slots of the same source', mutates: true, run: operation('consolidate', 'consolidate') },
      { keys: ['R'], desc: 'replicate the selected time slot at a regular interval', mutates: true, panes: [1], run: replicate },
      ...preview.bindings(2),
    ];

    return {
      id: 'schedules', title: 'Schedules', root, panes: [list, outlinePane, preview.table], bindings,
      show(arg) {
        const sel = (arg as { select?: string } | undefined)?.select;
        if (sel && !list.select(sel)) pending = sel;
        poller.start();
      },
      hide() {
        poller.stop();
        const unsaved = [...drafts].filter(([, d]) => dirty(d)).map(([n]) => n);
        if (unsaved.length) ctx.flash(`unsaved schedule changes on channel ${unsaved.join(', ')}: come back (3) and press w to save`, 'info');
      },
      refresh() { poller.kick(); },
      render() {
        const c = channel();
        const d = current();
        outlineTable.label = !c || !d ? 'Schedule'
          : `Schedule — ${c.number} ${c.name}${d.custom ? ` (rev ${d.revision})` : ' (simple)'}${dirty(d) ? ' ● unsaved: w saves' : ''}${d.error ? ' ✖ not valid' : ''}`;
        list.render();
        outlineTable.render();
        preview.table.render();
      },
      onEvent(e) {
        if (e.event !== 'timeline.changed') return;
        const n = (e.data as { number: string }).number;
        if (!dirty(drafts.get(n))) preview.changed(n);
      },
      destroy() { poller.stop(); if (previewTimer) clearTimeout(previewTimer); },
    };
  },
};
