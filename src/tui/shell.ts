// The app shell's state and what it draws, without a screen: the flash line and its expiry, which
// view is shown with its drill-down trail and focused pane, where a key goes, what `q` does, the
// header and the tab bar for a width, and the `:` palette's commands. app.ts is the blessed layer.
import { keyLabel, keysLabel, type Binding } from './keymap.js';
import { duration, truncate, width } from './text.js';

export const FLASH_MS = 8000;

export type FlashLevel = 'ok' | 'err' | 'info';
export interface Flash { text: string; level: FlashLevel; at: number }

/** The flash line: one message; info and ok fade after FLASH_MS, errors stay twice as long. */
export class FlashLine {
  private cur: Flash | null = null;

  set(text: string, level: FlashLevel = 'info', now = Date.now()): Flash {
    this.cur = { text, level, at: now };
    return this.cur;
  }

  get current(): Flash | null { return this.cur; }

  /** Clears the message if it is still `shown` (a working state nothing replaced). */
  clearIf(shown: Flash | null): boolean {
    if (!shown || this.cur !== shown) return false;
    this.cur = null;
    return true;
  }

  /** "✔ text" / "✖ text" / "• text", or '' once expired. */
  text(now = Date.now()): string {
    const f = this.cur;
    if (!f) return '';
    if ((now - f.at > FLASH_MS && f.level !== 'err') || now - f.at > FLASH_MS * 2) { this.cur = null; return ''; }
    return `${f.level === 'ok' ? '✔' : f.level === 'err' ? '✖' : '•'} ${f.text}`;
  }
}

export type Move = 'lateral' | 'drill' | 'back';
const TRAIL_MAX = 30;

/**
 * Which view is shown and how the user got there: a drill-down (enter on a session → its channel)
 * is remembered so `q` returns; lateral moves (1..N, tab) clear the trail. The focused pane per view.
 */
export class Navigation {
  current: number;
  private readonly trail: string[] = [];
  private readonly focus = new Map<string, number>();

  constructor(readonly ids: readonly string[], initial?: string) {
    const i = initial === undefined ? -1 : ids.indexOf(initial);
    this.current = i < 0 ? 0 : i;
  }

  get id(): string { return this.ids[this.current]!; }

  /** Moves to view `id`; null when there is no such view, else the index left (-1: stayed). */
  go(id: string, how: Move): number | null {
    const i = this.ids.indexOf(id);
    if (i < 0) return null;
    if (i === this.current) return -1;
    if (how === 'drill') {
      this.trail.push(this.id);
      if (this.trail.length > TRAIL_MAX) this.trail.shift();
    } else if (how === 'lateral') this.trail.length = 0;
    const from = this.current;
    this.current = i;
    return from;
  }

  /** Where `q` goes: back along the trail, else the first view; null at the first view (quit). */
  backTarget(): string | null {
    const prev = this.trail.pop();
    if (prev !== undefined && prev !== this.id) return prev;
    return this.current !== 0 ? this.ids[0]! : null;
  }

  /** The view `d` steps away (tab on a one-pane view). */
  neighbour(d: number): string {
    return this.ids[(this.current + d + this.ids.length) % this.ids.length]!;
  }

  focused(viewId: string, panes: number): number {
    return Math.min(this.focus.get(viewId) ?? 0, Math.max(0, panes - 1));
  }

  setFocus(viewId: string, i: number): void { this.focus.set(viewId, i); }
}

/** Where a key press goes when no pop-up is open, in this order. */
export type KeyRoute =
  | { to: 'global'; binding: Binding }
  | { to: 'pane' }
  | { to: 'view'; binding: Binding }
  /** A key about another pane: say where it works rather than act on a row the user cannot see is meant. */
  | { to: 'elsewhere'; message: string }
  | { to: 'none' };

export function routeKey(id: string, o: {
  global: readonly Binding[]; view: readonly Binding[]; focus: number; paneLabels: readonly (string | undefined)[];
  readonly: boolean; paneTakes: (id: string) => boolean;
}): KeyRoute {
  const g = o.global.find((b) => b.keys.includes(id));
  if (g) return { to: 'global', binding: g };
  if (o.paneTakes(id)) return { to: 'pane' };
  const b = o.view.find((x) => x.keys.includes(id));
  if (!b) return { to: 'none' };
  if (b.panes && !b.panes.includes(o.focus) && !(o.readonly && b.mutates)) {
    const where = b.panes.map((i) => o.paneLabels[i] ?? `pane ${i + 1}`).join(' or ');
    return { to: 'elsewhere', message: `${keyLabel(id)} (${b.desc}) works in the ${where} pane: tab there first` };
  }
  return { to: 'view', binding: b };
}

