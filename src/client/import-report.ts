// An import report as lines of text (the CLI prints them, the TUI shows them).
import type { ImportReport } from '../schemas/import.js';

const NAMES: Record<ImportReport['program'], string> = { dizquetv: 'dizqueTV', tunarr: 'Tunarr', ersatztv: 'ErsatzTV' };

export function importReportLines(r: ImportReport, maxUnmatched = 50): string[] {
  const out: string[] = [];
  const verb = r.dryRun ? 'would import' : 'imported';
  const m = r.matched;
  const matched = m.key + m.ids + m.episode + m.title + m.path;
  out.push(`${NAMES[r.program]} ${r.path}: ${verb} ${r.channels.filter((c) => c.action !== 'clash' && c.action !== 'skip').length} channel(s), ${r.collections.filter((c) => c.action !== 'clash').length} collection(s)${r.dryRun ? ' (dry run: nothing written)' : ''}`);
  out.push(`programmes matched: ${matched} (server key ${m.key}, imdb/tmdb/tvdb ${m.ids}, show+season+episode ${m.episode}, title+year ${m.title}, file ${m.path}); unmatched: ${r.unmatched.length}`);
  if (r.servers.length) out.push('servers:', ...r.servers.map((s) => `  ${s.name} (${s.kind} ${s.url}): ${s.state}${s.sources.length ? ` → source(s) ${s.sources.join(', ')}` : ''}${s.why ? ` — ${s.why}` : ''}`));
  if (r.libraries.length) out.push('local libraries:', ...r.libraries.map((l) => `  ${l.name} ${l.path}: ${l.state}${l.why ? ` — ${l.why}` : ''}`));
  if (r.channels.length) {
    out.push('channels:');
    for (const c of r.channels) {
      const num = c.number === c.from ? c.number : `${c.from} → ${c.number}`;
      out.push(`  ${num} "${c.name}": ${c.action}; ${c.schedule}; ${c.matched}/${c.programmes} programmes matched`);
      for (const n of c.notes) out.push(`      ${n}`);
    }
  }
  if (r.collections.length) out.push('collections:', ...r.collections.map((c) => `  "${c.name}" (${c.kind}, ${c.items} items): ${c.action}`));
  if (r.unmatched.length) {
    out.push('unmatched (not imported):');
    for (const u of r.unmatched.slice(0, maxUnmatched)) out.push(`  ${u.where}: ${u.title} — ${u.why}`);
    if (r.unmatched.length > maxUnmatched) out.push(`  … and ${r.unmatched.length - maxUnmatched} more (--json lists all)`);
  }
  if (r.clashes.length) out.push('already here:', ...r.clashes.map((c) => `  ${c}`), '  (import with --renumber or --replace)');
  if (r.notes.length) out.push('not brought over:', ...r.notes.map((n) => `  ${n}`));
  return out;
}
