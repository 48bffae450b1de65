// The Schedules editor's forms: one per kind of outline row (general settings, a source, the main
// schedule, a flood share, a time slot, a random slot, a filler list, a block). Each builds its
// fields from the definition and applies the submitted values to a copy of it. Pure: the view
// sends the result to the API's preview, whose validation errors come back to the form's fields.
import type { ContentRef } from '../../schemas/channel.js';
import type { Block, FillerList, MainSchedule, OrderSpec, RandomSlot, ScheduleDefinition, TimeSlot } from '../../schemas/schedule.js';
import { ApiError } from '../../client/api-client.js';
import type { FormField, FormValues } from '../view.js';
import { contentOptions, parseRef, refKey, YES_NO, type ContentNames } from './channel-shared.js';
import { DAY_NAMES, fillerPlan, type RowKind } from './schedule-outline.js';

export interface EntryForm {
  title: string;
  fields: FormField[];
  /** The definition path of the entry: API issues under it are shown at the form's fields. */
  prefix: string;
  /** A copy of `d` with the values applied; throws an ApiError naming the field for a non-number. */
  apply(values: FormValues, d: ScheduleDefinition): ScheduleDefinition;
  /** The outline row to select afterwards. */
  selectAfter(d: ScheduleDefinition): string;
}

/** The kinds of entry `a` can add, and what the section rows add. */
export type EntryKind = 'source' | 'flood' | 'slot' | 'rslot' | 'list' | 'block';

const str = (v: FormValues, k: string) => String(v[k] ?? '').trim();

function num(v: FormValues, k: string, label: string, fallback?: number): number {
  const s = str(v, k);
  if (s === '' && fallback !== undefined) return fallback;
  const n = Number(s);
  if (s === '' || !Number.isFinite(n)) throw new ApiError(400, `${label}: must be a number`, [{ path: k, message: `must be a number, not "${s}"` }]);
  return n;
}

const opts = (pairs: [string, string][]) => pairs.map(([value, label]) => ({ value, label }));
const sourceOptions = (d: ScheduleDefinition) => d.sources.map((s) => ({ value: s.key, label: s.key }));

function needSources(d: ScheduleDefinition, what: string): void {
  if (!d.sources.length) throw new ApiError(400, `add a source first: ${what} plays one`, []);
}

const ORDERS = opts([['in_order', 'in order (episodes)'], ['in_order_release', 'in order (release)'], ['shuffle', 'shuffle'], ['random', 'random'], ['cyclic_shuffle', 'cyclic shuffle'], ['block_shuffle', 'block shuffle']]);
const orderValue = (o: OrderSpec) => (o.kind === 'in_order' && o.by === 'release' ? 'in_order_release' : o.kind);
function orderFrom(v: FormValues): OrderSpec {
  switch (v.order) {
    case 'in_order_release': return { kind: 'in_order', by: 'release' };
    case 'shuffle': return { kind: 'shuffle' };
    case 'random': return { kind: 'random', cooldownMin: num(v, 'cooldownMin', 'Cooldown', 0) };
    case 'cyclic_shuffle': return { kind: 'cyclic_shuffle' };
    case 'block_shuffle': return { kind: 'block_shuffle', blockSize: num(v, 'blockSize', 'Block size', 2) };
    default: return { kind: 'in_order', by: 'episode' };
  }
}

const FILLS = opts([['flood', 'until next slot'], ['one', 'one item'], ['count', 'N items'], ['duration', 'N minutes']]);
function fillFrom(v: FormValues): TimeSlot['fill'] {
  switch (v.fill) {
    case 'one': return { mode: 'one' };
    case 'count': return { mode: 'count', count: num(v, 'count', 'Count') };
    case 'duration': return { mode: 'duration', minutes: num(v, 'minutes', 'Minutes') };
    default: return { mode: 'flood' };
  }
}
const fillFields = (f: { mode: string; count?: number; minutes?: number }, choices = FILLS): FormField[] => [
  { name: 'fill', label: 'Fill', kind: 'choice', value: f.mode, options: choices },
  { name: 'count', label: 'Count', kind: 'text', size: 8, value: String(f.count ?? 1), hint: 'for N items' },
  { name: 'minutes', label: 'Minutes', kind: 'text', size: 8, value: String(f.minutes ?? 30), hint: 'for N minutes' },
];

