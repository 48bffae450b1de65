// Time to import a 5,000-entry M3U playlist (parse + one transaction) over the API, from a local
// HTTP server on 127.0.0.1, into a fresh engine; and a rescan of the unchanged playlist.
//   node dist/bench/iptv-import.js [--entries 5000] [--rounds 3]
import { parseArgs } from 'node:util';
import { startIptvServer } from '../test/fakes/iptv-http.js';
import { startApi } from '../test/helpers/api.js';

const { values } = parseArgs({ options: { entries: { type: 'string', default: '5000' }, rounds: { type: 'string', default: '3' } } });
const N = Number(values.entries);
const ROUNDS = Number(values.rounds);

const lines = ['#EXTM3U x-tvg-url="http://127.0.0.1:1/guide.xml"'];
for (let i = 0; i < N; i++) {
  lines.push(`#EXTINF:-1 tvg-id="ch${i}.example" tvg-name="Channel ${i}" tvg-logo="http://127.0.0.1:1/logo/${i}.png" tvg-chno="${i + 1}" group-title="Group ${i % 40}",Channel ${i}, HD`);
  if (i % 3 === 0) lines.push('#EXTVLCOPT:http-user-agent=VLC/3.0');
  lines.push(`http://127.0.0.1:1/live/${i}.ts${i % 5 === 0 ? '|User-Agent=Kodi%2F20&Referer=http://ref.example/' : ''}`);
}
const fake = await startIptvServer();
fake.page('/big.m3u', lines.join('\n'));
const importMs: number[] = [];
const rescanMs: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const t = await startApi();
  try {
    const t0 = performance.now();
    const res = await t.call('POST', '/api/sources/iptv', { playlist: `${fake.url}/big.m3u` });
    importMs.push(performance.now() - t0);
    if (res.status !== 201 || res.body.items !== N) throw new Error(`import failed: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    const t1 = performance.now();
    const scan = await t.engine.scans.wait(t.engine.scans.start(res.body.id).id);
    rescanMs.push(performance.now() - t1);
    if (scan.unchanged !== N) throw new Error(`rescan: ${JSON.stringify(scan)}`);
  } finally {
    await t.close();
  }
}
await fake.close();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(JSON.stringify({ bench: 'iptv-import', figure: 'import_ms', entries: N, rounds: ROUNDS, median: Math.round(median(importMs)), all: importMs.map(Math.round) }));
console.log(JSON.stringify({ bench: 'iptv-import', figure: 'rescan_unchanged_ms', entries: N, rounds: ROUNDS, median: Math.round(median(rescanMs)), all: rescanMs.map(Math.round) }));
