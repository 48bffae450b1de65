// The app shell: header, view tabs, body, flash line and key hints; one key dispatcher over the
// keymap; a modal stack; coalesced rendering. It owns no terminal: the screen is injected (a real
// TTY in `exstreamtv`, PassThrough streams in tests), and quitting resolves `done`.
import blessed, { type Widgets } from 'blessed';
import { ApiError, type ApiClient, type StreamedEvent } from '../client/api-client.js';
import { VERSION } from '../server/version.js';
import type { EventFeed } from './feed.js';
import { installFastWidths } from './unicode-fast.js';
import { footerHints, helpLines, keyId, keyLabel, keysLabel, type Binding, type BindingGroup, type KeyEvent } from './keymap.js';
import { Model } from './model.js';
import { systemInformation, type SysSource } from './sysstats.js';
import { esc, fit, duration, truncate, width } from './text.js';
import { pickTheme, type Theme } from './theme.js';
import type { AppContext, AttachInfo, FormSpec, View, ViewDef } from './view.js';
import { VIEWS } from './views/registry.js';
import { FormModal } from './widgets/form.js';
import { ConfirmModal, FilterModal, Modal, PaletteModal, PromptModal, TextModal, type Command, type ModalHost } from './widgets/modals.js';
import { importBinding } from './views/import.js';

export const MIN_WIDTH = 80;
export const MIN_HEIGHT = 24;
/** Data-driven renders are coalesced to at most one a second (the polls and bitrate events are 1 Hz); key presses render at once. */
const RENDER_GAP_MS = 1000;
/** While the user is typing (a key in the last few seconds) the answers to their actions — a saved form, a preview, a flash — show within this. */
const INTERACTIVE_GAP_MS = 40;
const INTERACTIVE_FOR_MS = 3000;
const FLASH_MS = 8000;

export interface AppOptions {
  screen: Widgets.Screen;
  client: ApiClient;
  feed: EventFeed;
  info: AttachInfo;
  readonly?: boolean;
  mouse?: boolean;
  sys?: SysSource;
  theme?: Theme;
  env?: NodeJS.ProcessEnv;
  views?: ViewDef[];
  /** View shown first (default the first registered: the dashboard). */
  initialView?: string;
}

export interface App {
  readonly ctx: AppContext;
  readonly model: Model;
  readonly views: View[];
  /** Resolves with the exit code when the user quits. */
  readonly done: Promise<number>;
  active(): View;
  show(id: string, arg?: unknown): void;
  /** Renders now (tests call it; the app renders on its own). */
  render(): void;
  quit(code?: number): void;
  destroy(): void;
  /** The modal on top, if any. */
  modal(): Modal | undefined;
  flashText(): string;
}

