// Fan-out cost: one channel (720p30 H.264 sources, software encode) watched by 1 and then by 100
// concurrent MPEG-TS viewers on loopback. The server is a real `exstreamtv serve` child; the
// viewers run in a separate process so their reading is not counted. Over a window after
// warm-up it prints, per case, the server's own CPU (node) and its ffmpeg children's CPU, in %
// of one core, plus what each viewer received. One JSON line per case.
//   node dist/bench/fanout.js [--viewers 1,100] [--window 30] [--warmup 8]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ClipSpec } from '../test/helpers/media.js';
import { cpuBetween, cpuSnapshot, machineCpu, machineLoad, machinePct, startDaemon, waitNoFfmpeg } from './lib/serve.js';

const { values } = parseArgs({ options: { viewers: { type: 'string', default: '1,100' }, window: { type: 'string', default: '30' }, warmup: { type: 'string', default: '8' } } });
const cases = values.viewers.split(',').map(Number);
const WINDOW = Number(values.window), WARMUP = Number(values.warmup);
const VIEWERS_JS = fileURLToPath(new URL('./lib/viewers.js', import.meta.url));

const CLIPS: Record<string, ClipSpec> = {
  'a-720p30.mp4': { duration: 30, size: '1280x720', fps: 30, vcodec: 'libx264', faststart: true },
  'b-720p30.mkv': { duration: 30, size: '1280x720', fps: 30, vcodec: 'libx264' },
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const daemon = await startDaemon(CLIPS, 1, { streamIdleS: 2 });
process.once('SIGINT', () => void daemon.stop().then(() => process.exit(130)));
try {
  for (const n of cases) {
    await waitNoFfmpeg(daemon.pid);
    const load = await machineLoad();
    const child = spawn(process.execPath, [VIEWERS_JS, `${daemon.url}/stream/channels/1.ts`, String(n), String(WARMUP + WINDOW), String(WARMUP)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('close', r));
    try {
      await sleep(WARMUP * 1000);
      const a = await cpuSnapshot(daemon.pid);
      const machA = await machineCpu();
      await sleep(WINDOW * 1000);
      const b = await cpuSnapshot(daemon.pid);
      const machB = await machineCpu();
      const code = await exited;
      if (code !== 0) throw new Error(`viewer process exited ${code}`);
      const v = JSON.parse(out.trim().split('\n').at(-1)!);
      const cpu = cpuBetween(a, b);
      const machine = machinePct(machA, machB, load.cpus);
      // Everything else on the machine during the window (not the server, its ffmpeg, or the viewers): shows a disturbed run.
      const otherCpuPct = Math.round((machine - cpu.childrenPct - cpu.selfPct - v.cpuPct) * 10) / 10;
      console.log(JSON.stringify({
        bench: 'fanout', viewers: n, windowS: cpu.seconds, nodeCpuPct: cpu.selfPct, ffmpegCpuPct: cpu.childrenPct, ffmpegProcesses: cpu.childrenSeen,
        viewerProcessCpuPct: v.cpuPct, machineCpuPct: machine, otherCpuPct, connected: v.connected, errors: v.errorCount, endedEarly: v.endedEarly,
        mbpsPerViewer: { min: v.mbpsMin, median: v.mbpsMedian, max: v.mbpsMax }, load1Before: load.load1, cpus: load.cpus,
      }));
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    }
  }
} finally {
  await daemon.stop();
}
