// Cell-width aware text helpers. Everything that becomes widget content goes through here:
// control characters are removed, blessed tag braces escaped, and cells counted as blessed does.
import blessed from 'blessed';

interface BlessedUnicode { strWidth(s: string): number; charWidth(s: string, i?: number): number }
const unicode = (blessed as unknown as { unicode: BlessedUnicode }).unicode;

/** Replaces control characters (C0, DEL, C1) with spaces: data must never move the cursor. */
export function clean(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

/** Terminal cells a string takes (East Asian wide characters count 2). */
const ASCII = /^[\x20-\x7e]*$/;

export function width(s: string): number {
  return ASCII.test(s) ? s.length : unicode.strWidth(s);
}

/** Escapes blessed tag braces so data renders literally inside tagged content. */
export function esc(s: string): string {
  return s.replace(/[{}]/g, (c) => (c === '{' ? '{open}' : '{close}'));
}

/** Cuts to at most `w` cells, ending with … when something was cut. */
export function truncate(s: string, w: number): string {
  if (w <= 0) return '';
  if (ASCII.test(s)) return s.length <= w ? s : `${s.slice(0, w - 1)}…`;
  if (width(s) <= w) return s;
  let out = '';
  let used = 0;
  for (const ch of s) {
    const cw = unicode.charWidth(ch, 0);
    if (used + cw > w - 1) break;
    out += ch;
    used += cw;
  }
  return out + '…';
}

/** Exactly `w` cells: truncated, then padded (left- or right-aligned). */
export function fit(s: string, w: number, align: 'left' | 'right' = 'left'): string {
  const t = truncate(clean(s), w);
  const pad = ' '.repeat(Math.max(0, w - width(t)));
  return align === 'left' ? t + pad : pad + t;
}

/** Clean, fit and escape: a ready-to-tag table cell. */
export function cell(s: string, w: number, align: 'left' | 'right' = 'left'): string {
  return esc(fit(s, w, align));
}

export function duration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '';
  s = Math.floor(s);
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  if (d) return `${d}d${String(h).padStart(2, '0')}h`;
  if (h) return `${h}h${String(m).padStart(2, '0')}m`;
  return `${m}m${String(sec).padStart(2, '0')}s`;
}

/** Local wall-clock "14:05". */
export function hhmm(iso: string | number): string {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

export function kbps(k: number): string {
  return k >= 10_000 ? `${(k / 1000).toFixed(1)}M` : `${Math.round(k)}k`;
}

export function bytes(n: number): string {
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
  return `${n >= 10 || i === 0 ? Math.round(n) : n.toFixed(1)} ${u[i]}`;
}

export const episodeLabel = (season: number | null, episode: number | null): string =>
  season != null && episode != null ? `S${String(season).padStart(2, '0')}E${String(episode).padStart(2, '0')}` : '';

const BARS = '▁▂▃▄▅▆▇█';
/** A one-line sparkline of the newest `w` values, scaled to their maximum (0 → lowest bar). */
export function sparkline(values: readonly number[], w: number): string {
  const v = values.slice(-w);
  const max = Math.max(1, ...v);
  const s = v.map((x) => BARS[Math.min(7, Math.max(0, Math.round((x / max) * 7)))]!).join('');
  return ' '.repeat(Math.max(0, w - v.length)) + s;
}

/** A text gauge bar of `w` cells for a 0..1 fraction. */
export function bar(fraction: number, w: number): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const full = Math.round(f * w);
  return '█'.repeat(full) + '░'.repeat(Math.max(0, w - full));
}

/** Word-wraps to `w` cells (long words are cut). */
export function wrap(s: string, w: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of s.split(' ')) {
    if (line && width(line) + 1 + width(word) > w) { out.push(line); line = ''; }
    line = line ? `${line} ${word}` : word;
    while (width(line) > w) { out.push(line.slice(0, w)); line = line.slice(w); }
  }
  if (line) out.push(line);
  return out;
}
