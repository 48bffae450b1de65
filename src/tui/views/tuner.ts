// Tuner / settings: how DVRs see this box (the HDHomeRun identity from /discover.json, whether
// UDP/SSDP discovery announces it) and the URLs to paste into Plex, Channels DVR and Jellyfin, each
// checked to answer before it is offered; and the database backups (back up, restore, delete).
import blessed from 'blessed';
import type { BackupInfo, BackupList, RestoreResult } from '../../schemas/backup.js';
import type { Binding } from '../keymap.js';
import { esc, wrap } from '../text.js';
import type { AppContext, View, ViewDef } from '../view.js';
import { Table } from '../widgets/table.js';
import { loopbackWarning, pasteLines, type PasteEntry } from './tuner-help.js';

interface Row { key: string; field: string; value: string; check?: string; url?: boolean }

/** 2025-01-31T03:30:05Z → 2025-01-31 03:30:05 (UTC, like the stamp in the file name). */
const taken = (iso: string) => iso.replace('T', ' ').replace(/Z$/, '');
/** The same without the year, for the list (backups are days old). */
const takenShort = (iso: string) => taken(iso).slice(5);
const size = (n: number) => (n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`);

export const tunerView: ViewDef = {
  id: 'tuner',
  title: 'Tuner',
  create(ctx: AppContext): View {
    const { theme: t, model } = ctx;
    const root = blessed.box({ parent: ctx.body, top: 0, left: 0, width: '100%', height: '100%' });
    const checks = new Map<string, number>();
    let checkedBase = '';

    let backups: BackupList | null = null;
    let backupsError = '';

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
    const help = blessed.box({ parent: root, top: '60%', left: 0, width: '62%', bottom: 0, border: { type: 'line' }, style: { border: { ...t.border } }, tags: true, label: ' Where to paste ', wrap: false });
    const backupTable = new Table<BackupInfo>({
      parent: root, theme: t, label: 'Backups', mouse: ctx.mouse,
      position: { top: '60%', left: '62%', right: 0, bottom: 0 },
      key: (b) => b.name,
      empty: 'reading /api/backups…',
      columns: [
        { title: 'TAKEN (UTC)', width: 14, get: (b) => takenShort(b.createdAt) },
        { title: 'REASON', flex: 1, min: 6, get: (b) => b.reason ?? '' },
        { title: 'SIZE', width: 9, align: 'right', hideBelow: 40, get: (b) => size(b.size) },
        {
          title: 'OK', width: 3, get: (b) => (b.schemaVersion === null || (backups && b.schemaVersion > backups.schemaVersion) ? '✖' : '✔'),
          style: (_b, x) => (x.includes('✔') ? t.ok(x) : t.err(x)),
        },
      ],
    });

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
        out.push({ key: 'base', field: 'Base URL', value: base, url: true, ...(loopbackWarning(base) ? { check: '✖ this host only' } : {}) });
      } else {
        out.push({ key: 'nodiscover', field: 'HDHomeRun', value: 'this daemon does not answer /discover.json', check: '✖' });
      }
      const disc = s?.discovery;
      if (disc) {
        out.push(disc.udp.on
          ? { key: 'udp', field: 'UDP discovery', value: `on, UDP ${disc.udp.port} (Channels DVR, Jellyfin "detect" find it)`, check: '✔ on' }
          : { key: 'udp', field: 'UDP discovery', value: disc.udp.reason ?? 'off', check: '– off' });
        out.push(disc.ssdp.on
          ? { key: 'ssdp', field: 'SSDP', value: `on, ${disc.ssdp.addresses.join(', ')} (Plex finds it)`, check: '✔ on' }
          : { key: 'ssdp', field: 'SSDP', value: disc.ssdp.reason ?? 'off', check: '– off' });
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
      const entries: PasteEntry[] = [
        { app: 'Plex', text: `Live TV & DVR → Set up DVR (finds it on the LAN) or enter ${hostPort}` },
        { app: 'Channels', text: `Sources → + HDHomeRun: ${hostPort}` },
        ...(iptvOk ? [{ app: '', text: `or Custom Channels, M3U: ${u.m3u}` }, { app: '', text: `with XMLTV: ${u.xmltv}` }] : []),
        { app: 'Jellyfin', text: `Live TV → Tuner devices → + HDHomeRun: ${base}` },
        ...(iptvOk ? [{ app: '', text: `TV guide data → + XMLTV: ${u.xmltv}` }] : []),
      ];
      const warning = loopbackWarning(base);
      const lines = pasteLines(entries, w - 1).map((l) => (l.wide ? ` ${esc(l.text)}` : ` ${t.bold(esc(l.app.padEnd(10)))} ${esc(l.text)}`));
      if (warning) lines.unshift(...wrap(warning, w - 2).map((l) => ` ${t.warn(esc(l))}`));
      return lines.join('\n');
    }

    // Which pane has the focus: y and enter act on it.
    let backupsFocused = false;
    const setBackupFocus = backupTable.setFocused.bind(backupTable);
    backupTable.setFocused = (f: boolean) => { backupsFocused = f; setBackupFocus(f); };

    const copy = () => {
      if (backupsFocused) { const b = backupTable.selected(); if (b) ctx.copy(b.name); return; }
      const r = table.selected();
      if (!r) return;
      ctx.copy(r.value);
    };
    const showSelected = () => {
      if (backupsFocused) {
        const b = backupTable.selected();
        if (b) ctx.message('Backup', [esc(b.name), `taken ${esc(taken(b.createdAt))} UTC, ${esc(size(b.size))}`, `reason ${esc(b.reason ?? '-')}, schema ${b.schemaVersion === null ? 'not a database' : `v${b.schemaVersion}`}`, `in ${esc(backups?.dir ?? '')}`], b.name);
        return;
      }
      const r = table.selected();
      if (r) ctx.message(r.field, [esc(r.value)], r.value);
    };

    async function loadBackups(): Promise<void> {
      try {
        backups = await ctx.client.request<BackupList>('GET', '/api/backups');
        backupsError = '';
      } catch (err) {
        backupsError = (err as Error).message;
      }
      ctx.invalidate();
    }

    const backUp = () => ctx.act('back up', async () => {
      const b = await ctx.client.request<BackupInfo>('POST', '/api/backups', { reason: 'manual' });
      await loadBackups();
      return `backed up to ${b.name}`;
    });
    const selectedBackup = (): BackupInfo | null => {
      const b = backupTable.selected() ?? null;
      if (!b) ctx.flash('no backup selected (tab to the Backups pane, j/k to pick one)', 'info');
      return b;
    };
    const restore = async () => {
      const b = selectedBackup();
      if (!b) return;
      const yes = await ctx.confirm(`Restore the backup of ${taken(b.createdAt)} UTC? It replaces channels/schedules and stops streams`);
      if (!yes) { ctx.flash('nothing restored', 'info'); return; }
      await ctx.act(`restore ${b.name}`, async () => {
        const r = await ctx.client.request<RestoreResult>('POST', `/api/backups/${encodeURIComponent(b.name)}/restore`);
        await loadBackups();
        model.refreshStatus();
        return `restored ${r.restored.name}; the database before it is ${r.preRestore.name}`;
      });
    };
    const remove = async () => {
      const b = selectedBackup();
      if (!b) return;
      const yes = await ctx.confirm(`Delete the backup of ${taken(b.createdAt)} UTC (${b.reason ?? 'no reason'})?`);
      if (!yes) { ctx.flash(`kept ${b.name}`, 'info'); return; }
      await ctx.act(`delete ${b.name}`, async () => {
        await ctx.client.request('DELETE', `/api/backups/${encodeURIComponent(b.name)}`);
        await loadBackups();
        return `deleted backup ${b.name}`;
      });
    };

    const bindings: Binding[] = [
      { keys: ['y'], desc: 'copy the selected value (OSC 52 clipboard)', hint: 'copy', panes: [0], run: copy },
      { keys: ['enter'], desc: 'show the selected value in full', hint: 'show', panes: [0], run: showSelected },
      { keys: ['b'], desc: 'back up the database now', hint: 'backup', mutates: true, run: backUp },
      { keys: ['R'], desc: 'restore the selected backup (asks first: replaces channels and schedules, stops streams)', hint: 'restore', mutates: true, panes: [1], run: restore },
      { keys: ['D'], desc: 'delete the selected backup (asks first)', hint: 'delete', mutates: true, panes: [1], run: remove },
    ];

    return {
      id: 'tuner', title: 'Tuner', root, panes: [table, backupTable], bindings,
      show() { model.refreshStatus(); void check(); void loadBackups(); },
      hide() {},
      refresh() { checks.clear(); model.refreshStatus(); void check(); void loadBackups(); },
      onEvent(e) {
        // A backup taken elsewhere (the daily one, the CLI) or a restore: list again.
        const msg = e.event === 'log' ? (e.data as { msg?: string }).msg ?? '' : '';
        if (/^(database backed up|database restored|backup .* deleted|removed \d+ old backup)/.test(msg)) void loadBackups();
      },
      render() {
        if (model.discover && model.discover.BaseURL !== checkedBase) void check();
        table.setRows(rows());
        table.render();
        if (backups) {
          backupTable.label = `Backups (keep ${backups.keep})`;
          backupTable.empty = 'no backups yet: b backs up now';
          backupTable.setRows(backups.backups);
        } else if (backupsError) {
          backupTable.empty = `✖ ${backupsError}`;
          backupTable.setRows([]);
        }
        backupTable.render();
        const h = helpText((help.width as number) - 2);
        if (h !== lastHelp) { help.setContent(h); lastHelp = h; }
      },
    };
  },
};
