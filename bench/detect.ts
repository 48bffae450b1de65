// Hardware detection benchmark: how long the full encoder detection takes on this machine (every
// kind probed with its exact pipeline, software verified by real encodes), cold (no cache) and
// cached. One JSON line per figure. Goal: cold under 5 s on an idle 2-core box.
//   node dist/bench/detect.js [--runs 3]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EventBus } from '../src/engine/events.js';
import { HwService } from '../src/hw/service.js';
import { FFMPEG } from '../test/helpers/media.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Math.max(1, Number(values.runs) || 3);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const cold: number[] = [];
const cached: number[] = [];
for (let i = 0; i < runs; i++) {
  const dir = await mkdtemp(join(tmpdir(), 'exs-bench-detect-'));
  try {
    let t0 = performance.now();
    await new HwService(FFMPEG, dir, new EventBus()).report();
    cold.push(performance.now() - t0);
    t0 = performance.now();
    await new HwService(FFMPEG, dir, new EventBus()).report();
    cached.push(performance.now() - t0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
console.log(JSON.stringify({ figure: 'hw-detect-cold', unit: 'ms', median: Math.round(median(cold)), runs, goal: 5000 }));
console.log(JSON.stringify({ figure: 'hw-detect-cached', unit: 'ms', median: Math.round(median(cached)), runs }));