/** Why an editing key does nothing under --readonly (null: it may run). */
export function refusal(b: Binding, readonly: boolean): string | null {
  return readonly && b.mutates ? `read-only: "${b.desc}" is disabled (started with --readonly)` : null;
}

/** The quit question at the root: an in-process TUI says what stops with it. */
export function quitQuestion(mode: string, liveSessions: number): string {
  if (mode !== 'in-process') return 'Quit EXStreamTV? (the daemon keeps running)';
  const what = liveSessions ? `${liveSessions} live session${liveSessions > 1 ? 's' : ''} will stop` : 'the server stops';
  return `Quit? This TUI is serving the API itself: ${what}.`;
}

export interface HeaderFacts {
  version: string; host: string; apiUrl: string; mode: string; readonly: boolean;
  uptimeS: number | null; api: string; feed: string; tuners: { inUse: number; count: number } | null;
}

/** Host, uptime, API URL and read-only state always; version and tuners when there is room. */
export function headerText(f: HeaderFacts, w: number): string {
  const feed = f.api === 'down' ? '✖ API down' : f.feed === 'live' ? '● live' : f.feed === 'down' ? '✖ events lost, retrying' : '… connecting';
  const tuners = f.tuners ? `tuners ${f.tuners.inUse}/${f.tuners.count}` : '';
  const ro = f.readonly ? 'READ-ONLY' : 'read-write';
  const up = f.uptimeS !== null ? `up ${duration(f.uptimeS)}` : 'up …';
  const full = [`EXStreamTV ${f.version}`, `host ${f.host}`, up, `${f.apiUrl} (${f.mode})`, feed, tuners, ro].filter(Boolean).join(' │ ');
  if (width(full) + 1 <= w) return ` ${full}`;
  const url = f.apiUrl.replace(/^https?:\/\//, '');
  const compact = ['EXStreamTV', truncate(f.host, 16), up, `${url} ${f.mode}`, feed, ro];
  const withTuners = [...compact.slice(0, 5), tuners, ro].filter(Boolean).join(' │ ');
  return ` ${width(withTuners) + 1 <= w ? withTuners : compact.join(' │ ')}`;
}

export interface Tab { id: string; label: string; active: boolean; from: number; to: number }

/** The tab labels that fit in `w` cells ("[1 Dashboard]" for the current one), with their cell ranges for clicks. */
export function tabsLayout(views: readonly { id: string; title: string }[], current: number, w: number): Tab[] {
  const out: Tab[] = [];
  let used = 0;
  views.forEach((v, i) => {
    const label = i === current ? `[${i + 1} ${v.title}]` : ` ${i + 1} ${v.title} `;
    if (used + width(label) + 1 > w) return;
    out.push({ id: v.id, label, active: i === current, from: used, to: used + width(label) });
    used += width(label) + 1;
  });
  return out;
}

export interface PaletteEntry { label: string; keys: string; binding: Binding; /** Another view's action: that view opens first. */ view?: string }

/** `:` — the actions of this view, the global ones, then every other view's; editing ones hidden when read-only. */
export function paletteEntries(here: { id: string; title: string; bindings: readonly Binding[] }, views: readonly { id: string; title: string; bindings: readonly Binding[] }[],
  global: readonly Binding[], readonly: boolean): PaletteEntry[] {
  const out: PaletteEntry[] = [];
  const add = (title: string | null, b: Binding, view?: string) => {
    if (!b.run || b.palette === false || (readonly && b.mutates)) return;
    out.push({ label: `${title ? `${title}: ` : ''}${b.desc}`, keys: keysLabel(b.keys), binding: b, ...(view ? { view } : {}) });
  };
  for (const b of here.bindings) add(here.title, b);
  for (const b of global) add(null, b);
  for (const v of views) if (v.id !== here.id) for (const b of v.bindings) add(v.title, b, v.id);
  return out;
}
