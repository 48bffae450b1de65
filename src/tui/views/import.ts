// TUI action "import from dizqueTV, Tunarr or ErsatzTV" (the `:` palette): a form for program,
// path and what to do (dry run first by default), then the report in a popup. The same request as
// `exstreamtv import` and POST /api/import.
import { importReportLines } from '../../client/import-report.js';
import type { ImportReport } from '../../schemas/import.js';
import type { Binding } from '../keymap.js';
import type { AppContext } from '../view.js';

const MODES: Record<string, { dryRun: boolean; onClash: 'refuse' | 'renumber' | 'replace' }> = {
  dry: { dryRun: true, onClash: 'refuse' },
  import: { dryRun: false, onClash: 'refuse' },
  renumber: { dryRun: false, onClash: 'renumber' },
  replace: { dryRun: false, onClash: 'replace' },
};

export function openImport(ctx: AppContext, last: { program: string; path: string; mode: string } = { program: 'dizquetv', path: '', mode: 'dry' }): void {
  ctx.form({
    title: 'Import from dizqueTV, Tunarr or ErsatzTV',
    submitLabel: 'run',
    fields: [
      { name: 'program', label: 'From', kind: 'choice', value: last.program, options: [{ value: 'dizquetv', label: 'dizqueTV' }, { value: 'tunarr', label: 'Tunarr' }, { value: 'ersatztv', label: 'ErsatzTV' }] },
      { name: 'path', label: 'Path', kind: 'text', value: last.path, size: 50, hint: 'dizqueTV: .dizquetv folder; Tunarr: its data folder; ErsatzTV: ersatztv.sqlite3' },
      { name: 'mode', label: 'Do', kind: 'choice', value: last.mode, options: [
        { value: 'dry', label: 'dry run: report only' }, { value: 'import', label: 'import (refuse clashes)' },
        { value: 'renumber', label: 'import, next free numbers on a clash' }, { value: 'replace', label: 'import, replace on a clash' },
      ] },
    ],
    fieldFor: (path) => (path.replace(/^body\./, '') === 'onClash' ? 'mode' : path.replace(/^body\./, '').split('.')[0]),
    async submit(v) {
      const mode = MODES[String(v.mode)] ?? MODES.dry!;
      const body = { program: String(v.program), path: String(v.path).trim(), ...mode };
      const report = await ctx.client.request<ImportReport>('POST', '/api/import', body);
      // After the form has closed, so the report is on top.
      setImmediate(() => ctx.message(report.dryRun ? 'Import — dry run (nothing written)' : 'Import — done', importReportLines(report, 200)));
      return importReportLines(report)[0]!;
    },
  });
}

/** The palette entry (no key of its own: views own the letters). */
export const importBinding = (ctx: AppContext): Binding => ({ keys: [], desc: 'import from dizqueTV, Tunarr or ErsatzTV (dry run first)', mutates: true, run: () => openImport(ctx) });
