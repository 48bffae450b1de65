// The app shell: header, view tabs, body, flash line and key hints; one key dispatcher over the
// keymap; a modal stack; coalesced rendering. It owns no terminal: the screen is injected (a real
// TTY in `exstreamtv`, PassThrough streams in tests), and quitting resolves `done`. What it shows
// and decides is in shell.ts (pure, tested without a screen); this file is the blessed layer.
import blessed, { type Widgets } from 'blessed';
import { ApiError, type ApiClient, type StreamedEvent } from '../client/api-client.js';
import { VERSION } from '../server/version.js';
import type { EventFeed } from './feed.js';
import { installFastWidths } from './unicode-fast.js';
import { footerHints, helpLines, keyId, type Binding, type BindingGroup, type KeyEvent } from './keymap.js';
import { Model } from './model.js';
import { FlashLine, headerText, Navigation, paletteEntries, quitQuestion, refusal, routeKey, tabsLayout, type Move, type Tab } from './shell.js';
import { systemInformation, type SysSource } from './sysstats.js';
import { esc, fit, truncate } from './text.js';
import { pickTheme, type Theme } from './theme.js';
import type { AppContext, AttachInfo, FormSpec, View, ViewDef } from './view.js';
import { VIEWS } from './views/registry.js';
import { importBinding } from './views/import.js';
import { FormModal } from './widgets/form.js';
import { ConfirmModal, FilterModal, Modal, PaletteModal, PromptModal, TextModal, type ModalHost } from './widgets/modals.js';

export const MIN_WIDTH = 80;
export const MIN_HEIGHT = 24;
/** Data-driven renders are coalesced to at most one a second (the polls and bitrate events are 1 Hz); key presses render at once. */
const RENDER_GAP_MS = 1000;
/** While the user is typing (a key in the last few seconds) the answers to their actions — a saved form, a preview, a flash — show within this. */
const INTERACTIVE_GAP_MS = 40;
const INTERACTIVE_FOR_MS = 3000;

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
  const shell = new Shell(o);
  return {
    ctx: shell.ctx, model: shell.model, views: shell.views, done: shell.done,
    active: () => shell.activeView(),
    show: (id, arg) => shell.show(id, arg),
    render: () => shell.renderNow(),
    quit: (code) => shell.quit(code),
    destroy: () => shell.destroy(),
    modal: () => shell.top(),
    flashText: () => shell.flash.current?.text ?? '',
  };
}

interface Bars { header: Widgets.BoxElement; tabs: Widgets.BoxElement; body: Widgets.BoxElement; flash: Widgets.BoxElement; footer: Widgets.BoxElement; small: Widgets.BoxElement }

/** The layout: created once. */
function bars(screen: Widgets.Screen, theme: Theme): Bars {
  return {
    header: blessed.box({ parent: screen, top: 0, left: 0, width: '100%', height: 1, tags: true, style: { ...theme.bar } }),
    tabs: blessed.box({ parent: screen, top: 1, left: 0, width: '100%', height: 1, tags: true }),
    body: blessed.box({ parent: screen, top: 2, left: 0, width: '100%', bottom: 2 }),
    flash: blessed.box({ parent: screen, bottom: 1, left: 0, width: '100%', height: 1, tags: true }),
    footer: blessed.box({ parent: screen, bottom: 0, left: 0, width: '100%', height: 1, tags: true, style: { ...theme.bar } }),
    small: blessed.box({ parent: screen, top: 0, left: 0, width: '100%', height: '100%', tags: true, hidden: true }),
  };
}

class Shell {
  readonly screen: Widgets.Screen;
  readonly readonly: boolean;
  readonly theme: Theme;
  readonly model: Model;
  readonly flash = new FlashLine();
  readonly ctx: AppContext;
  readonly views: View[];
  readonly nav: Navigation;
  readonly done: Promise<number>;
  private resolveDone!: (code: number) => void;
  private readonly modals: Modal[] = [];
  private readonly host: ModalHost;
  private readonly ui: Bars;
  private readonly globalBindings: Binding[];
  private readonly cleanups: (() => void)[] = [];
  private renderTimer: NodeJS.Timeout | null = null;
  private lastRender = 0;
  private lastKeyAt = 0;
  private destroyed = false;
  private tooSmall = false;
  private tabRanges: Tab[] = [];
  private readonly last = { header: '', tabs: '', flash: '', footer: '' };

