// XMLTV render benchmark: N channels × D days of timeline (fake episodes of 22–45 min with plots,
// genres, dates and posters), rendered by the real renderer. One JSON line per figure.
//
// Setup (store, items, channels, materialised timelines) runs in this process and is reported on
// its own line. Each render runs in a fresh child process that opens the same database, so its peak
// RSS (VmHWM) is the render's alone (plus Node's baseline and the opened engine):
//   via=generator  extend timelines + xmltvChunks → Readable.from → /dev/null   (the main figure)
//   via=http       the real route GET /iptv/xmltv.xml on 127.0.0.1, fetched by curl -o /dev/null
// Goal: ≤ 2 s and ≤ 150 MB peak RSS for 500 channels × 7 days. baselineRssMB is the child right after
// opening the engine (Node + modules + SQLite); what the render adds is mostly V8's young generation
// growing to its 32 MB cap and runtime malloc (live heap after a full GC stays ≈ 25 MB): the peak
// moves with GC timing by ±10 MB. `node --max-semi-space-size=8` cuts it by ~30 MB (and is faster).
//   node dist/bench/guide.js [--channels 500] [--days 7] [--shows 80] [--via generator,http] [--keep]
import { execFile, spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs, promisify } from 'node:util';
import { loadConfig } from '../src/config.js';
import { openEngine } from '../src/appliance.js';
import { xmltvStream } from '../src/engine/guide/source.js';
import { buildServer } from '../src/server/app.js';
import { addFakeItems, addFakeSource, type FakeItem } from '../test/helpers/fake-items.js';
import { tempDir } from '../test/helpers/library.js';

const { values } = parseArgs({
  options: {
    channels: { type: 'string', default: '500' },
    days: { type: 'string', default: '7' },
    shows: { type: 'string', default: '80' },
    via: { type: 'string', default: 'generator,http' },
    keep: { type: 'boolean', default: false },
    // internal: run one render in this (child) process
    render: { type: 'string' },
    dir: { type: 'string' },
  },
});
const CHANNELS = Number(values.channels);
const DAYS = Number(values.days);
const SHOWS = Number(values.shows);
const MB = 1024 * 1024;

/** Peak resident set of this process so far (VmHWM), in MB. */
function peakRssMB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / MB;
}

const round = (x: number, d = 3) => Number(x.toFixed(d));

// ---------------------------------------------------------------------------------------------
// Child: one render

