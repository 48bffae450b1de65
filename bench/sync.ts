// Media-server sync benchmark: a first sync of N episodes (default 20,000) from the fake Jellyfin
// (run in a child process), then a resync with nothing changed; the syncing process's RSS peak.
// One JSON line per figure, with the CPU seconds of the syncing process (stable under foreign load). Goals: first sync ≤ 20 s, no-change resync ≤ 2 s.
//   node dist/bench/sync.js [--episodes 20000] [--page-size 500]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { syncServerSource } from '../src/engine/library/servers/sync.js';
import { tempEngine } from '../test/helpers/temp-engine.js';

const { values } = parseArgs({ options: { episodes: { type: 'string', default: '20000' }, 'page-size': { type: 'string', default: '500' } } });
const episodes = Number(values.episodes);
const pageSize = Number(values['page-size']);
if (!Number.isInteger(episodes) || episodes < 1 || !Number.isInteger(pageSize) || pageSize < 1) {
  console.error('usage: node dist/bench/sync.js [--episodes N] [--page-size N]');
  process.exit(2);
}

const child = spawn(process.execPath, [fileURLToPath(new URL('./lib/fake-jellyfin-child.js', import.meta.url)), String(episodes)], { stdio: ['pipe', 'pipe', 'inherit'] });
const t = await tempEngine({ logLevel: 'silent' });
try {
  const [line] = await once(createInterface({ input: child.stdout! }), 'line') as [string];
  const fake = JSON.parse(line) as { url: string; apiKey: string };
  const source = await t.engine.servers.addLibrary({ kind: 'jellyfin', url: fake.url, token: fake.apiKey, library: 'TV Shows' });
  const deps = { store: t.engine.store, dataDir: t.dir, pageSize };
  const rss0 = process.memoryUsage().rss;
  const cpuS = (since: NodeJS.CpuUsage) => { const u = process.cpuUsage(since); return Math.round((u.user + u.system) / 1e4) / 100; };
  let c0 = process.cpuUsage();
  let t0 = performance.now();
  const first = await syncServerSource(deps, source.id);
  const firstS = (performance.now() - t0) / 1000;
  if (first.added !== episodes) throw new Error(`first sync added ${first.added} of ${episodes}`);
  console.log(JSON.stringify({ figure: 'first sync', episodes, seconds: Math.round(firstS * 100) / 100, itemsPerS: Math.round(episodes / firstS), cpuS: cpuS(c0), goalS: 20 }));
  c0 = process.cpuUsage();
  t0 = performance.now();
  const again = await syncServerSource(deps, source.id);
  const againS = (performance.now() - t0) / 1000;
  if (again.unchanged !== episodes || again.added + again.changed + again.missing !== 0) throw new Error(`resync changed something: ${JSON.stringify(again)}`);
  console.log(JSON.stringify({ figure: 'no-change resync', episodes, seconds: Math.round(againS * 100) / 100, cpuS: cpuS(c0), goalS: 2 }));
  console.log(JSON.stringify({ figure: 'rss peak', mb: Math.round(process.resourceUsage().maxRSS / 1024), rssBeforeSyncMb: Math.round(rss0 / 1048576) }));
} finally {
  child.stdin!.end();
  await t.close();
}