  constructor(private readonly o: AppOptions) {
    this.screen = o.screen;
    this.readonly = o.readonly ?? false;
    this.theme = o.theme ?? pickTheme(o.env ?? process.env, (o.screen as unknown as { tput: { colors: number } }).tput?.colors ?? 256);
    this.model = new Model(o.client);
    this.done = new Promise<number>((r) => { this.resolveDone = r; });
    this.ui = bars(this.screen, this.theme);
    this.host = {
      screen: this.screen, theme: this.theme,
      close: (m) => { const i = this.modals.indexOf(m); if (i >= 0) this.modals.splice(i, 1); this.invalidateNow(); },
      copy: (text) => this.ctx.copy(text),
      invalidate: () => this.invalidate(),
    };
    this.ctx = this.context();
    this.views = (o.views ?? VIEWS).map((d) => d.create(this.ctx));
    for (const v of this.views) v.root.hide();
    this.nav = new Navigation(this.views.map((v) => v.id), o.initialView);
    this.globalBindings = this.globals();
    this.wire();
    this.model.start();
    this.show(this.activeView().id);
    if (o.info.note) this.ctx.flash(o.info.note, 'info');
    this.renderNow();
  }

  activeView(): View { return this.views[this.nav.current]!; }
  top(): Modal | undefined { return this.modals[this.modals.length - 1]; }
  private open(m: Modal): void { this.modals.push(m); m.element.setFront(); this.invalidateNow(); }

  private context(): AppContext {
    const s = this;
    return {
      screen: s.screen, body: s.ui.body, client: s.o.client, model: s.model, theme: s.theme, readonly: s.readonly,
      mouse: s.o.mouse ?? true, info: s.o.info, sys: s.o.sys ?? systemInformation(),
      invalidate: () => s.invalidate(),
      flash(text, level = 'info') { s.flash.set(text, level); s.invalidate(); },
      confirm: (question) => new Promise((resolve) => s.open(new ConfirmModal(s.host, question, resolve))),
      prompt: (label, initial = '') => new Promise((resolve) => s.open(new PromptModal(s.host, label, initial, resolve))),
      form(spec: FormSpec) { s.open(new FormModal(s.host, spec, (result) => { s.ctx.flash(result, 'ok'); s.activeView().refresh(); })); },
      message(title, lines, copy) {
        const m = new TextModal(s.host, title, lines, copy);
        s.open(m);
        return { close: () => { m.close(); s.invalidate(); } };
      },
      act: (what, fn, working) => s.act(what, fn, working),
      go: (id, arg) => s.show(id, arg, 'drill'),
      focus(pane) {
        const i = s.activeView().panes.indexOf(pane);
        if (i >= 0) { s.setPaneFocus(s.activeView(), i); s.invalidate(); }
      },
      copy(text) {
        s.screen.program.write(`\x1b]52;c;${Buffer.from(text).toString('base64')}\x07`);
        s.ctx.flash(`copied: ${text} (OSC 52 clipboard)`, 'ok');
      },
    };
  }

  /** The working state ("back up…") shows until the result or the error replaces it. */
  private async act(what: string, fn: () => Promise<string | void>, working?: string): Promise<void> {
    this.ctx.flash(working ?? `${what}…`, 'info');
    const shown = this.flash.current;
    try {
      const r = await fn();
      if (r) this.ctx.flash(r, 'ok');
      else if (this.flash.clearIf(shown)) this.invalidate(); // it opened its own pop-up: nothing to add
    } catch (err) {
      const e = err as ApiError;
      const issues = e instanceof ApiError ? e.issues.filter((i) => !e.message.includes(i.message)).map((i) => `${i.path}: ${i.message}`) : [];
      this.ctx.flash(`${what} failed: ${[e.message ?? String(err), ...issues].join('; ')}`, 'err');
    }
  }

