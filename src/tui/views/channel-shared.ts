// What the Channels and Schedules views share: the channel form, content choices, the tune
// pop-up and the 24-hour timeline preview table.
import type { Widgets } from 'blessed';
import type { Channel, ContentRef } from '../../schemas/channel.js';
import type { Collection } from '../../schemas/collection.js';
import type { Show } from '../../schemas/library.js';
import { WATERMARK_POSITIONS } from '../../schemas/picture.js';
import type { SessionStopped } from '../../schemas/session.js';
import type { TimelineRowOut } from '../../schemas/timeline.js';
import type { Binding } from '../keymap.js';
import { episodeLabel, hhmm } from '../text.js';
import type { AppContext, FormField, FormValues } from '../view.js';
import { Table } from '../widgets/table.js';

export const refKey = (r: ContentRef): string => `${r.type}:${r.id}`;

export function parseRef(key: string): ContentRef | null {
  const m = /^(collection|show|item):(\d+)$/.exec(key);
  return m ? ({ type: m[1] as ContentRef['type'], id: Number(m[2]) } as ContentRef) : null;
}

export interface ContentNames { collections: Collection[]; shows: Show[] }

export async function loadContent(ctx: AppContext): Promise<ContentNames> {
  const [collections, shows] = await Promise.all([
    ctx.client.collections(),
    ctx.client.request<Show[]>('GET', '/api/shows'),
  ]);
  return { collections, shows };
}

export function refLabel(r: ContentRef, names: ContentNames | null): string {
  if (r.type === 'collection') {
    const c = names?.collections.find((x) => x.id === r.id);
    return c ? `collection "${c.name}" (${c.items} items)` : `collection #${r.id}`;
  }
  if (r.type === 'show') {
    const s = names?.shows.find((x) => x.id === r.id);
    return s ? `show "${s.title}" (${s.episodes} episodes)` : `show #${r.id}`;
  }
  return `item #${r.id}`;
}

export function contentOptions(names: ContentNames, existing: ContentRef[]): { value: string; label: string }[] {
  const opts = [
    ...names.collections.map((c) => ({ value: `collection:${c.id}`, label: `collection ${c.name} (${c.items} items)` })),
    ...names.shows.map((s) => ({ value: `show:${s.id}`, label: `show ${s.title} (${s.episodes} episodes)` })),
  ];
  // Content the form does not list (single items) is kept, shown by id.
  for (const r of existing) if (!opts.some((o) => o.value === refKey(r))) opts.push({ value: refKey(r), label: refLabel(r, names) });
  return opts;
}

const ORDER_OPTS = [{ value: 'in_order', label: 'in order' }, { value: 'shuffle', label: 'shuffle' }];
export const YES_NO = [{ value: 'yes', label: 'yes' }, { value: 'no', label: 'no' }];

/**
 * Encoder profile choices for the channel form: the default first, then GET /api/profiles with
 * their state. The channel's own profile is always a choice (even when the list cannot be read or
 * it is gone), so saving another field never changes it by accident.
 */
async function profileOptions(ctx: AppContext, current: string | null): Promise<{ value: string; label: string }[]> {
  const opts = [{ value: '', label: 'default (software 720p)' }];
  try {
    const list = await ctx.client.request<{ name: string; status: { usable: boolean } }[]>('GET', '/api/profiles');
    opts.push(...list.map((p) => ({ value: p.name, label: `${p.name}${p.status.usable ? '' : ' ✖'}` })));
  } catch (err) {
    ctx.flash(`cannot list encoder profiles: ${(err as Error).message}`, 'err');
  }
  if (current && !opts.some((o) => o.value === current)) opts.push({ value: current, label: `${current} (not listed)` });
  return opts;
}

const POSITIONS = WATERMARK_POSITIONS.map((p) => ({ value: p, label: p }));
/** JSON with sorted keys: equal settings compare equal whatever order their keys came in. */
const canonical = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));
const langs = (s: string) => s.split(/[\s,]+/).filter(Boolean);

