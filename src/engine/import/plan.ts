// The import plan: what the other program's data becomes here (channels with schedule
// definitions, collections for filler lists, custom shows and long programme lists) and the
// report of what is created, matched, skipped and why. Reads the store, writes nothing.
import { canonicalChannelNumber, type ContentRef, type StreamSettings } from '../../schemas/channel.js';
import type { ImportInput, ImportReport } from '../../schemas/import.js';
import type { FillerKind, OrderSpec, ScheduleDefinitionInput } from '../../schemas/schedule.js';
import type { Store } from '../store/store.js';
import { LibraryIndex } from './match.js';
import { PROGRAM_NAMES, type ForeignChannel, type ForeignData, type ForeignPool, type ForeignRef, type ForeignServer } from './model.js';

export type PlannedRef = ContentRef | { type: 'list'; key: string };
export interface PlannedSource { key: string; content: PlannedRef[]; order: OrderSpec }
export type PlannedDefinition = Omit<ScheduleDefinitionInput, 'sources'> & { sources: PlannedSource[] };
export interface PlannedList { key: string; name: string; kind: 'filler' | 'custom-show' | 'programmes'; itemIds: number[]; replaces: number | null }
export interface PlannedChannel {
  number: string; name: string; group: string | null; logo: string | null; enabled: boolean; stream: StreamSettings;
  replaces: number | null; definition: PlannedDefinition;
}
export interface ImportPlan { channels: PlannedChannel[]; lists: PlannedList[]; report: ImportReport }

/** A source may name at most this many items; longer lists become a collection. */
const MAX_REFS = 500;
const DEFAULT_FILLER_KINDS: readonly FillerKind[] = ['tail', 'fallback'];
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** The number each foreign channel gets here, and what happens to it, given what is here. */
export function channelNumbers(store: Store, channels: readonly ForeignChannel[], onClash: ImportInput['onClash']):
  { number: string | null; action: 'create' | 'replace' | 'renumber' | 'clash' | 'skip'; replaces: number | null; clash: string | null }[] {
  const here = store.channels.list();
  const taken = new Set(here.map((c) => c.number));
  let next = Math.max(0, ...here.map((c) => Number(c.number.split('.')[0])), ...channels.map((c) => Number(canonicalChannelNumber(c.number)?.split('.')[0] ?? 0))) + 1;
  return channels.map((c) => {
    const n = canonicalChannelNumber(c.number);
    if (n === null) return { number: null, action: 'skip' as const, replaces: null, clash: null };
    const existing = here.find((h) => h.number === n);
    if (!existing) { taken.add(n); return { number: n, action: 'create' as const, replaces: null, clash: null }; }
    const clash = `channel ${n} is already "${existing.name}"`;
    if (onClash === 'replace') return { number: n, action: 'replace' as const, replaces: existing.id, clash };
    if (onClash === 'renumber') {
      while (taken.has(String(next))) next++;
      taken.add(String(next));
      return { number: String(next++), action: 'renumber' as const, replaces: null, clash };
    }
    return { number: n, action: 'clash' as const, replaces: null, clash };
  });
}

/** What is already here (channel numbers, collection names), cheaply, before anything is matched. */
export function clashesOf(store: Store, data: ForeignData, onClash: ImportInput['onClash']): string[] {
  if (onClash !== 'refuse') return [];
  const names = new Set(store.collections.list().map((c) => c.name.toLowerCase()));
  const lists = [...data.fillers, ...data.customShows].filter((l) => names.has(l.name.slice(0, 100).toLowerCase())).map((l) => `collection "${l.name.slice(0, 100)}" already exists`);
  return [...new Set(lists), ...channelNumbers(store, data.channels, onClash).flatMap((n) => (n.clash ? [n.clash] : []))];
}

export class Planner {
  private readonly index: LibraryIndex;
  private readonly servers: Map<string, ForeignServer>;
  private readonly lists = new Map<string, PlannedList>();
  private readonly names: Map<string, number>;
  private readonly report: ImportReport;
  private where = '';
  private counted = { programmes: 0, matched: 0 };

