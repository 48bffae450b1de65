// Tuner / settings: how DVRs see this box (the HDHomeRun identity from /discover.json, whether
// UDP/SSDP discovery announces it) and the URLs to paste into Plex, Channels DVR and Jellyfin, each
// checked to answer before it is offered; `n` changes the friendly name or DeviceID; and the
// database backups (back up, restore, delete). State and rows live in tuner-model.ts; this file
// is the blessed layer: widgets, keys, requests.
import blessed from 'blessed';
import { TUNER_PATHS } from '../../client/tuner-urls.js';
import type { BackupInfo, BackupList, RestoreResult } from '../../schemas/backup.js';
import type { TunerInfo } from '../../schemas/tuner.js';
import type { Binding } from '../keymap.js';
import { esc, wrap } from '../text.js';
import type { AppContext, View, ViewDef } from '../view.js';
import { Table } from '../widgets/table.js';
import { pasteLines } from './tuner-help.js';
import { backupSize, identityFields, identityPatch, taken, takenShort, TunerModel, type TunerRow } from './tuner-model.js';

/** `n`: the friendly name and DeviceID DVRs see (PATCH /api/tuner, as `exstreamtv tuner set`). */
function openIdentityForm(ctx: AppContext): void {
  const d = ctx.model.discover;
  if (!d) { ctx.flash('this daemon does not answer /discover.json: no tuner identity to change', 'info'); return; }
  ctx.form({
    title: 'Tuner identity (same as exstreamtv tuner set)', fields: identityFields(d), submitLabel: 'save',
    fieldFor: (path) => path.replace(/^body\./, '').replace(/^newDeviceId$/, 'deviceId'),
    async submit(v) {
      const patch = identityPatch(v, d);
      if (!patch) return 'tuner identity: nothing changed';
      const r = await ctx.client.request<TunerInfo>('PATCH', '/api/tuner', patch);
      ctx.model.refreshStatus();
      return `tuner: "${r.friendlyName}", DeviceID ${r.deviceId} (DVRs see it at their next discovery)`;
    },
  });
}

/** b, R, D: back up now, restore or delete the selected backup (both ask first). */
function backupActions(ctx: AppContext, backupTable: Table<BackupInfo>, loadBackups: () => Promise<void>) {
  const model = ctx.model;
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
  return { backUp, restore, remove };
}

export const tunerView: ViewDef = {
  id: 'tuner',
  title: 'Tuner',
  create(ctx: AppContext): View {
    const { theme: t, model } = ctx;
    const vm = new TunerModel(ctx.info);
    const root = blessed.box({ parent: ctx.body, top: 0, left: 0, width: '100%', height: '100%' });

    const table = new Table<TunerRow>({
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
        { title: 'SIZE', width: 9, align: 'right', hideBelow: 40, get: (b) => backupSize(b.size) },
        { title: 'OK', width: 3, get: (b) => (vm.backupOk(b) ? '✔' : '✖'), style: (_b, x) => (x.includes('✔') ? t.ok(x) : t.err(x)) },
      ],
    });

    async function check(): Promise<void> {
      vm.checkedBase = model.discover?.BaseURL ?? ctx.info.apiUrl;
      await Promise.all(Object.values(TUNER_PATHS).map(async (p) => { vm.checks.set(p, await ctx.info.probe(p).catch(() => 0)); }));
      ctx.invalidate();
    }

    let lastHelp = '';
    function helpText(w: number): string {
      const { warning, entries } = vm.paste(model.discover);
      const lines = pasteLines(entries, w - 1).map((l) => (l.wide ? ` ${esc(l.text)}` : ` ${t.bold(esc(l.app.padEnd(10)))} ${esc(l.text)}`));
      if (warning) lines.unshift(...wrap(warning, w - 2).map((l) => ` ${t.warn(esc(l))}`));
      return lines.join('\n');
    }

    // Which pane has the focus: y and enter act on it.
    let backupsFocused = false;
    const setBackupFocus = backupTable.setFocused.bind(backupTable);
    backupTable.setFocused = (f: boolean) => { backupsFocused = f; setBackupFocus(f); };

    const copy = () => {
      const value = backupsFocused ? backupTable.selected()?.name : table.selected()?.value;
      if (value) ctx.copy(value);
    };
    const showSelected = () => {
      if (backupsFocused) {
        const b = backupTable.selected();
        if (b) ctx.message('Backup', vm.backupLines(b).map(esc), b.name);
        return;
      }
      const r = table.selected();
      if (r) ctx.message(r.field, [esc(r.value)], r.value);
    };

    async function loadBackups(): Promise<void> {
      try {
        vm.backups = await ctx.client.request<BackupList>('GET', '/api/backups');
        vm.backupsError = '';
      } catch (err) {
        vm.backupsError = (err as Error).message;
      }
      ctx.invalidate();
    }

    const { backUp, restore, remove } = backupActions(ctx, backupTable, loadBackups);

    const bindings: Binding[] = [
      { keys: ['y'], desc: 'copy the selected value (OSC 52 clipboard)', hint: 'copy', panes: [0], run: copy },
      { keys: ['enter'], desc: 'show the selected value in full', hint: 'show', panes: [0], run: showSelected },
      { keys: ['n'], desc: 'tuner identity: friendly name and DeviceID (exstreamtv tuner set)', hint: 'name/id', mutates: true, panes: [0], run: () => openIdentityForm(ctx) },
      { keys: ['b'], desc: 'back up the database now', hint: 'backup', mutates: true, run: backUp },
      { keys: ['R'], desc: 'restore the selected backup (asks first: replaces channels and schedules, stops streams)', hint: 'restore', mutates: true, panes: [1], run: restore },
      { keys: ['D'], desc: 'delete the selected backup (asks first)', hint: 'delete', mutates: true, panes: [1], run: remove },
    ];

    return {
      id: 'tuner', title: 'Tuner', root, panes: [table, backupTable], bindings,
      show() { model.refreshStatus(); void check(); void loadBackups(); },
      hide() {},
      refresh() { vm.checks.clear(); model.refreshStatus(); void check(); void loadBackups(); },
      onEvent(e) {
        const msg = e.event === 'log' ? (e.data as { msg?: string }).msg ?? '' : '';
        if (vm.backupsChangedBy(msg)) void loadBackups();
      },
      render() {
        if (vm.needsCheck(model.discover)) void check();
        table.setRows(vm.rows(model.discover, model.status, model.tunersInUse()));
        table.render();
        const pane = vm.backupsPane();
        if (pane) { backupTable.label = pane.label; backupTable.empty = pane.empty; backupTable.setRows(pane.rows); }
        backupTable.render();
        const h = helpText((help.width as number) - 2);
        if (h !== lastHelp) { help.setContent(h); lastHelp = h; }
      },
    };
  },
};
