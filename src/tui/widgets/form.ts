// A modal form: text fields, choices and a checklist. Validation is the API's: on a 4xx the form
// stays open and shows the reply's message, and each issue next to its field.
import { ApiError } from '../../client/api-client.js';
import type { KeyEvent } from '../keymap.js';
import { esc, fit, truncate, width, wrap } from '../text.js';
import type { FormField, FormSpec, FormValues } from '../view.js';
import { LineEdit } from './lineedit.js';
import { Modal, type ModalHost } from './modals.js';

const LABEL_W = 11;

const LIST_ROWS = 6;

interface FieldState {
  def: FormField;
  edit?: LineEdit;
  choice?: number;
  checked?: Set<string>;
  cursor?: number;
  scroll?: number;
  error?: string;
}

export class FormModal extends Modal {
  private readonly fields: FieldState[];
  private focus = 0;
  private error = '';
  private saving = false;

  constructor(host: ModalHost, private readonly spec: FormSpec, private readonly done: (result: string) => void) {
    super(host, spec.title);
    this.fields = spec.fields.map((def) => ({
      def,
      ...(def.kind === 'text' ? { edit: new LineEdit(def.value ?? '') } : {}),
      ...(def.kind === 'choice' ? { choice: Math.max(0, (def.options ?? []).findIndex((o) => o.value === def.value)) } : {}),
      ...(def.kind === 'checklist' ? { checked: new Set(def.checked ?? []), cursor: 0, scroll: 0 } : {}),
    }));
  }

  values(): FormValues {
    const out: FormValues = {};
    for (const f of this.fields) {
      if (f.edit) out[f.def.name] = f.edit.value;
      else if (f.choice !== undefined) out[f.def.name] = f.def.options?.[f.choice]?.value ?? '';
      else if (f.checked) out[f.def.name] = (f.def.options ?? []).map((o) => o.value).filter((v) => f.checked!.has(v));
    }
    return out;
  }

  /** Field error messages by field name (for tests and the footer). */
  errors(): { form: string; fields: Record<string, string> } {
    const fields: Record<string, string> = {};
    for (const f of this.fields) if (f.error) fields[f.def.name] = f.error;
    return { form: this.error, fields };
  }

  override render(): void {
    const t = this.host.theme;
    const inner = this.fitWidth(76);
    const valueW = Math.max(10, inner - LABEL_W - 3);
    const lines: string[] = [];
    this.fields.forEach((f, i) => {
      const focused = i === this.focus;
      const label = fit(f.def.label, LABEL_W);
      const mark = focused ? t.accent('›') : ' ';
      const lab = focused ? t.bold(esc(label)) : esc(label);
      if (f.edit) {
        const size = Math.min(valueW - 2, f.def.size ?? 40);
        const field = f.edit.render(size, focused, f.def.secret);
        const hint = f.def.hint ? ` ${t.dim(esc(truncate(f.def.hint, Math.max(0, valueW - size - 3))))}` : '';
        lines.push(`${mark}${lab} [${field}]${hint}`);
      } else if (f.choice !== undefined) {
        const opts = f.def.options ?? [];
        const cur = opts[f.choice]?.label ?? '';
        const text = `‹ ${cur} ›`;
        const hint = t.dim(esc(truncate(`  ${opts.map((o) => o.label).join(' / ')}`, Math.max(0, valueW - width(text)))));
        lines.push(`${mark}${lab} ${focused ? t.selected(esc(text)) : esc(text)}${hint}`);
      } else if (f.checked) {
        const opts = f.def.options ?? [];
        const rows = Math.min(LIST_ROWS, Math.max(1, opts.length));
        if ((f.cursor ?? 0) < (f.scroll ?? 0)) f.scroll = f.cursor;
        if ((f.cursor ?? 0) >= (f.scroll ?? 0) + rows) f.scroll = (f.cursor ?? 0) - rows + 1;
        if (!opts.length) lines.push(`${mark}${lab} ${t.dim('(nothing to choose: add media and collections first)')}`);
        for (let r = 0; r < rows && opts.length; r++) {
          const oi = (f.scroll ?? 0) + r;
          const o = opts[oi];
          if (!o) { lines.push(''); continue; }
          const box = f.checked.has(o.value) ? '[x]' : '[ ]';
          const text = esc(fit(`${box} ${o.label}`, valueW));
          const row = focused && oi === f.cursor ? t.selected(text) : text;
          lines.push(`${r === 0 ? mark : ' '}${r === 0 ? lab : ' '.repeat(LABEL_W)} ${row}`);
        }
        if (opts.length > rows) lines.push(`${' '.repeat(LABEL_W + 2)}${t.dim(`${f.checked.size} chosen of ${opts.length} · ${(f.scroll ?? 0) + 1}-${(f.scroll ?? 0) + rows} shown`)}`);
        else if (opts.length) lines.push(`${' '.repeat(LABEL_W + 2)}${t.dim(`${f.checked.size} chosen · space toggles`)}`);
      }
      if (f.error) for (const part of wrap(`✖ ${f.error}`, valueW)) lines.push(`${' '.repeat(LABEL_W + 2)}${t.err(esc(part))}`);
    });
    lines.push('');
    if (this.error) {
      for (const part of wrap(`✖ ${this.error}`, inner - 2)) lines.push(` ${t.err(esc(part))}`);
    }
    lines.push(` ${t.dim(this.saving ? 'saving…' : `enter ${this.spec.submitLabel ?? 'save'} · tab/↓ next · shift-tab/↑ previous · esc cancel`)}`);
    const h = this.fitHeight(lines.length + 2);
    // Too tall for the terminal: keep the focused field in view.
    let body = lines;
    if (lines.length > h) {
      const focusLine = Math.max(0, lines.findIndex((l) => l.includes('›')));
      const start = Math.max(0, Math.min(focusLine - 2, lines.length - h));
      body = lines.slice(start, start + h - 1).concat(lines[lines.length - 1]!);
    }
    this.element.setContent(body.join('\n'));
  }

