// Cold tune of an IPTV live channel through a local fake provider on 127.0.0.1: from the HTTP
// request for the channel's MPEG-TS to its first byte (the live ffmpeg opens, probes and
// transcodes the provider's stream). The session is stopped between rounds, so each is cold.
//   node dist/bench/iptv-tune.js [--rounds 3]
import { rm, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startIptvServer } from '../test/fakes/iptv-http.js';
import { startApi } from '../test/helpers/api.js';
import { tempDir } from '../test/helpers/library.js';
import { makeClip } from '../test/helpers/media.js';
import { openTs, sleep } from '../test/helpers/stream.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const ROUNDS = Number(values.rounds);
const CLIP_S = 30;

const dir = await tempDir('bench-iptv-tune');
const ts = await makeClip(dir, 'live.ts', { duration: CLIP_S, size: '1280x720', fps: 30, vcodec: 'libx264' });
const fake = await startIptvServer({ liveTs: { file: ts, bytesPerSecond: Math.ceil((await stat(ts)).size / CLIP_S) } });
const t = await startApi({ listen: true });
try {
  fake.page('/tv.m3u', `#EXTM3U\n#EXTINF:-1 tvg-id="one",One\n${fake.url}/live/one.ts\n`);
  const res = await t.call('POST', '/api/sources/iptv', { playlist: `${fake.url}/tv.m3u` });
  const item = t.engine.store.db.prepare('SELECT id FROM media_items WHERE source_id = ?').get(res.body.id) as { id: number };
  await t.call('POST', '/api/channels', { number: 50, name: 'IPTV', content: [{ type: 'item', id: item.id }] });
  const firstByteMs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    let first = 0;
    const client = openTs(`${t.url}/stream/channels/50.ts`, () => { if (!first) first = performance.now(); });
    while (!first && performance.now() - t0 < 30_000) await sleep(20);
    await client.close();
    if (!first) throw new Error('no byte within 30 s');
    firstByteMs.push(first - t0);
    await fetch(`${t.url}/api/sessions/50`, { method: 'DELETE' });
    await sleep(500);
  }
  const sorted = [...firstByteMs].sort((a, b) => a - b);
  console.log(JSON.stringify({ bench: 'iptv-tune', figure: 'cold_tune_first_byte_ms', source: '720p30 H.264 MPEG-TS over HTTP (fake provider)', rounds: ROUNDS,
    median: Math.round(sorted[Math.floor(sorted.length / 2)]!), all: firstByteMs.map(Math.round) }));
} finally {
  await t.close();
  await fake.close();
  await rm(dir, { recursive: true, force: true });
}
