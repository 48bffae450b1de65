// Schedule build benchmark: a 100,000-item library (shows × seasons × episodes, movies, filler
// bumpers) in a temporary SQLite store, a time-slot definition (slots across the day, padding to
// 15 minutes, 5 minutes' lateness) with pre-roll, tail and fallback filler under cooldowns, built
// for 14 days through the real path: TimelineService.plan (pools loaded from SQLite + the builder).
// One JSON line per figure: setup, the build (goal ≤ 1 s), and — for scale — materialising the
// same 14 days into SQLite with TimelineService.rebuild.
//   node dist/bench/schedule.js [--items 100000] [--days 14] [--runs 3] [--keep]
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { scheduleDefinition } from '../src/schemas/schedule.js';
import { openStore } from '../src/engine/store/store.js';
import { TimelineService } from '../src/engine/timeline/service.js';
import { addFakeItems, addFakeSource } from '../test/helpers/fake-items.js';
import { tempDir } from '../test/helpers/library.js';

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '100000' },
    days: { type: 'string', default: '14' },
    runs: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
  },
});
const ITEMS = Number(values.items);
const DAYS = Number(values.days);
const RUNS = Math.max(1, Number(values.runs));
const MIN = 60_000;
const round = (x: number, d = 3) => Number(x.toFixed(d));

// 80 % episodes (shows of 5 seasons × 20 episodes), 15 % movies, 5 % filler bumpers.
const SEASONS = 5, EPISODES = 20;
const nShows = Math.max(4, Math.round((ITEMS * 0.8) / (SEASONS * EPISODES)));
const nFiller = Math.round(ITEMS * 0.05);
const nMovies = ITEMS - nShows * SEASONS * EPISODES - nFiller;

let seed = 12345;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);

