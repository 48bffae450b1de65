// Schedules: each channel's schedule and the guide it produces. A simple channel (content played
// back to back) is edited here: `o` flips the order, `e` edits order + content. A custom schedule
// (time slots, random slots, filler, blocks — GET /api/channels/:n/schedule) is summarised
// read-only; its editor plugs in here later. The preview reloads on timeline.changed.
import blessed from 'blessed';
import type { Channel } from '../../schemas/channel.js';
import type { Binding } from '../keymap.js';
import { Poller } from '../model.js';
import { esc, truncate } from '../text.js';
import type { AppContext, View, ViewDef } from '../view.js';
import { Table } from '../widgets/table.js';
import { loadContent, openChannelForm, refLabel, TimelinePreview, type ContentNames } from './channel-shared.js';

/** GET /api/channels/:n/schedule (the part this view reads). */
interface ScheduleReply {
  custom: boolean;
  revision: number;
  definition: {
    sources: { key: string; content: unknown[]; order: { kind: string } }[];
    main: { mode: 'flood'; sources: { source: string }[] } | { mode: 'time_slots'; period: string; slots: unknown[] }
      | { mode: 'random_slots'; slots: unknown[] } | { mode: 'mirror'; channel: string; shiftMin: number };
    blocks: unknown[];
    filler: { lists: unknown[] };
    onDemand?: boolean;
  };
}