const PADS = opts([['0', 'off'], ['5', '5 min'], ['10', '10 min'], ['15', '15 min'], ['30', '30 min'], ['60', '60 min']]);
const KINDS = opts([['pre', 'pre: before each item'], ['mid', 'mid: inside long items'], ['post', 'post: after each item'], ['tail', 'tail: gap before the next slot'], ['fallback', 'fallback: when nothing else fits']]);
const DAYS = DAY_NAMES.map((d, i) => ({ value: String(i), label: d }));

/** Puts `item` at `index` of a copied list, or appends it (index null). */
function put<T>(list: T[], index: number | null, item: T): T[] {
  const out = [...list];
  if (index === null) out.push(item); else out[index] = item;
  return out;
}
const at = (index: number | null, len: number) => index ?? len - 1;

/** Renames a source key everywhere it is referenced. */
function renameSource(d: ScheduleDefinition, from: string, to: string): void {
  if (from === to) return;
  const m = d.main;
  if (m.mode === 'flood') for (const s of m.sources) if (s.source === from) s.source = to;
  if (m.mode === 'time_slots' || m.mode === 'random_slots') for (const s of m.slots) if (s.source === from) s.source = to;
  for (const l of d.filler.lists) if (l.source === from) l.source = to;
  for (const b of d.blocks) if (b.source === from) b.source = to;
}

/** One builder per row kind: the form of an existing entry (index) or a new one (index null). */
function generalForm(kind: RowKind, index: number | null, d: ScheduleDefinition, names: ContentNames): EntryForm {
  return {
    title: 'General', prefix: '',
    fields: [
      { name: 'timezone', label: 'Time zone', kind: 'text', value: d.timezone ?? '', hint: 'IANA name, e.g. Europe/Berlin; empty: the server\'s' },
      { name: 'onDemand', label: 'On demand', kind: 'choice', value: d.onDemand ? 'yes' : 'no', options: YES_NO, hint: 'the clock runs only while watched' },
      { name: 'itemCooldownMin', label: 'Filler cool', kind: 'text', size: 8, value: String(d.filler.itemCooldownMin), hint: 'min before a filler item repeats' },
    ],
    apply: (v, d0) => ({ ...structuredClone(d0), timezone: str(v, 'timezone') || undefined, onDemand: v.onDemand === 'yes', filler: { ...structuredClone(d0.filler), itemCooldownMin: num(v, 'itemCooldownMin', 'Filler cooldown', 0) } }),
    selectAfter: () => 'general',
  };
}

function sourceForm(kind: RowKind, index: number | null, d: ScheduleDefinition, names: ContentNames): EntryForm {
  const i = kind === 'source' ? index : null;
  const s = i !== null ? d.sources[i]! : null;
  const o = s?.order ?? { kind: 'in_order', by: 'episode' };
  return {
    title: s ? `Source ${s.key}` : 'Add source', prefix: `sources.${i ?? d.sources.length}`,
    fields: [
      { name: 'key', label: 'Name', kind: 'text', size: 24, value: s?.key ?? (d.sources.length ? `source${d.sources.length + 1}` : 'main'), hint: 'a-z 0-9 - _; slots refer to it' },
      { name: 'content', label: 'Content', kind: 'checklist', options: contentOptions(names, s?.content ?? []), checked: (s?.content ?? []).map(refKey) },
      { name: 'order', label: 'Order', kind: 'choice', value: orderValue(o), options: ORDERS },
      { name: 'cooldownMin', label: 'Cooldown', kind: 'text', size: 8, value: String(o.kind === 'random' ? o.cooldownMin : 0), hint: 'random: min before an item repeats' },
      { name: 'blockSize', label: 'Block size', kind: 'text', size: 8, value: String(o.kind === 'block_shuffle' ? o.blockSize : 2), hint: 'block shuffle: episodes in a row' },
      { name: 'keepMultiPart', label: 'Keep parts', kind: 'choice', value: s && !s.keepMultiPart ? 'no' : 'yes', options: YES_NO, hint: 'Part 1/Part 2 together' },
    ],
    apply(v, d0) {
      const out = structuredClone(d0);
      const key = str(v, 'key');
      const content = ((v.content ?? []) as string[]).map(parseRef).filter((r): r is ContentRef => r !== null);
      if (s) renameSource(out, s.key, key);
      out.sources = put(out.sources, i, { key, content, order: orderFrom(v), keepMultiPart: v.keepMultiPart !== 'no' });
      return out;
    },
    selectAfter: (d1) => `sources.${at(i, d1.sources.length)}`,
  };
}