  private move(d: number): void {
    this.focus = (this.focus + d + this.fields.length) % this.fields.length;
  }

  handleKey(ch: string | undefined, key: KeyEvent, id: string): void {
    if (this.saving) return;
    const f = this.fields[this.focus]!;
    if (id === 'escape') { this.close(); return; }
    if (id === 'enter' || id === 'C-s') { void this.submit(); return; }
    if (id === 'tab') { this.move(1); return; }
    if (id === 'S-tab') { this.move(-1); return; }
    if (f.checked) {
      const n = f.def.options?.length ?? 0;
      if (id === 'down' || id === 'j') { if ((f.cursor ?? 0) < n - 1) f.cursor = (f.cursor ?? 0) + 1; else this.move(1); return; }
      if (id === 'up' || id === 'k') { if ((f.cursor ?? 0) > 0) f.cursor = (f.cursor ?? 0) - 1; else this.move(-1); return; }
      if (id === 'space' || id === 'x') {
        const o = f.def.options?.[f.cursor ?? 0];
        if (o) { if (f.checked.has(o.value)) f.checked.delete(o.value); else f.checked.add(o.value); }
        return;
      }
      return;
    }
    if (id === 'down') { this.move(1); return; }
    if (id === 'up') { this.move(-1); return; }
    if (f.choice !== undefined) {
      const n = f.def.options?.length ?? 1;
      if (id === 'right' || id === 'space' || id === 'l') f.choice = (f.choice + 1) % n;
      else if (id === 'left' || id === 'h') f.choice = (f.choice - 1 + n) % n;
      return;
    }
    f.edit?.handle(ch, key);
  }

  private async submit(): Promise<void> {
    this.saving = true;
    this.error = '';
    for (const f of this.fields) delete f.error;
    try {
      const result = await this.spec.submit(this.values());
      this.saving = false;
      this.close();
      this.done(result);
    } catch (err) {
      this.saving = false;
      if (err instanceof ApiError) {
        this.error = err.message;
        let first = -1;
        for (const issue of err.issues) {
          const name = this.spec.fieldFor?.(issue.path) ?? issue.path.split('.')[0];
          const i = this.fields.findIndex((f) => f.def.name === name);
          if (i >= 0 && !this.fields[i]!.error) {
            this.fields[i]!.error = issue.message;
            if (first < 0) first = i;
          }
        }
        if (first >= 0) this.focus = first;
      } else {
        this.error = (err as Error).message ?? String(err);
      }
    }
    this.host.invalidate();
  }

  hints() { return [{ key: 'enter', label: this.spec.submitLabel ?? 'save' }, { key: 'tab', label: 'next field' }, { key: 'esc', label: 'cancel' }]; }
}