  /** imageOk: an image file a channel may use here (the same rule as for logos and watermarks set by hand). */
  constructor(private readonly store: Store, private readonly data: ForeignData, private readonly input: ImportInput, serverReport: ImportReport['servers'], libraryReport: ImportReport['libraries'],
    private readonly imageOk: (path: string) => boolean = () => false) {
    this.index = new LibraryIndex(store);
    this.servers = new Map(data.servers.map((s) => [s.name, s]));
    this.names = new Map(store.collections.list().map((c) => [c.name.toLowerCase(), c.id]));
    this.report = {
      program: data.program, path: input.path, dryRun: input.dryRun, servers: serverReport, libraries: libraryReport, channels: [], collections: [],
      matched: { key: 0, ids: 0, episode: 0, title: 0, path: 0 }, unmatched: [], clashes: [], notes: [...data.notes],
    };
  }

  plan(): ImportPlan {
    const program = PROGRAM_NAMES[this.data.program];
    for (const f of this.data.fillers) this.list(`filler:${f.id}`, f.name, 'filler', f.refs, `filler list "${f.name}"`);
    for (const s of this.data.customShows) this.list(`list:${s.id}`, s.name, 'custom-show', s.refs, `${program} collection "${s.name}"`);
    const numbers = channelNumbers(this.store, this.data.channels, this.input.onClash);
    const channels: PlannedChannel[] = [];
    this.data.channels.forEach((c, i) => {
      const n = numbers[i]!;
      this.counted = { programmes: 0, matched: 0 };
      if (n.clash) this.report.clashes.push(n.clash);
      const planned = n.number === null ? null : this.channel(c, n.number, n.replaces);
      this.report.channels.push({
        number: n.number ?? c.number, from: c.number, name: c.name, action: n.action, schedule: planned ? describe(planned.definition) : 'none',
        programmes: this.counted.programmes, matched: this.counted.matched, notes: planned ? this.channelNotes(c) : [`"${c.number}" is not a channel number here`],
      });
      if (planned && n.action !== 'clash') channels.push(planned);
    });
    for (const l of this.lists.values()) {
      const action = this.report.clashes.some((x) => x === `collection "${l.name}" already exists`) ? (this.input.onClash === 'replace' ? 'replace' : 'clash') : 'create';
      this.report.collections.push({ name: l.name, kind: l.kind, items: l.itemIds.length, action });
    }
    return { channels, lists: [...this.lists.values()], report: this.report };
  }