const dir = await tempDir('bench-schedule');
const cleanup = () => (values.keep ? Promise.resolve() : rm(dir, { recursive: true, force: true }));
process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
try {
  const t0 = performance.now();
  const store = openStore(join(dir, 'exstreamtv.db'));
  try {
    const source = addFakeSource(store, 'bench');
    const showIds: number[] = [];
    // Episodes: like test/helpers/fake-items.ts, but each show and season is upserted once, not per episode.
    store.tx(() => {
      for (let s = 0; s < nShows; s++) {
        const title = `Show ${s}`;
        const showId = store.shows.upsert(source, { externalKey: title, title, year: null, plot: null, genres: [] });
        showIds.push(showId);
        const len = [22, 30, 44, 48][s % 4]! * MIN;
        for (let season = 1; season <= SEASONS; season++) {
          const seasonId = store.shows.season(showId, season);
          for (let e = 1; e <= EPISODES; e++) {
            // Every 10th episode is a two-parter.
            const part = e % 10 === 9 ? ' Part 1' : e % 10 === 0 ? ' Part 2' : '';
            const key = `${title}/S${season}E${e}.mkv`;
            const durationMs = len + Math.round(rand() * 4 * MIN);
            store.items.upsert(source, {
              externalKey: key, kind: 'episode', locator: { type: 'file', path: `/nonexistent/${key}` }, fingerprint: `${durationMs}:1`, size: 1000, mtimeMs: 1,
              status: 'ok', error: null, title: `${title} S${season}E${e}${part}`, showId, seasonId, seasonNumber: season, episodeNumber: e, episodeEnd: null,
              year: null, releaseDate: null, plot: null, genres: [], durationMs, container: 'matroska', bitRate: null, streams: [], chapters: [],
            });
          }
        }
      }
    });
    const movies = addFakeItems(store, source, Array.from({ length: nMovies }, (_, i) => ({ title: `Movie ${i}`, durationMs: (80 + Math.round(rand() * 70)) * MIN, releaseDate: `19${50 + (i % 50)}-01-01` })));
    const bumpers = addFakeItems(store, source, Array.from({ length: nFiller }, (_, i) => ({ title: `Bumper ${i}`, durationMs: 5_000 + Math.round(rand() * 175_000) })));
    const collection = (name: string, ids: number[]) => {
      const c = store.collections.create(name, 'manual', null);
      store.collections.changeItems(c.id, ids, []);
      return c.id;
    };
    const movieColl = collection('Movies', movies);
    const promoColl = collection('Promos', bumpers.filter((_, i) => i % 5 === 0));
    const bumperColl = collection('Bumpers', bumpers.filter((_, i) => i % 5 !== 0));
    const shows = (from: number, to: number) => showIds.slice(Math.floor(nShows * from), Math.floor(nShows * to)).map((id) => ({ type: 'show' as const, id }));

    const def = scheduleDefinition.parse({
      timezone: 'Europe/Berlin',
      sources: [
        { key: 'kids', content: shows(0, 0.25), order: { kind: 'cyclic_shuffle' } },
        { key: 'comedy', content: shows(0.25, 0.5), order: { kind: 'in_order' } },
        { key: 'drama', content: shows(0.5, 0.75), order: { kind: 'block_shuffle', blockSize: 3 } },
        { key: 'late', content: shows(0.75, 1), order: { kind: 'shuffle' } },
        { key: 'movies', content: [{ type: 'collection', id: movieColl }], order: { kind: 'random', cooldownMin: 1440 } },
        { key: 'bumpers', content: [{ type: 'collection', id: bumperColl }], order: { kind: 'shuffle' } },
        { key: 'promos', content: [{ type: 'collection', id: promoColl }], order: { kind: 'shuffle' } },
      ],
      main: {
        mode: 'time_slots', period: 'day', maxLatenessMin: 5, padToMin: 15,
        slots: [
          { start: '06:00', source: 'kids', fill: { mode: 'flood' } },
          { start: '09:00', source: 'movies', fill: { mode: 'one' } },
          { start: '11:30', source: 'comedy', fill: { mode: 'count', count: 4 } },
          { start: '14:00', source: 'drama', fill: { mode: 'duration', minutes: 180 } },
          { start: '18:00', source: 'comedy', fill: { mode: 'flood' } },
          { start: '20:15', source: 'movies', fill: { mode: 'one' } },
          { start: '22:30', source: 'late', fill: { mode: 'flood' } },
          { start: '02:00', source: 'movies', fill: { mode: 'flood' } },
        ],
      },
      filler: {
        itemCooldownMin: 60,
        lists: [
          { source: 'promos', kinds: ['pre'], cooldownMin: 30 },
          { source: 'bumpers', kinds: ['tail'], weight: 3 },
          { source: 'promos', kinds: ['tail', 'fallback'], cooldownMin: 10 },
        ],
      },
    });
    const timeline = new TimelineService(store, { days: DAYS });
    const setupSeconds = (performance.now() - t0) / 1000;
    console.log(JSON.stringify({ bench: 'schedule', case: 'setup', items: nShows * SEASONS * EPISODES + nMovies + nFiller, shows: nShows, movies: nMovies, filler: nFiller, seconds: round(setupSeconds) }));

    // The build: pools from SQLite + the builder, 14 days from a fresh state.
    const from = Date.UTC(2025, 2, 24, 5, 3, 17); // a week that crosses the spring DST change
    const to = from + DAYS * 86_400_000;
    const poolTimes: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const a = performance.now();
      const pools = timeline.pools(def);
      poolTimes.push((performance.now() - a) / 1000);
      if (Object.values(pools).some((p) => p.length === 0)) throw new Error('a source has no items');
    }
    let rows = 0;
    // The figure: one plan() = pools from SQLite + the builder (median of the runs; `first` is the cold run).
    const planTimes: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const a = performance.now();
      rows = timeline.plan(def, 42, null, from, to).length;
      planTimes.push((performance.now() - a) / 1000);
    }
    const sorted = planTimes.slice().sort((x, y) => x - y);
    console.log(JSON.stringify({ bench: 'schedule', items: ITEMS, days: DAYS, rows, seconds: round(sorted[Math.floor(sorted.length / 2)]!), first: round(planTimes[0]!), runs: RUNS, poolsSeconds: round(poolTimes.slice().sort((x, y) => x - y)[Math.floor(RUNS / 2)]!), goalSeconds: 1 }));

    // For scale: materialising the same 14 days into SQLite (rebuild = plan + insert).
    const ch = store.channels.create({ number: '1', name: 'Bench', group: null, logo: null, enabled: true, stream: { profile: null, alwaysOn: false }, definition: def }, 42);
    const a = performance.now();
    const added = timeline.rebuild(ch.id, from);
    console.log(JSON.stringify({ bench: 'schedule', case: 'rebuild', items: ITEMS, days: DAYS, rows: added, seconds: round((performance.now() - a) / 1000) }));
  } finally {
    store.close();
  }
} finally {
  await cleanup();
}
