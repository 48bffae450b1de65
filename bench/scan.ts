// Scanner benchmark: N files (hard links of a few generated clips) in show/season folders,
// a first scan with real ffprobe, then a rescan with nothing changed. One JSON line per figure.
//   node dist/bench/scan.js [--files 10000] [--concurrency 4] [--keep]
import { availableParallelism } from 'node:os';
import { link, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { scanLocalSource } from '../src/engine/library/scanner.js';
import { FFPROBE, makeClip } from '../test/helpers/media.js';
import { storeWithSource, tempDir } from '../test/helpers/library.js';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: String(Math.max(2, availableParallelism() * 2)) },
    keep: { type: 'boolean', default: false },
  },
});
const files = Number(values.files);
const concurrency = Number(values.concurrency);
if (!Number.isInteger(files) || files < 1 || !Number.isInteger(concurrency) || concurrency < 1) {
  console.error('usage: node dist/bench/scan.js [--files N] [--concurrency N] [--keep]');
  process.exit(2);
}

const EPISODES = 25;
const SEASONS = 4;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

async function build(root: string, clips: string[]): Promise<void> {
  const paths: [string, string][] = [];
  for (let i = 0; i < files; i++) {
    const show = Math.floor(i / (EPISODES * SEASONS)) + 1;
    const season = (Math.floor(i / EPISODES) % SEASONS) + 1;
    const ep = (i % EPISODES) + 1;
    const clip = clips[i % clips.length]!;
    const name = `Show ${pad(show, 3)}`;
    paths.push([clip, join(root, name, `Season ${pad(season)}`, `${name} - S${pad(season)}E${pad(ep)} - Episode Title${clip.slice(clip.lastIndexOf('.'))}`)]);
  }
  for (const dir of new Set(paths.map(([, p]) => p.slice(0, p.lastIndexOf('/'))))) await mkdir(dir, { recursive: true });
  for (let i = 0; i < paths.length; i += 256) await Promise.all(paths.slice(i, i + 256).map(([from, to]) => link(from, to)));
}

const dir = await tempDir('bench-scan');
const cleanup = () => (values.keep ? Promise.resolve() : rm(dir, { recursive: true, force: true }));
process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
try {
  const media = join(dir, 'media');
  const clips = await Promise.all([
    makeClip(media, 'a.mkv', { duration: 3, audio: [{ lang: 'eng' }, { lang: 'spa' }], subtitles: [{ lang: 'eng' }] }),
    makeClip(media, 'b.mp4', { duration: 3, faststart: true }),
    makeClip(media, 'c.ts', { duration: 3, vcodec: 'mpeg2video' }),
    makeClip(media, 'd.mkv', { duration: 3, vcodec: 'mpeg2video', size: '720x480', sar: '8:9', interlaced: true }),
  ]);
  const root = join(dir, 'library');
  await build(root, clips);
  const { store, sourceId } = storeWithSource(dir, root, 'Bench');
  try {
    for (const kase of ['first', 'rescan-nochange'] as const) {
      const t0 = performance.now();
      const s = await scanLocalSource({ store, ffprobePath: FFPROBE, concurrency }, sourceId);
      const seconds = (performance.now() - t0) / 1000;
      console.log(JSON.stringify({
        bench: 'scan', case: kase, files, concurrency, seconds: Number(seconds.toFixed(3)), filesPerSecond: Math.round(files / seconds),
        probed: s.probed, added: s.added, unchanged: s.unchanged, unreadable: s.unreadable,
      }));
    }
  } finally {
    store.close();
  }
} finally {
  await cleanup();
}
