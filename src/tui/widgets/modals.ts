// Pop-ups that take the keyboard while open: confirm, prompt, the `/` filter line, messages, help
// and the `:` command palette. The app keeps them on a stack; the top one gets every key.
import blessed, { type Widgets } from 'blessed';
import type { KeyEvent } from '../keymap.js';
import type { Theme } from '../theme.js';
import { esc, fit, truncate, width } from '../text.js';
import { LineEdit } from './lineedit.js';

export interface ModalHost {
  screen: Widgets.Screen;
  theme: Theme;
  close(m: Modal): void;
  copy(text: string): void;
  /** Render soon (after an async change inside a modal). */
  invalidate(): void;
}

export abstract class Modal {
  readonly element: Widgets.BoxElement;
  closed = false;

  constructor(protected readonly host: ModalHost, label: string, opts: Widgets.BoxOptions = {}) {
    this.element = blessed.box({
      parent: host.screen,
      top: 'center',
      left: 'center',
      width: 60,
      height: 5,
      border: { type: 'line' },
      style: { border: { ...host.theme.borderFocus } },
      tags: true,
      wrap: false,
      label: label ? ` ${label} ` : undefined,
      ...opts,
    });
  }

  abstract handleKey(ch: string | undefined, key: KeyEvent, id: string): void;
  /** Keys for the footer while this is open. */
  abstract hints(): { key: string; label: string }[];
  /** Lays out and fills the element (called on every render). */
  render(): void {}

  protected fitWidth(want: number): number {
    const w = Math.max(20, Math.min(want, (this.host.screen.width as number) - 4));
    this.element.width = w;
    return w - 2;
  }

  protected fitHeight(want: number): number {
    const h = Math.max(3, Math.min(want, (this.host.screen.height as number) - 2));
    this.element.height = h;
    return h - 2;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.host.close(this);
    this.element.destroy();
  }
}

export class ConfirmModal extends Modal {
  constructor(host: ModalHost, private readonly question: string, private readonly done: (yes: boolean) => void) {
    super(host, 'Confirm');
  }

  override render(): void {
    const inner = this.fitWidth(Math.max(40, width(this.question) + 6));
    const t = this.host.theme;
    const q = truncate(this.question, inner - 2);
    this.fitHeight(5);
    this.element.setContent(` ${esc(q)}\n\n ${t.bold('[y/N]')} ${t.dim(esc(fit('y = yes; n, enter, esc = no', inner - 8)))}`);
  }

  handleKey(_ch: string | undefined, _key: KeyEvent, id: string): void {
    if (id === 'y' || id === 'Y') { this.close(); this.done(true); return; }
    if (['n', 'N', 'enter', 'escape', 'q'].includes(id)) { this.close(); this.done(false); }
  }

  hints() { return [{ key: 'y', label: 'yes' }, { key: 'n/enter/esc', label: 'no (default)' }]; }
}

export class PromptModal extends Modal {
  private readonly edit: LineEdit;

  constructor(host: ModalHost, label: string, initial: string, private readonly done: (v: string | null) => void) {
    super(host, label);
    this.edit = new LineEdit(initial, true);
  }

  override render(): void {
    const inner = this.fitWidth(70);
    this.fitHeight(5);
    this.element.setContent(` ${this.edit.render(inner - 2, true)}\n\n ${this.host.theme.dim(`${this.edit.selected ? 'type to replace · ← keeps it · ' : ''}enter ok · esc cancel`)}`);
  }

  handleKey(ch: string | undefined, key: KeyEvent, id: string): void {
    if (id === 'enter') { this.close(); this.done(this.edit.value); return; }
    if (id === 'escape') { this.close(); this.done(null); return; }
    this.edit.handle(ch, key);
  }

  hints() { return [{ key: 'enter', label: 'ok' }, { key: 'esc', label: 'cancel' }]; }
}

/** The `/` line at the bottom: filters the focused pane as you type. */
export class FilterModal extends Modal {
  private readonly edit: LineEdit;

  constructor(host: ModalHost, initial: string, private readonly change: (v: string) => void) {
    super(host, '', { top: undefined, bottom: 1, left: 0, width: '100%', height: 1, border: undefined });
    this.edit = new LineEdit(initial);
  }

  override render(): void {
    const w = this.host.screen.width as number;
    this.element.width = w;
    this.element.setContent(`${this.host.theme.bold('/')}${this.edit.render(Math.max(1, w - 32), true)}${this.host.theme.dim(' enter keep · esc clear')}`);
  }

  handleKey(ch: string | undefined, key: KeyEvent, id: string): void {
    if (id === 'enter') { this.close(); return; }
    if (id === 'escape') { this.change(''); this.close(); return; }
    if (this.edit.handle(ch, key)) this.change(this.edit.value);
  }

