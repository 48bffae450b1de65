// A virtualised table in one bordered box: rows are data with a key, the selection follows the
// key across updates, only the visible window is turned into text, and the content is replaced
// only when that text changed (an unchanged table costs no terminal output).
import blessed, { type Widgets } from 'blessed';
import type { Theme } from '../theme.js';
import { cell, esc, fit, truncate, width } from '../text.js';
import type { Pane } from '../view.js';

export interface Column<R> {
  title: string;
  /** Fixed width in cells (else flex). */
  width?: number;
  /** Share of the remaining width (default 1 when no width). */
  flex?: number;
  /** Smallest width of a flex column. */
  min?: number;
  align?: 'left' | 'right';
  /** Dropped when the table's inner width is below this. */
  hideBelow?: number;
  get(row: R): string;
  /** Wraps the fitted, escaped cell text (colour + symbol). */
  style?(row: R, text: string): string;
}

export interface TableOptions<R> {
  parent: Widgets.Node;
  theme: Theme;
  label: string;
  columns: Column<R>[];
  key(row: R): string;
  /** Text the `/` filter matches (default: all cells). */
  text?(row: R): string;
  empty?: string;
  mouse?: boolean;
  position: Partial<Pick<Widgets.BoxOptions, 'top' | 'left' | 'width' | 'height' | 'right' | 'bottom'>>;
  onSelect?(row: R | undefined): void;
  /** The title shows the row count "(12)" (default); off when the label says it itself. */
  count?: boolean;
}

export class Table<R> implements Pane {
  readonly element: Widgets.BoxElement;
  private rows: R[] = [];
  private shown: R[] = [];
  private selectedKey: string | null = null;
  private index = 0;
  private offset = 0;
  private filterText = '';
  private focused = false;
  private lastContent = '';
  private lastLabel = '';
  empty: string;

  constructor(private readonly o: TableOptions<R>) {
    this.empty = o.empty ?? 'nothing here';
    this.element = blessed.box({
      parent: o.parent,
      ...o.position,
      border: { type: 'line' },
      style: { border: { ...o.theme.border } },
      tags: true,
      wrap: false,
      label: ` ${o.label} `,
    });
    if (o.mouse) {
      this.element.on('click', (data: Widgets.Events.IMouseEventArg) => {
        const top = (this.element as unknown as { atop: number }).atop;
        const i = this.offset + (data.y - top - 2);
        if (i >= 0 && i < this.shown.length) this.setIndex(i);
      });
      this.element.on('wheeldown', () => this.move(3));
      this.element.on('wheelup', () => this.move(-3));
    }
  }

  get label(): string { return this.o.label; }
  set label(s: string) { this.o.label = s; }

  setRows(rows: R[]): void {
    this.rows = rows;
    this.applyFilter();
  }

  all(): R[] { return this.rows; }
  visibleRows(): R[] { return this.shown; }

  selected(): R | undefined { return this.shown[this.index]; }

  select(key: string): boolean {
    const i = this.shown.findIndex((r) => this.o.key(r) === key);
    if (i < 0) { this.selectedKey = key; return false; }
    this.setIndex(i);
    return true;
  }

  readonly filter = {
    get: () => this.filterText,
    set: (text: string) => { this.filterText = text; this.applyFilter(); },
  };

  setFocused(f: boolean): void {
    this.focused = f;
    this.element.style.border = { ...(f ? this.o.theme.borderFocus : this.o.theme.border) };
  }

  private applyFilter(): void {
    const q = this.filterText.toLowerCase();
    const text = this.o.text ?? ((r: R) => this.o.columns.map((c) => c.get(r)).join(' '));
    this.shown = q ? this.rows.filter((r) => text(r).toLowerCase().includes(q)) : this.rows;
    // Keep the selection on the same row (by key) across updates; else stay at the same position.
    const k = this.selectedKey;
    const i = k === null ? -1 : this.shown.findIndex((r) => this.o.key(r) === k);
    this.index = i >= 0 ? i : Math.min(this.index, Math.max(0, this.shown.length - 1));
    const sel = this.shown[this.index];
    const newKey = sel ? this.o.key(sel) : null;
    const changed = newKey !== this.selectedKey;
    if (sel) this.selectedKey = newKey;
    if (changed) this.o.onSelect?.(sel);
  }

