// Capacity: how many software-encoded 720p channels this machine sustains in real time at once.
// A real `exstreamtv serve` child holds MAX channels (720p30 H.264 testsrc2 sources → the 720p30
// libx264 veryfast channel profile). For N = 1, 2, 3… it tunes one MPEG-TS viewer to each of
// channels 1..N, lets them warm up, then over a window compares each channel's delivered media
// time (video DTS received) with wall time. The session paces output to the wall clock, so a
// channel that keeps up delivers 1.00x; below 0.99x its viewer's buffer is draining. One JSON line
// per N, then the largest N where every channel kept up.
// Warm-up lasts at least --warmup s and until each viewer's buffer has reached the session's lead.
//   node dist/bench/capacity.js [--max 8] [--window 30] [--warmup 10]
import { parseArgs } from 'node:util';
import type { ClipSpec } from '../test/helpers/media.js';
import { cpuBetween, cpuSnapshot, machineCpu, machineLoad, machinePct, startDaemon, waitNoFfmpeg } from './lib/serve.js';
import { tune, type Tune } from './lib/ts-probe.js';

const { values } = parseArgs({ options: { max: { type: 'string', default: '8' }, window: { type: 'string', default: '30' }, warmup: { type: 'string', default: '10' } } });
/** Warm-up goes on (up to WARMUP + 20 s) until every viewer holds this much media ahead of the wall clock (the session's 4 s lead). */
const STEADY_LEAD_S = 3.5;
const MAX = Number(values.max), WINDOW = Number(values.window), WARMUP = Number(values.warmup);
/** Delivered/wall at or above this counts as real time (pacing noise is ~0.002). */
const REALTIME = 0.99;

const CLIPS: Record<string, ClipSpec> = {
  'a-720p30.mp4': { duration: 30, size: '1280x720', fps: 30, vcodec: 'libx264', faststart: true },
  'b-720p30.mkv': { duration: 30, size: '1280x720', fps: 30, vcodec: 'libx264' },
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const r3 = (x: number) => Math.round(x * 1000) / 1000;

interface Mark { dts: number; at: number; lead: number }
const mark = (t: Tune): Mark | null => {
  const s = t.probe.s;
  if (s.lastDts === null || s.lastDtsAt === null || s.firstDts === null || s.firstDtsAt === null) return null;
  return { dts: s.lastDts, at: s.lastDtsAt, lead: (s.lastDts - s.firstDts) / 90_000 - (s.lastDtsAt - s.firstDtsAt) / 1000 };
};

// Enough tuners for every channel tried (a tuner is one live channel; the default is 4).
const daemon = await startDaemon(CLIPS, MAX, { streamIdleS: 1, tunerCount: Math.max(4, MAX) });
process.once('SIGINT', () => void daemon.stop().then(() => process.exit(130)));
let best = 0;
try {
  for (let n = 1; n <= MAX; n++) {
    await waitNoFfmpeg(daemon.pid);
    const load = await machineLoad();
    const viewers = Array.from({ length: n }, (_, i) => tune(`${daemon.url}/stream/channels/${i + 1}.ts`, () => false, 3_600_000));
    try {
      const t0 = Date.now();
      await sleep(WARMUP * 1000);
      while (Date.now() - t0 < (WARMUP + 20) * 1000 && !viewers.every((v) => (mark(v)?.lead ?? 0) >= STEADY_LEAD_S)) await sleep(500);
      const warmupS = Math.round((Date.now() - t0) / 100) / 10;
      const refused = viewers.map((v, i) => [i + 1, v.res?.statusCode]).filter(([, code]) => code !== 200);
      if (refused.length) throw new Error(`channels refused (channel, HTTP status): ${JSON.stringify(refused)}`);
      const a = viewers.map(mark);
      const cpuA = await cpuSnapshot(daemon.pid);
      const machA = await machineCpu(), selfA = process.cpuUsage();
      await sleep(WINDOW * 1000);
      const b = viewers.map(mark);
      const cpuB = await cpuSnapshot(daemon.pid);
      const machB = await machineCpu(), self = process.cpuUsage(selfA);
      const sessions = await (await fetch(`${daemon.url}/api/sessions`)).json() as { number: string; restarts: number; lastError: string | null }[];
      const ratios = viewers.map((_, i) => {
        const x = a[i], y = b[i];
        return x && y && y.at > x.at ? r3((y.dts - x.dts) / 90_000 / ((y.at - x.at) / 1000)) : 0;
      });
      const cpu = cpuBetween(cpuA, cpuB);
      const machine = machinePct(machA, machB, load.cpus);
      const benchPct = Math.round(((self.user + self.system) / 1e6 / cpu.seconds) * 1000) / 10;
      // CPU used by everything else on the machine during the window: non-zero means the figure is disturbed.
      const otherCpuPct = Math.round((machine - cpu.childrenPct - cpu.selfPct - benchPct) * 10) / 10;
      const sustained = ratios.every((x) => x >= REALTIME);
      if (sustained && best === n - 1) best = n;
      console.log(JSON.stringify({
        bench: 'capacity', channels: n, warmupS, windowS: cpu.seconds, sustained, minRatio: Math.min(...ratios), ratios,
        leadEndS: b.map((m) => (m ? Math.round(m.lead * 100) / 100 : null)), restarts: sessions.reduce((s, x) => s + x.restarts, 0),
        ffmpegCpuPct: cpu.childrenPct, nodeCpuPct: cpu.selfPct, benchCpuPct: benchPct, machineCpuPct: machine, otherCpuPct, load1Before: load.load1, cpus: load.cpus,
      }));
      if (!sustained) break;
    } finally {
      for (const v of viewers) v.close();
      await Promise.allSettled(viewers.map((v) => v.done));
    }
  }
  console.log(JSON.stringify({ bench: 'capacity', metric: 'maxRealtimeChannels', value: best, profile: '1280x720 30 fps libx264 veryfast 2.5 Mb/s', source: '1280x720 30 fps H.264 testsrc2', triedUpTo: MAX }));
} finally {
  await daemon.stop();
}