  hints() { return [{ key: 'enter', label: 'keep filter' }, { key: 'esc', label: 'clear' }]; }
}

/** Scrollable read-only lines (already tagged); `y` copies `copyText` when given. */
export class TextModal extends Modal {
  private top = 0;

  constructor(host: ModalHost, label: string, private readonly lines: string[], private readonly copyText?: string, private readonly closeKeys: string[] = ['escape', 'q', 'enter']) {
    super(host, label);
  }

  override render(): void {
    const widest = Math.max(30, ...this.lines.map((l) => width(l.replace(/\{[^}]*\}/g, ''))));
    this.fitWidth(widest + 4);
    const h = this.fitHeight(this.lines.length + 4);
    const body = h - 1;
    this.top = Math.max(0, Math.min(this.top, this.lines.length - body));
    const shown = this.lines.slice(this.top, this.top + body).map((l) => ` ${l}`);
    while (shown.length < body) shown.push('');
    const more = this.lines.length > body ? ` ${this.top + 1}-${Math.min(this.lines.length, this.top + body)}/${this.lines.length} ` : '';
    shown.push(this.host.theme.dim(` ${this.copyText ? 'y copy · ' : ''}${more ? 'j/k scroll · ' : ''}esc close${more ? ` ·${more}` : ''}`));
    this.element.setContent(shown.join('\n'));
  }

  handleKey(_ch: string | undefined, _key: KeyEvent, id: string): void {
    const body = Math.max(1, (this.element.height as number) - 3);
    if (this.closeKeys.includes(id)) { this.close(); return; }
    if (id === 'y' && this.copyText) { this.host.copy(this.copyText); return; }
    if (id === 'j' || id === 'down') this.top++;
    else if (id === 'k' || id === 'up') this.top = Math.max(0, this.top - 1);
    else if (id === 'pagedown' || id === 'space') this.top += body;
    else if (id === 'pageup') this.top = Math.max(0, this.top - body);
    else if (id === 'g' || id === 'home') this.top = 0;
    else if (id === 'G' || id === 'end') this.top = this.lines.length;
  }

  hints() { return [{ key: 'esc', label: 'close' }, ...(this.copyText ? [{ key: 'y', label: 'copy' }] : [])]; }
}

export interface Command { label: string; keys: string; run(): void }

/** `:` — every action by name: type to narrow (subsequence match), enter runs. */
export class PaletteModal extends Modal {
  private readonly edit = new LineEdit('');
  private index = 0;
  private matches: Command[];

  constructor(host: ModalHost, private readonly commands: Command[]) {
    super(host, 'Command');
    this.matches = commands;
  }

  private filter(): void {
    const q = this.edit.value.toLowerCase().trim();
    if (!q) { this.matches = this.commands; this.index = 0; return; }
    const scored: { c: Command; s: number }[] = [];
    for (const c of this.commands) {
      const l = c.label.toLowerCase();
      const sub = l.indexOf(q);
      if (sub >= 0) { scored.push({ c, s: sub }); continue; }
      let i = 0;
      for (const ch of l) if (ch === q[i]) i++;
      if (i === q.length) scored.push({ c, s: 100 + l.length });
    }
    this.matches = scored.sort((a, b) => a.s - b.s).map((x) => x.c);
    this.index = 0;
  }

  override render(): void {
    const inner = this.fitWidth(64);
    const h = this.fitHeight(Math.min(20, this.commands.length + 4));
    const t = this.host.theme;
    const rows = h - 2;
    const start = Math.max(0, this.index - rows + 1);
    const lines = [` : ${this.edit.render(inner - 4, true)}`, ''];
    for (let i = start; i < Math.min(this.matches.length, start + rows); i++) {
      const c = this.matches[i]!;
      const keyw = 12;
      const line = ` ${fit(c.label, inner - keyw - 3)} ${fit(c.keys, keyw, 'right')} `;
      lines.push(i === this.index ? t.selected(esc(line)) : esc(line));
    }
    if (!this.matches.length) lines.push(t.dim(' no command matches'));
    this.element.setContent(lines.join('\n'));
  }

  handleKey(ch: string | undefined, key: KeyEvent, id: string): void {
    if (id === 'escape') { this.close(); return; }
    if (id === 'enter') {
      const c = this.matches[this.index];
      this.close();
      c?.run();
      return;
    }
    if (id === 'down' || id === 'C-n' || id === 'tab') { this.index = Math.min(this.matches.length - 1, this.index + 1); return; }
    if (id === 'up' || id === 'C-p' || id === 'S-tab') { this.index = Math.max(0, this.index - 1); return; }
    if (this.edit.handle(ch, key)) this.filter();
  }

  hints() { return [{ key: 'enter', label: 'run' }, { key: '↑/↓', label: 'choose' }, { key: 'esc', label: 'close' }]; }
}