function mainForm(kind: RowKind, index: number | null, d: ScheduleDefinition, names: ContentNames): EntryForm {
  const m = d.main;
  return {
    title: 'Main schedule', prefix: 'main',
    fields: [
      { name: 'mode', label: 'Mode', kind: 'choice', value: m.mode, options: opts([['flood', 'flood'], ['time_slots', 'time slots'], ['random_slots', 'random slots'], ['mirror', 'mirror']]) },
      { name: 'period', label: 'Period', kind: 'choice', value: m.mode === 'time_slots' ? m.period : 'day', options: opts([['day', 'day'], ['week', 'week']]), hint: 'time slots repeat daily or weekly' },
      { name: 'maxLatenessMin', label: 'Lateness', kind: 'text', size: 8, value: String(m.mode === 'time_slots' ? m.maxLatenessMin : 0), hint: 'time slots: min an item may start late' },
      { name: 'padToMin', label: 'Pad to', kind: 'choice', value: String(m.mode === 'time_slots' || m.mode === 'random_slots' ? m.padToMin : 0), options: PADS, hint: 'slots: starts on this grid' },
      { name: 'channel', label: 'Mirror of', kind: 'text', size: 8, value: m.mode === 'mirror' ? m.channel : '', hint: 'mirror: channel number' },
      { name: 'shiftMin', label: 'Shift', kind: 'text', size: 8, value: String(m.mode === 'mirror' ? m.shiftMin : 0), hint: 'mirror: min later' },
    ],
    apply(v, d0) {
      const out = structuredClone(d0);
      const keys = out.sources.map((s) => s.key);
      const first = keys[0] ?? 'main';
      const cur = out.main;
      const pad = Number(v.padToMin) as 0 | 5 | 10 | 15 | 30 | 60;
      let main: MainSchedule;
      switch (v.mode) {
        case 'time_slots':
          main = { mode: 'time_slots', period: v.period === 'week' ? 'week' : 'day', maxLatenessMin: num(v, 'maxLatenessMin', 'Lateness', 0), padToMin: pad,
            slots: cur.mode === 'time_slots' ? cur.slots : [{ start: '00:00', source: first, fill: { mode: 'flood' } }] };
          break;
        case 'random_slots':
          main = { mode: 'random_slots', padToMin: pad,
            slots: cur.mode === 'random_slots' ? cur.slots : (keys.length ? keys : [first]).map((source) => ({ source, weight: 1, cooldownMin: 0, fill: { mode: 'count', count: 1 } })) };
          break;
        case 'mirror':
          main = { mode: 'mirror', channel: str(v, 'channel'), shiftMin: num(v, 'shiftMin', 'Shift', 0) };
          break;
        default:
          main = { mode: 'flood', sources: cur.mode === 'flood' ? cur.sources : (keys.length ? keys : [first]).map((source) => ({ source, weight: 1 })) };
      }
      out.main = main;
      return out;
    },
    selectAfter: () => 'main',
  };
}

