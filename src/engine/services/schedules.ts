// Schedules: read, replace, preview and transform a channel's schedule definition.
import type { Channel } from '../../schemas/channel.js';
import { scheduleDefinition, type ScheduleDefinition } from '../../schemas/schedule.js';
import type { PlannedRow, TimelineRowOut } from '../../schemas/timeline.js';
import { ConflictError, InvalidError } from '../errors.js';
import { balance, consolidate, replicate } from '../schedule/operations.js';
import { validateDefinition } from '../schedule/validate.js';
import type { Store } from '../store/store.js';
import { randomSeed } from '../schedule/rng.js';
import type { TimelineService } from '../timeline/service.js';
import { rowsOut } from '../timeline/view.js';

export const MAX_PREVIEW_HOURS = 14 * 24;

export type ScheduleOperation =
  | { op: 'balance'; split?: string | undefined }
  | { op: 'replicate'; slot: number; times: number; everyMin: number }
  | { op: 'consolidate' };

export class ScheduleService {
  constructor(private readonly store: Store, private readonly timeline: TimelineService) {}

  get(number: string): { definition: ScheduleDefinition; custom: boolean; seed: number; revision: number } {
    const ch = this.store.channels.getByNumber(number);
    const d = this.store.channels.definition(ch.id);
    return { definition: d.definition, custom: ch.customSchedule, seed: d.seed, revision: d.revision };
  }

  /** Replaces the channel's schedule; the timeline is rebuilt from now (the row on air keeps playing). */
  /**
   * Saves the channel's schedule and rebuilds its timeline from now. With `expectRevision` (the
   * revision the editor loaded) a schedule changed meanwhile by someone else is not overwritten: 409.
   */
  set(number: string, def: ScheduleDefinition, now = Date.now(), expectRevision?: number): Channel {
    const ch = this.store.channels.getByNumber(number);
    validateDefinition(def, this.store, ch.number);
    return this.store.tx(() => {
      if (expectRevision !== undefined) {
        const { revision } = this.store.channels.definition(ch.id);
        if (revision !== expectRevision) {
          throw new ConflictError(`the schedule of channel ${ch.number} changed since revision ${expectRevision} was loaded (it is at revision ${revision} now): reload it, or save without expectRevision to overwrite`, 'expectRevision');
        }
      }
      this.store.channels.update(ch.id, { number: ch.number, name: ch.name, group: ch.group, logo: ch.logo, enabled: ch.enabled, stream: ch.stream, definition: def });
      this.timeline.rebuild(ch.id, now);
      return this.store.channels.find(ch.id)!;
    });
  }

  /**
   * The rows a definition would produce for [from, from + hours) without saving anything. With a
   * channel, it continues that channel's progress at `from` and uses its seed; else it starts
   * fresh with `seed`. Saving the same definition and seed builds exactly these rows.
   */
  preview(def: ScheduleDefinition, opts: { from: number; hours: number; seed?: number | undefined; channel?: string | undefined }): { seed: number; rows: PlannedRow[] } {
    if (opts.hours > MAX_PREVIEW_HOURS) throw new InvalidError('hours', `at most ${MAX_PREVIEW_HOURS}`);
    const ch = opts.channel ? this.store.channels.getByNumber(opts.channel) : null;
    validateDefinition(def, this.store, ch?.number ?? null, 'definition');
    if (def.main.mode === 'mirror') throw new InvalidError('definition.main.mode', 'a mirror has no rows of its own to preview: see the mirrored channel');
    const seed = opts.seed ?? (ch ? this.store.channels.definition(ch.id).seed : randomSeed());
    const cursor = ch ? (this.store.timeline.at(ch.id, opts.from - 1)?.cursor ?? null) : null;
    const to = opts.from + opts.hours * 3_600_000;
    const rows = this.timeline.plan(def, seed, cursor, opts.from, to).filter((r) => r.startMs < to);
    return { seed, rows };
  }

  /** The preview as the API shows it: rows numbered from 1 with their titles. */
  /** The preview as the API shows it: at most `limit` rows, with the window's total and where a cut list goes on. */
  previewOut(def: ScheduleDefinition, opts: Parameters<ScheduleService['preview']>[1], limit?: number):
    { seed: number; rows: TimelineRowOut[]; total: number; nextFrom: string | null } {
    const { seed, rows } = this.preview(def, opts);
    const shown = limit !== undefined ? rows.slice(0, limit) : rows;
    const cut = rows[shown.length];
    return { seed, rows: rowsOut(this.store, shown.map((r, i) => ({ ...r, id: i + 1, channelId: 0 }))), total: rows.length,
      nextFrom: cut ? new Date(cut.startMs).toISOString() : null };
  }

  /** Applies an operation and returns the new definition (not saved). */
  transform(def: ScheduleDefinition, op: ScheduleOperation): ScheduleDefinition {
    const out = op.op === 'balance' ? balance(def, this.timeline.pools(def), op.split)
      : op.op === 'replicate' ? replicate(def, op.slot, op.times, op.everyMin)
      : consolidate(def);
    return scheduleDefinition.parse(out);
  }
}
