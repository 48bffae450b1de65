// Dashboard: host gauges, tuner use, the live sessions table and the log pane. What it draws and
// decides is in dashboard-model.ts (tested without a screen); this is the blessed layer.
import blessed from 'blessed';
import type { Binding } from '../keymap.js';
import type { SessionRow } from '../model.js';
import { Poller } from '../model.js';
import { kbps, sparkline } from '../text.js';
import type { AppContext, View, ViewDef } from '../view.js';
import { errorDetailLines, shellLine } from '../errors.js';
import { LogPane } from '../widgets/logpane.js';
import { Table } from '../widgets/table.js';
import { stopSession } from './channel-shared.js';
import { showDiagnosis } from './doctor.js';
import { DashboardModel, lastErrorText, sessionUptime, toggleLogChannel } from './dashboard-model.js';

const SPARK_W = 10;

export const dashboardView: ViewDef = {
  id: 'dashboard',
  title: 'Dashboard',
  create(ctx: AppContext): View {
    const { theme: t, model } = ctx;
    const root = blessed.box({ parent: ctx.body, top: 0, left: 0, width: '100%', height: '100%' });
    const gauges = blessed.box({ parent: root, top: 0, left: 0, width: '100%', height: 3, tags: true });
    const vm = new DashboardModel();

    const sessions = new Table<SessionRow>({
      parent: root, theme: t, label: 'Live sessions', mouse: ctx.mouse,
      position: { top: 2, left: 0, width: '100%', height: '50%-1' },
      key: (r) => String(r.channelId),
      empty: 'no live sessions: tune a channel (Channels → t) or point a DVR at the tuner',
      columns: [
        { title: 'CH', width: 6, get: (r) => r.number },
        { title: 'NAME', flex: 1, min: 8, hideBelow: 100, get: (r) => r.name },
        { title: 'VIEW', width: 4, align: 'right', get: (r) => `${r.viewers}${r.hlsActive ? '+H' : ''}` },
        { title: 'UP', width: 7, align: 'right', get: (r) => sessionUptime(r, model.sessionsAt) },
        { title: 'NOW PLAYING', flex: 2, min: 10, get: (r) => r.nowPlaying ?? '—' },
        { title: 'PIECE', width: 9, hideBelow: 90, get: (r) => r.piece ?? '—' },
        { title: 'ENCODER', width: 18, hideBelow: 110, get: (r) => r.encoder },
        { title: 'KBPS', width: 6, align: 'right', get: (r) => kbps(r.bitrateKbps) },
        { title: 'BITRATE', width: SPARK_W, get: (r) => sparkline(model.kbpsHistory.get(r.channelId) ?? [], SPARK_W), style: (_r, s) => t.accent(s) },
        { title: 'RST', width: 3, align: 'right', get: (r) => String(r.restarts), style: (r, s) => (r.restarts ? t.warn(s) : s) },
        { title: 'LAST ERROR', flex: 1, min: 8, get: lastErrorText, style: (r, s) => (r.lastError ? t.err(s) : t.dim(s)) },
      ],
    });
    const logs = new LogPane({ parent: root, theme: t, ring: model.logs, mouse: ctx.mouse, position: { top: '50%+1', left: 0, width: '100%', bottom: 0 } });

    const sysPoller = new Poller(async () => {
      try { vm.setSample(await ctx.sys.sample()); } catch (err) { vm.setSampleError((err as Error).message); }
      ctx.invalidate();
    }, 2000);

    let lastGauges = '';
    const follow = () => { const on = logs.toggleFollow(); ctx.flash(on ? 'log: following new lines' : 'log: paused (f or G to follow)', 'info'); };
    const channelFilter = () => {
      const r = toggleLogChannel(logs.channel, sessions.selected());
      logs.channel = r.channel;
      ctx.flash(r.message, 'info');
    };

    /** `i`: the selected session's error in full, with the failing ffmpeg command and its stderr. */
    const detail = async () => {
      const sel = sessions.selected();
      if (!sel) { ctx.flash('select a session to see its error', 'info'); return; }
      // The row is kept current by events; the failure details come with the session's stats.
      const s = (await ctx.client.request<SessionRow[]>('GET', '/api/sessions')).find((x) => x.channelId === sel.channelId) ?? sel;
      const w = Math.max(30, (ctx.screen.width as number) - 8);
      ctx.message(`Error detail — channel ${s.number} ${s.name}`, errorDetailLines(s, w), s.lastFailure ? shellLine(s.lastFailure.command) : undefined);
    };
    const wrapLog = () => ctx.flash(logs.toggleWrap() ? 'log: long lines wrapped (w again to cut them)' : 'log: one line per entry (w wraps long lines)', 'info');

    const bindings: Binding[] = [
      { keys: ['i'], desc: 'error detail of the selected session: the whole error, its ffmpeg command, the last stderr lines', hint: 'detail', panes: [0], run: detail },
      { keys: ['enter'], desc: 'open the selected session\'s channel', hint: 'channel', panes: [0], run: () => { const s = sessions.selected(); if (s) ctx.go('channels', { select: s.number }); } },
      { keys: ['f'], desc: 'log: follow new lines / pause', hint: 'follow', run: follow },
      { keys: ['c'], desc: 'log: only the selected session\'s channel / all', hint: 'log filter', run: channelFilter },
      { keys: ['w'], desc: 'log: wrap long lines / one line per entry', hint: 'wrap', panes: [1], run: wrapLog },
      { keys: ['X'], desc: 'stop the selected session (asks first; its viewers are disconnected)', hint: 'stop', mutates: true, panes: [0], run: () => stopSession(ctx, sessions.selected()) },
      { keys: ['d'], desc: 'doctor: causes, fixes and the ffmpeg command of the selected session\'s channel', hint: 'doctor', panes: [0], run: () => showDiagnosis(ctx, sessions.selected()) },
      { keys: ['t'], desc: 'tune URLs of the selected session\'s channel', panes: [0], run: () => { const s = sessions.selected(); if (s) ctx.go('channels', { select: s.number, tune: true }); } },
    ];

    return {
      id: 'dashboard', title: 'Dashboard', root, panes: [sessions, logs], bindings,
      show() { model.setSessionRate(1000); model.refreshSessions(); sysPoller.start(); },
      hide() { model.setSessionRate(5000); sysPoller.stop(); },
      refresh() { model.refreshSessions(); sysPoller.kick(); },
      render() {
        const w = root.width as number;
        const gt = vm.gauges(w, { count: model.discover?.TunerCount ?? 0, inUse: model.tunersInUse() }, t);
        if (gt !== lastGauges) {
          gauges.setContent(gt);
          lastGauges = gt;
          // The GPU line, when there is one, pushes the tables down a row.
          const rows = vm.rowsChanged(gt);
          if (rows !== null) {
            sessions.element.top = rows;
            sessions.element.height = `50%-${rows - 1}`;
          }
        }
        // A live table is worth more rows than the log when sessions are many.
        sessions.setRows(model.sessions);
        sessions.render();
        logs.render();
      },
      destroy() { sysPoller.stop(); },
    };
  },
};
