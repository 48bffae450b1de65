// Encode benchmark: CPU seconds per second of output for each software encoder profile, running
// the exact normaliser argv the channels use on a generated 1080p H.264 source. One JSON line each.
//   node dist/bench/encode.js [--seconds 20] [--keep]
// cpuPerOutputS ≈ how many CPU cores one channel on that profile keeps busy in real time.
import { spawn } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { normaliseArgs } from '../src/engine/ffmpeg/normalise.js';
import { BUILTIN_PROFILES } from '../src/engine/services/builtin-profiles.js';
import { FFMPEG } from '../test/helpers/media.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '20' }, keep: { type: 'boolean', default: false } } });
const seconds = Number(values.seconds);
if (!Number.isFinite(seconds) || seconds < 2) {
  console.error('usage: node dist/bench/encode.js [--seconds N ≥ 2] [--keep]');
  process.exit(2);
}

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(FFMPEG, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve(err) : reject(new Error(`ffmpeg exited ${code}: ${err.slice(-2000)}`))));
  });
}

const dir = await mkdtemp(join(tmpdir(), 'exs-bench-encode-'));
try {
  // A moving, detailed 1080p30 source with stereo sound: the shape of a typical library file.
  const src = join(dir, 'source-1080p.mkv');
  await run(['-hide_banner', '-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=30:duration=${seconds}`,
    '-f', 'lavfi', '-i', `sine=f=440:sample_rate=48000:duration=${seconds}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '20', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-ac', '2', src]);
  for (const p of BUILTIN_PROFILES.filter((x) => x.kind === 'software')) {
    const args = normaliseArgs({
      input: `file:${src}`, seekMs: 0, playMs: seconds * 1000,
      video: { index: 0, fieldOrder: 'progressive', sar: '1:1', width: 1920, height: 1080, codec: 'h264', pixFmt: 'yuv420p' }, audio: { index: 1 },
    }, p, { kind: 'software' });
    // Same argv; -benchmark makes ffmpeg print its own user/system CPU time (info level).
    const i = args.indexOf('-loglevel');
    args.splice(i, 2, '-loglevel', 'info', '-benchmark');
    const t0 = performance.now();
    const err = await run(args);
    const wall = (performance.now() - t0) / 1000;
    const m = /bench: utime=([\d.]+)s stime=([\d.]+)s rtime=([\d.]+)s/.exec(err);
    if (!m) throw new Error(`no -benchmark line from ffmpeg: ${err.slice(-500)}`);
    const cpu = Number(m[1]) + Number(m[2]);
    console.log(JSON.stringify({
      bench: 'encode', profile: p.name, encoder: 'libx264', preset: p.preset, output: `${p.width}x${p.height}@${p.fps}`, videoBitrateK: p.videoBitrateK,
      source: '1920x1080@30 h264 (testsrc2)', outputSeconds: seconds, cpuSeconds: Number(cpu.toFixed(2)),
      cpuPerOutputS: Number((cpu / seconds).toFixed(3)), wallSeconds: Number(wall.toFixed(2)), speed: Number((seconds / Number(m[3])).toFixed(2)),
      cores: availableParallelism(), cpu: cpus()[0]?.model ?? null,
    }));
  }
} finally {
  if (!values.keep) await rm(dir, { recursive: true, force: true });
}
