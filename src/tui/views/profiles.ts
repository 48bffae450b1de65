// Profiles: which hardware encoders a real probe verified here (and ffmpeg's reason for the
// others), the encoder profiles (built-in and user) with add/edit/copy/delete forms, a real test
// encode, and assigning a profile to channels. Everything comes from /api/hw and /api/profiles.
// State and text are in profiles-model.ts (tested without a screen); this is the blessed layer.
import blessed, { type Widgets } from 'blessed';
import type { Channel } from '../../schemas/channel.js';
import type { HwReport, KindReport } from '../../schemas/hw.js';
import type { ProfileView, TestEncodeResult } from '../../schemas/profile.js';
import type { Binding } from '../keymap.js';
import { Poller } from '../model.js';
import { esc, wrap } from '../text.js';
import type { AppContext, Pane, View, ViewDef } from '../view.js';
import { Table } from '../widgets/table.js';
import { bodyFrom, kindDevice, kindState, profileFields, testText, usableText } from './profile-parts.js';
import { channelNumbers, DETAIL_LINES, editPatch, probeText, ProfilesModel, type PopupRow } from './profiles-model.js';

/** Seconds of test picture a `t` test encode asks for (short: the TUI's requests time out after 10 s). */
export const TEST_SECONDS = 2;
const POLL_MS = 15_000;
const ENCODERS_HEIGHT = 10;

const enc = encodeURIComponent;

const colourState = (ctx: AppContext, s: string) =>
  s.startsWith('●') || s.includes('✔') ? ctx.theme.ok(s) : s.startsWith('▲') ? ctx.theme.warn(s) : s.startsWith('✖') || s.includes('✖') ? ctx.theme.err(s) : ctx.theme.dim(s);

/** Pop-up rows as lines: the label in a bold column, the text wrapped beside it. */
function popupLines(ctx: AppContext, rows: PopupRow[]): string[] {
  const w = Math.max(30, (ctx.screen.width as number) - 10) - 12;
  return rows.flatMap(([label, text]) => {
    if (label === null) return [ctx.theme.bold(esc(text))];
    if (label === '' && text === '') return [''];
    return wrap(text, w).map((l, i) => `${i === 0 ? ctx.theme.bold(esc(label.padEnd(11))) : ' '.repeat(11)} ${esc(l)}`);
  });
}

interface Parts { ctx: AppContext; vm: ProfilesModel; encoders: Table<KindReport>; profiles: Table<ProfileView>; poller: Poller }

function tables(ctx: AppContext, root: Widgets.BoxElement, vm: ProfilesModel): { encoders: Table<KindReport>; profiles: Table<ProfileView> } {
  const t = ctx.theme;
  const encoders = new Table<KindReport>({
    parent: root, theme: t, label: 'Encoders', mouse: ctx.mouse,
    position: { top: 0, left: 0, width: '100%', height: ENCODERS_HEIGHT },
    key: (k) => k.kind,
    empty: 'probing the encoders (a real 2-frame encode per kind)…',
    columns: [
      { title: 'KIND', width: 12, get: (k) => k.kind },
      { title: 'STATE', width: 13, get: kindState, style: (_k, s) => colourState(ctx, s) },
      { title: 'CODECS', width: 18, get: (k) => k.codecs.map((c) => `${c.codec}${c.status === 'verified' ? '✓' : '✗'}`).join(' ') },
      { title: 'DEVICE', width: 14, get: (k) => (vm.report ? kindDevice(k, vm.report) : '') },
      {
        title: 'REASON', flex: 1, min: 10,
        get: (k) => (k.status === 'verified' ? (k.failures ? `${k.failures} failure(s) in use, ${k.fallbacks} software fallback(s)` : '') : (k.reason ?? '')),
        style: (k, s) => (k.status === 'verified' ? t.dim(s) : s),
      },
    ],
  });
  const profiles = new Table<ProfileView>({
    parent: root, theme: t, label: 'Profiles', mouse: ctx.mouse,
    position: { top: ENCODERS_HEIGHT + DETAIL_LINES, left: 0, width: '100%', bottom: 0 },
    key: (p) => p.name,
    empty: 'loading profiles…',
    columns: [
      { title: 'NAME', flex: 1, min: 14, get: (p) => p.name },
      { title: 'KIND', width: 8, get: (p) => p.kind },
      { title: 'CODEC', width: 5, get: (p) => p.codec },
      { title: 'SIZE', width: 9, get: (p) => `${p.width}x${p.height}` },
      { title: 'FPS', width: 5, align: 'right', get: (p) => String(p.fps) },
      { title: 'VIDEO', width: 7, align: 'right', get: (p) => `${p.videoBitrateK}k` },
      { title: 'TYPE', width: 8, get: (p) => (p.builtIn ? 'built-in' : 'user') },
      { title: 'USABLE', width: 12, get: usableText, style: (_p, s) => colourState(ctx, s) },
      { title: 'CHANNELS', width: 10, hideBelow: 100, get: (p) => p.status.channels.join(',') || '—' },
    ],
  });
  return { encoders, profiles };
}

