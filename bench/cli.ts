// CLI start-up benchmark: wall time of real `exstreamtv` processes, one JSON line per case.
//  version:           `exstreamtv --version` (no data dir, no API)
//  help:              `exstreamtv channel list --help`
//  daemon:            `exstreamtv channel list --json --url <daemon>` against a running `exstreamtv serve`
//  in-process:        `exstreamtv channel list --json --data-dir <dir>` with no daemon (engine + API in the process)
// Median and p90 over --runs (default 15) after one warm-up run each.
//   node dist/bench/cli.js [--runs 15]
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { BIN } from '../test/helpers/cli.js';
import { prepareDataDir, startDaemon } from './lib/serve.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const RUNS = Number(values.runs);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

function time(name: string, args: string[]): void {
  const ms: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, EXSTREAMTV_LOG_LEVEL: 'warn' } });
    if (r.status !== 0) throw new Error(`exstreamtv ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (i > 0) ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ms.sort((a, b) => a - b);
  console.log(JSON.stringify({ bench: 'cli', case: name, runs: RUNS, medianMs: Math.round(pct(ms, 0.5)), p90Ms: Math.round(pct(ms, 0.9)) }));
}

const CLIPS = { 'a.mkv': { duration: 2, size: '320x240', fps: 25 } };
const daemon = await startDaemon(CLIPS, 3);
try {
  time('version', ['--version']);
  time('help', ['channel', 'list', '--help']);
  time('daemon', ['channel', 'list', '--json', '--url', daemon.url]);
} finally {
  await daemon.stop();
}
const dir = await prepareDataDir(CLIPS, 3);
try {
  time('in-process', ['channel', 'list', '--json', '--data-dir', dir]);
} finally {
  await rm(dir, { recursive: true, force: true });
}
