// The Schedules view's state without a screen: one draft per channel (the definition being edited,
// the saved one it started from, its revision, an undo stack, the preview's verdict), what makes a
// draft dirty, when a clean one is reloaded, undo/revert/save bookkeeping, the outline's title and
// the messages the editor says. The blessed layer (schedules.ts) only asks and draws.
import type { Channel } from '../../schemas/channel.js';
import type { ScheduleDefinition } from '../../schemas/schedule.js';
import type { OutlineRow } from './schedule-outline.js';
import { rowForIssue } from './schedule-outline.js';

/** GET /api/channels/:n/schedule. */
export interface ScheduleReply { custom: boolean; revision: number; definition: ScheduleDefinition }

export interface Draft {
  def: ScheduleDefinition;
  /** The saved definition (JSON) the draft started from. */
  saved: string;
  revision: number;
  custom: boolean;
  /** The channel's updatedAt when loaded (a change elsewhere reloads a clean draft). */
  at: string;
  undo: ScheduleDefinition[];
  /** The preview's verdict on the draft. */
  error: string | null;
  errorRow: string | null;
}

export const UNDO_DEPTH = 50;

/** An API message without the request-body prefix of its path ("body.definition.main…" → "main…"). */
export const plain = (m: string) => m.replace(/^body\.(definition\.)?/, '').replace(/^definition\./, '');

export class Drafts {
  private readonly map = new Map<string, Draft>();

  get(number: string): Draft | undefined { return this.map.get(number); }

  dirty(d: Draft | undefined): boolean { return !!d && JSON.stringify(d.def) !== d.saved; }

  /** No draft yet, or a clean one while the channel changed elsewhere: (re)load it. */
  needsLoad(c: Channel): boolean {
    const have = this.map.get(c.number);
    return !have || (have.at !== c.updatedAt && !this.dirty(have));
  }

  load(c: Channel, s: ScheduleReply): Draft {
    const d: Draft = { def: s.definition, saved: JSON.stringify(s.definition), revision: s.revision, custom: s.custom, at: c.updatedAt, undo: [], error: null, errorRow: null };
    this.map.set(c.number, d);
    return d;
  }

  /** A new definition: one undo step. */
  change(d: Draft, def: ScheduleDefinition): void {
    d.undo.push(d.def);
    if (d.undo.length > UNDO_DEPTH) d.undo.shift();
    d.def = def;
  }

  /** Undoes one change: the flash line's words, or null when there was nothing to undo. */
  undo(d: Draft): string | null {
    const prev = d.undo.pop();
    if (!prev) return null;
    d.def = prev;
    return this.dirty(d) ? `undone: ${d.undo.length} change(s) left to undo` : 'undone: the draft matches the saved schedule';
  }

  /** Back to the saved schedule (as saved now, when known); the draft stays one undo away. */
  revert(d: Draft, now: ScheduleReply | null): void {
    d.undo.push(d.def);
    if (now) { d.saved = JSON.stringify(now.definition); d.revision = now.revision; d.custom = now.custom; }
    d.def = JSON.parse(d.saved) as ScheduleDefinition;
  }

  /** What was sent is what counts as saved: edits made while the request ran stay unsaved. */
  saved(d: Draft, body: ScheduleDefinition, revision: number | null, at: string): void {
    d.saved = JSON.stringify(body);
    d.custom = true;
    d.revision = revision ?? d.revision + 1;
    d.at = at;
    this.clearError(d);
  }

  clearError(d: Draft): void { d.error = null; d.errorRow = null; }

  /** Records the API's verdict: the message and the outline row its first issue points at. */
  fail(d: Draft, message: string, firstIssuePath: string | undefined, rows: OutlineRow[]): void {
    d.error = plain(message);
    d.errorRow = firstIssuePath ? rowForIssue(firstIssuePath, rows) : null;
  }

  unsaved(): string[] { return [...this.map].filter(([, d]) => this.dirty(d)).map(([n]) => n); }

  /** The outline pane's title: channel, custom revision or simple, unsaved and invalid marks. */
  title(c: Channel | undefined, d: Draft | undefined): string {
    if (!c || !d) return 'Schedule';
    return `Schedule — ${c.number} ${c.name}${d.custom ? ` (rev ${d.revision})` : ' (simple)'}${this.dirty(d) ? ' ● unsaved: w saves' : ''}${d.error ? ' ✖ not valid' : ''}`;
  }
}

/** The flash line after a form applied to the draft. */
export function appliedText(title: string, adding: boolean, number: string): string {
  const what = title.split(' — ')[0]!;
  return adding ? `added a ${what.replace(/^Add /, '').toLowerCase()} to the draft of channel ${number} (not saved yet: w saves, u undoes)`
    : `changed ${what.replace(/^\w/, (x) => x.toLowerCase())} in the draft of channel ${number} (not saved yet: w saves, u undoes)`;
}

/** Shifts a mirrored channel's rows by the mirror's offset (a mirror previews the channel it airs). */
export function shiftRows<R extends { start: string; end: string }>(rows: R[], shiftMs: number): R[] {
  const move = (iso: string) => new Date(Date.parse(iso) + shiftMs).toISOString();
  return rows.map((r) => ({ ...r, start: move(r.start), end: move(r.end) }));
}