function openForm({ ctx, vm, profiles, poller }: Parts, mode: 'add' | 'edit' | 'copy', p: ProfileView | null): void {
  const editing = mode === 'edit' && p;
  ctx.form({
    title: editing ? `Edit profile ${p.name}` : mode === 'copy' && p ? `Copy ${p.name} as a new profile` : 'Add profile',
    submitLabel: editing ? 'save' : 'add',
    fields: profileFields(p, editing ? null : mode === 'copy' && p ? `${p.name}-copy` : ''),
    fieldFor: (path) => path.replace(/^body\./, '').split('.')[0],
    async submit(v) {
      const body = bodyFrom(v);
      if (!editing) {
        const made = await ctx.client.request<ProfileView>('POST', '/api/profiles', { name: String(v.name ?? '').trim(), ...body });
        profiles.select(made.name);
        poller.kick();
        return `added profile ${made.name}: ${made.kind} ${made.codec} ${made.width}x${made.height}@${made.fps}${made.status.usable ? '' : ` (not usable here: ${made.status.reason})`}`;
      }
      const patch = editPatch(body, p);
      if (!Object.keys(patch).length) return `profile ${p.name}: nothing changed`;
      const saved = await ctx.client.request<ProfileView>('PATCH', `/api/profiles/${enc(p.name)}`, patch);
      vm.tests.delete(p.name);
      poller.kick();
      return `saved profile ${saved.name} (${Object.keys(patch).join(', ')})${saved.status.usable ? '' : `; not usable here: ${saved.status.reason}`}`;
    },
  });
}

/** The keys' actions. */
function actions(x: Parts) {
  const { ctx, vm, encoders, profiles, poller } = x;
  const selectedProfile = (): ProfileView | undefined => {
    const p = profiles.selected();
    if (!p) ctx.flash('no profile selected', 'info');
    return p;
  };
  const readOnlyNote = (p: ProfileView) => ctx.flash(`"${p.name}" is a built-in profile and read-only: c copies it as a new profile you can change`, 'info');
  const encoderPopup = (k: KindReport) => {
    const note = vm.probeNote();
    ctx.message(`Encoder ${k.kind}`, [...popupLines(ctx, vm.encoderPopup(k)), ...(note ? ['', ctx.theme.dim(esc(note))] : [])], k.reason ?? undefined);
  };
  const profilePopup = (p: ProfileView) => ctx.message(`Profile ${p.name}`, popupLines(ctx, vm.profilePopup(p)));
  return {
    probe: () => ctx.act('probe', async () => {
      const r = await ctx.model.call(() => ctx.client.request<HwReport>('POST', '/api/hw/probe'));
      encoders.label = vm.setReport(r);
      encoders.setRows(r.kinds);
      poller.kick();
      return probeText(r);
    }, 'probing… (a real 2-frame encode per encoder kind)'),
    add: () => openForm(x, 'add', null),
    edit: () => {
      const p = selectedProfile();
      if (!p) return;
      if (p.builtIn) readOnlyNote(p); else openForm(x, 'edit', p);
    },
    copy: () => { const p = selectedProfile(); if (p) openForm(x, 'copy', p); },
    enter: () => {
      if (vm.focus === 'encoders') {
        const k = encoders.selected();
        if (k) encoderPopup(k); else ctx.flash('no encoder report yet', 'info');
        return;
      }
      const p = selectedProfile();
      if (!p) return;
      if (ctx.readonly) { profilePopup(p); return; }
      if (p.builtIn) { readOnlyNote(p); profilePopup(p); return; }
      openForm(x, 'edit', p);
    },
    details: () => {
      if (vm.focus === 'encoders') { const k = encoders.selected(); if (k) encoderPopup(k); return; }
      const p = selectedProfile();
      if (p) profilePopup(p);
    },
    remove: async () => {
      const p = selectedProfile();
      if (!p) return;
      if (p.builtIn) { ctx.flash(`"${p.name}" is a built-in profile and cannot be deleted`, 'info'); return; }
      const used = p.status.channels.length ? ` (used by channel${p.status.channels.length > 1 ? 's' : ''} ${p.status.channels.join(', ')})` : '';
      if (!(await ctx.confirm(`Delete profile "${p.name}"${used}?`))) { ctx.flash(`kept profile ${p.name}`, 'info'); return; }
      await ctx.act(`delete profile ${p.name}`, async () => {
        await ctx.client.request('DELETE', `/api/profiles/${enc(p.name)}`);
        vm.tests.delete(p.name);
        poller.kick();
        return `deleted profile ${p.name}`;
      });
    },
    test: async () => {
      const p = selectedProfile();
      if (!p) return;
      ctx.flash(`testing ${p.name}: ${TEST_SECONDS} s of test picture through its pipeline…`, 'info');
      try {
        const r = await ctx.client.request<TestEncodeResult>('POST', `/api/profiles/${enc(p.name)}/test?seconds=${TEST_SECONDS}`);
        vm.tests.set(p.name, r);
        ctx.flash(testText(r, false), r.ok ? 'ok' : 'err');
      } catch (err) {
        ctx.flash(`test ${p.name} failed: ${(err as Error).message ?? String(err)}`, 'err');
      }
    },
    assign: async () => {
      const p = selectedProfile();
      if (!p) return;
      const numbers = channelNumbers(await ctx.prompt(`Assign "${p.name}" to channels (e.g. 5 7.1)`, ''));
      if (!numbers.length) { ctx.flash('assign: cancelled', 'info'); return; }
      await ctx.act(`assign ${p.name}`, async () => {
        const done: string[] = [];
        try {
          for (const n of numbers) done.push((await ctx.client.request<Channel>('PATCH', `/api/channels/${enc(n)}`, { stream: { profile: p.name } })).number);
        } finally { if (done.length) poller.kick(); }
        return `channel${done.length > 1 ? 's' : ''} ${done.join(', ')} now use${done.length > 1 ? '' : 's'} ${p.name}`;
      });
    },
  };
}

