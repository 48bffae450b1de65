// Timeline rows on the command line (`timeline`, `schedule preview`): the table, the "cut" notice
// that says how many rows the window holds and how to go on, and --from times ("20:30" = the next
// 20:30 local, or ISO 8601).
import type { TimelineRowOut } from '../schemas/timeline.js';
import { clock, duration, episodeLabel, table } from './format.js';
import { UsageError } from './run.js';

export function printRows(rows: TimelineRowOut[]): void {
  console.log(table(['START', 'END', 'LENGTH', 'KIND', 'TITLE'], rows.map((r) => [clock(r.start), clock(r.end),
    duration(Date.parse(r.end) - Date.parse(r.start)), r.kind,
    r.showTitle ? `${r.showTitle} ${episodeLabel(r.seasonNumber, r.episodeNumber)} ${r.title}` : r.title])));
}

/**
 * One line under the rows: their count, and when cut, the window's total and how to see the rest
 * (`--from` where the list stopped, when the rows there are the same whatever the start: saved timelines).
 */
export function rowsNotice(page: { rows: unknown[]; total: number; nextFrom: string | null }, extra = '', canGoOn = true): string {
  if (!page.nextFrom) return `(${page.rows.length} row${page.rows.length === 1 ? '' : 's'}${extra})`;
  const how = canGoOn ? `go on with --from ${page.nextFrom}, or raise --limit` : 'raise --limit to see the rest';
  return `(${page.rows.length} of ${page.total} rows${extra}; cut at ${clock(page.nextFrom)}: ${how})`;
}

/** A --from value: "HH:MM" is the next such local time (today, or tomorrow once it passed), else ISO 8601. */
export function fromArg(s: string, now = new Date()): string {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s.trim());
  if (m && Number(m[1]) < 24 && Number(m[2]) < 60) {
    const d = new Date(now);
    d.setHours(Number(m[1]), Number(m[2]), 0, 0);
    if (d.getTime() < now.getTime()) d.setDate(d.getDate() + 1);
    return d.toISOString();
  }
  const t = Date.parse(s);
  if (!/^\d{4}-\d{2}-\d{2}/.test(s) || Number.isNaN(t)) throw new UsageError(`--from: "${s}" is neither a time of day like 20:30 nor an ISO 8601 time like 2026-05-01T20:30:00Z`);
  return new Date(t).toISOString();
}

/** A --limit value: a whole number in [1, max]. */
export function limitArg(s: string, max: number): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--limit: must be a whole number from 1 to ${max}, not "${s}"`);
  return n;
}
