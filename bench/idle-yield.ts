// Idle sessions yield (issue 21 item 4): a DVR flips through 5 channels (each tuned until it has
// delivered 1 s of media, then left), then watches a 6th. Does the watched channel keep real time
// while the 5 just-left sessions would otherwise encode on for streamIdleS (30 s)? Run once with
// streamIdleYield (the default: idle sessions stop while another channel is watched) and once
// without, on the same machine, one after the other. One JSON line per case:
//   watched-realtime: media seconds delivered per wall second over the watch (after the first
//   8 s, when the viewer's lead is built), goal ≥ 0.99; sessions and ffmpeg: alive mid-watch;
//   ffmpegCpuPct: CPU of all ffmpeg children over the window (% of one core). streamIdleS is 120
//   here so that slow flips on a loaded machine still leave 5 sessions "just left".
//   node dist/bench/idle-yield.js [--watch 30] [--cases yield,keep]
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startLiveServer } from '../test/helpers/live-channel.js';
import type { ClipSpec } from '../test/helpers/media.js';
import { ffmpegChildren } from '../test/helpers/stream.js';
import { cpuBetween, cpuSnapshot } from './lib/serve.js';
import { tune } from './lib/ts-probe.js';

const { values } = parseArgs({ options: { watch: { type: 'string', default: '30' }, cases: { type: 'string', default: 'yield,keep' } } });
const WATCH_S = Number(values.watch);
const WARM_S = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 720p30 output (the default profile) from 720p sources: ~0.4–0.8 core of libx264 each here. */
const CLIPS: Record<string, ClipSpec> = {
  'a-720p30.mp4': { duration: 20, size: '1280x720', fps: 30, vcodec: 'libx264' },
  'b-720p25.mkv': { duration: 20, size: '1280x720', fps: 25, vcodec: 'libx264' },
};

async function run(yieldIdle: boolean): Promise<void> {
  const server = await startLiveServer({ clips: CLIPS, channels: 6, config: { streamIdleS: 120, streamIdleYield: yieldIdle } });
  try {
    const url = (n: string) => `${server.url}/stream/channels/${n}.ts`;
    // Flip: tune each of 5 channels until 1 s of media arrived, then leave it.
    for (const n of server.channels.slice(0, 5)) await tune(url(n), (p) => p.mediaSeconds >= 1, 20_000).done;
    const watched = tune(url(server.channels[5]!), () => false, (WATCH_S + 5) * 1000);
    await sleep(WARM_S * 1000);
    const m0 = watched.probe.mediaSeconds, t0 = performance.now(), cpu0 = await cpuSnapshot(process.pid);
    await sleep(((WATCH_S - WARM_S) * 1000) / 2);
    const alive = (await ffmpegChildren(process.pid)).length;
    const sessions = server.engine.streams.stats().map((x) => `${x.number}:${x.viewers}`).join(' ');
    await sleep(((WATCH_S - WARM_S) * 1000) / 2);
    const ratio = (watched.probe.mediaSeconds - m0) / ((performance.now() - t0) / 1000);
    const cpu = cpuBetween(cpu0, await cpuSnapshot(process.pid));
    watched.close();
    console.log(JSON.stringify({
      bench: 'idle-yield', case: yieldIdle ? 'yield' : 'keep', metric: 'watched-realtime', unit: 'x', value: Number(ratio.toFixed(3)),
      goal: 0.99, pass: ratio >= 0.99, ffmpegAlive: alive, sessions, ffmpegCpuPct: cpu.childrenPct, cpus: cpus().length, load1: Number(loadavg()[0]!.toFixed(2)),
    }));
  } finally {
    await server.close();
  }
}

for (const c of values.cases!.split(',')) await run(c.trim() === 'yield');
