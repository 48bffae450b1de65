// What one channel costs, in CPU-seconds per second of output (load-independent, unlike the
// real-time rounds of capacity.ts): a direct piece (ffmpeg copying a 720p30 H.264/AAC clip, timed by
// ffmpeg's own -benchmark) and the node side of any channel (splicer, GOP cache, HLS window, one
// MPEG-TS viewer) fed the same piece. A transcoded piece (libx264 veryfast 720p) for comparison.
//   node dist/bench/capacity-cost.js [--rounds 5]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { directArgs } from '../src/engine/ffmpeg/direct.js';
import { fileInput } from '../src/engine/ffmpeg/input.js';
import { normaliseArgs } from '../src/engine/ffmpeg/normalise.js';
import { FfmpegProcess } from '../src/engine/ffmpeg/process.js';
import { DEFAULT_PROFILE } from '../src/engine/ffmpeg/profile.js';
import { Broadcaster } from '../src/engine/stream/broadcaster.js';
import { PacketReader } from '../src/engine/stream/ts.js';
import { FFMPEG, makeClip } from '../test/helpers/media.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const ROUNDS = Number(values.rounds);
const SECONDS = 30;
const r4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** Runs one piece into a broadcaster with one viewer; ffmpeg's CPU from -benchmark, node's from cpuUsage. */
async function piece(args: string[]): Promise<{ ffmpegCpuS: number; nodeCpuS: number; bytes: number }> {
  const sink = new Writable({ write(_c, _e, cb) { cb(); } });
  const out = new Broadcaster('bench', { maxQueueBytes: 1 << 30, dropAfterMs: 1e9 }, { viewerJoined() {}, viewerLeft() {}, viewerDropped() {} });
  out.addViewer(sink, 'bench');
  // -benchmark reports at info level: raise the head's "-loglevel error" for this run.
  const proc = new FfmpegProcess(FFMPEG, [...args.slice(0, 4), '-benchmark', '-loglevel', 'info', ...args.slice(4)]);
  const reader = new PacketReader();
  let bytes = 0, nodeUs = 0;
  out.beginPiece();
  proc.stdout.on('data', (chunk: Buffer) => {
    const c0 = process.cpuUsage();
    bytes += chunk.length;
    reader.push(chunk, (p) => out.push(p));
    out.flush();
    const c = process.cpuUsage(c0);
    nodeUs += c.user + c.system;
  });
  const exit = await proc.exited;
  out.endPiece();
  out.close();
  const m = /utime=([\d.]+)s stime=([\d.]+)s/.exec(exit.stderr);
  if (exit.code !== 0 || !m) throw new Error(`ffmpeg: ${FfmpegProcess.reason(exit)}`);
  return { ffmpegCpuS: Number(m[1]) + Number(m[2]), nodeCpuS: nodeUs / 1e6, bytes };
}

const dir = await mkdtemp(join(tmpdir(), 'exstreamtv-cost-'));
try {
  const clip = await makeClip(dir, 'a-720p30.mp4', { duration: SECONDS, size: '1280x720', fps: 30, vcodec: 'libx264' });
  const video = { index: 0, codec: 'h264', fieldOrder: 'progressive', sar: '1:1', width: 1280, height: 720, pixFmt: 'yuv420p' };
  const input = fileInput(clip);
  const cases = {
    direct: () => directArgs({ input, seekMs: 0, playMs: SECONDS * 1000, video, audio: { index: 1 }, copyAudio: true }, DEFAULT_PROFILE),
    transcode: () => normaliseArgs({ input, seekMs: 0, playMs: SECONDS * 1000, video, audio: { index: 1 } }, DEFAULT_PROFILE),
  };
  for (const [mode, args] of Object.entries(cases)) {
    const runs = [];
    for (let i = 0; i < (mode === 'transcode' ? 1 : ROUNDS); i++) runs.push(await piece(args()));
    const media = runs.length * SECONDS;
    const ffmpeg = runs.reduce((s, r) => s + r.ffmpegCpuS, 0) / media, node = runs.reduce((s, r) => s + r.nodeCpuS, 0) / media;
    console.log(JSON.stringify({
      bench: 'capacity-cost', mode, mediaS: media, ffmpegCoresPerChannel: r4(ffmpeg), nodeCoresPerChannel: r4(node), coresPerChannel: r4(ffmpeg + node),
      mbps: Math.round((runs[0]!.bytes * 8) / SECONDS / 1e4) / 100, ...(mode === 'direct' ? { goal: 0.03, pass: ffmpeg + node <= 0.03 } : {}),
    }));
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