  // ── views, panes, moving ─────────────────────────────────────────────────────────────────────
  private focusedPaneIndex(v: View): number { return this.nav.focused(v.id, v.panes.length); }
  private setPaneFocus(v: View, i: number): void {
    this.nav.setFocus(v.id, i);
    v.panes.forEach((p, j) => p.setFocused(j === i));
  }
  private focusedPane() { return this.activeView().panes[this.focusedPaneIndex(this.activeView())]; }

  show(id: string, arg?: unknown, how: Move = 'lateral'): void {
    const before = this.activeView();
    const from = this.nav.go(id, how);
    if (from === null) return;
    if (from >= 0) { before.hide(); before.root.hide(); }
    const v = this.activeView();
    v.root.show();
    this.setPaneFocus(v, this.focusedPaneIndex(v));
    v.show(arg);
    this.invalidateNow();
  }

  private cyclePane(d: number): void {
    const v = this.activeView();
    if (v.panes.length <= 1) { this.show(this.nav.neighbour(d)); return; }
    this.setPaneFocus(v, (this.focusedPaneIndex(v) + d + v.panes.length) % v.panes.length);
  }

  private back(): void {
    const pane = this.focusedPane();
    if (pane?.filter && pane.filter.get()) {
      pane.filter.set('');
      this.ctx.flash('filter cleared', 'info');
      return;
    }
    const to = this.nav.backTarget();
    if (to !== null) { this.show(to, undefined, 'back'); return; }
    void this.ctx.confirm(quitQuestion(this.o.info.mode, this.model.sessions.length)).then((yes) => { if (yes) this.quit(0); });
  }

  // ── keys ─────────────────────────────────────────────────────────────────────────────────────
  private globals(): Binding[] {
    return [
      { keys: ['?'], desc: 'help: every key of this view', hint: 'help', run: () => this.openHelp() },
      { keys: [':'], desc: 'command palette: every action by name', hint: 'cmd', run: () => this.openPalette() },
      { keys: ['/'], desc: 'filter the focused pane (esc clears)', hint: 'filter', run: () => this.openFilter() },
      { keys: ['tab'], desc: 'next pane (next view when the view has one pane)', palette: false, run: () => this.cyclePane(1) },
      { keys: ['S-tab'], desc: 'previous pane (previous view when the view has one pane)', palette: false, run: () => this.cyclePane(-1) },
      ...this.views.map((v, i): Binding => ({ keys: [String(i + 1)], desc: `go to ${v.title}`, run: () => this.show(v.id) })),
      { keys: ['r'], desc: 'refresh this view', run: () => { this.activeView().refresh(); this.model.refreshStatus(); this.ctx.flash('refreshed', 'info'); } },
      { keys: ['q', 'escape'], desc: 'back (clear filter, previous view; quit at the root, asks first)', hint: 'back', run: () => this.back() },
      { keys: ['C-c'], desc: 'quit now', palette: false, run: () => this.quit(0) },
      { keys: ['C-l'], desc: 'redraw the screen', palette: false, run: () => { this.screen.realloc(); } },
      importBinding(this.ctx),
    ];
  }

  private groups(): BindingGroup[] {
    const v = this.activeView();
    return [{ title: v.title, bindings: v.bindings }, { title: 'Global', bindings: this.globalBindings }, { title: 'Moving', bindings: NAV_BINDINGS }];
  }

  private runBinding(b: Binding): void {
    if (!b.run) return;
    const refused = refusal(b, this.readonly);
    if (refused) { this.ctx.flash(refused, 'err'); return; }
    const r = b.run();
    if (r && typeof (r as Promise<void>).then === 'function') (r as Promise<void>).catch((err: Error) => this.ctx.flash(`${b.desc}: ${err.message}`, 'err')).finally(() => this.invalidate());
  }