function floodForm(kind: RowKind, index: number | null, d: ScheduleDefinition, names: ContentNames): EntryForm {
  if (d.main.mode !== 'flood') throw new ApiError(400, 'the main schedule is not flood', []);
  const list = d.main.sources;
  const e = index !== null ? list[index]! : null;
  needSources(d, 'a flood share');
  return {
    title: e ? `Flood share ${e.source}` : 'Add flood share', prefix: `main.sources.${index ?? list.length}`,
    fields: [
      { name: 'source', label: 'Source', kind: 'choice', value: e?.source ?? d.sources[0]!.key, options: sourceOptions(d) },
      { name: 'weight', label: 'Weight', kind: 'text', size: 8, value: String(e?.weight ?? 1), hint: 'share of airtime against the others' },
    ],
    apply(v, d0) {
      const out = structuredClone(d0);
      if (out.main.mode === 'flood') out.main.sources = put(out.main.sources, index, { source: str(v, 'source'), weight: num(v, 'weight', 'Weight', 1) });
      return out;
    },
    selectAfter: (d1) => `main.sources.${at(index, d1.main.mode === 'flood' ? d1.main.sources.length : 1)}`,
  };
}

function slotForm(kind: RowKind, index: number | null, d: ScheduleDefinition, names: ContentNames): EntryForm {
  if (d.main.mode !== 'time_slots') throw new ApiError(400, 'the main schedule is not time slots', []);
  needSources(d, 'a time slot');
  const m = d.main;
  const e = index !== null ? m.slots[index]! : null;
  const last = m.slots[m.slots.length - 1];
  return {
    title: e ? `Time slot ${e.start}` : 'Add time slot', prefix: `main.slots.${index ?? m.slots.length}`,
    fields: [
      { name: 'start', label: 'Start', kind: 'text', size: 6, value: e?.start ?? '', hint: `HH:MM${last ? `, e.g. after ${last.start}` : ''}` },
      ...(m.period === 'week' ? [{ name: 'day', label: 'Day', kind: 'choice', value: String(e?.day ?? last?.day ?? 1), options: DAYS } satisfies FormField] : []),
      { name: 'source', label: 'Source', kind: 'choice', value: e?.source ?? d.sources[0]!.key, options: sourceOptions(d) },
      ...fillFields(e?.fill ?? { mode: 'flood' }),
    ],
    apply(v, d0) {
      const out = structuredClone(d0);
      if (out.main.mode !== 'time_slots') return out;
      const slot: TimeSlot = { start: str(v, 'start'), source: str(v, 'source'), fill: fillFrom(v), ...(out.main.period === 'week' ? { day: Number(v.day) } : {}) };
      out.main.slots = put(out.main.slots, index, slot);
      return out;
    },
    selectAfter: (d1) => `main.slots.${at(index, d1.main.mode === 'time_slots' ? d1.main.slots.length : 1)}`,
  };
}

function randomSlotForm(kind: RowKind, index: number | null, d: ScheduleDefinition, names: ContentNames): EntryForm {
  if (d.main.mode !== 'random_slots') throw new ApiError(400, 'the main schedule is not random slots', []);
  needSources(d, 'a random slot');
  const m = d.main;
  const e = index !== null ? m.slots[index]! : null;
  return {
    title: e ? `Random slot ${e.source}` : 'Add random slot', prefix: `main.slots.${index ?? m.slots.length}`,
    fields: [
      { name: 'source', label: 'Source', kind: 'choice', value: e?.source ?? d.sources[0]!.key, options: sourceOptions(d) },
      { name: 'weight', label: 'Weight', kind: 'text', size: 8, value: String(e?.weight ?? 1), hint: 'how often it is drawn' },
      { name: 'cooldownMin', label: 'Cooldown', kind: 'text', size: 8, value: String(e?.cooldownMin ?? 0), hint: 'min before it is drawn again' },
      ...fillFields(e?.fill ?? { mode: 'count', count: 1 }, FILLS.filter((f) => f.value === 'count' || f.value === 'duration')),
    ],
    apply(v, d0) {
      const out = structuredClone(d0);
      if (out.main.mode !== 'random_slots') return out;
      const slot: RandomSlot = { source: str(v, 'source'), weight: num(v, 'weight', 'Weight', 1), cooldownMin: num(v, 'cooldownMin', 'Cooldown', 0), fill: fillFrom(v) as RandomSlot['fill'] };
      out.main.slots = put(out.main.slots, index, slot);
      return out;
    },
    selectAfter: (d1) => `main.slots.${at(index, d1.main.mode === 'random_slots' ? d1.main.slots.length : 1)}`,
  };
}

