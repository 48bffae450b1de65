// Time to import a large dizqueTV folder over the API: a library of --items episodes (inserted
// straight into the store), --channels channels of --programs programmes each (matched by show +
// season + episode), a dry run and a real run (one transaction, with the first days of timeline).
//   node dist/bench/import.js [--items 20000] [--channels 50] [--programs 400]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startApi } from '../test/helpers/api.js';
import { addFakeItems, addFakeSource } from '../test/helpers/fake-items.js';

const { values } = parseArgs({ options: { items: { type: 'string', default: '20000' }, channels: { type: 'string', default: '50' }, programs: { type: 'string', default: '400' } } });
const ITEMS = Number(values.items);
const CHANNELS = Number(values.channels);
const PROGRAMS = Number(values.programs);
const PER_SEASON = 20;
const SEASONS = 5;
const show = (i: number) => `Show ${Math.floor(i / (PER_SEASON * SEASONS))}`;
const season = (i: number) => Math.floor(i / PER_SEASON) % SEASONS + 1;
const episode = (i: number) => (i % PER_SEASON) + 1;

const t = await startApi();
const tmp = mkdtempSync(join(tmpdir(), 'exstreamtv-bench-import-'));
try {
  const source = addFakeSource(t.engine.store, 'bench');
  addFakeItems(t.engine.store, source, Array.from({ length: ITEMS }, (_, i) => ({ title: `Episode ${i}`, durationMs: 1_320_000, show: show(i), season: season(i), episode: episode(i) })));
  const dir = join(tmp, '.dizquetv');
  mkdirSync(join(dir, 'channels'), { recursive: true });
  for (let c = 0; c < CHANNELS; c++) {
    const programs = Array.from({ length: PROGRAMS }, (_, p) => {
      const i = (c * 997 + p * 31) % ITEMS;
      return { title: `Episode ${i}`, type: 'episode', showTitle: show(i), season: season(i), episode: episode(i), duration: 1_320_000, ratingKey: String(100_000 + i), serverKey: 'gone' };
    });
    writeFileSync(join(dir, 'channels', `${c + 1}.json`), JSON.stringify({ number: c + 1, name: `Channel ${c + 1}`, programs, fillerCollections: [] }));
  }
  const run = async (dryRun: boolean) => {
    const t0 = performance.now();
    const r = await t.call('POST', '/api/import', { program: 'dizquetv', path: dir, dryRun });
    const ms = performance.now() - t0;
    if (r.status !== 200 || r.body.unmatched.length !== 0) throw new Error(`import failed: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    return ms;
  };
  const dry = await run(true);
  const real = await run(false);
  const base = { bench: 'import', items: ITEMS, channels: CHANNELS, programmes: CHANNELS * PROGRAMS, timelineDays: t.engine.config.timelineDays };
  console.log(JSON.stringify({ ...base, figure: 'dry_run_ms', value: Math.round(dry) }));
  console.log(JSON.stringify({ ...base, figure: 'import_ms', value: Math.round(real) }));
} finally {
  await t.close();
  rmSync(tmp, { recursive: true, force: true });
}
