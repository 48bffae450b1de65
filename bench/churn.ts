// Churn: --cycles (1,000 by default) tune/untune cycles against the real daemon (`exstreamtv serve`,
// a child process, streamIdleS 0 so every untune ends the session): each cycle tunes /auto/v<n>
// (alternating over two channels), reads until --bytes arrived, and drops the connection. Figures
// (one JSON line each): cycles done and refused, tune time, ffmpeg left once sessions ended, and the
// daemon's open file descriptors and RSS before and after. Goals (issue 14): 0 ffmpeg left, fds flat.
//   node dist/bench/churn.js [--cycles 1000] [--bytes 65536]
import { parseArgs } from 'node:util';
import type { ClipSpec } from '../test/helpers/media.js';
import { stats, tune } from './lib/ts-probe.js';
import { ffmpegChildren, startDaemon, waitNoFfmpeg } from './lib/serve.js';
import { figure, openFds, rssKiB, sleep } from './lib/proc.js';

const { values } = parseArgs({ options: { cycles: { type: 'string', default: '1000' }, bytes: { type: 'string', default: '65536' } } });
const CYCLES = Number(values.cycles);
const BYTES = Number(values.bytes);
if (!(CYCLES > 0) || !(BYTES > 0)) throw new Error('--cycles and --bytes must be positive numbers');
const print = figure('churn');

const CLIPS: Record<string, ClipSpec> = {
  'a-h264.mp4': { duration: 3, size: '320x180', fps: 25, vcodec: 'libx264', faststart: true },
  'b-mpeg2.ts': { duration: 3, size: '352x288', fps: 25, vcodec: 'mpeg2video' },
};

const daemon = await startDaemon(CLIPS, 2, { streamIdleS: 0 });
let stopped = false;
const stop = async () => { if (!stopped) { stopped = true; await daemon.stop(); } };
process.once('SIGINT', () => void stop().then(() => process.exit(130)));

/** Sessions the daemon has live now (over loopback: no token needed). */
async function liveSessions(): Promise<number> {
  const res = await fetch(`${daemon.url}/api/sessions`);
  return ((await res.json()) as unknown[]).length;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 150 && (await liveSessions()) > 0; i++) await sleep(200);
  await waitNoFfmpeg(daemon.pid, 30_000);
}

try {
  // Baseline after one cycle per channel (lazy loads, caches, the slate) has settled.
  for (const n of [1, 2]) await tune(`${daemon.url}/auto/v${n}`, (p) => p.s.bytes >= BYTES).done;
  await settle();
  const fds0 = await openFds(daemon.pid);
  const rss0 = await rssKiB(daemon.pid);
  const times: number[] = [];
  let refused = 0;
  const started = performance.now();
  for (let i = 0; i < CYCLES; i++) {
    const t = tune(`${daemon.url}/auto/v${1 + (i % 2)}`, (p) => p.s.bytes >= BYTES);
    try {
      const s = await t.done;
      if (s.bytes < BYTES) throw new Error(`cycle ${i}: ${s.bytes} bytes only`);
      times.push(s.firstByteMs ?? Number.NaN);
    } catch (err) {
      refused++;
      if (refused > CYCLES / 10) throw new Error(`too many refused tunes (${refused}); last: ${(err as Error).message}`);
      await sleep(500);
    }
  }
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  await settle();
  const left = await ffmpegChildren(daemon.pid);
  const fds1 = await openFds(daemon.pid);
  const rss1 = await rssKiB(daemon.pid);
  print({ case: 'run', cycles: CYCLES, refused, seconds });
  print({ metric: 'firstByteMs', unit: 'ms', ...stats(times) });
  print({ metric: 'ffmpegLeft', value: left, goal: 0, pass: left === 0 });
  print({ metric: 'openFds', before: fds0, after: fds1, goal: 'flat (± 2)', pass: Math.abs(fds1 - fds0) <= 2 });
  print({ metric: 'rssKiB', before: rss0, after: rss1, growthPct: Math.round(((rss1 - rss0) / rss0) * 1000) / 10 });
} finally {
  await stop();
}