async function renderChild(via: string, dir: string): Promise<void> {
  const engine = openEngine(loadConfig({ dataDir: dir, timelineDays: DAYS }, {}));
  try {
    const baseline = process.memoryUsage().rss / MB;
    let bytes = 0;
    let programmes = 0;
    let seconds: number;
    let extendSeconds = 0;
    let peak = 0;
    const lag = monitorEventLoopDelay({ resolution: 5 });
    lag.enable();
    if (via === 'generator') {
      // Exactly the route's stream (extend timelines, render, pace), with /dev/null as the client.
      const t0 = performance.now();
      const stream = xmltvStream(engine, { days: DAYS });
      extendSeconds = (performance.now() - t0) / 1000;
      const sink = createWriteStream('/dev/null');
      const count = new Writable({
        objectMode: true,
        write(chunk: string, _enc, cb) {
          bytes += Buffer.byteLength(chunk);
          for (let i = chunk.indexOf('<programme '); i !== -1; i = chunk.indexOf('<programme ', i + 11)) programmes++;
          sink.write(chunk, cb);
        },
      });
      await pipeline(stream, count);
      sink.end();
      seconds = (performance.now() - t0) / 1000;
      peak = peakRssMB();
    } else {
      const app = await buildServer({ engine });
      await app.listen({ host: '127.0.0.1', port: 0 });
      const addr = app.server.address();
      if (!addr || typeof addr === 'string') throw new Error('no address');
      const file = `${dir}/guide.xml`;
      const t0 = performance.now();
      await promisify(execFile)('curl', ['-sS', '--fail', '-o', file, `http://127.0.0.1:${addr.port}/iptv/xmltv.xml?days=${DAYS}`]);
      seconds = (performance.now() - t0) / 1000;
      peak = peakRssMB(); // before this process reads the file back
      await app.close();
      let tail = '';
      for await (const chunk of createReadStream(file, { encoding: 'utf8' }) as AsyncIterable<string>) {
        bytes += Buffer.byteLength(chunk);
        const text = tail + chunk;
        for (let i = text.indexOf('<programme '); i !== -1; i = text.indexOf('<programme ', i + 11)) programmes++;
        tail = text.slice(-10);
      }
      await rm(file);
    }
    lag.disable();
    process.stdout.write(JSON.stringify({ via, programmes, bytes, seconds, extendSeconds, peakRssMB: peak, baselineRssMB: baseline, maxLoopDelayMs: lag.max / 1e6 }) + '\n');
  } finally {
    await engine.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Parent: setup, then one child per render mode

const WORDS = 'the a of and to in night city river house old new last first long road storm light dark signal north south harbor garden letter winter'.split(' ');
const sentence = (seed: number, n: number) => Array.from({ length: n }, (_, i) => WORDS[(seed * 7 + i * 13) % WORDS.length]).join(' ');
const GENRES = ['Drama', 'Comedy', 'Crime', 'Documentary', 'Family', 'Mystery', 'Reality', 'Sci-Fi & Fantasy'];

async function setup(dir: string): Promise<{ items: number; rows: number; seconds: number }> {
  const t0 = performance.now();
  const engine = openEngine(loadConfig({ dataDir: dir, timelineDays: DAYS }, {}));
  try {
    const store = engine.store;
    const source = addFakeSource(store, 'bench');
    const showIds: number[] = [];
    let items = 0;
    for (let s = 0; s < SHOWS; s++) {
      const show = `Show ${s + 1}: ${sentence(s, 3)}`;
      const eps: FakeItem[] = Array.from({ length: 20 + (s % 31) }, (_, e) => ({
        title: `${sentence(s + e, 4)} (${e + 1})`,
        durationMs: (22 + ((s * 31 + e * 17) % 24)) * 60_000 + ((s + e) % 60) * 1000,
        show, season: 1 + Math.floor(e / 13), episode: (e % 13) + 1,
        genres: [GENRES[s % GENRES.length]!, GENRES[(s + 3) % GENRES.length]!],
        plot: `${sentence(s * 3 + e, 40)}.`,
        year: 1995 + (s % 28),
        releaseDate: `${1995 + (s % 28)}-${String(1 + (e % 12)).padStart(2, '0')}-${String(1 + (e % 28)).padStart(2, '0')}`,
        images: { poster: `https://images.example.com/shows/${s}/episodes/${e}.jpg?w=300&h=450` },
      }));
      const ids = addFakeItems(store, source, eps);
      items += ids.length;
      showIds.push(store.items.get(ids[0]!).showId!);
    }
    for (let c = 0; c < CHANNELS; c++) {
      const number = c % 5 === 4 ? `${Math.floor(c / 5) + 1}.1` : String(c + 1);
      engine.channels.create({
        number, name: `Channel ${number} ${sentence(c, 2)}`, group: GENRES[c % GENRES.length]!, logo: `https://logos.example.com/${c}.png`,
        enabled: true, order: c % 2 ? 'shuffle' : 'in_order',
        content: [{ type: 'show', id: showIds[c % SHOWS]! }, { type: 'show', id: showIds[(c * 7 + 3) % SHOWS]! }],
        stream: { profile: null, alwaysOn: false },
      }, 1000 + c);
    }
    const rows = (store.db.prepare('SELECT count(*) AS n FROM timeline_rows').get() as { n: number }).n;
    return { items, rows, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await engine.close();
  }
}

function runChild(via: string, dir: string): Promise<Record<string, number | string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--render', via, '--dir', dir, '--days', String(DAYS)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`render child (${via}) exited ${code}`))));
  });
}

if (values.render) {
  await renderChild(values.render, values.dir!);
} else {
  if (![CHANNELS, DAYS, SHOWS].every((n) => Number.isInteger(n) && n > 0) || DAYS > 14) {
    console.error('usage: node dist/bench/guide.js [--channels N] [--days 1..14] [--shows N] [--via generator,http] [--keep]');
    process.exit(2);
  }
  const dir = await tempDir('bench-guide');
  try {
    const s = await setup(dir);
    console.log(JSON.stringify({ bench: 'guide-setup', channels: CHANNELS, days: DAYS, items: s.items, timelineRows: s.rows, seconds: round(s.seconds), peakRssMB: round(peakRssMB(), 1) }));
    for (const via of values.via.split(',')) {
      if (via === 'http' && !existsSync('/usr/bin/curl')) {
        console.error('# via=http skipped: /usr/bin/curl is missing');
        continue;
      }
      const r = await runChild(via, dir);
      console.log(JSON.stringify({
        bench: 'guide', channels: CHANNELS, days: DAYS, programmes: r.programmes, bytes: r.bytes, seconds: round(Number(r.seconds)),
        peakRssMB: round(Number(r.peakRssMB), 1), via, goal: { seconds: 2, peakRssMB: 150 },
        pass: Number(r.seconds) <= 2 && Number(r.peakRssMB) <= 150, extendSeconds: round(Number(r.extendSeconds)), baselineRssMB: round(Number(r.baselineRssMB), 1),
        maxLoopDelayMs: round(Number(r.maxLoopDelayMs), 1),
      }));
    }
  } finally {
    if (!values.keep) await rm(dir, { recursive: true, force: true });
    else console.error(`# kept ${dir}`);
  }
}
