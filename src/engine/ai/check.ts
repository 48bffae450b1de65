// Checks a proposed definition against the library beyond what the schema says: every source
// airs at least one playable item, blocks do not overlap, slots do not collide, the time zone and
// the keys are valid (the schedule editor's own validation). Returns every problem found.
import type { ScheduleDefinition } from '../../schemas/schedule.js';
import { AppError } from '../errors.js';
import { minutesOf } from '../schedule/local-time.js';
import { validateDefinition } from '../schedule/validate.js';
import type { Store } from '../store/store.js';
import type { TimelineService } from '../timeline/service.js';

const DAY = 1440;

/** Minute-of-week ranges a block covers (a block ending at or before its start runs past midnight). */
function ranges(days: number[], start: string, end: string): [number, number][] {
  const s = minutesOf(start);
  let e = minutesOf(end);
  if (e <= s) e += DAY;
  return days.map((d) => [d * DAY + s, d * DAY + e]);
}

const overlaps = (a: [number, number][], b: [number, number][]) =>
  a.some(([s1, e1]) => b.some(([s2, e2]) => [0, 7 * DAY, -7 * DAY].some((k) => s1 < e2 + k && s2 + k < e1)));

export function checkDefinition(def: ScheduleDefinition, store: Store, timeline: TimelineService, channel: string | null): string[] {
  const problems: string[] = [];
  try {
    validateDefinition(def, store, channel, 'definition');
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    problems.push(err.message);
  }
  def.sources.forEach((s, i) => {
    s.content.forEach((ref, j) => {
      if (timeline.pool([ref]).length === 0) problems.push(`definition.sources.${i}.content.${j}: ${ref.type} ${ref.id} has no playable item (use ids that search_library returned)`);
    });
  });
  if (def.main.mode === 'time_slots') {
    const first = new Map<string, number>();
    def.main.slots.forEach((slot, i) => {
      const at = `${slot.start}${slot.day !== undefined ? ` on day ${slot.day}` : ''}`;
      const j = first.get(at);
      if (j === undefined) first.set(at, i);
      else problems.push(`definition.main.slots.${i}: starts at the same time as slot ${j} (${at}); one slot per start time`);
    });
  }
  const blockRanges = def.blocks.map((b) => ranges(b.days, b.start, b.end));
  blockRanges.forEach((r, i) => {
    for (let j = 0; j < i; j++) if (overlaps(r, blockRanges[j]!)) problems.push(`definition.blocks.${i}: overlaps block ${j} (${def.blocks[j]!.start}–${def.blocks[j]!.end})`);
  });
  return [...new Set(problems)];
}
