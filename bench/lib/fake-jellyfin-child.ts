// Child process for bench/sync: a fake Jellyfin holding N episodes (SERIES shows × seasons of 20),
// so the benchmark's RSS is the syncing process's alone. Prints {url, apiKey} as one JSON line, then
// serves until stdin closes.
import { startFakeJellyfin } from '../../test/fakes/jellyfin.js';

const episodes = Number(process.argv[2] ?? '20000');
const SERIES = 100;
const PER_SEASON = 20;
const jf = await startFakeJellyfin();
const lib = jf.addLibrary('TV Shows', 'tvshows', '/media/tv');
for (let s = 0; s < SERIES; s++) {
  const series = jf.addSeries(lib, `Show ${String(s).padStart(3, '0')}`, { year: 1990 + (s % 30) });
  const n = Math.floor(episodes / SERIES) + (s < episodes % SERIES ? 1 : 0);
  for (let e = 0; e < n; e++) {
    jf.addEpisode(lib, series, { season: Math.floor(e / PER_SEASON) + 1, episode: (e % PER_SEASON) + 1, name: `Episode ${e + 1}`, seconds: 1320 + (e % 300) });
  }
}
console.log(JSON.stringify({ url: jf.url, apiKey: jf.apiKey }));
process.stdin.resume();
process.stdin.on('end', () => void jf.close().then(() => process.exit(0)));