  private openHelp(): void {
    const t = this.theme;
    const lines: string[] = [];
    for (const l of helpLines(this.groups(), this.readonly)) {
      if (l.section !== undefined) {
        if (lines.length) lines.push('');
        lines.push(t.head(esc(l.section)));
      } else lines.push(`${t.accent(esc(fit(l.key, 16)))} ${esc(l.desc)}`);
    }
    this.open(new TextModal(this.host, `Help — ${this.activeView().title}${this.readonly ? ' (read-only)' : ''}`, lines, undefined, ['escape', 'q', '?', 'enter']));
  }

  private openPalette(): void {
    const cmds = paletteEntries(this.activeView(), this.views, this.globalBindings, this.readonly).map((e) => ({
      label: e.label, keys: e.keys,
      run: () => { if (e.view) this.show(e.view, undefined, 'drill'); this.runBinding(e.binding); },
    }));
    this.open(new PaletteModal(this.host, cmds));
  }

  private openFilter(): void {
    const pane = this.focusedPane();
    if (!pane?.filter) { this.ctx.flash('this pane has no filter', 'info'); return; }
    const f = pane.filter;
    this.open(new FilterModal(this.host, f.get(), (text) => { f.set(text); this.invalidateNow(); }));
  }

  private onKey(ch: string | undefined, key: KeyEvent): void {
    if (this.destroyed) return;
    this.lastKeyAt = Date.now();
    const id = keyId(ch, key);
    if (!id) return;
    if (id === 'C-c') { this.quit(0); return; }
    if (this.tooSmall) { if (id === 'q' || id === 'escape') this.quit(0); return; }
    const top = this.top();
    if (top) { top.handleKey(ch, key, id); this.renderNow(); return; }
    const v = this.activeView();
    const route = routeKey(id, {
      global: this.globalBindings, view: v.bindings, focus: this.focusedPaneIndex(v), paneLabels: v.panes.map((p) => p.label),
      readonly: this.readonly, paneTakes: (k) => !!this.focusedPane()?.handleKey?.(k),
    });
    if (route.to === 'global' || route.to === 'view') this.runBinding(route.binding);
    else if (route.to === 'elsewhere') this.ctx.flash(route.message, 'info');
    if (!this.destroyed) this.renderNow();
  }

  // ── rendering ────────────────────────────────────────────────────────────────────────────────
  private footerText(w: number): string {
    const top = this.top();
    const v = this.activeView();
    const hints = top ? top.hints() : footerHints(v.bindings, this.readonly, Math.max(0, w - 2), this.focusedPaneIndex(v), this.globalBindings);
    return ' ' + hints.map((h) => `${this.theme.bold(esc(h.key))} ${esc(h.label)}`).join('  ');
  }

  private header(w: number): string {
    const m = this.model;
    return headerText({
      version: m.status?.version ?? VERSION, host: this.o.info.host, apiUrl: this.o.info.apiUrl, mode: this.o.info.mode, readonly: this.readonly,
      uptimeS: m.uptimeS(), api: m.api, feed: m.feed, tuners: m.discover ? { inUse: m.tunersInUse(), count: m.discover.TunerCount } : null,
    }, w);
  }

  private tabsText(w: number): string {
    this.tabRanges = tabsLayout(this.views, this.nav.current, w);
    return this.tabRanges.map((tab) => `${tab.active ? this.theme.tabActive(esc(tab.label)) : this.theme.tabIdle(esc(tab.label))} `).join('');
  }

  private flashMarkup(w: number): string {
    const f = this.flash.text();
    if (!f) return '';
    const level = this.flash.current?.level;
    const colour = level === 'err' ? this.theme.err : level === 'ok' ? this.theme.ok : (s: string) => s;
    return colour(esc(truncate(` ${f}`, w)));
  }

  private set(el: Widgets.BoxElement, which: keyof Shell['last'], text: string): void {
    if (text !== this.last[which]) el.setContent(text);
    this.last[which] = text;
  }