function fillerForm(kind: RowKind, index: number | null, d: ScheduleDefinition, names: ContentNames): EntryForm {
  needSources(d, 'a filler list');
  const i = kind === 'list' ? index : null;
  const e = i !== null ? d.filler.lists[i]! : null;
  return {
    title: `${e ? `Filler ${e.source}` : 'Add filler list'} — ${fillerPlan(d, e?.source ?? d.sources[d.sources.length - 1]!.key)}`, prefix: `filler.lists.${i ?? d.filler.lists.length}`,
    fields: [
      { name: 'source', label: 'Source', kind: 'choice', value: e?.source ?? d.sources[d.sources.length - 1]!.key, options: sourceOptions(d) },
      { name: 'kinds', label: 'Used as', kind: 'checklist', options: KINDS, checked: e?.kinds ?? ['tail', 'fallback'] },
      { name: 'weight', label: 'Weight', kind: 'text', size: 8, value: String(e?.weight ?? 1) },
      { name: 'cooldownMin', label: 'Cooldown', kind: 'text', size: 8, value: String(e?.cooldownMin ?? 0), hint: 'min before this list is used again' },
      { name: 'midEveryMin', label: 'Mid every', kind: 'text', size: 8, value: String(e?.midEveryMin ?? 15), hint: 'mid: min between breaks' },
      { name: 'midMinItemMin', label: 'Mid over', kind: 'text', size: 8, value: String(e?.midMinItemMin ?? 30), hint: 'mid: only in items longer (min)' },
      { name: 'midAtChapters', label: 'At chapters', kind: 'choice', value: e && !e.midAtChapters ? 'no' : 'yes', options: YES_NO, hint: 'mid: break at chapter marks' },
    ],
    apply(v, d0) {
      const out = structuredClone(d0);
      const list: FillerList = {
        source: str(v, 'source'), kinds: (v.kinds ?? []) as FillerList['kinds'], weight: num(v, 'weight', 'Weight', 1), cooldownMin: num(v, 'cooldownMin', 'Cooldown', 0),
        midEveryMin: num(v, 'midEveryMin', 'Mid every', 15), midMinItemMin: num(v, 'midMinItemMin', 'Mid over', 30), midAtChapters: v.midAtChapters !== 'no',
      };
      out.filler = { ...out.filler, lists: put(out.filler.lists, i, list) };
      return out;
    },
    selectAfter: (d1) => `filler.lists.${at(i, d1.filler.lists.length)}`,
  };
}

