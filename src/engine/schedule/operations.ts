// Operations on a definition (pure): balance airtime, replicate a slot, consolidate repeats.
import type { ContentRef } from '../../schemas/channel.js';
import type { ScheduleDefinition } from '../../schemas/schedule.js';
import type { PlayableItem } from '../store/repos/items.js';
import { InvalidError } from '../errors.js';

const avg = (items: readonly PlayableItem[]) => (items.length ? items.reduce((s, i) => s + i.durationMs, 0) / items.length : 1);

/**
 * Equal airtime for the flood's sources: weights ∝ 1 / average item length. With `split`, that
 * source is first split into one source per show (each keeps episode order), so shows — not
 * just sources — share the air evenly.
 */
export function balance(def: ScheduleDefinition, pools: Record<string, PlayableItem[]>, split?: string): ScheduleDefinition {
  if (def.main.mode !== 'flood') throw new InvalidError('definition.main.mode', 'balance works on flood schedules (use slot weights otherwise)');
  const out: ScheduleDefinition = structuredClone(def);
  const main = out.main as Extract<ScheduleDefinition['main'], { mode: 'flood' }>;
  if (split) {
    const src = out.sources.find((s) => s.key === split);
    if (!src) throw new InvalidError('split', `no source "${split}"`);
    const byShow = new Map<string, { ref: ContentRef; items: PlayableItem[] }>();
    for (const it of pools[split] ?? []) {
      const k = it.showId !== null ? `show-${it.showId}` : `item-${it.id}`;
      const ref: ContentRef = it.showId !== null ? { type: 'show', id: it.showId } : { type: 'item', id: it.id };
      (byShow.get(k) ?? byShow.set(k, { ref, items: [] }).get(k)!).items.push(it);
    }
    out.sources = out.sources.filter((s) => s.key !== split);
    main.sources = main.sources.filter((s) => s.source !== split);
    for (const [k, g] of byShow) {
      const key = `${split}-${k}`.slice(0, 40);
      out.sources.push({ ...src, key, content: [g.ref], order: src.order.kind === 'random' ? src.order : { kind: 'in_order', by: 'episode' } });
      pools[key] = g.items;
      main.sources.push({ source: key, weight: 1 });
    }
  }
  const inv = main.sources.map((s) => 1 / avg(pools[s.source] ?? []));
  const max = Math.max(...inv);
  main.sources = main.sources.map((s, i) => ({ ...s, weight: Math.max(0.001, Math.round((inv[i]! / max) * 1000) / 1000) }));
  return out;
}

/** Copies time slot `slot` `times` more times, every `everyMin` minutes after it (same day). */
export function replicate(def: ScheduleDefinition, slot: number, times: number, everyMin: number): ScheduleDefinition {
  if (def.main.mode !== 'time_slots') throw new InvalidError('definition.main.mode', 'replicate works on time-slot schedules');
  const out: ScheduleDefinition = structuredClone(def);
  const main = out.main as Extract<ScheduleDefinition['main'], { mode: 'time_slots' }>;
  const base = main.slots[slot];
  if (!base) throw new InvalidError('slot', `no slot ${slot}`);
  const [h, m] = base.start.split(':').map(Number) as [number, number];
  for (let k = 1; k <= times; k++) {
    const mins = h * 60 + m + k * everyMin;
    if (mins >= 1440) throw new InvalidError('times', `copy ${k} would start after midnight`);
    const start = `${String(Math.floor(mins / 60)).padStart(2, '0')}:${String(mins % 60).padStart(2, '0')}`;
    if (main.slots.some((s) => s.start === start && s.day === base.day)) throw new InvalidError('everyMin', `a slot already starts at ${start}`);
    main.slots.push({ ...base, start });
  }
  main.slots.sort((a, b) => ((a.day ?? 0) - (b.day ?? 0)) || a.start.localeCompare(b.start));
  return out;
}

/**
 * Removes repetition: consecutive flood slots of the same source become one; duplicate flood
 * entries are merged (weights added); sources with identical content and order are merged.
 */
export function consolidate(def: ScheduleDefinition): ScheduleDefinition {
  const out: ScheduleDefinition = structuredClone(def);
  const rename = new Map<string, string>();
  const bySig = new Map<string, string>();
  out.sources = out.sources.filter((s) => {
    const sig = JSON.stringify([s.content, s.order, s.keepMultiPart]);
    const prev = bySig.get(sig);
    if (prev) { rename.set(s.key, prev); return false; }
    bySig.set(sig, s.key);
    return true;
  });
  const r = (k: string) => rename.get(k) ?? k;
  const m = out.main;
  if (m.mode === 'flood') {
    const merged = new Map<string, number>();
    for (const s of m.sources) merged.set(r(s.source), (merged.get(r(s.source)) ?? 0) + s.weight);
    m.sources = [...merged].map(([source, weight]) => ({ source, weight }));
  } else if (m.mode === 'time_slots') {
    const sorted = m.slots.map((s) => ({ ...s, source: r(s.source) })).sort((a, b) => ((a.day ?? 0) - (b.day ?? 0)) || a.start.localeCompare(b.start));
    m.slots = sorted.filter((s, i) => {
      const p = sorted[i - 1];
      return !(p && p.source === s.source && p.fill.mode === 'flood' && s.fill.mode === 'flood' && p.day === s.day);
    });
  } else if (m.mode === 'random_slots') {
    m.slots = m.slots.map((s) => ({ ...s, source: r(s.source) }));
  }
  out.filler.lists = out.filler.lists.map((l) => ({ ...l, source: r(l.source) }));
  out.blocks = out.blocks.map((b) => (b.source ? { ...b, source: r(b.source) } : b));
  return out;
}
