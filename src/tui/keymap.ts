// Key bindings as data: the dispatcher, the `?` help, the footer hints and the `:` palette are all
// generated from these lists, so they cannot disagree.

/** What blessed reports for a key press (the parts we use). */
export interface KeyEvent { full?: string; name?: string; ctrl?: boolean; meta?: boolean; shift?: boolean }

export interface Binding {
  /** Key ids: a printable character as typed ('a', 'D', '?', '/'), or blessed's name ('enter', 'S-tab', 'C-c', 'pagedown'). */
  keys: string[];
  /** One short line for the help screen and the palette. */
  desc: string;
  /** Short footer label; no hint when absent. */
  hint?: string;
  /** Changes data on the server: hidden and refused under --readonly. */
  mutates?: boolean;
  /** Shown in the palette (default true when it has an action). */
  palette?: boolean;
  /** The view's panes (indexes) this key is about: its footer hint shows only while one of them has the focus. */
  panes?: number[];
  run?: () => void | Promise<void>;
}

export interface BindingGroup { title: string; bindings: Binding[] }

/**
 * The id a key press is bound by: the typed character for printable keys (so 'D' and '?' read as
 * typed), else blessed's full name. `return` is dropped: blessed reports Enter as both `enter` and
 * `return`, and one key must act once.
 */
export function keyId(ch: string | undefined, key: KeyEvent): string | null {
  if (key.full === 'return') return null;
  if (key.ctrl || key.meta) return key.full ?? null;
  if (ch && [...ch].length === 1 && ch > ' ' && ch !== '\x7f' && !['enter', 'tab', 'escape', 'backspace', 'linefeed'].includes(key.name ?? '')) return ch;
  return key.full ?? key.name ?? null;
}

const NAMES: Record<string, string> = {
  enter: 'enter', escape: 'esc', 'S-tab': 'shift-tab', 'C-c': 'ctrl-c', 'C-l': 'ctrl-l', 'C-s': 'ctrl-s', 'C-u': 'ctrl-u',
  pagedown: 'PgDn', pageup: 'PgUp', up: '↑', down: '↓', left: '←', right: '→', space: 'space', home: 'home', end: 'end',
};

export function keyLabel(id: string): string {
  return NAMES[id] ?? id;
}

export function keysLabel(keys: string[]): string {
  return keys.map(keyLabel).join('/');
}

export function findBinding(groups: Binding[][], id: string): Binding | undefined {
  for (const list of groups) for (const b of list) if (b.keys.includes(id)) return b;
  return undefined;
}

/** The `?` screen: one section per group, one line per binding; mutations hidden when read-only. */
export function helpLines(groups: BindingGroup[], readonly: boolean): { key: string; desc: string; section?: string }[] {
  const out: { key: string; desc: string; section?: string }[] = [];
  for (const g of groups) {
    const shown = g.bindings.filter((b) => !(readonly && b.mutates));
    if (!shown.length) continue;
    out.push({ key: '', desc: '', section: g.title });
    for (const b of shown) out.push({ key: keysLabel(b.keys), desc: b.desc });
    const hidden = g.bindings.length - shown.length;
    if (hidden) out.push({ key: '', desc: `(${hidden} editing key${hidden > 1 ? 's' : ''} hidden: read-only)` });
  }
  return out;
}

/**
 * Footer hints "a add  e edit  …" that fit in `width` cells. When not all fit, the focused pane's
 * own keys are kept first, then the rest of the view's (`bindings`), and the global keys
 * (`global`) are cut first; what is kept shows in binding order, the view's before the global ones.
 */
export function footerHints(bindings: Binding[], readonly: boolean, width: number, focusedPane = 0, global: Binding[] = []): { key: string; label: string }[] {
  const shown = (b: Binding) => !!b.hint && !(readonly && b.mutates) && !(b.panes && !b.panes.includes(focusedPane));
  const all = [...bindings.filter(shown).map((b) => ({ b, rank: b.panes ? 0 : 1 })), ...global.filter(shown).map((b) => ({ b, rank: 2 }))];
  const cost = (b: Binding) => keyLabel(b.keys[0]!).length + 1 + b.hint!.length + 2;
  const kept = new Set<Binding>();
  let used = 0;
  for (const { b } of all.slice().sort((x, y) => x.rank - y.rank)) {
    if (used + cost(b) > width) continue;
    used += cost(b);
    kept.add(b);
  }
  return all.filter(({ b }) => kept.has(b)).map(({ b }) => ({ key: keyLabel(b.keys[0]!), label: b.hint! }));
}
