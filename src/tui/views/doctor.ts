// The doctor in the TUI: `d` on a session diagnoses its channel (GET /api/diagnostics/N) and shows
// causes, fixes, evidence and the piece's ffmpeg command in a pop-up (`y` copies the command).
import type { ChannelDiagnosis } from '../../schemas/ai.js';
import { esc } from '../text.js';
import type { AppContext } from '../view.js';

/** Pop-up lines of a diagnosis (pure: tested without a terminal). */
export function diagnosisLines(d: ChannelDiagnosis, t: Pick<AppContext['theme'], 'bold' | 'err' | 'dim'>): string[] {
  const lines: string[] = [];
  if (!d.findings.length) lines.push('✓ no problem found');
  for (const f of d.findings) {
    lines.push(t.err(`✗ ${esc(f.title)}`), `  ${t.bold('fix')} ${esc(f.fix)}`, ...f.evidence.map((e) => t.dim(`  | ${esc(e)}`)), '');
  }
  if (d.piece) lines.push(t.bold(`piece on air: ${esc(d.piece.title)}`), esc(d.piece.shell), t.dim('y copies the command'));
  if (d.explanation) lines.push('', t.bold('explanation (model)'), esc(d.explanation));
  return lines;
}

/** `d`: diagnose the selected session's channel. */
export async function showDiagnosis(ctx: AppContext, s: { number: string; name: string } | undefined): Promise<void> {
  if (!s) { ctx.flash('select a session to diagnose', 'info'); return; }
  await ctx.act(`diagnose channel ${s.number}`, async () => {
    const d = await ctx.client.request<ChannelDiagnosis>('GET', `/api/diagnostics/${encodeURIComponent(s.number)}`);
    ctx.message(`Doctor: ${s.number} ${s.name}`, diagnosisLines(d, ctx.theme), d.piece?.shell);
    return d.findings.length ? `${d.findings.length} finding(s) for channel ${s.number}` : `channel ${s.number}: no problem found`;
  });
}