/** API issue path → form field (the stream settings are nested under stream.*). */
function channelFieldFor(path: string): string | undefined {
  const p = path.replace(/^body\./, '');
  if (p.startsWith('stream.profile')) return 'profile';
  if (p.startsWith('stream.watermark.position')) return 'wmPosition';
  if (p.startsWith('stream.watermark')) return 'watermark';
  if (p.startsWith('stream.audio')) return 'audio';
  if (p.startsWith('stream.subtitles.languages')) return 'subLangs';
  if (p.startsWith('stream.subtitles')) return 'subtitles';
  if (p.startsWith('stream')) return 'alwaysOn';
  return p.split('.')[0];
}

/**
 * Opens the add/edit form: identity, order and content (simple channels; a custom schedule is
 * edited on the Schedules view), and how it streams (encoder profile, always-on, watermark, audio
 * and subtitle languages). Only what changed is sent on edit; the API validates and its 4xx
 * message shows in the form.
 */
export async function openChannelForm(ctx: AppContext, existing: Channel | null, after: (c: Channel) => void): Promise<void> {
  let names: ContentNames;
  let profiles: { value: string; label: string }[];
  try {
    [names, profiles] = await Promise.all([loadContent(ctx), profileOptions(ctx, existing?.stream.profile ?? null)]);
  } catch (err) {
    ctx.flash(`cannot load collections and shows: ${(err as Error).message}`, 'err');
    return;
  }
  const c = existing;
  // A custom schedule (slots, filler…) is not this form's to change: order and content stay out.
  const custom = c?.customSchedule === true;
  const st = c?.stream;
  const fields: FormField[] = [
    { name: 'number', label: 'Number', kind: 'text', value: c?.number ?? '', hint: 'e.g. 5 or 5.1' },
    { name: 'name', label: 'Name', kind: 'text', value: c?.name ?? '' },
    { name: 'group', label: 'Group', kind: 'text', value: c?.group ?? '', hint: 'optional' },
    { name: 'logo', label: 'Logo', kind: 'text', value: c?.logo ?? '', hint: 'optional: http(s) URL, or an image /path (served to DVRs)' },
    { name: 'enabled', label: 'Enabled', kind: 'choice', value: c && !c.enabled ? 'no' : 'yes', options: YES_NO },
    ...(custom ? [] : [{ name: 'order', label: 'Order', kind: 'choice', value: c?.order ?? 'in_order', options: ORDER_OPTS }] satisfies FormField[]),
    { name: 'alwaysOn', label: 'Always on', kind: 'choice', value: st?.alwaysOn ? 'yes' : 'no', options: YES_NO, hint: 'stream even without viewers' },
    ...(custom ? [] : [{ name: 'content', label: 'Content', kind: 'checklist', options: contentOptions(names, c?.content ?? []), checked: (c?.content ?? []).map(refKey) }] satisfies FormField[]),
    { name: 'profile', label: 'Profile', kind: 'choice', value: st?.profile ?? '', options: profiles, hint: '✖ = not usable here' },
    { name: 'watermark', label: 'Watermark', kind: 'text', value: st?.watermark?.image ?? '', hint: 'optional: /path/to/logo.png' },
    { name: 'wmPosition', label: 'WM place', kind: 'choice', value: st?.watermark?.position ?? 'bottom-right', options: POSITIONS },
    { name: 'audio', label: 'Audio', kind: 'text', value: (st?.audio?.languages ?? []).join(', '), hint: 'preferred languages: eng, fre' },
    { name: 'subtitles', label: 'Subtitles', kind: 'choice', value: st?.subtitles?.mode ?? 'off', options: [{ value: 'off', label: 'off' }, { value: 'burn', label: 'burn in' }] },
    { name: 'subLangs', label: 'Sub langs', kind: 'text', value: (st?.subtitles?.languages ?? []).join(', '), hint: 'e.g. eng; empty: any' },
  ];
  const str = (v: FormValues, k: string) => String(v[k] ?? '').trim();
  /** The stream settings the form describes (watermark details other than place are kept). */
  const streamFrom = (v: FormValues) => ({
    alwaysOn: v.alwaysOn === 'yes',
    profile: str(v, 'profile') || null,
    watermark: str(v, 'watermark') ? { ...(st?.watermark ?? {}), image: str(v, 'watermark'), position: v.wmPosition as (typeof WATERMARK_POSITIONS)[number] } : null,
    audio: { languages: langs(str(v, 'audio')) },
    subtitles: { which: 'any' as const, ...(st?.subtitles ?? {}), mode: v.subtitles as 'off' | 'burn', languages: langs(str(v, 'subLangs')) },
  });
  ctx.form({
    title: c ? `Edit channel ${c.number}` : 'Add channel',
    fields,
    submitLabel: c ? 'save' : 'add',
    fieldFor: channelFieldFor,
    async submit(v) {
      const content = ((v.content ?? []) as string[]).map(parseRef).filter((r): r is ContentRef => r !== null);
      if (!c) {
        const body = {
          number: str(v, 'number'),
          name: str(v, 'name'),
          ...(str(v, 'group') ? { group: str(v, 'group') } : {}),
          ...(str(v, 'logo') ? { logo: str(v, 'logo') } : {}),
          enabled: v.enabled !== 'no',
          order: v.order as 'in_order' | 'shuffle',
          content,
          stream: streamFrom(v),
        };
        const made = await ctx.client.createChannel(body);
        after(made);
        return `added channel ${made.number} "${made.name}"`;
      }
      const patch: Record<string, unknown> = {};
      if (str(v, 'number') !== c.number) patch.number = str(v, 'number');
      if (str(v, 'name') !== c.name) patch.name = str(v, 'name');
      if (str(v, 'group') !== (c.group ?? '')) patch.group = str(v, 'group') || null;
      if (str(v, 'logo') !== (c.logo ?? '')) patch.logo = str(v, 'logo') || null;
      if ((v.enabled !== 'no') !== c.enabled) patch.enabled = v.enabled !== 'no';
      const stream: Record<string, unknown> = {};
      const now = streamFrom(v);
      const was = { alwaysOn: c.stream.alwaysOn, profile: c.stream.profile, watermark: c.stream.watermark ?? null, audio: c.stream.audio ?? { languages: [] }, subtitles: c.stream.subtitles ?? { mode: 'off', languages: [], which: 'any' } };
      for (const k of Object.keys(now) as (keyof typeof now)[]) {
        if (canonical(now[k]) !== canonical(was[k])) stream[k] = now[k];
      }
      if (Object.keys(stream).length) patch.stream = stream;
      if (!custom) {
        if (v.order !== c.order) patch.order = v.order;
        if (content.map(refKey).join(',') !== c.content.map(refKey).join(',')) patch.content = content;
      }
      if (!Object.keys(patch).length) return `channel ${c.number}: nothing changed`;
      const saved = await ctx.client.updateChannel(c.number, patch);
      after(saved);
      const what = Object.keys(patch).flatMap((k) => (k === 'stream' ? Object.keys(stream) : [k]));
      return `saved channel ${saved.number} "${saved.name}" (${what.join(', ')})`;
    },
  });
}

