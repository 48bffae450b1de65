// Capacity: how many software-encoded 720p channels this machine sustains in real time at once.
// A real `exstreamtv serve` child holds MAX channels (720p30 H.264 testsrc2 sources → the 720p30
// libx264 veryfast channel profile). For N = 1, 2, 3… it tunes one MPEG-TS viewer to each of
// channels 1..N, lets them warm up, then over a window compares each channel's delivered media
// time (video DTS received) with wall time. The session paces output to the wall clock, so a
// channel that keeps up delivers 1.00x; below 0.99x its viewer's buffer is draining (unless it is
// still ≥ 3 s ahead of the clock at the end: held back by the pacer, it kept up). One JSON line
// per N, then the largest N where every channel kept up.
// Then, in the same run, the same for **direct** channels (profile mode "direct": the 720p30 H.264
// AAC sources already match, so each piece is copied, not encoded): N = step, 2·step… up to
// --direct-max, with the CPU each direct channel costs (ffmpeg copies + the splicer in node).
// Warm-up lasts at least --warmup s and until each viewer's buffer has reached the session's lead.
//   node dist/bench/capacity.js [--max 8] [--window 30] [--warmup 10] [--direct-max 40] [--direct-step 5]
import { parseArgs } from 'node:util';
import type { ClipSpec } from '../test/helpers/media.js';
import { cpuBetween, cpuSnapshot, machineCpu, machineLoad, machinePct, startDaemon, waitNoFfmpeg } from './lib/serve.js';
import { tune, type Tune } from './lib/ts-probe.js';

const { values } = parseArgs({ options: {
  max: { type: 'string', default: '8' }, window: { type: 'string', default: '30' }, warmup: { type: 'string', default: '10' },
  'direct-max': { type: 'string', default: '40' }, 'direct-step': { type: 'string', default: '5' },
} });
/** Warm-up goes on (up to WARMUP + 20 s) until every viewer holds this much media ahead of the wall clock (the session's 4 s lead). */
const STEADY_LEAD_S = 3.5;
const MAX = Number(values.max), WINDOW = Number(values.window), WARMUP = Number(values.warmup);
const DIRECT_MAX = Number(values['direct-max']), DIRECT_STEP = Math.max(1, Number(values['direct-step']));
/** Delivered/wall at or above this counts as real time (pacing noise is ~0.002). */
const REALTIME = 0.99;
/**
 * A channel still this far ahead of the wall clock at the end of the window kept up too, whatever its
 * ratio: the pacer held it back (a copied piece arrives in bursts and is held at the session's lead,
 * so its ratio swings around 1 while its viewer's buffer never runs low).
 */
const HELD_AHEAD_S = 3;

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

interface Round { sustained: boolean; line: Record<string, unknown> }

