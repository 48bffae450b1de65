// The Schedules editor's outline: a schedule definition as one list of rows (sections and their
// entries), each row knowing the definition path it stands for. Pure: tested directly.
import type { ScheduleDefinition } from '../../schemas/schedule.js';
import { refLabel, type ContentNames } from './channel-shared.js';

export type RowKind = 'general' | 'sources' | 'source' | 'main' | 'flood' | 'slot' | 'rslot' | 'filler' | 'list' | 'blocks' | 'block';

export interface OutlineRow {
  /** The definition path this row edits, dotted ("main.slots.2"); also the row's key. */
  key: string;
  kind: RowKind;
  /** Index into its list (entries only). */
  index?: number;
  /** Left column: section title, or the entry's name/time (indented). */
  label: string;
  detail: string;
}

export const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function daysLabel(days: number[]): string {
  const s = [...new Set(days)].sort((a, b) => a - b);
  if (s.length === 7) return 'every day';
  if (s.join() === '1,2,3,4,5') return 'weekdays';
  if (s.join() === '0,6') return 'weekends';
  return s.map((d) => DAY_NAMES[d]).join(' ');
}

type Order = ScheduleDefinition['sources'][number]['order'];
export function orderLabel(o: Order): string {
  switch (o.kind) {
    case 'in_order': return o.by === 'release' ? 'in order (release)' : 'in order';
    case 'shuffle': return 'shuffle';
    case 'random': return o.cooldownMin ? `random, ${o.cooldownMin} min cooldown` : 'random';
    case 'cyclic_shuffle': return 'cyclic shuffle';
    case 'block_shuffle': return `block shuffle of ${o.blockSize}`;
  }
}

/** What a filler list will do, in words: its source's order, and that no item follows itself. */
export function fillerPlan(d: ScheduleDefinition, source: string): string {
  const o = d.sources.find((s) => s.key === source)?.order;
  const how = !o ? 'in order' : o.kind === 'in_order' ? `in ${o.by === 'release' ? 'release ' : ''}order, then again from the top`
    : o.kind === 'random' ? `at random${o.cooldownMin ? `, none again within ${o.cooldownMin} min` : ''}`
      : `${o.kind === 'shuffle' ? 'shuffled' : orderLabel(o)}: every item once before any repeats`;
  return `plays ${source} ${how}; never the same item twice in a row`;
}