export const schedulesView: ViewDef = {
  id: 'schedules',
  title: 'Schedules',
  create(ctx: AppContext): View {
    const { theme: t, model } = ctx;
    const root = blessed.box({ parent: ctx.body, top: 0, left: 0, width: '100%', height: '100%' });
    let names: ContentNames | null = null;
    let pending: string | null = null;
    /** GET /api/channels/:n/schedule per channel, keyed by the channel's updatedAt (absent on daemons without it). */
    const schedules = new Map<string, { at: string; s: ScheduleReply | null }>();
    const isCustom = (c: Channel) => (c as Channel & { customSchedule?: boolean }).customSchedule === true;

    const list = new Table<Channel>({
      parent: root, theme: t, label: 'Channels', mouse: ctx.mouse,
      position: { top: 0, left: 0, width: '34%', height: '100%' },
      key: (c) => c.number,
      empty: 'no channels',
      onSelect: (c) => { preview.show(c?.number ?? null); if (c) void loadSchedule(c); ctx.invalidate(); },
      columns: [
        { title: 'NUM', width: 6, get: (c) => c.number },
        { title: 'NAME', flex: 1, get: (c) => c.name },
        { title: 'ORDER', width: 8, get: (c) => (c.order === 'in_order' ? 'in order' : 'shuffle') },
      ],
    });
    const definition = blessed.box({
      parent: root, top: 0, left: '34%', right: 0, height: 9, border: { type: 'line' }, style: { border: { ...t.border } }, tags: true, label: ' Schedule ',
    });
    const preview = new TimelinePreview(ctx, root, { top: 9, left: '34%', right: 0, bottom: 0 });

    async function loadSchedule(c: Channel): Promise<void> {
      const have = schedules.get(c.number);
      if (have && have.at === c.updatedAt) return;
      schedules.set(c.number, { at: c.updatedAt, s: have?.s ?? null });
      try {
        const s = await ctx.client.request<ScheduleReply>('GET', `/api/channels/${encodeURIComponent(c.number)}/schedule`);
        schedules.set(c.number, { at: c.updatedAt, s });
      } catch {
        schedules.set(c.number, { at: c.updatedAt, s: null });
      }
      ctx.invalidate();
    }

    let lastDef = '';
    function definitionText(): string {
      const c = list.selected();
      const w = Math.max(10, (definition.width as number) - 4);
      if (!c) return t.dim(' select a channel');
      const full = schedules.get(c.number)?.s;
      const line = (k: string, v: string) => ` ${t.bold(esc(k.padEnd(8)))} ${v}`;
      if (isCustom(c) && full) {
        const d = full.definition;
        const m = d.main;
        const main = m.mode === 'flood' ? `flood: ${m.sources.map((x) => x.source).join(', ')}`
          : m.mode === 'time_slots' ? `time slots: ${m.slots.length} per ${m.period}`
            : m.mode === 'random_slots' ? `random slots: ${m.slots.length}`
              : m.mode === 'mirror' ? `mirror of channel ${m.channel}, ${m.shiftMin} min later` : String((m as { mode: string }).mode);
        return [
          line('Kind', `custom schedule (revision ${full.revision})`),
          line('Main', esc(truncate(main, w - 10))),
          line('Sources', esc(truncate(d.sources.map((x) => `${x.key} (${x.content.length}, ${x.order.kind})`).join(' · ') || 'none', w - 10))),
          line('Extras', esc(`${d.blocks.length} blocks · ${d.filler.lists.length} filler lists${d.onDemand ? ' · on demand' : ''}`)),
          t.dim(esc(truncate(` edit with: exstreamtv schedule show/set ${c.number}`, w))),
        ].join('\n');
      }
      const lines = [
        line('Kind', isCustom(c) ? 'custom schedule (details need a newer daemon)' : 'simple: content back to back'),
        line('Order', c.order === 'in_order' ? 'in order' : 'shuffle'),
        line('Content', c.content.length ? '' : t.warn('none: the channel shows a slate')),
        ...c.content.slice(0, 4).map((r) => `   • ${esc(truncate(refLabel(r, names), w - 5))}`),
        ...(c.content.length > 4 ? [t.dim(`   … and ${c.content.length - 4} more (e to see all)`)] : []),
      ];
      return lines.join('\n');
    }

    async function load(): Promise<void> {
      const [channels, n] = await Promise.all([model.call(() => ctx.client.channels()), loadContent(ctx).catch(() => names)]);
      names = n;
      list.setRows(channels);
      if (pending && list.select(pending)) pending = null;
      const sel = list.selected();
      preview.show(sel?.number ?? null);
      if (sel) void loadSchedule(sel);
      ctx.invalidate();
    }
    const poller = new Poller(load, 30_000);

    const customRefused = (c: Channel) => {
      if (!isCustom(c)) return false;
      ctx.flash(`channel ${c.number} runs a custom schedule: edit it with \`exstreamtv schedule set ${c.number}\` (shown read-only here)`, 'err');
      return true;
    };
    const toggleOrder = async () => {
      const c = list.selected();
      if (!c || customRefused(c)) return;
      const order = c.order === 'in_order' ? 'shuffle' : 'in_order';
      await ctx.act(`set order of ${c.number}`, async () => {
        await ctx.client.updateChannel(c.number, { order });
        poller.kick();
        preview.show(c.number, true);
        return `channel ${c.number}: order is now ${order === 'in_order' ? 'in order' : 'shuffle'}; guide rebuilt from now`;
      });
    };
    const edit = () => {
      const c = list.selected();
      if (!c || customRefused(c)) return;
      return openChannelForm(ctx, c, () => { poller.kick(); preview.show(c.number, true); }, true);
    };

    const bindings: Binding[] = [
      { keys: ['e', 'enter'], desc: 'edit the schedule: order and content', hint: 'edit', mutates: true, run: edit },
      { keys: ['o'], desc: 'switch order: in order ↔ shuffle', hint: 'order', mutates: true, run: toggleOrder },
    ];

    return {
      id: 'schedules', title: 'Schedules', root, panes: [list, preview.table], bindings,
      show(arg) {
        const sel = (arg as { select?: string } | undefined)?.select;
        if (sel && !list.select(sel)) pending = sel;
        poller.start();
      },
      hide() { poller.stop(); },
      refresh() { poller.kick(); preview.show(list.selected()?.number ?? null, true); },
      render() {
        const d = definitionText();
        if (d !== lastDef) { definition.setContent(d); lastDef = d; }
        list.render();
        preview.table.render();
      },
      onEvent(e) {
        if (e.event === 'timeline.changed') preview.changed((e.data as { number: string }).number);
      },
      destroy() { poller.stop(); },
    };
  },
};