function bindings(a: ReturnType<typeof actions>): Binding[] {
  return [
    { keys: ['p'], desc: 'probe every encoder kind again (new driver or device)', hint: 'probe', run: a.probe },
    { keys: ['t'], desc: `test encode: ${TEST_SECONDS} s of test picture with the profile`, hint: 'test', panes: [1], run: a.test },
    { keys: ['a'], desc: 'add a profile', hint: 'add', mutates: true, run: a.add },
    { keys: ['e'], desc: 'edit the selected profile (built-ins are read-only)', hint: 'edit', mutates: true, panes: [1], run: a.edit },
    { keys: ['enter'], desc: 'encoder: full reason; profile: edit (built-in: details)', run: a.enter },
    { keys: ['i'], desc: 'details of the selected encoder or profile', hint: 'details', run: a.details },
    { keys: ['c'], desc: 'copy the selected profile as a new user profile', hint: 'copy', mutates: true, panes: [1], run: a.copy },
    { keys: ['s'], desc: 'assign the selected profile to channels', hint: 'assign', mutates: true, panes: [1], run: a.assign },
    { keys: ['D', 'd'], desc: 'delete the selected user profile (asks first)', hint: 'delete', mutates: true, panes: [1], run: a.remove },
  ];
}

export const profilesView: ViewDef = {
  id: 'profiles',
  title: 'Profiles',
  create(ctx: AppContext): View {
    const vm = new ProfilesModel();
    const root = blessed.box({ parent: ctx.body, top: 0, left: 0, width: '100%', height: '100%' });
    const { encoders, profiles } = tables(ctx, root, vm);
    const detail = blessed.box({ parent: root, top: ENCODERS_HEIGHT, left: 0, width: '100%', height: DETAIL_LINES, tags: true, wrap: false });
    const pane = (table: Table<KindReport> | Table<ProfileView>, which: ProfilesModel['focus']): Pane => ({
      get label() { return table.label; },
      element: table.element,
      handleKey: (id) => table.handleKey(id),
      filter: table.filter,
      setFocused(f) { table.setFocused(f); if (f) vm.focus = which; },
    });

    async function load(): Promise<void> {
      try {
        const [hw, list] = await Promise.all([
          ctx.model.call(() => ctx.client.request<HwReport>('GET', '/api/hw')),
          ctx.model.call(() => ctx.client.request<ProfileView[]>('GET', '/api/profiles')),
        ]);
        encoders.label = vm.setReport(hw);
        encoders.setRows(hw.kinds);
        profiles.setRows(list);
        profiles.empty = 'no profiles';
        vm.loadError = '';
      } catch (err) {
        vm.loadError = (err as Error).message ?? String(err);
        if (!vm.report) encoders.empty = `✖ ${vm.loadError}`;
        profiles.empty = `✖ ${vm.loadError}`;
      }
      ctx.invalidate();
    }
    const poller = new Poller(load, POLL_MS);

    let lastDetail = '';
    function renderDetail(): void {
      const lines = vm.detail(Math.max(10, (detail.width as number) - 2), encoders.selected(), profiles.selected());
      // Colour only the state words; the symbol carries the state without colour too.
      const styled = lines.map((l) => ` ${esc(l).replace(/(● verified|● usable here|✖ failed|✖ not usable|✔ ok|– unavailable|▲ unhealthy)/, (m) => colourState(ctx, m))}`).join('\n');
      if (styled !== lastDetail) { lastDetail = styled; detail.setContent(styled); }
    }

    return {
      id: 'profiles', title: 'Profiles', root, panes: [pane(encoders, 'encoders'), pane(profiles, 'profiles')],
      bindings: bindings(actions({ ctx, vm, encoders, profiles, poller })),
      show() { poller.start(); },
      hide() { poller.stop(); },
      refresh() { poller.kick(); },
      render() {
        encoders.render();
        renderDetail();
        profiles.render();
      },
      onEvent(e) {
        if (e.event === 'encoder.health') poller.kick();
      },
      destroy() { poller.stop(); },
    };
  },
};
