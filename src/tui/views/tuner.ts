// Tuner / settings: how DVRs see this box (the HDHomeRun identity from /discover.json) and the
// URLs to paste into Plex, Channels DVR and Jellyfin, each checked to answer before it is offered.
import blessed from 'blessed';
import type { Binding } from '../keymap.js';
import { esc } from '../text.js';
import type { AppContext, View, ViewDef } from '../view.js';
import { Table } from '../widgets/table.js';

interface Row { key: string; field: string; value: string; check?: string; url?: boolean }

export const tunerView: ViewDef = {
  id: 'tuner',
  title: 'Tuner',
  create(ctx: AppContext): View {
    const { theme: t, model } = ctx;
    const root = blessed.box({ parent: ctx.body, top: 0, left: 0, width: '100%', height: '100%' });
    const checks = new Map<string, number>();
    let checkedBase = '';

    const table = new Table<Row>({
      parent: root, theme: t, label: 'Tuner and URLs', mouse: ctx.mouse,
      position: { top: 0, left: 0, width: '100%', height: '60%' },
      key: (r) => r.key,
      empty: 'reading /discover.json…',
      columns: [
        { title: 'FIELD', width: 16, get: (r) => r.field },
        { title: 'VALUE', flex: 1, get: (r) => r.value },
        { title: 'CHECK', width: 16, get: (r) => r.check ?? '', style: (r, s) => (r.check?.startsWith('✔') ? t.ok(s) : r.check?.startsWith('✖') ? t.err(s) : t.dim(s)) },
      ],
    });
    const help = blessed.box({ parent: root, top: '60%', left: 0, width: '100%', bottom: 0, border: { type: 'line' }, style: { border: { ...t.border } }, tags: true, label: ' Where to paste ', wrap: true });

    const urls = (base: string) => ({
      discover: `${base}/discover.json`,
      lineup: `${base}/lineup.json`,
      m3u: `${base}/iptv/channels.m3u`,
      xmltv: `${base}/iptv/xmltv.xml`,
    });
    const checkText = (path: string) => {
      const s = checks.get(path);
      if (s === undefined) return '… checking';
      if (s >= 200 && s < 400) return `✔ answers ${s}`;
      return s === 0 ? '✖ no answer' : `✖ ${s}${s === 404 ? ' not served' : ''}`;
    };

    function rows(): Row[] {
      const d = model.discover;
      const s = model.status;
      const base = (d?.BaseURL ?? ctx.info.apiUrl).replace(/\/+$/, '');
      const u = urls(base);
      const out: Row[] = [];
      if (d) {
        out.push({ key: 'name', field: 'Friendly name', value: d.FriendlyName });
        out.push({ key: 'id', field: 'DeviceID', value: d.DeviceID });
        if (d.ModelNumber) out.push({ key: 'model', field: 'Model', value: `${d.ModelNumber} (HDHomeRun emulation)` });
        out.push({ key: 'tuners', field: 'Tuners', value: `${d.TunerCount} (${model.tunersInUse()} in use)` });
        out.push({ key: 'base', field: 'Base URL', value: base, url: true });
      } else {
        out.push({ key: 'nodiscover', field: 'HDHomeRun', value: 'this daemon does not answer /discover.json', check: '✖' });
      }
      out.push({ key: 'discover', field: 'Discover', value: u.discover, check: checkText('/discover.json'), url: true });
      out.push({ key: 'lineup', field: 'Lineup', value: u.lineup, check: checkText('/lineup.json'), url: true });
      out.push({ key: 'm3u', field: 'M3U playlist', value: u.m3u, check: checkText('/iptv/channels.m3u'), url: true });
      out.push({ key: 'xmltv', field: 'XMLTV guide', value: u.xmltv, check: checkText('/iptv/xmltv.xml'), url: true });
      out.push({ key: 'api', field: 'API', value: `${ctx.info.apiUrl}/api (${ctx.info.mode})`, url: false });
      if (s) {
        out.push({ key: 'data', field: 'Data dir', value: s.dataDir });
        out.push({ key: 'version', field: 'Version', value: `exstreamtv ${s.version}` });
        out.push({ key: 'library', field: 'Library', value: `${s.channels} channels · ${s.sources} sources · ${s.items.ok} items ok, ${s.items.missing} missing, ${s.items.unreadable} unreadable` });
      }
      return out;
    }

    async function check(): Promise<void> {
      const base = model.discover?.BaseURL ?? ctx.info.apiUrl;
      checkedBase = base;
      await Promise.all(['/discover.json', '/lineup.json', '/iptv/channels.m3u', '/iptv/xmltv.xml'].map(async (p) => {
        checks.set(p, await ctx.info.probe(p).catch(() => 0));
      }));
      ctx.invalidate();
    }

    let lastHelp = '';
    function helpText(w: number): string {
      const d = model.discover;
      const base = (d?.BaseURL ?? ctx.info.apiUrl).replace(/\/+$/, '');
      const hostPort = base.replace(/^https?:\/\//, '');
      const u = urls(base);
      const iptv = checks.get('/iptv/channels.m3u');
      const iptvOk = iptv !== undefined && iptv >= 200 && iptv < 400;
      const k = (name: string) => t.bold(esc(name.padEnd(10)));
      const pad = ' '.repeat(10);
      const lines = [
        `${k('Plex')} Live TV & DVR → Set up DVR (finds it on the LAN) or enter ${esc(hostPort)}`,
        `${k('Channels')} Sources → + HDHomeRun: ${esc(hostPort)}`,
        ...(iptvOk ? [`${pad} or Custom Channels, M3U: ${esc(u.m3u)}`, `${pad} with XMLTV: ${esc(u.xmltv)}`] : []),
        `${k('Jellyfin')} Live TV → Tuner devices → + HDHomeRun: ${esc(base)}`,
        ...(iptvOk ? [`${pad} TV guide data → + XMLTV: ${esc(u.xmltv)}`] : []),
        '',
      ];
      void w;
      return lines.map((l) => ` ${l}`).join('\n');
    }

    const copy = () => {
      const r = table.selected();
      if (!r) return;
      ctx.copy(r.value);
    };

    const bindings: Binding[] = [
      { keys: ['y'], desc: 'copy the selected value (OSC 52 clipboard)', hint: 'copy', run: copy },
      { keys: ['enter'], desc: 'show the selected value in full', hint: 'show', run: () => { const r = table.selected(); if (r) ctx.message(r.field, [esc(r.value)], r.value); } },
    ];

    return {
      id: 'tuner', title: 'Tuner', root, panes: [table], bindings,
      show() { model.refreshStatus(); void check(); },
      hide() {},
      refresh() { checks.clear(); model.refreshStatus(); void check(); },
      render() {
        if (model.discover && model.discover.BaseURL !== checkedBase) void check();
        table.setRows(rows());
        table.render();
        const h = helpText((help.width as number) - 2);
        if (h !== lastHelp) { help.setContent(h); lastHelp = h; }
      },
    };
  },
};