  /** A logo: an http(s) URL, or an image file allowed here. */
  private logoOf(icon: string): string | null { return /^https?:\/\//i.test(icon) || (icon.startsWith('/') && this.imageOk(icon)) ? icon : null; }
  /** A watermark: an image file allowed here (ours are files, not URLs). */
  private watermarkOf(image: string): string | null { return image.startsWith('/') && this.imageOk(image) ? image : null; }

  private channelNotes(c: ForeignChannel): string[] {
    const notes: string[] = [];
    if (c.stealth) notes.push('stealth (hidden from the guide): comes over disabled');
    if (c.icon && !this.logoOf(c.icon)) notes.push(`icon "${c.icon}" is neither a URL nor a file on this box: not brought over`);
    if (c.watermark && !this.watermarkOf(c.watermark.image)) notes.push(`watermark ${c.watermark.image} is a URL or not a file on this box: save the image here and set it as the channel's watermark`);
    return notes;
  }

  private matchAll(refs: readonly ForeignRef[]): number[] {
    const ids: number[] = [];
    for (const r of refs) {
      this.counted.programmes++;
      const m = this.index.match(r, this.servers);
      if (m.itemId === null) {
        this.report.unmatched.push({ title: label(r), where: this.where, why: m.why });
        continue;
      }
      this.counted.matched++;
      this.report.matched[m.how]++;
      ids.push(m.itemId);
    }
    return ids;
  }

  /** A collection to create (or replace) for a named list. */
  private list(key: string, name: string, kind: PlannedList['kind'], refs: readonly ForeignRef[], where: string): void {
    this.where = where;
    const itemIds = [...new Set(this.matchAll(refs))];
    let finalName = name.slice(0, 100);
    let replaces: number | null = null;
    const existing = this.names.get(finalName.toLowerCase());
    if (existing !== undefined) {
      if (this.input.onClash === 'renumber' || existing === -1) { // -1: another list of this import
        for (let k = 2; this.names.has(finalName.toLowerCase()); k++) finalName = `${name.slice(0, 90)} (${k})`;
      } else {
        this.report.clashes.push(`collection "${finalName}" already exists`);
        if (this.input.onClash === 'replace') replaces = existing;
      }
    }
    this.names.set(finalName.toLowerCase(), replaces ?? -1);
    this.lists.set(key, { key, name: finalName, kind, itemIds, replaces });
  }

  /** Content for a pool: item refs in order, or one collection when the list is long. */
  private content(pool: ForeignPool, label: string): PlannedRef[] {
    if (pool.type === 'list') {
      if (!this.lists.has(`list:${pool.id}`)) { this.report.notes.push(`${this.where}: it draws from a list ${pool.id} that is not in the data`); return []; }
      return [{ type: 'list', key: `list:${pool.id}` }];
    }
    const all = this.matchAll(pool.refs);
    const ids = [...new Set(all)];
    if (all.length > ids.length) this.report.notes.push(`${this.where}: ${all.length - ids.length} repeat(s) of a programme in ${label} play once per cycle here`);
    if (ids.length <= MAX_REFS) return ids.map((id) => ({ type: 'item' as const, id }));
    const key = `programmes:${this.where}:${label}`;
    this.list(key, `${PROGRAM_NAMES[this.data.program]} ${this.where} ${label}`, 'programmes', [], this.where);
    this.lists.get(key)!.itemIds = ids;
    return [{ type: 'list', key }];
  }

  private channel(c: ForeignChannel, number: string, replaces: number | null): PlannedChannel {
    this.where = `channel ${c.number}`;
    this.counted = { programmes: 0, matched: 0 };
    const sources: PlannedSource[] = [];
    const source = (pool: ForeignPool, shuffle: boolean, label: string): string | null => {
      const content = this.content(pool, label);
      if (!content.length) return null;
      const key = `s${sources.length + 1}`;
      sources.push({ key, content, order: shuffle ? { kind: 'shuffle' } : { kind: 'in_order', by: 'episode' } });
      return key;
    };
    const p = c.programming;
    let main: PlannedDefinition['main'];
    if (p.kind === 'list') {
      const items = p.entries.flatMap((e) => (e.type === 'item' ? [e.ref] : []));
      const flex = p.entries.filter((e) => e.type === 'flex');
      const redirects = p.entries.filter((e) => e.type === 'redirect');
      if (flex.length) this.report.notes.push(`${this.where}: ${flex.length} flex gap(s) of ${Math.round(flex.reduce((a, e) => a + e.durationMs, 0) / 60_000)} min in all become filler time between programmes`);
      if (redirects.length) this.report.notes.push(`${this.where}: ${redirects.length} redirect(s) inside the programme list are not brought over (use a schedule block with a redirect)`);
      const key = source({ type: 'refs', label: 'programmes', refs: items }, false, 'programmes');
      main = { mode: 'flood', sources: key ? [{ source: key }] : [] };
    } else if (p.kind === 'time_slots') {
      const seen = new Set<string>();
      const slots = p.slots.flatMap((s, i) => {
        const hhmm = `${String(Math.floor(s.startMin / 60)).padStart(2, '0')}:${String(s.startMin % 60).padStart(2, '0')}`;
        const at = `${s.day ?? ''}@${hhmm}`;
        if (seen.has(at)) { this.report.notes.push(`${this.where}: a second slot at ${hhmm} is dropped (one slot per start time here)`); return []; }
        seen.add(at);
        const key = source(s.pool, s.shuffle, `slot ${i + 1}`);
        return key ? [{ start: hhmm, ...(s.day !== undefined ? { day: s.day } : {}), source: key, fill: this.data.program === 'ersatztv' ? { mode: 'flood' as const } : { mode: 'one' as const } }] : [];
      });
      main = { mode: 'time_slots', period: p.period, slots, maxLatenessMin: clamp(p.latenessMin, 0, 240) };
    } else if (p.kind === 'random_slots') {
      const slots = p.slots.flatMap((s, i) => {
        const key = source(s.pool, s.shuffle, `slot ${i + 1}`);
        return key ? [{ source: key, weight: clamp(s.weight, 0.01, 1000), cooldownMin: clamp(s.cooldownMs / 60_000, 0, 10_080), fill: s.count ? { mode: 'count' as const, count: Math.round(clamp(s.count, 1, 1000)) } : { mode: 'duration' as const, minutes: clamp(s.durationMs / 60_000, 1, 1440) } }] : [];
      });
      main = { mode: 'random_slots', slots };
    } else {
      this.report.notes.push(`${this.where}: its schedule items play in turn in ErsatzTV; here they are mixed by weight (count or minutes)`);
      const mixed = p.items.flatMap((it, i) => {
        const key = source(it.pool, it.shuffle, `item ${i + 1}`);
        const weight = it.fill.mode === 'count' ? it.fill.count : it.fill.mode === 'duration' ? Math.max(1, Math.round(it.fill.minutes / 30)) : 1;
        return key ? [{ source: key, weight: clamp(weight, 1, 1000) }] : [];
      });
      main = { mode: 'flood', sources: mixed };
    }
    const lists = c.filler.flatMap((f) => {
      if (!this.lists.has(`filler:${f.list}`)) { this.report.notes.push(`${this.where}: filler list ${f.list} is not in the data`); return []; }
      const key = `f${sources.length + 1}`;
      sources.push({ key, content: [{ type: 'list', key: `filler:${f.list}` }], order: { kind: 'shuffle' } });
      return [{ source: key, kinds: [...(f.kinds ?? DEFAULT_FILLER_KINDS)], weight: clamp(f.weight, 0.01, 1000), cooldownMin: clamp(f.cooldownMs / 60_000, 0, 10_080) }];
    });
    const w = c.watermark && this.watermarkOf(c.watermark.image) ? c.watermark : null;
    return {
      number, name: c.name.slice(0, 100), group: c.group?.slice(0, 100) ?? null, enabled: !c.disabled && !c.stealth, replaces,
      logo: c.icon ? this.logoOf(c.icon) : null,
      stream: { profile: null, alwaysOn: false, ...(w ? { watermark: { image: w.image, position: w.position, sizePct: clamp(w.widthPct ?? 10, 1, 50), marginXPct: 3, marginYPct: 3, opacity: 1, mode: 'permanent', fadeS: 1, everyS: 600, showS: 60, hideDuringFiller: false } } : {}) },
      definition: { version: 2, sources, main, filler: { lists, itemCooldownMin: clamp(c.fillerRepeatCooldownMs / 60_000, 0, 1440) }, onDemand: c.onDemand },
    };
  }
}

const label = (r: ForeignRef) => (r.showTitle ? `${r.showTitle} S${String(r.season ?? 0).padStart(2, '0')}E${String(r.episode ?? 0).padStart(2, '0')} ${r.title}` : r.year ? `${r.title} (${r.year})` : r.title);

function describe(d: PlannedDefinition): string {
  const m = d.main;
  const filler = d.filler?.lists?.length ? `, ${d.filler.lists.length} filler list(s)` : '';
  const none = 'nothing matched: an empty channel (fill it in later)';
  if ((m.mode === 'flood' && m.sources.length === 0) || ((m.mode === 'time_slots' || m.mode === 'random_slots') && m.slots.length === 0)) return none;
  if (m.mode === 'flood') return `${m.sources.length === 1 ? 'a fixed programme list in order' : `${m.sources.length} sources mixed`}${filler}`;
  if (m.mode === 'time_slots') return `${m.slots.length} time slot(s) per ${m.period ?? 'day'}${filler}`;
  if (m.mode === 'random_slots') return `${m.slots.length} random slot(s)${filler}`;
  return 'mirror';
}
