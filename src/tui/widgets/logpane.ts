// The log pane: a window onto the model's ring buffer. Following shows the newest lines; scrolling
// up stops following (G or f resumes). A channel filter and the `/` text filter narrow it. Only the
// visible lines become text, and only when the ring, the filter, the scroll or the size changed.
import blessed, { type Widgets } from 'blessed';
import type { LogLine, LogRing } from '../model.js';
import type { Theme } from '../theme.js';
import { esc, fit, wrap } from '../text.js';
import type { Pane } from '../view.js';

export interface LogPaneOptions {
  parent: Widgets.Node;
  theme: Theme;
  ring: LogRing;
  mouse?: boolean;
  position: Partial<Pick<Widgets.BoxOptions, 'top' | 'left' | 'width' | 'height' | 'right' | 'bottom'>>;
}

const LEVEL: Record<string, string> = { debug: 'DEBUG', info: 'INFO ', warn: 'WARN ', error: 'ERROR' };

export class LogPane implements Pane {
  readonly element: Widgets.BoxElement;
  channel: string | null = null;
  private text = '';
  /** Paused: seq of the bottom visible line; null: following the newest. */
  private endSeq: number | null = null;
  private key = '';
  /** Long lines wrapped onto the next rows instead of cut. */
  private wrapped = false;

  constructor(private readonly o: LogPaneOptions) {
    this.element = blessed.box({
      parent: o.parent, ...o.position, border: { type: 'line' }, style: { border: { ...o.theme.border } }, tags: true, wrap: false, label: ' Log ',
    });
    if (o.mouse) {
      this.element.on('wheelup', () => this.scroll(3));
      this.element.on('wheeldown', () => this.scroll(-3));
    }
  }

  get follow(): boolean { return this.endSeq === null; }

  readonly filter = {
    get: () => this.text,
    set: (t: string) => { this.text = t; this.endSeq = null; },
  };

  setFocused(f: boolean): void {
    this.element.style.border = { ...(f ? this.o.theme.borderFocus : this.o.theme.border) };
  }

  /** Wraps long lines, or cuts them again; returns whether they wrap now. */
  toggleWrap(): boolean {
    this.wrapped = !this.wrapped;
    return this.wrapped;
  }

  /** Pauses on the lines shown now, or follows again. */
  toggleFollow(): boolean {
    if (this.endSeq !== null) this.endSeq = null;
    else this.endSeq = this.o.ring.version;
    return this.follow;
  }

  private height(): number { return Math.max(1, (this.element.height as number) - 2); }

  /** Index just past the bottom visible line. */
  private end(all: LogLine[]): number {
    if (this.endSeq === null) return all.length;
    let lo = 0, hi = all.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (all[mid]!.seq <= this.endSeq) lo = mid + 1; else hi = mid; }
    return lo;
  }

  private scroll(up: number): void {
    const all = this.matches();
    const h = this.height();
    const e = Math.max(Math.min(h, all.length), Math.min(all.length, this.end(all) - up));
    this.endSeq = e >= all.length ? null : all[e - 1]!.seq;
  }

  handleKey(id: string): boolean {
    const page = this.height();
    switch (id) {
      case 'k': case 'up': this.scroll(1); return true;
      case 'j': case 'down': this.scroll(-1); return true;
      case 'pageup': this.scroll(page); return true;
      case 'pagedown': this.scroll(-page); return true;
      case 'g': case 'home': this.scroll(1e9); return true;
      case 'G': case 'end': this.endSeq = null; return true;
      default: return false;
    }
  }

  private matcher(): ((l: LogLine) => boolean) | undefined {
    const q = this.text.toLowerCase();
    const ch = this.channel;
    if (!q && ch === null) return undefined;
    return (l) => (ch === null || l.channel === ch) && (!q || `${l.channel ?? ''} ${l.msg}`.toLowerCase().includes(q));
  }

  private matches(): LogLine[] {
    return this.o.ring.lines(this.matcher());
  }

  render(): void {
    const el = this.element;
    const inner = Math.max(1, (el.width as number) - 2);
    const h = this.height();
    const key = `${this.o.ring.version}|${this.endSeq}|${this.text}|${this.channel}|${inner}|${h}|${this.wrapped}`;
    if (key === this.key) return;
    this.key = key;
    // The visible window only: no copy of the whole ring per frame.
    const { lines: shown, newer } = this.o.ring.tail(h, this.endSeq ?? Infinity, this.matcher());
    const lines = this.wrapped ? shown.flatMap((l) => this.wrappedLines(l, inner)).slice(-h) : shown.map((l) => this.line(l, inner));
    el.setContent(lines.join('\n'));
    const t = this.o.theme;
    const tags = [this.follow ? 'following' : `paused${newer ? `, ${newer} newer` : ''}`, this.wrapped ? 'wrapped' : '',
      this.channel !== null ? `channel ${esc(this.channel)}` : '', this.text ? `/${esc(this.text)}` : ''].filter(Boolean);
    el.setLabel(` Log ${t.dim(`[${tags.join(', ')}]`)} `);
  }

  private head(l: LogLine): string {
    const time = l.at.length >= 19 ? new Date(l.at).toTimeString().slice(0, 8) : l.at;
    const lvl = LEVEL[l.level] ?? l.level.toUpperCase().padEnd(5);
    return `${time} ${lvl} ${l.channel ? `[${l.channel}] ` : ''}`;
  }

  private colour(l: LogLine): (s: string) => string {
    const t = this.o.theme;
    return l.level === 'error' ? t.err : l.level === 'warn' ? t.warn : l.level === 'debug' ? t.dim : (s: string) => s;
  }

  private line(l: LogLine, w: number): string {
    const head = this.head(l);
    const text = fit(head + l.msg, w);
    return this.colour(l)(esc(text.slice(0, head.length))) + esc(text.slice(head.length));
  }

  /** One entry over as many rows as it needs; continuation rows indented under the message. */
  private wrappedLines(l: LogLine, w: number): string[] {
    const head = this.head(l);
    const c = this.colour(l);
    if (w - head.length < 20) return [c(esc(fit(head, w))), ...wrap(l.msg, Math.max(1, w - 2)).map((r) => `  ${esc(r)}`)];
    const pad = ' '.repeat(head.length);
    return wrap(l.msg, w - head.length).map((r, i) => (i === 0 ? c(esc(head)) : pad) + esc(r));
  }
}