function blockForm(kind: RowKind, index: number | null, d: ScheduleDefinition, names: ContentNames): EntryForm {
  const i = kind === 'block' ? index : null;
  const e = i !== null ? d.blocks[i]! : null;
  return {
    title: e ? `Block ${e.start}–${e.end}` : 'Add block', prefix: `blocks.${i ?? d.blocks.length}`,
    fields: [
      { name: 'days', label: 'Days', kind: 'checklist', options: DAYS, checked: (e?.days ?? [6]).map(String) },
      { name: 'start', label: 'Start', kind: 'text', size: 6, value: e?.start ?? '', hint: 'HH:MM' },
      { name: 'end', label: 'End', kind: 'text', size: 6, value: e?.end ?? '', hint: 'HH:MM (may pass midnight)' },
      { name: 'target', label: 'Airs', kind: 'choice', value: e?.redirect !== undefined ? 'redirect' : 'source', options: opts([['source', 'a source'], ['redirect', 'another channel']]) },
      { name: 'source', label: 'Source', kind: 'choice', value: e?.source ?? d.sources[0]?.key ?? '', options: sourceOptions(d) },
      { name: 'redirect', label: 'Channel', kind: 'text', size: 8, value: e?.redirect ?? '', hint: 'when airing another channel' },
      { name: 'gridMin', label: 'Grid', kind: 'text', size: 8, value: String(e?.gridMin ?? 0), hint: 'items start every N min (0: off)' },
    ],
    apply(v, d0) {
      const out = structuredClone(d0);
      const target = v.target === 'redirect' ? { redirect: str(v, 'redirect') } : { source: str(v, 'source') };
      const b: Block = { days: ((v.days ?? []) as string[]).map(Number), start: str(v, 'start'), end: str(v, 'end'), gridMin: num(v, 'gridMin', 'Grid', 0), ...target };
      out.blocks = put(out.blocks, i, b);
      return out;
    },
    selectAfter: (d1) => `blocks.${at(i, d1.blocks.length)}`,
  };
}

const FORMS: Record<RowKind, (kind: RowKind, index: number | null, d: ScheduleDefinition, names: ContentNames) => EntryForm> = {
  general: generalForm, source: sourceForm, sources: sourceForm, main: mainForm, flood: floodForm, slot: slotForm, rslot: randomSlotForm, list: fillerForm, filler: fillerForm, block: blockForm, blocks: blockForm,
};

/** The form for an existing row (kind + index) or a new entry (index null). */
export function entryForm(kind: RowKind, index: number | null, d: ScheduleDefinition, names: ContentNames): EntryForm {
  return FORMS[kind](kind, index, d, names);
}

/** What `a` adds when a row is selected: the kind of entry its section holds. */
export function addKind(kind: RowKind, d: ScheduleDefinition): EntryKind | null {
  switch (kind) {
    case 'general': case 'sources': case 'source': return 'source';
    case 'filler': case 'list': return 'list';
    case 'blocks': case 'block': return 'block';
    case 'main': case 'flood': case 'slot': case 'rslot':
      return d.main.mode === 'flood' ? 'flood' : d.main.mode === 'time_slots' ? 'slot' : d.main.mode === 'random_slots' ? 'rslot' : null;
  }
}

/** A copy of `d` without the entry a row stands for (null: the row is a section, not an entry). */
export function removeEntry(kind: RowKind, index: number, d: ScheduleDefinition): ScheduleDefinition | null {
  const out = structuredClone(d);
  const drop = <T>(l: T[]) => l.filter((_, j) => j !== index);
  switch (kind) {
    case 'source': out.sources = drop(out.sources); return out;
    case 'flood': if (out.main.mode === 'flood') out.main.sources = drop(out.main.sources); return out;
    case 'slot': if (out.main.mode === 'time_slots') out.main.slots = drop(out.main.slots); return out;
    case 'rslot': if (out.main.mode === 'random_slots') out.main.slots = drop(out.main.slots); return out;
    case 'list': out.filler = { ...out.filler, lists: drop(out.filler.lists) }; return out;
    case 'block': out.blocks = drop(out.blocks); return out;
    default: return null;
  }
}

/** Maps an API issue path to a field of the form whose entry lives at `prefix`. */
export function fieldForIssue(prefix: string, fields: FormField[]): (path: string) => string | undefined {
  const names = new Set(fields.map((f) => f.name));
  return (path) => {
    const p = path.replace(/^(body\.)?(definition\.)?/, '');
    const rest = prefix === '' ? p : p.startsWith(`${prefix}.`) ? p.slice(prefix.length + 1) : p === prefix ? '' : null;
    if (rest === null) return undefined;
    const segs = rest.split('.');
    for (let j = segs.length - 1; j >= 0; j--) if (names.has(segs[j]!)) return segs[j];
    if (segs[0] === 'filler' && names.has('itemCooldownMin')) return 'itemCooldownMin';
    return undefined;
  };
}
