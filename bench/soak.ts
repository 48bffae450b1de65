// Soak: one viewer watches a channel of 3-s clips of mixed formats on the real daemon (`exstreamtv
// serve`, a child process) for --minutes (30 by default), the stream checked packet by packet by
// the test-side MPEG-TS analyzer. Figures (one JSON line each): continuity-counter errors, DTS
// steps backwards and the largest DTS gap per stream, sync loss, bytes and media seconds received,
// the daemon's RSS (after a warm-up, at the end, largest) and its growth, ffmpeg left after the end.
// Goals (issue 14): 0 CC/DTS errors, RSS flat within 10 %, 0 ffmpeg left.
//   node dist/bench/soak.js [--minutes 30] [--sample-s 10]
import { parseArgs } from 'node:util';
import { request } from 'node:http';
import type { ClipSpec } from '../test/helpers/media.js';
import { TsAnalyzer } from '../test/helpers/ts-analyze.js';
import { startDaemon, waitNoFfmpeg, ffmpegChildren } from './lib/serve.js';
import { figure, rssKiB, sleep } from './lib/proc.js';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '30' }, 'sample-s': { type: 'string', default: '10' } } });
const MINUTES = Number(values.minutes);
const SAMPLE_MS = Number(values['sample-s']) * 1000;
if (!(MINUTES > 0) || !(SAMPLE_MS > 0)) throw new Error('--minutes and --sample-s must be positive numbers');
const print = figure('soak');

const CLIPS: Record<string, ClipSpec> = {
  'a-h264.mp4': { duration: 3, size: '640x360', fps: 30, vcodec: 'libx264', faststart: true },
  'b-mpeg2-interlaced.mkv': { duration: 3, size: '720x480', fps: '30000/1001', vcodec: 'mpeg2video', sar: '8:9', interlaced: true, audio: [{ channels: 1, rate: 44100 }] },
  'c-mpeg2.ts': { duration: 3, size: '352x288', fps: 25, vcodec: 'mpeg2video' },
  'd-mpeg4.mkv': { duration: 3, size: '480x270', fps: 24, vcodec: 'mpeg4', audio: [{ channels: 2, rate: 32000 }] },
};

const daemon = await startDaemon(CLIPS, 1, { streamIdleS: 1 });
let stopped = false;
const stop = async () => { if (!stopped) { stopped = true; await daemon.stop(); } };
process.once('SIGINT', () => void stop().then(() => process.exit(130)));
try {
  const analyzer = new TsAnalyzer();
  const started = performance.now();
  const endAt = started + MINUTES * 60_000;
  let ended: string | null = null;
  const req = request(`${daemon.url}/stream/channels/1.ts`, { agent: false }, (res) => {
    if (res.statusCode !== 200) { ended = `HTTP ${res.statusCode}`; res.resume(); return; }
    res.on('data', (c: Buffer) => analyzer.push(c, performance.now() - started));
    res.on('end', () => { ended ??= 'the stream ended'; });
    res.on('error', (err) => { ended ??= err.message; });
  });
  req.on('error', (err) => { ended ??= err.message; });
  req.end();

  // RSS: the first sample after a warm-up (a tenth of the run, at most a minute) is the baseline.
  const warmUpMs = Math.min(60_000, MINUTES * 6000);
  const rss: number[] = [];
  let baseline: number | null = null;
  while (performance.now() < endAt && !ended) {
    await sleep(Math.min(SAMPLE_MS, Math.max(0, endAt - performance.now())));
    const r = await rssKiB(daemon.pid);
    rss.push(r);
    if (baseline === null && performance.now() - started >= warmUpMs) baseline = r;
  }
  req.destroy();
  const report = analyzer.report();
  const elapsedS = (performance.now() - started) / 1000;
  print({ case: 'run', minutes: MINUTES, elapsedS: Math.round(elapsedS), ended: ended ?? 'ran the full time', bytes: report.bytes, mediaS: Math.round(report.durationS * 10) / 10 });
  print({ metric: 'ccErrors', value: report.ccErrorTotal, goal: 0, pass: report.ccErrorTotal === 0 });
  print({ metric: 'syncLoss', value: report.syncLoss, goal: 0, pass: report.syncLoss === 0 });
  for (const s of report.streams) {
    print({ metric: 'dtsBackwards', pid: s.pid, kind: s.kind, value: s.nonMonotonic, goal: 0, pass: s.nonMonotonic === 0 });
    print({ metric: 'dtsMaxGapS', pid: s.pid, kind: s.kind, value: Math.round(s.maxGapS * 1000) / 1000 });
  }
  const base = baseline ?? rss[0] ?? 0;
  const last = rss.at(-1) ?? 0;
  const growthPct = base ? Math.round(((last - base) / base) * 1000) / 10 : null;
  print({ metric: 'rssKiB', baseline: base, end: last, max: Math.max(...rss), samples: rss.length, growthPct, goal: '≤ 10 %', pass: growthPct !== null && growthPct <= 10 });
  // The curve, in ten points: a leak climbs to the end, a warm-up levels off.
  print({ metric: 'rssCurveKiB', points: Array.from({ length: Math.min(10, rss.length) }, (_, i) => rss[Math.floor((i * (rss.length - 1)) / Math.max(1, Math.min(10, rss.length) - 1))]) });
  await waitNoFfmpeg(daemon.pid, 30_000).catch(() => {});
  const left = await ffmpegChildren(daemon.pid);
  print({ metric: 'ffmpegLeft', value: left, goal: 0, pass: left === 0 });
} finally {
  await stop();
}
