// Plain-text output helpers for the CLI: aligned tables, durations, times.

/** Prints rows as an aligned table with a header; cells are data (no interpretation). */
export function table(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = rows.map((r) => r.map((c) => (c == null ? '' : String(c).replace(/[\u0000-\u001f\u007f]/g, ' '))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => [...(r[i] ?? '')].length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + ((c.length - [...c].length) || 0)))).join('  ').trimEnd();
  return [line(headers), ...cells.map(line)].join('\n');
}

export function duration(ms: number | null | undefined): string {
  if (ms == null) return '';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  return h ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}

/** Local wall-clock time, e.g. "Tue 14:05:09". */
export function clock(iso: string): string {
  const d = new Date(iso);
  const day = d.toLocaleDateString('en-GB', { weekday: 'short' });
  return `${day} ${d.toTimeString().slice(0, 8)}`;
}

export const episodeLabel = (season: number | null, episode: number | null): string =>
  season != null && episode != null ? `S${String(season).padStart(2, '0')}E${String(episode).padStart(2, '0')}` : '';

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
