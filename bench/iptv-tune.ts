// Cold tune of an IPTV live channel through a local fake provider on 127.0.0.1: from the HTTP
// request for the channel's MPEG-TS to its first byte (the live ffmpeg opens, probes and
// transcodes — or, on a matching profile in auto mode, copies — the provider's stream). The
// session is stopped between rounds, so each is cold.
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
/** First-byte times (ms) of `rounds` cold tunes of a channel (its session is stopped after each). */
async function coldTunes(base: string, number: string): Promise<number[]> {
  const firstByteMs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    let first = 0;
    const client = openTs(`${base}/stream/channels/${number}.ts`, () => { if (!first) first = performance.now(); });
    while (!first && performance.now() - t0 < 30_000) await sleep(20);
    await client.close();
    if (!first) throw new Error('no byte within 30 s');
    firstByteMs.push(first - t0);
    const stopped = await fetch(`${base}/api/sessions/${number}`, { method: 'DELETE', headers: { 'x-exstreamtv': '1' } });
    if (stopped.status !== 200) throw new Error(`stopping the session answered ${stopped.status}: the next tune would not be cold`);
    await sleep(500);
  }
  return firstByteMs;
}

const report = (figure: string, source: string, ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  console.log(JSON.stringify({ bench: 'iptv-tune', figure, source, rounds: ROUNDS, median: Math.round(sorted[Math.floor(sorted.length / 2)]!), all: ms.map(Math.round) }));
};

try {
  fake.page('/tv.m3u', `#EXTM3U\n#EXTINF:-1 tvg-id="one" tvg-chno="50",One\n${fake.url}/live/one.ts\n`);
  const res = await t.call('POST', '/api/sources/iptv', { playlist: `${fake.url}/tv.m3u` });
  // A live channel of the stream (transcoded: the default profile), and the same stream copied
  // (a profile in auto mode that matches its picture; its MPEG audio is encoded).
  await t.call('POST', `/api/sources/${res.body.id}/channels`, { probe: false });
  await t.call('POST', '/api/profiles', { name: 'copy-720p', width: 1280, height: 720, fps: 30, videoBitrateK: 2500, mode: 'auto' });
  await t.call('POST', `/api/sources/${res.body.id}/channels`, { entries: ['one'], number: 51, profile: 'copy-720p' });
  report('cold_tune_first_byte_ms', 'live channel, transcoded: 720p30 H.264 MPEG-TS over HTTP (fake provider)', await coldTunes(t.url, '50'));
  report('cold_tune_copied_first_byte_ms', 'live channel, copied (auto mode): the same stream', await coldTunes(t.url, '51'));
} finally {
  await t.close();
  await fake.close();
  await rm(dir, { recursive: true, force: true });
}
