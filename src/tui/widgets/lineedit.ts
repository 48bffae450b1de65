// A one-line text editor driven by our key dispatcher (no blessed textbox: its input grabbing
// fights a central keymap). Emacs-ish keys: ←/→, home/end (ctrl-a/e), backspace/delete,
// ctrl-u (clear to start), ctrl-k (clear to end), ctrl-w (delete word).
import type { KeyEvent } from '../keymap.js';
import { esc, width } from '../text.js';

export class LineEdit {
  private chars: string[];
  cursor: number;

  /** The whole text is selected: typing replaces it, a deleting key clears it, a moving key keeps it. */
  private all: boolean;

  /** `selectAll`: a pre-filled value starts selected (a prompt's last value: type to replace it). */
  constructor(value = '', selectAll = false) {
    this.chars = [...value];
    this.cursor = this.chars.length;
    this.all = selectAll && this.chars.length > 0;
  }

  get selected(): boolean { return this.all; }

  get value(): string { return this.chars.join(''); }
  set value(v: string) { this.chars = [...v]; this.cursor = this.chars.length; this.all = false; }

  /** True when the key edited the line or moved its cursor. */
  handle(ch: string | undefined, key: KeyEvent): boolean {
    const name = key.full ?? key.name ?? '';
    if (this.all) {
      this.all = false;
      const printable = !!ch && !key.ctrl && !key.meta && !/[\u0000-\u001f\u007f]/.test(ch);
      if (printable || ['backspace', 'C-h', 'delete', 'C-d', 'C-u', 'C-k', 'C-w'].includes(name)) {
        this.chars = [];
        this.cursor = 0;
        if (!printable) return true;
      }
    }
    switch (name) {
      case 'left': case 'C-b': this.cursor = Math.max(0, this.cursor - 1); return true;
      case 'right': case 'C-f': this.cursor = Math.min(this.chars.length, this.cursor + 1); return true;
      case 'home': case 'C-a': this.cursor = 0; return true;
      case 'end': case 'C-e': this.cursor = this.chars.length; return true;
      case 'backspace': case 'C-h':
        if (this.cursor > 0) { this.chars.splice(this.cursor - 1, 1); this.cursor--; }
        return true;
      case 'delete': case 'C-d': this.chars.splice(this.cursor, 1); return true;
      case 'C-u': this.chars.splice(0, this.cursor); this.cursor = 0; return true;
      case 'C-k': this.chars.splice(this.cursor); return true;
      case 'C-w': {
        let i = this.cursor;
        while (i > 0 && this.chars[i - 1] === ' ') i--;
        while (i > 0 && this.chars[i - 1] !== ' ') i--;
        this.chars.splice(i, this.cursor - i);
        this.cursor = i;
        return true;
      }
      default:
    }
    if (key.ctrl || key.meta) return false;
    if (ch && !/[\u0000-\u001f\u007f]/.test(ch)) {
      // A paste arrives as one chunk of several characters.
      const add = [...ch];
      this.chars.splice(this.cursor, 0, ...add);
      this.cursor += add.length;
      return true;
    }
    return false;
  }

  /** Tagged text of exactly `w` cells; the cursor cell is inverse when focused; `mask`: every character shows as •. */
  render(w: number, focused: boolean, mask = false): string {
    const chars = mask ? this.chars.map(() => '•') : this.chars;
    // Scroll so the cursor stays visible.
    let start = 0;
    const cw = (a: number, b: number) => width(chars.slice(a, b).join(''));
    while (cw(start, this.cursor) > w - 1) start++;
    let out = '';
    let used = 0;
    for (let i = start; i <= chars.length; i++) {
      const c = i < chars.length ? chars[i]! : ' ';
      const cwid = width(c);
      if (used + cwid > w) break;
      const hi = focused && (this.all ? i < chars.length : i === this.cursor);
      out += hi ? `{inverse}${esc(c)}{/inverse}` : esc(c);
      used += cwid;
    }
    return out + ' '.repeat(Math.max(0, w - used));
  }
}