/** Tunes one viewer to each of channels 1..n, warms up, and measures delivered media time against wall time. */
async function round(url: string, pid: number, n: number): Promise<Round> {
  await waitNoFfmpeg(pid);
  const load = await machineLoad();
  const viewers = Array.from({ length: n }, (_, i) => tune(`${url}/stream/channels/${i + 1}.ts`, () => false, 3_600_000));
  try {
    const t0 = Date.now();
    await sleep(WARMUP * 1000);
    while (Date.now() - t0 < (WARMUP + 20) * 1000 && !viewers.every((v) => (mark(v)?.lead ?? 0) >= STEADY_LEAD_S)) await sleep(500);
    const warmupS = Math.round((Date.now() - t0) / 100) / 10;
    const refused = viewers.map((v, i) => [i + 1, v.res?.statusCode]).filter(([, code]) => code !== 200);
    if (refused.length) throw new Error(`channels refused (channel, HTTP status): ${JSON.stringify(refused)}`);
    const a = viewers.map(mark);
    const cpuA = await cpuSnapshot(pid);
    const machA = await machineCpu(), selfA = process.cpuUsage();
    await sleep(WINDOW * 1000);
    const b = viewers.map(mark);
    const cpuB = await cpuSnapshot(pid);
    const machB = await machineCpu(), self = process.cpuUsage(selfA);
    const sessions = await (await fetch(`${url}/api/sessions`)).json() as { number: string; restarts: number; lastError: string | null; pieces: { kind: string }[] }[];
    const ratios = viewers.map((_, i) => {
      const x = a[i], y = b[i];
      return x && y && y.at > x.at ? r3((y.dts - x.dts) / 90_000 / ((y.at - x.at) / 1000)) : 0;
    });
    const cpu = cpuBetween(cpuA, cpuB);
    const machine = machinePct(machA, machB, load.cpus);
    const benchPct = Math.round(((self.user + self.system) / 1e6 / cpu.seconds) * 1000) / 10;
    // CPU used by everything else on the machine during the window: non-zero means the figure is disturbed.
    const otherCpuPct = Math.round((machine - cpu.childrenPct - cpu.selfPct - benchPct) * 10) / 10;
    const kinds = [...new Set(sessions.flatMap((x) => (x.pieces ?? []).map((p) => p.kind)))];
    const sustained = ratios.every((x, i) => x >= REALTIME || (b[i]?.lead ?? 0) >= HELD_AHEAD_S);
    return {
      sustained,
      line: {
        channels: n, warmupS, windowS: cpu.seconds, sustained, minRatio: Math.min(...ratios), ratios,
        leadEndS: b.map((m) => (m ? Math.round(m.lead * 100) / 100 : null)), restarts: sessions.reduce((s, x) => s + x.restarts, 0), pieceKinds: kinds,
        ffmpegCpuPct: cpu.childrenPct, nodeCpuPct: cpu.selfPct, coresPerChannel: Math.round(((cpu.childrenPct + cpu.selfPct) / 100 / n) * 1000) / 1000,
        benchCpuPct: benchPct, machineCpuPct: machine, otherCpuPct, load1Before: load.load1, cpus: load.cpus,
      },
    };
  } finally {
    for (const v of viewers) v.close();
    await Promise.allSettled(viewers.map((v) => v.done));
  }
}

const api = async (url: string, method: string, path: string, body: unknown) => {
  const res = await fetch(url + path, { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${await res.text()}`);
};

// Enough tuners and channels for every round tried (a tuner is one live channel; the default is 4).
const CHANNELS = Math.max(MAX, DIRECT_MAX);
const daemon = await startDaemon(CLIPS, CHANNELS, { streamIdleS: 1, tunerCount: Math.max(4, CHANNELS) });
process.once('SIGINT', () => void daemon.stop().then(() => process.exit(130)));
try {
  let best = 0;
  for (let n = 1; n <= MAX; n++) {
    const r = await round(daemon.url, daemon.pid, n);
    if (r.sustained && best === n - 1) best = n;
    console.log(JSON.stringify({ bench: 'capacity', mode: 'transcode', ...r.line }));
    if (!r.sustained) break;
  }
  console.log(JSON.stringify({ bench: 'capacity', mode: 'transcode', metric: 'maxRealtimeChannels', value: best, profile: '1280x720 30 fps libx264 veryfast 2.5 Mb/s', source: '1280x720 30 fps H.264 testsrc2', triedUpTo: MAX }));

  // Direct: the same output profile with mode "direct"; every channel switched to it.
  await api(daemon.url, 'POST', '/api/profiles', { name: 'direct-720p', width: 1280, height: 720, fps: 30, videoBitrateK: 2500, mode: 'direct' });
  for (let c = 1; c <= CHANNELS; c++) await api(daemon.url, 'PATCH', `/api/channels/${c}`, { stream: { profile: 'direct-720p' } });
  let bestDirect = 0;
  let perChannel: number | null = null;
  for (let n = DIRECT_STEP; n <= DIRECT_MAX; n += DIRECT_STEP) {
    const r = await round(daemon.url, daemon.pid, n);
    console.log(JSON.stringify({ bench: 'capacity', mode: 'direct', ...r.line }));
    if (!r.sustained) break;
    bestDirect = n;
    perChannel = r.line.coresPerChannel as number;
  }
  console.log(JSON.stringify({ bench: 'capacity', mode: 'direct', metric: 'maxRealtimeChannels', value: bestDirect, coresPerChannel: perChannel,
    profile: '1280x720 30 fps, mode direct (copy)', source: '1280x720 30 fps H.264 + AAC 48 kHz stereo', triedUpTo: DIRECT_MAX, step: DIRECT_STEP, goal: { channels: 30, coresPerChannel: 0.03 } }));
} finally {
  await daemon.stop();
}