  renderNow(): void {
    if (this.renderTimer) { clearTimeout(this.renderTimer); this.renderTimer = null; }
    if (this.destroyed) return;
    this.lastRender = Date.now();
    const w = this.screen.width as number, h = this.screen.height as number;
    this.tooSmall = w < MIN_WIDTH || h < MIN_HEIGHT;
    if (this.tooSmall) {
      this.ui.small.setContent(`\n ${this.theme.err('✖')} EXStreamTV needs ${MIN_WIDTH}×${MIN_HEIGHT}, have ${w}×${h}.\n\n Enlarge the terminal (or lower the font size). q quits.`);
      this.ui.small.show();
      this.ui.small.setFront();
      this.screen.render();
      return;
    }
    this.ui.small.hide();
    this.set(this.ui.header, 'header', esc(truncate(this.header(w), w)));
    this.set(this.ui.tabs, 'tabs', this.tabsText(w));
    this.set(this.ui.flash, 'flash', this.flashMarkup(w));
    this.set(this.ui.footer, 'footer', this.footerText(w));
    this.activeView().render();
    for (const m of this.modals) m.render();
    this.screen.render();
  }

  invalidate(): void {
    if (this.renderTimer || this.destroyed) return;
    const gap = Date.now() - this.lastKeyAt < INTERACTIVE_FOR_MS ? INTERACTIVE_GAP_MS : RENDER_GAP_MS;
    this.renderTimer = setTimeout(() => this.renderNow(), Math.max(0, this.lastRender + gap - Date.now()));
  }

  invalidateNow(): void {
    if (this.destroyed) return;
    if (this.renderTimer) clearTimeout(this.renderTimer);
    this.renderTimer = setTimeout(() => this.renderNow(), 0);
  }

  /** Keys, clicks, resizes, the model and the event feed; each undone by destroy(). */
  private wire(): void {
    const onKey = (ch: string | undefined, key: KeyEvent) => this.onKey(ch, key);
    this.screen.on('keypress', onKey);
    this.cleanups.push(() => this.screen.removeListener('keypress', onKey));
    if (this.o.mouse ?? true) {
      this.ui.tabs.on('click', (data: Widgets.Events.IMouseEventArg) => {
        const hit = this.tabRanges.find((r) => data.x >= r.from && data.x < r.to);
        if (hit && this.modals.length === 0 && !this.tooSmall) { this.show(hit.id); this.renderNow(); }
      });
      // Widgets change their state on clicks and wheel turns; the app renders right after.
      for (const e of ['element click', 'element wheelup', 'element wheeldown']) this.screen.on(e, () => this.invalidateNow());
    }
    this.screen.on('resize', () => this.invalidateNow());
    this.cleanups.push(this.model.onChange(() => this.invalidate()));
    this.cleanups.push(this.o.feed((e: StreamedEvent) => {
      this.model.onEvent(e);
      for (const v of this.views) v.onEvent?.(e);
      this.invalidate();
    }, (state) => { this.model.setFeed(state); this.invalidate(); }));
    // The header's uptime and the flash line's expiry move on their own.
    const tick = setInterval(() => this.invalidate(), 1000);
    tick.unref?.();
    this.cleanups.push(() => clearInterval(tick));
  }

  quit(code = 0): void {
    if (this.destroyed) return;
    this.destroy();
    this.resolveDone(code);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.renderTimer) clearTimeout(this.renderTimer);
    for (const c of this.cleanups) c();
    this.model.stop();
    for (const v of this.views) { try { v.hide(); v.destroy?.(); } catch { /* closing anyway */ } }
  }
}

const NAV_BINDINGS: Binding[] = [
  { keys: ['j', 'down'], desc: 'down' }, { keys: ['k', 'up'], desc: 'up' },
  { keys: ['g', 'home'], desc: 'first row' }, { keys: ['G', 'end'], desc: 'last row (logs: follow again)' },
  { keys: ['pagedown', 'pageup'], desc: 'page down / up' },
];