/** The tune pop-up: the stream URLs of a channel, as a DVR or player on the LAN would use them. */
export function showTune(ctx: AppContext, c: { number: string; name: string }): void {
  const base = (ctx.model.discover?.BaseURL ?? ctx.info.apiUrl).replace(/\/+$/, '');
  const n = encodeURIComponent(c.number);
  const ts = `${base}/stream/channels/${n}.ts`;
  const t = ctx.theme;
  ctx.message(`Tune ${c.number} ${c.name}`, [
    `${t.bold('MPEG-TS')}  ${ts}`,
    `${t.bold('HLS    ')}  ${base}/stream/channels/${n}/index.m3u8`,
    `${t.bold('Browser')}  ${base}/watch/${n}`,
    `${t.bold('DVR    ')}  ${base}/auto/v${n}`,
    '',
    t.dim(`e.g.  mpv ${ts}`),
    t.dim('The session starts on the first viewer; the Dashboard shows it.'),
  ], ts);
}

/** `X`: stops a channel's live session (asks first; its viewers are disconnected). */
export async function stopSession(ctx: AppContext, c: { number: string; name: string } | undefined): Promise<void> {
  if (!c) { ctx.flash('nothing selected', 'info'); return; }
  const live = ctx.model.sessions.find((s) => s.number === c.number);
  if (!live) { ctx.flash(`channel ${c.number} is not streaming: nothing to stop`, 'info'); return; }
  const who = live.viewers ? `its ${live.viewers} viewer${live.viewers === 1 ? '' : 's'} will be disconnected` : 'nobody is watching';
  if (!(await ctx.confirm(`Stop channel ${c.number} "${c.name}"? ${who}.`))) { ctx.flash(`channel ${c.number} keeps streaming`, 'info'); return; }
  await ctx.act(`stop channel ${c.number}`, async () => {
    const r = await ctx.client.request<SessionStopped>('DELETE', `/api/sessions/${encodeURIComponent(c.number)}`);
    ctx.model.refreshSessions();
    return `stopped channel ${r.number}: ${r.viewersDisconnected} viewer(s) disconnected${r.restarted ? '; always-on, so it started afresh' : ''}`;
  });
}

