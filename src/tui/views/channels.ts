// Channels: the list with what is on now and next, add/edit/delete, tune URLs, stopping a live
// session, and the next 24 h of the selected channel. The state is in channels-model.ts (tested
// without a screen); this is the blessed layer.
import blessed, { type Widgets } from 'blessed';
import type { Channel } from '../../schemas/channel.js';
import type { Binding } from '../keymap.js';
import { Poller } from '../model.js';
import type { AppContext, View, ViewDef } from '../view.js';
import { Table } from '../widgets/table.js';
import { openChannelForm, showTune, stopSession, TimelinePreview } from './channel-shared.js';
import { ChannelsModel, type Pending } from './channels-model.js';

/** The channel list: number, name, group, state, live viewers, order, now and next. */
function channelTable(ctx: AppContext, root: Widgets.BoxElement, vm: ChannelsModel, onSelect: (c: Channel | undefined) => void): Table<Channel> {
  const { theme: t, model } = ctx;
  const live = (c: Channel) => model.sessions.find((s) => s.channelId === c.id);
  return new Table<Channel>({
    parent: root, theme: t, label: 'Channels', mouse: ctx.mouse,
    position: { top: 0, left: 0, width: '100%', height: '55%' },
    key: (c) => c.number,
    empty: 'no channels yet: press a to add one',
    onSelect,
    text: (c) => vm.filterText(c),
    columns: [
      { title: 'NUM', width: 7, get: (c) => c.number },
      { title: 'NAME', flex: 2, min: 10, get: (c) => c.name },
      { title: 'GROUP', width: 10, hideBelow: 110, get: (c) => c.group ?? '' },
      { title: 'STATE', width: 6, get: (c) => (c.enabled ? '✔ on' : '✖ off'), style: (c, s) => (c.enabled ? t.ok(s) : t.dim(s)) },
      { title: 'LIVE', width: 6, get: (c) => { const s = live(c); return s ? `● ${s.viewers}v` : ''; }, style: (_c, s) => t.ok(s) },
      { title: 'ORDER', width: 8, hideBelow: 100, get: (c) => (c.order === 'in_order' ? 'in order' : 'shuffle') },
      { title: 'NOW', flex: 3, min: 12, get: (c) => vm.nowText(c.number, 'now') },
      { title: 'NEXT', flex: 3, min: 12, get: (c) => vm.nowText(c.number, 'next') },
    ],
  });
}

export const channelsView: ViewDef = {
  id: 'channels',
  title: 'Channels',
  create(ctx: AppContext): View {
    const { theme: t, model } = ctx;
    const root = blessed.box({ parent: ctx.body, top: 0, left: 0, width: '100%', height: '100%' });
    const vm = new ChannelsModel();

    const table = channelTable(ctx, root, vm, (c) => preview.show(c?.number ?? null));
    const preview = new TimelinePreview(ctx, root, { top: '55%', left: 0, width: '100%', bottom: 0 });

    async function loadChannels(): Promise<void> {
      vm.setChannels(await model.call(() => ctx.client.channels()));
      table.setRows(vm.channels);
      applyPending();
      await loadNowNext(false);
      ctx.invalidate();
    }

    /** now/next per channel, each cached until its programme ends. */
    let nowLoading = false;
    async function loadNowNext(force: boolean): Promise<void> {
      if (nowLoading) return;
      nowLoading = true;
      try { await loadNowNextOnce(force); } finally { nowLoading = false; }
    }
    async function loadNowNextOnce(force: boolean): Promise<void> {
      const due = vm.due(force);
      for (let i = 0; i < due.length; i += 8) {
        await Promise.all(due.slice(i, i + 8).map(async (c) => {
          try {
            const r = await ctx.client.now(c.number);
            vm.setNow(c.number, r.row, r.next);
          } catch (err) {
            vm.setNowError(c.number, err as { status?: number; message?: string }); // 404: nothing scheduled
          }
        }));
      }
      ctx.invalidate();
    }

    function applyPending(): void {
      const p = vm.takePending();
      if (!p) return;
      table.select(p.select);
      if (p.tune && p.channel) showTune(ctx, p.channel);
    }

    const poller = new Poller(async () => { await loadChannels(); }, 15_000);

    const selected = () => table.selected();
    const add = () => openChannelForm(ctx, null, (c) => { vm.pending = { select: c.number }; poller.kick(); });
    const edit = () => {
      const c = selected();
      if (!c) { ctx.flash('no channel selected', 'info'); return; }
      return openChannelForm(ctx, c, (saved) => { vm.forget(c.number); vm.pending = { select: saved.number }; poller.kick(); });
    };
    const remove = async () => {
      const c = selected();
      if (!c) { ctx.flash('no channel selected', 'info'); return; }
      const yes = await ctx.confirm(`Delete channel ${c.number} "${c.name}" and its timeline?`);
      if (!yes) { ctx.flash(`kept channel ${c.number}`, 'info'); return; }
      await ctx.act(`delete channel ${c.number}`, async () => {
        await ctx.client.deleteChannel(c.number);
        vm.forget(c.number);
        poller.kick();
        return `deleted channel ${c.number} "${c.name}"`;
      });
    };
    const tune = () => {
      const c = selected();
      if (!c) { ctx.flash('no channel selected', 'info'); return; }
      if (!c.enabled) ctx.flash(`channel ${c.number} is disabled: it will answer 404 until enabled`, 'err');
      showTune(ctx, c);
    };

    const bindings: Binding[] = [
      { keys: ['a'], desc: 'add a channel', hint: 'add', mutates: true, run: add },
      { keys: ['e', 'enter'], desc: 'edit the selected channel', hint: 'edit', mutates: true, run: edit },
      { keys: ['D'], desc: 'delete the selected channel (asks first)', hint: 'delete', mutates: true, run: remove },
      { keys: ['t'], desc: 'tune: stream and player URLs of the selected channel', hint: 'tune', run: tune },
      { keys: ['X'], desc: "stop the selected channel's live session (asks first)", hint: 'stop', mutates: true, run: () => stopSession(ctx, selected()) },
      { keys: ['s'], desc: 'open the selected channel\'s schedule', run: () => { const c = selected(); if (c) ctx.go('schedules', { select: c.number }); } },
      ...preview.bindings(1),
    ];

    return {
      id: 'channels', title: 'Channels', root, panes: [table, preview.table], bindings,
      show(arg) {
        if (arg && typeof arg === 'object') { vm.pending = arg as Pending; applyPending(); }
        poller.start();
      },
      hide() { poller.stop(); },
      refresh() { vm.forget(); poller.kick(); preview.show(selected()?.number ?? null, true); },
      render() {
        // Programmes end while the view is open: refresh those (cheap, cached per channel).
        if (vm.anyEnded()) void loadNowNext(false);
        table.render();
        preview.table.render();
      },
      onEvent(e) {
        if (e.event === 'timeline.changed') {
          const d = e.data as { number: string };
          vm.forget(d.number);
          preview.changed(d.number);
          if (vm.loaded) void loadNowNext(false);
        }
      },
      destroy() { poller.stop(); },
    };
  },
};