export function createApp(o: AppOptions): App {
  installFastWidths();
  const screen = o.screen;
  const readonly = o.readonly ?? false;
  const mouse = o.mouse ?? true;
  const theme = o.theme ?? pickTheme(o.env ?? process.env, (screen as unknown as { tput: { colors: number } }).tput?.colors ?? 256);
  const model = new Model(o.client);
  const defs = o.views ?? VIEWS;
  const modals: Modal[] = [];
  let flash: { text: string; level: 'ok' | 'err' | 'info'; at: number } | null = null;
  let renderTimer: NodeJS.Timeout | null = null;
  let lastRender = 0;
  let destroyed = false;
  let tooSmall = false;
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((r) => { resolveDone = r; });
  const history: string[] = [];
  const focusByView = new Map<string, number>();

  // ── layout: created once ─────────────────────────────────────────────────────────────────────
  const header = blessed.box({ parent: screen, top: 0, left: 0, width: '100%', height: 1, tags: true, style: { ...theme.bar } });
  const tabs = blessed.box({ parent: screen, top: 1, left: 0, width: '100%', height: 1, tags: true });
  const body = blessed.box({ parent: screen, top: 2, left: 0, width: '100%', bottom: 2 });
  const flashLine = blessed.box({ parent: screen, bottom: 1, left: 0, width: '100%', height: 1, tags: true });
  const footer = blessed.box({ parent: screen, bottom: 0, left: 0, width: '100%', height: 1, tags: true, style: { ...theme.bar } });
  const small = blessed.box({ parent: screen, top: 0, left: 0, width: '100%', height: '100%', tags: true, hidden: true });

  const host: ModalHost = {
    screen, theme,
    close: (m) => { const i = modals.indexOf(m); if (i >= 0) modals.splice(i, 1); invalidateNow(); },
    copy: (text) => ctx.copy(text),
    invalidate: () => invalidate(),
  };
  const open = (m: Modal) => { modals.push(m); m.element.setFront(); invalidateNow(); };

  const ctx: AppContext = {
    screen, body, client: o.client, model, theme, readonly, mouse, info: o.info, sys: o.sys ?? systemInformation(),
    invalidate: () => invalidate(),
    flash(text, level = 'info') {
      flash = { text, level, at: Date.now() };
      invalidate();
    },
    confirm: (question) => new Promise((resolve) => open(new ConfirmModal(host, question, resolve))),
    prompt: (label, initial = '') => new Promise((resolve) => open(new PromptModal(host, label, initial, resolve))),
    form(spec: FormSpec) {
      open(new FormModal(host, spec, (result) => { ctx.flash(result, 'ok'); activeView().refresh(); }));
    },
    message(title, lines, copy) { open(new TextModal(host, title, lines, copy)); },
    async act(what, fn, working) {
      // The working state shows until the result replaces it ("back up…", "delete channel 5…").
      ctx.flash(working ?? `${what}…`, 'info');
      const shown = flash;
      try {
        const r = await fn();
        if (r) ctx.flash(r, 'ok');
        else if (flash === shown) { flash = null; invalidate(); } // it opened its own pop-up: nothing to add
      } catch (err) {
        const e = err as ApiError;
        const issues = e instanceof ApiError ? e.issues.filter((i) => !e.message.includes(i.message)).map((i) => `${i.path}: ${i.message}`) : [];
        ctx.flash(`${what} failed: ${[e.message ?? String(err), ...issues].join('; ')}`, 'err');
      }
    },
    go: (id, arg) => show(id, arg, 'drill'),
    focus(pane) {
      const i = activeView().panes.indexOf(pane);
      if (i >= 0) { setPaneFocus(activeView(), i); invalidate(); }
    },
    copy(text) {
      screen.program.write(`\x1b]52;c;${Buffer.from(text).toString('base64')}\x07`);
      ctx.flash(`copied: ${text} (OSC 52 clipboard)`, 'ok');
    },
  };

  const views = defs.map((d) => d.create(ctx));
  for (const v of views) v.root.hide();
  let current = views.findIndex((v) => v.id === o.initialView);
  if (current < 0) current = 0;
  const activeView = () => views[current]!;

  function focusedPaneIndex(v: View): number {
    return Math.min(focusByView.get(v.id) ?? 0, Math.max(0, v.panes.length - 1));
  }
  function setPaneFocus(v: View, i: number): void {
    focusByView.set(v.id, i);
    v.panes.forEach((p, j) => p.setFocused(j === i));
  }
  const focusedPane = () => activeView().panes[focusedPaneIndex(activeView())];

  /** drill: a drill-down (enter on a session → its channel) that `q` returns from. Lateral moves (1..N, tab) clear the trail. */
  function show(id: string, arg?: unknown, how: 'lateral' | 'drill' | 'back' = 'lateral'): void {
    const i = views.findIndex((v) => v.id === id);
    if (i < 0) return;
    if (i !== current) {
      if (how === 'drill') {
        history.push(activeView().id);
        if (history.length > 30) history.shift();
      } else if (how === 'lateral') history.length = 0;
      activeView().hide();
      activeView().root.hide();
      current = i;
    }
    const v = activeView();
    v.root.show();
    setPaneFocus(v, focusedPaneIndex(v));
    v.show(arg);
    invalidateNow();
  }

  // ── key bindings ─────────────────────────────────────────────────────────────────────────────
  const globalBindings: Binding[] = [
    { keys: ['?'], desc: 'help: every key of this view', hint: 'help', run: () => openHelp() },
    { keys: [':'], desc: 'command palette: every action by name', hint: 'cmd', run: () => openPalette() },
    { keys: ['/'], desc: 'filter the focused pane (esc clears)', hint: 'filter', run: () => openFilter() },
    { keys: ['tab'], desc: 'next pane (next view when the view has one pane)', palette: false, run: () => cyclePane(1) },
    { keys: ['S-tab'], desc: 'previous pane (previous view when the view has one pane)', palette: false, run: () => cyclePane(-1) },
    ...views.map((v, i): Binding => ({ keys: [String(i + 1)], desc: `go to ${v.title}`, run: () => show(v.id) })),
    { keys: ['r'], desc: 'refresh this view', run: () => { activeView().refresh(); model.refreshStatus(); ctx.flash('refreshed', 'info'); } },
    { keys: ['q', 'escape'], desc: 'back (clear filter, previous view; quit at the root, asks first)', hint: 'back', run: () => back() },
    { keys: ['C-c'], desc: 'quit now', palette: false, run: () => quit(0) },
    { keys: ['C-l'], desc: 'redraw the screen', palette: false, run: () => { screen.realloc(); } },
    importBinding(ctx),
  ];
  const navBindings: Binding[] = [
    { keys: ['j', 'down'], desc: 'down' }, { keys: ['k', 'up'], desc: 'up' },
    { keys: ['g', 'home'], desc: 'first row' }, { keys: ['G', 'end'], desc: 'last row (logs: follow again)' },
    { keys: ['pagedown', 'pageup'], desc: 'page down / up' },
  ];

  function groups(): BindingGroup[] {
    const v = activeView();
    return [{ title: v.title, bindings: v.bindings }, { title: 'Global', bindings: globalBindings }, { title: 'Moving', bindings: navBindings }];
  }

  function guard(b: Binding): boolean {
    if (readonly && b.mutates) {
      ctx.flash(`read-only: "${b.desc}" is disabled (started with --readonly)`, 'err');
      return false;
    }
    return true;
  }

  function runBinding(b: Binding): void {
    if (!b.run || !guard(b)) return;
    const r = b.run();
    if (r && typeof (r as Promise<void>).then === 'function') (r as Promise<void>).catch((err: Error) => ctx.flash(`${b.desc}: ${err.message}`, 'err')).finally(() => invalidate());
  }

  function openHelp(): void {
    const t = theme;
    const lines: string[] = [];
    for (const l of helpLines(groups(), readonly)) {
      if (l.section !== undefined) {
        if (lines.length) lines.push('');
        lines.push(t.head(esc(l.section)));
      } else lines.push(`${t.accent(esc(fit(l.key, 16)))} ${esc(l.desc)}`);
    }
    open(new TextModal(host, `Help — ${activeView().title}${readonly ? ' (read-only)' : ''}`, lines, undefined, ['escape', 'q', '?', 'enter']));
  }

  /** `:` — the actions of this view, the global ones, then every other view's (they open that view first). */
  function openPalette(): void {
    const cmds: Command[] = [];
    const add = (title: string | null, b: Binding, run: () => void) => {
      if (!b.run || b.palette === false || (readonly && b.mutates)) return;
      cmds.push({ label: `${title ? `${title}: ` : ''}${b.desc}`, keys: keysLabel(b.keys), run });
    };
    const here = activeView();
    for (const b of here.bindings) add(here.title, b, () => runBinding(b));
    for (const b of globalBindings) add(null, b, () => runBinding(b));
    for (const v of views) {
      if (v === here) continue;
      for (const b of v.bindings) add(v.title, b, () => { show(v.id, undefined, 'drill'); runBinding(b); });
    }
    open(new PaletteModal(host, cmds));
  }

  function openFilter(): void {
    const pane = focusedPane();
    if (!pane?.filter) { ctx.flash('this pane has no filter', 'info'); return; }
    const f = pane.filter;
    open(new FilterModal(host, f.get(), (text) => { f.set(text); invalidateNow(); }));
  }

  function cyclePane(d: number): void {
    const v = activeView();
    if (v.panes.length <= 1) {
      show(views[(current + d + views.length) % views.length]!.id);
      return;
    }
    setPaneFocus(v, (focusedPaneIndex(v) + d + v.panes.length) % v.panes.length);
  }

  function back(): void {
    const pane = focusedPane();
    if (pane?.filter && pane.filter.get()) {
      pane.filter.set('');
      ctx.flash('filter cleared', 'info');
      return;
    }
    const prev = history.pop();
    if (prev !== undefined && prev !== activeView().id) { show(prev, undefined, 'back'); return; }
    if (current !== 0) { show(views[0]!.id, undefined, 'back'); return; }
    const live = model.sessions.length;
    const what = o.info.mode === 'in-process'
      ? `Quit? This TUI is serving the API itself: ${live ? `${live} live session${live > 1 ? 's' : ''} will stop` : 'the server stops'}.`
      : 'Quit EXStreamTV? (the daemon keeps running)';
    void ctx.confirm(what).then((yes) => { if (yes) quit(0); });
  }

  let lastKeyAt = 0;
  function onKey(ch: string | undefined, key: KeyEvent): void {
    if (destroyed) return;
    lastKeyAt = Date.now();
    const id = keyId(ch, key);
    if (!id) return;
    if (id === 'C-c') { quit(0); return; }
    if (tooSmall) {
      if (id === 'q' || id === 'escape') quit(0);
      return;
    }
    const top = modals[modals.length - 1];
    if (top) {
      top.handleKey(ch, key, id);
      renderNow();
      return;
    }
    const g = globalBindings.find((b) => b.keys.includes(id));
    if (g) runBinding(g);
    else if (focusedPane()?.handleKey?.(id)) { /* moved */ }
    else {
      const v = activeView();
      const b = v.bindings.find((x) => x.keys.includes(id));
      const focus = focusedPaneIndex(v);
      if (b?.panes && !b.panes.includes(focus) && !(readonly && b.mutates)) {
        // A key about another pane's selection: say where it works rather than act on a row the user cannot see is meant.
        const where = b.panes.map((i) => v.panes[i]?.label ?? `pane ${i + 1}`).join(' or ');
        ctx.flash(`${keyLabel(id)} (${b.desc}) works in the ${where} pane: tab there first`, 'info');
      } else if (b) runBinding(b);
    }
    if (!destroyed) renderNow();
  }
  screen.on('keypress', onKey);

  // ── rendering ────────────────────────────────────────────────────────────────────────────────
  /** Host, uptime, API URL and read-only state always; version and tuners when there is room. */
  function headerText(w: number): string {
    const s = model.status;
    const up = model.uptimeS();
    const feed = model.api === 'down' ? '✖ API down' : model.feed === 'live' ? '● live' : model.feed === 'down' ? '✖ events lost, retrying' : '… connecting';
    const tuners = model.discover ? `tuners ${model.tunersInUse()}/${model.discover.TunerCount}` : '';
    const ro = readonly ? 'READ-ONLY' : 'read-write';
    const full = [`EXStreamTV ${s?.version ?? VERSION}`, `host ${o.info.host}`, up !== null ? `up ${duration(up)}` : 'up …',
      `${o.info.apiUrl} (${o.info.mode})`, feed, tuners, ro].filter(Boolean).join(' │ ');
    if (width(full) + 1 <= w) return ` ${full}`;
    const url = o.info.apiUrl.replace(/^https?:\/\//, '');
    const compact = ['EXStreamTV', truncate(o.info.host, 16), up !== null ? `up ${duration(up)}` : 'up …', `${url} ${o.info.mode}`, feed, ro];
    const withTuners = [...compact.slice(0, 5), tuners, ro].filter(Boolean).join(' │ ');
    return ` ${width(withTuners) + 1 <= w ? withTuners : compact.join(' │ ')}`;
  }

  /** Cell ranges of the tab labels, for mouse clicks. */
  let tabRanges: { from: number; to: number; id: string }[] = [];
  if (mouse) {
    tabs.on('click', (data: Widgets.Events.IMouseEventArg) => {
      const hit = tabRanges.find((r) => data.x >= r.from && data.x < r.to);
      if (hit && modals.length === 0 && !tooSmall) { show(hit.id); renderNow(); }
    });
  }

  function tabsText(w: number): string {
    const t = theme;
    let out = '';
    let used = 0;
    tabRanges = [];
    views.forEach((v, i) => {
      const label = i === current ? `[${i + 1} ${v.title}]` : ` ${i + 1} ${v.title} `;
      if (used + width(label) + 1 > w) return;
      tabRanges.push({ from: used, to: used + width(label), id: v.id });
      used += width(label) + 1;
      out += (i === current ? t.tabActive(esc(label)) : t.tabIdle(esc(label))) + ' ';
    });
    return out;
  }

  function flashText(): string {
    if (!flash) return '';
    if (Date.now() - flash.at > FLASH_MS && flash.level !== 'err') { flash = null; return ''; }
    if (Date.now() - flash.at > FLASH_MS * 2) { flash = null; return ''; }
    const sym = flash.level === 'ok' ? '✔' : flash.level === 'err' ? '✖' : '•';
    return `${sym} ${flash.text}`;
  }

  function footerText(w: number): string {
    const t = theme;
    const top = modals[modals.length - 1];
    const hints = top ? top.hints() : [
      ...footerHints(activeView().bindings, readonly, Math.max(0, w - 2), focusedPaneIndex(activeView()), globalBindings),
    ];
    return ' ' + hints.map((h) => `${t.bold(esc(h.key))} ${esc(h.label)}`).join('  ');
  }

  let lastHeader = '', lastTabs = '', lastFlash = '', lastFooter = '';
  const set = (el: Widgets.BoxElement, text: string, last: string): string => {
    if (text !== last) el.setContent(text);
    return text;
  };

  function renderNow(): void {
    if (renderTimer) { clearTimeout(renderTimer); renderTimer = null; }
    if (destroyed) return;
    lastRender = Date.now();
    const w = screen.width as number, h = screen.height as number;
    tooSmall = w < MIN_WIDTH || h < MIN_HEIGHT;
    if (tooSmall) {
      small.setContent(`\n ${theme.err('✖')} EXStreamTV needs ${MIN_WIDTH}×${MIN_HEIGHT}, have ${w}×${h}.\n\n Enlarge the terminal (or lower the font size). q quits.`);
      small.show();
      small.setFront();
      screen.render();
      return;
    }
    small.hide();
    lastHeader = set(header, esc(truncate(headerText(w), w)), lastHeader);
    lastTabs = set(tabs, tabsText(w), lastTabs);
    const f = flashText();
    const fl = f ? (flash?.level === 'err' ? theme.err : flash?.level === 'ok' ? theme.ok : (s: string) => s)(esc(truncate(` ${f}`, w))) : '';
    lastFlash = set(flashLine, fl, lastFlash);
    lastFooter = set(footer, footerText(w), lastFooter);
    activeView().render();
    for (const m of modals) m.render();
    screen.render();
  }

  function invalidate(): void {
    if (renderTimer || destroyed) return;
    const gap = Date.now() - lastKeyAt < INTERACTIVE_FOR_MS ? INTERACTIVE_GAP_MS : RENDER_GAP_MS;
    renderTimer = setTimeout(renderNow, Math.max(0, lastRender + gap - Date.now()));
  }
  function invalidateNow(): void {
    if (destroyed) return;
    if (renderTimer) clearTimeout(renderTimer);
    renderTimer = setTimeout(renderNow, 0);
  }

  screen.on('resize', () => invalidateNow());
  // Widgets change their state on clicks and wheel turns; the app renders right after.
  if (mouse) for (const e of ['element click', 'element wheelup', 'element wheeldown']) screen.on(e, () => invalidateNow());
  const offModel = model.onChange(() => invalidate());
  const stopFeed = o.feed((e: StreamedEvent) => {
    model.onEvent(e);
    for (const v of views) v.onEvent?.(e);
    invalidate();
  }, (state) => { model.setFeed(state); invalidate(); });
  // The header's uptime and the flash line's expiry move on their own.
  const tick = setInterval(() => invalidate(), 1000);
  tick.unref?.();

  function quit(code = 0): void {
    if (destroyed) return;
    destroy();
    resolveDone(code);
  }

  function destroy(): void {
    if (destroyed) return;
    destroyed = true;
    if (renderTimer) clearTimeout(renderTimer);
    clearInterval(tick);
    screen.removeListener('keypress', onKey);
    stopFeed();
    offModel();
    model.stop();
    for (const v of views) { try { v.hide(); v.destroy?.(); } catch { /* closing anyway */ } }
  }

  model.start();
  show(activeView().id);
  if (o.info.note) ctx.flash(o.info.note, 'info');
  renderNow();

  return {
    ctx, model, views, done,
    active: activeView,
    show: (id, arg) => show(id, arg),
    render: renderNow,
    quit,
    destroy,
    modal: () => modals[modals.length - 1],
    flashText: () => flash?.text ?? '',
  };
}