  private setIndex(i: number): void {
    const n = this.shown.length;
    if (!n) return;
    const next = Math.max(0, Math.min(n - 1, i));
    const changed = next !== this.index || this.selectedKey === null;
    this.index = next;
    this.selectedKey = this.o.key(this.shown[next]!);
    if (changed) this.o.onSelect?.(this.shown[next]);
  }

  private move(d: number): void { this.setIndex(this.index + d); }

  private pageSize(): number {
    return Math.max(1, (this.element.height as number) - 3);
  }

  handleKey(id: string): boolean {
    switch (id) {
      case 'j': case 'down': this.move(1); return true;
      case 'k': case 'up': this.move(-1); return true;
      case 'g': case 'home': this.setIndex(0); return true;
      case 'G': case 'end': this.setIndex(this.shown.length - 1); return true;
      case 'pagedown': case 'C-d': this.move(this.pageSize()); return true;
      case 'pageup': case 'C-b': this.move(-this.pageSize()); return true;
      default: return false;
    }
  }

  /** Column widths for an inner width: fixed first, flex share the rest, narrow tables drop columns. */
  private layout(inner: number): { col: Column<R>; w: number }[] {
    const cols = this.o.columns.filter((c) => !c.hideBelow || inner >= c.hideBelow);
    const gaps = cols.length - 1;
    const fixed = cols.reduce((a, c) => a + (c.width ?? 0), 0);
    const flexCols = cols.filter((c) => c.width === undefined);
    const flexTotal = flexCols.reduce((a, c) => a + (c.flex ?? 1), 0);
    let rest = Math.max(0, inner - fixed - gaps);
    const out = cols.map((col) => ({ col, w: col.width ?? 0 }));
    if (flexTotal > 0) {
      let left = rest;
      const flexOut = out.filter((o) => o.col.width === undefined);
      flexOut.forEach((o, i) => {
        const share = i === flexOut.length - 1 ? left : Math.floor((rest * (o.col.flex ?? 1)) / flexTotal);
        o.w = Math.max(o.col.min ?? 1, share);
        left -= share;
      });
    } else if (out.length) out[out.length - 1]!.w += rest;
    rest = 0;
    return out;
  }

  render(): void {
    const el = this.element;
    const inner = Math.max(1, (el.width as number) - 2);
    const height = Math.max(0, (el.height as number) - 3);
    const t = this.o.theme;
    const cols = this.layout(inner);
    const header = t.head(esc(fit(cols.map(({ col, w }) => fit(col.title, w, col.align)).join(' '), inner)));
    if (this.index < this.offset) this.offset = this.index;
    if (this.index >= this.offset + height) this.offset = this.index - height + 1;
    this.offset = Math.max(0, Math.min(this.offset, Math.max(0, this.shown.length - height)));
    const lines = [header];
    if (!this.shown.length) lines.push(t.dim(esc(fit(this.filterText ? `no match for "${this.filterText}"` : this.empty, inner))));
    for (let i = this.offset; i < Math.min(this.shown.length, this.offset + height); i++) {
      const r = this.shown[i]!;
      const cells = cols.map(({ col, w }) => {
        const text = cell(col.get(r), w, col.align);
        return col.style && !(i === this.index) ? col.style(r, text) : text;
      });
      let line = cells.join(' ');
      const used = cols.reduce((a, c) => a + c.w, 0) + cols.length - 1;
      if (used < inner) line += ' '.repeat(inner - used);
      if (i === this.index) line = this.focused ? t.selected(line) : t.selectedBlur(line);
      lines.push(line);
    }
    const content = lines.join('\n');
    if (content !== this.lastContent) {
      this.lastContent = content;
      el.setContent(content);
    }
    const count = this.filterText ? `${this.shown.length}/${this.rows.length}` : `${this.rows.length}`;
    const tail = `${this.o.count === false && !this.filterText ? '' : ` (${count})`}${this.filterText ? ` /${this.filterText}` : ''}`;
    // Cut to the box (a longer title would run into the header row), the count kept.
    const room = Math.max(4, (el.width as number) - 4 - width(tail));
    const label = ` ${esc(truncate(this.o.label, room))}${esc(tail)} `;
    if (label !== this.lastLabel) {
      this.lastLabel = label;
      el.setLabel(label);
    }
  }
}
