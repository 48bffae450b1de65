// `exstreamtv doctor [channel]`: what is wrong and how to fix it, from session trouble, the
// library and a trial run of the failing piece; the model explains it when one is set up.
import { Command } from 'commander';
import type { ChannelDiagnosis, Diagnostics, Finding } from '../../schemas/ai.js';
import { printJson } from '../format.js';
import { withApi } from '../run.js';

function printFindings(findings: Finding[], indent = ''): void {
  for (const f of findings) {
    console.log(`${indent}✗ ${f.title}\n${indent}  fix: ${f.fix}`);
    for (const e of f.evidence) console.log(`${indent}  | ${e}`);
  }
}

function printChannel(d: ChannelDiagnosis): void {
  console.log(`channel ${d.number} "${d.name}"`);
  if (!d.findings.length) console.log('  ✓ no problem found');
  printFindings(d.findings, '  ');
  if (d.piece) {
    console.log(`  piece on air: ${d.piece.title} (trial run: ${d.piece.exitCode === null ? 'still running after a few seconds' : `exit ${d.piece.exitCode}`})`);
    console.log(`  ffmpeg command:\n    ${d.piece.shell}`);
  }
  if (d.explanation) console.log(`  explanation (model):\n    ${d.explanation.replace(/\n/g, '\n    ')}`);
}

export function doctorCommand(): Command {
  return new Command('doctor').description('troubleshoot: causes, concrete fixes, evidence and the failing ffmpeg command')
    .argument('[channel]', 'one channel (default: the box and every channel with recent errors)')
    .option('--explain', 'ask the AI provider to explain the findings (facts sent without paths or tokens)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  exstreamtv doctor\n  exstreamtv doctor 5 --explain')
    .action(withApi<{ explain?: boolean; json?: boolean }>(async ({ api }, o, [channel]) => {
      const q = o.explain ? '?explain=true' : '';
      if (channel !== undefined) {
        const d = await api.request<ChannelDiagnosis>('GET', `/api/diagnostics/${encodeURIComponent(String(channel))}${q}`);
        if (o.json) printJson(d); else printChannel(d);
        if (d.findings.length) process.exitCode = 1;
        return;
      }
      const all = await api.request<Diagnostics>('GET', `/api/diagnostics${q}`);
      if (o.json) printJson(all);
      else {
        console.log(all.system.length ? 'the box:' : 'the box: ✓ disk, clock and tuners look fine');
        printFindings(all.system, '  ');
        if (!all.channels.length) console.log('channels: ✓ no recent session errors');
        all.channels.forEach(printChannel);
      }
      if (all.system.length || all.channels.some((c) => c.findings.length)) process.exitCode = 1;
    }));
}