export function rowTitle(r: TimelineRowOut): string {
  if (r.kind === 'slate') return `(slate) ${r.title}`;
  if (r.kind === 'filler') return `(filler) ${r.title}`;
  const ep = episodeLabel(r.seasonNumber, r.episodeNumber);
  return r.showTitle ? `${r.showTitle}${ep ? ` ${ep}` : ''} — ${r.title}` : r.title;
}

const lengthText = (r: TimelineRowOut) => {
  const s = Math.round((Date.parse(r.end) - Date.parse(r.start)) / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.round(s / 60);
  return m >= 60 ? `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}` : `${m}m`;
};

/** Rows per request of the preview pane (the table shows any number; a cut list says so and pages on). */
export const PREVIEW_LIMIT = 2000;

/** A time typed at "jump to": "20:30" is the next 20:30 local after `after` (or today's when earlier rows are shown), else ISO 8601. */
export function parseJump(s: string, after: number): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s.trim());
  if (m && Number(m[1]) < 24 && Number(m[2]) < 60) {
    const d = new Date(after);
    d.setHours(Number(m[1]), Number(m[2]), 0, 0);
    if (d.getTime() < after) d.setDate(d.getDate() + 1);
    return d.getTime();
  }
  const t = /^\d{4}-\d{2}-\d{2}/.test(s.trim()) ? Date.parse(s.trim()) : NaN;
  return Number.isNaN(t) ? null : t;
}

/** A page of rows and how it relates to its whole window (API `total`/`nextFrom`). */
export interface RowsPage { rows: TimelineRowOut[]; total: number; nextFrom: string | null }

/**
 * A channel's next 24 hours (or a draft's preview), loaded on demand and cached until its timeline
 * changes. Long lists come in pages: the title says "N of M rows" when cut; `]` loads the rest
 * from where it was cut, `[` goes back, `@` jumps to a time of day.
 */
export class TimelinePreview {
  readonly table: Table<TimelineRowOut>;
  private channel: string | null = null;
  private loadedFor: string | null = null;
  private loading = false;
  /** Start of the shown window (null = now) and the starts of the pages before it. */
  private from: string | null = null;
  private back: (string | null)[] = [];
  private page: RowsPage | null = null;
  private title = 'Next 24 h';

  constructor(private readonly ctx: AppContext, parent: Widgets.Node, position: ConstructorParameters<typeof Table>[0]['position']) {
    this.table = new Table<TimelineRowOut>({
      parent, theme: ctx.theme, label: 'Next 24 h', mouse: ctx.mouse, position, count: false,
      key: (r) => String(r.id),
      empty: 'select a channel',
      columns: [
        { title: 'TIME', width: 11, get: (r) => `${hhmm(r.start)}–${hhmm(r.end)}` },
        { title: 'LEN', width: 5, align: 'right', get: lengthText },
        { title: 'KIND', width: 6, hideBelow: 60, get: (r) => r.kind },
        { title: 'TITLE', flex: 1, get: rowTitle, style: (r, s) => (r.kind === 'slate' ? ctx.theme.warn(s) : s) },
      ],
    });
  }