export function fillLabel(f: { mode: string; count?: number; minutes?: number }): string {
  switch (f.mode) {
    case 'one': return 'one item';
    case 'count': return `${f.count} item${f.count === 1 ? '' : 's'}`;
    case 'duration': return `${f.minutes} min`;
    default: return 'until the next slot';
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const cool = (m: number) => (m ? ` · cooldown ${m} min` : '');
const weight = (w: number) => (w !== 1 ? ` · weight ${w}` : '');

export function outline(d: ScheduleDefinition, names: ContentNames | null): OutlineRow[] {
  const rows: OutlineRow[] = [];
  rows.push({
    key: 'general', kind: 'general', label: 'General',
    detail: [`time zone ${d.timezone ?? 'of the server'}`, d.onDemand ? 'on demand (clock runs while watched)' : 'live clock',
      d.filler.itemCooldownMin ? `filler item cooldown ${d.filler.itemCooldownMin} min` : ''].filter(Boolean).join(' · '),
  });
  rows.push({ key: 'sources', kind: 'sources', label: `Sources (${d.sources.length})`, detail: d.sources.length ? 'what the slots, filler and blocks play' : 'none yet: a adds one' });
  d.sources.forEach((s, i) => {
    const what = s.content.length === 1 ? refLabel(s.content[0]!, names) : `${s.content.length} pieces of content`;
    rows.push({ key: `sources.${i}`, kind: 'source', index: i, label: `  ${s.key}`, detail: `${what} · ${orderLabel(s.order)}${s.keepMultiPart ? '' : ' · parts split'}` });
  });
  const m = d.main;
  switch (m.mode) {
    case 'flood':
      rows.push({ key: 'main', kind: 'main', label: 'Main: flood', detail: m.sources.length > 1 ? 'a weighted mix of sources, back to back' : 'one source back to back' });
      m.sources.forEach((s, i) => rows.push({ key: `main.sources.${i}`, kind: 'flood', index: i, label: `  ${s.source}`, detail: `weight ${s.weight}` }));
      break;
    case 'time_slots':
      rows.push({ key: 'main', kind: 'main', label: 'Main: time slots', detail: `${plural(m.slots.length, 'slot')} a ${m.period} · lateness ${m.maxLatenessMin} min · ${m.padToMin ? `pad to ${m.padToMin} min` : 'no padding'}` });
      m.slots.forEach((s, i) => rows.push({
        key: `main.slots.${i}`, kind: 'slot', index: i,
        label: `  ${m.period === 'week' && s.day !== undefined ? `${DAY_NAMES[s.day]} ` : ''}${s.start}`,
        detail: `${s.source} · ${fillLabel(s.fill)}`,
      }));
      break;
    case 'random_slots':
      rows.push({ key: 'main', kind: 'main', label: 'Main: random slots', detail: `${plural(m.slots.length, 'slot')} · ${m.padToMin ? `pad to ${m.padToMin} min` : 'no padding'}` });
      m.slots.forEach((s, i) => rows.push({
        key: `main.slots.${i}`, kind: 'rslot', index: i, label: `  ${s.source}`,
        detail: `${fillLabel(s.fill)}${weight(s.weight)}${cool(s.cooldownMin)}`,
      }));
      break;
    case 'mirror':
      rows.push({ key: 'main', kind: 'main', label: 'Main: mirror', detail: `channel ${m.channel}${m.shiftMin ? `, ${m.shiftMin} min later` : ''}` });
      break;
  }
  rows.push({ key: 'filler', kind: 'filler', label: `Filler (${d.filler.lists.length})`, detail: d.filler.lists.length ? 'pre, mid and post rolls, gaps and fallback' : 'none: gaps show the offline slate' });
  d.filler.lists.forEach((l, i) => rows.push({
    key: `filler.lists.${i}`, kind: 'list', index: i, label: `  ${l.source}`,
    detail: `${l.kinds.join(', ')}${weight(l.weight)}${cool(l.cooldownMin)}${l.kinds.includes('mid') ? ` · mid every ${l.midEveryMin} min${l.midAtChapters ? ' or at chapters' : ''} in items over ${l.midMinItemMin} min` : ''} · ${fillerPlan(d, l.source)}`,
  }));
  rows.push({ key: 'blocks', kind: 'blocks', label: `Blocks (${d.blocks.length})`, detail: d.blocks.length ? 'weekly windows that override the main schedule' : 'none' });
  d.blocks.forEach((b, i) => rows.push({
    key: `blocks.${i}`, kind: 'block', index: i, label: `  ${b.start}–${b.end}`,
    detail: `${daysLabel(b.days)} · ${b.redirect !== undefined ? `air channel ${b.redirect}` : b.source}${b.gridMin ? ` · grid ${b.gridMin} min` : ''}`,
  }));
  return rows;
}

/**
 * The outline row an API issue path points at: "definition.main.slots.2.fill.count" → the row
 * "main.slots.2" (the deepest row whose key prefixes the path).
 */
export function rowForIssue(path: string, rows: OutlineRow[]): string | null {
  const p = path.replace(/^(body\.)?(definition\.)?/, '');
  let best: string | null = null;
  for (const r of rows) {
    if ((p === r.key || p.startsWith(`${r.key}.`)) && (!best || r.key.length > best.length)) best = r.key;
  }
  if (best) return best;
  if (p.startsWith('main')) return 'main';
  if (p.startsWith('timezone') || p.startsWith('onDemand')) return 'general';
  return null;
}