  /** The pane's own keys (footer hints while pane `pane` of the view has the focus). */
  bindings(pane: number): Binding[] {
    return [
      { keys: ['@'], desc: 'preview: jump to a time (20:30, or ISO 8601)', hint: 'jump to time', panes: [pane], run: () => this.jump() },
      { keys: [']'], desc: 'preview: the rows after a cut list', hint: 'more', panes: [pane], run: () => this.more() },
      { keys: ['['], desc: 'preview: back to the previous part', panes: [pane], run: () => this.less() },
    ];
  }

  /** Shows `number`'s timeline (loads it when it is not the one shown). */
  show(number: string | null, force = false): void {
    if (number !== this.channel) { this.from = null; this.back = []; }
    this.channel = number;
    if (number === null) { this.page = null; this.table.setRows([]); this.table.label = 'Next 24 h'; this.table.empty = 'no channel selected'; return; }
    if (!force && this.loadedFor === number) return;
    void this.load(number);
  }

  /** Shows rows that are not a saved timeline (a draft's preview), or `empty` (an error) when none. */
  showRows(label: string, page: RowsPage, empty: string): void {
    this.channel = null;
    this.loadedFor = null;
    this.from = null;
    this.back = [];
    this.title = label;
    this.table.empty = empty;
    this.setPage(page);
  }

  /** A timeline.changed event for `number`: reload if it is on screen. */
  changed(number: string): void {
    if (number === this.channel) this.show(number, true);
  }

  private setPage(page: RowsPage): void {
    this.page = page;
    const n = page.rows.length;
    // The cut notice first: a narrow pane cuts the title's end.
    this.table.label = page.nextFrom
      ? `${n} of ${page.total} rows, cut at ${hhmm(page.nextFrom)} (] more) · ${this.title}`
      : `${this.title} (${n})${this.back.length ? ' · [ back' : ''}`;
    this.table.setRows(page.rows);
  }

  private async jump(): Promise<void> {
    const rows = this.page?.rows ?? [];
    const first = rows[0] ? Date.parse(rows[0].start) : Date.now();
    const typed = await this.ctx.prompt('Jump to time (20:30 or 2026-05-01T20:30Z)', '');
    if (typed === null || typed.trim() === '') return;
    const at = parseJump(typed, first);
    if (at === null) { this.ctx.flash(`"${typed}" is not a time: type one like 20:30`, 'err'); return; }
    const hit = rows.find((r) => Date.parse(r.end) > at);
    if (hit && Date.parse(hit.start) <= at) { this.table.select(String(hit.id)); this.ctx.invalidate(); return; }
    if (this.channel === null) { this.ctx.flash(`${hhmm(new Date(at).toISOString())} is outside this preview's rows`, 'info'); return; }
    this.back.push(this.from);
    this.from = new Date(at).toISOString();
    void this.load(this.channel);
  }

  private more(): void {
    const next = this.page?.nextFrom;
    if (!next || this.channel === null) { this.ctx.flash(this.page?.nextFrom ? 'a draft preview shows its first rows only: save it to page on' : 'nothing more: the list is complete', 'info'); return; }
    this.back.push(this.from);
    this.from = next;
    void this.load(this.channel);
  }

  private less(): void {
    if (!this.back.length || this.channel === null) { this.ctx.flash('already at the start', 'info'); return; }
    this.from = this.back.pop()!;
    void this.load(this.channel);
  }

  private async load(number: string): Promise<void> {
    if (this.loading) { this.loadedFor = null; }
    this.loading = true;
    this.table.empty = 'loading…';
    try {
      const res = await this.ctx.client.timeline(number, { hours: 24, limit: PREVIEW_LIMIT, ...(this.from ? { from: this.from } : {}) });
      if (this.channel !== number) return;
      this.loadedFor = number;
      this.title = `${this.from ? `24 h from ${hhmm(this.from)}` : 'Next 24 h'} — ${res.channel.number} ${res.channel.name}`;
      this.table.empty = 'nothing scheduled: the channel has no playable content';
      this.setPage(res);
    } catch (err) {
      if (this.channel === number) { this.page = null; this.table.setRows([]); this.table.empty = `✖ ${(err as Error).message}`; this.loadedFor = null; }
    } finally {
      this.loading = false;
      this.ctx.invalidate();
    }
  }
}
