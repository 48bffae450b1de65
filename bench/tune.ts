// Tune-in latency on loopback, against a real in-process server (engine + HTTP) whose channel
// plays 10 s clips of mixed formats. One JSON line per figure:
//   cold  (no session: each tune follows engine.streams.stopSession) → first byte, first IDR
//   warm  (session live, kept by another viewer)                      → first byte, first IDR,
//         and whether the joiner's first packets are PAT, PMT, then a keyframe
//   ffmpeg-direct: the same normaliser argv run by hand (no server), to attribute the cold time.
//   cold-http: cold again, with every item served by a local HTTP server that wants a header
//         (the input model's headers, reconnects and ranges on the tune path).
//   cold-slow: cold again, the same HTTP server playing a NAS whose disk sleeps (it answers only
//         after 5 s): first byte and IDR (the stand-by slate), and `item`: when the slate stopped
//         (the item took over; the last growth of the session's bridged time).
// All times are ms from the moment the request is sent. Goals (docs STREAMING.md): cold first
// byte ≤ 500, cold first IDR ≤ 1000, warm first IDR ≤ 100.
//   node dist/bench/tune.js [--cold 12] [--warm 20]
import { spawn } from 'node:child_process';
import { basename, dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { normaliseArgs } from '../src/engine/ffmpeg/normalise.js';
import { DEFAULT_PROFILE } from '../src/engine/ffmpeg/profile.js';
import { pickStreams } from '../src/engine/stream/planner.js';
import { FFMPEG } from '../test/helpers/media.js';
import { startLiveServer } from '../test/helpers/live-channel.js';
import type { ClipSpec } from '../test/helpers/media.js';
import { startMediaServer } from '../test/fakes/media-http.js';
import { TsProbe, stats, tune } from './lib/ts-probe.js';

const { values } = parseArgs({ options: { cold: { type: 'string', default: '12' }, warm: { type: 'string', default: '20' }, slow: { type: 'string', default: '4' } } });
const COLD = Number(values.cold), WARM = Number(values.warm), SLOW = Number(values.slow);

const CLIPS: Record<string, ClipSpec> = {
  'a-720p-h264.mp4': { duration: 10, size: '1280x720', fps: 30, vcodec: 'libx264', faststart: true },
  'b-1080p-h264.mkv': { duration: 10, size: '1920x1080', fps: 25, vcodec: 'libx264' },
  'c-480i-mpeg2.mkv': { duration: 10, size: '720x480', fps: '30000/1001', vcodec: 'mpeg2video', sar: '8:9', interlaced: true },
  'd-360p-mpeg4.mp4': { duration: 10, size: '640x360', fps: 24, vcodec: 'mpeg4', audio: [{ channels: 1, rate: 44100 }] },
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const jitter = (lo: number, hi: number) => lo + Math.random() * (hi - lo);
const print = (o: Record<string, unknown>) => console.log(JSON.stringify({ bench: 'tune', ...o }));
const figure = (kase: string, metric: string, xs: number[], goalMs?: number) => {
  const s = stats(xs);
  print({ case: kase, metric, unit: 'ms', ...s, ...(goalMs !== undefined ? { goal: goalMs, pass: s.median <= goalMs } : {}) });
};

const server = await startLiveServer({ clips: CLIPS, config: { streamIdleS: 600 } });
process.once('SIGINT', () => void server.close().then(() => process.exit(130)));
try {
  const number = server.channels[0]!;
  const channelId = server.engine.store.channels.findByNumber(number)!.id;
  const url = `${server.url}/stream/channels/${number}.ts`;

  // Warm-up of the OS caches and the slate renderer: one tune, discarded.
  await tune(url, (p) => p.s.firstIdrMs !== null).done;
  await server.engine.streams.stopSession(channelId, 'bench');

  // ---- cold ----------------------------------------------------------------------------------
  const coldTunes = async (kase: string) => {
    const cold = { firstByte: [] as number[], firstIdr: [] as number[], headers: [] as number[] };
    // Tunes whose first picture was the stand-by slate (the first piece had sent nothing after 200 ms).
    let bridged = 0;
    for (let i = 0; i < COLD; i++) {
      await sleep(jitter(300, 1500));
      const s = await tune(url, (p) => p.s.firstIdrMs !== null).done;
      if (s.firstByteMs === null || s.firstIdrMs === null) throw new Error(`${kase} tune ${i}: no ${s.firstByteMs === null ? 'byte' : 'IDR'}`);
      cold.headers.push(s.headersMs!);
      cold.firstByte.push(s.firstByteMs);
      cold.firstIdr.push(s.firstIdrMs);
      if ((server.engine.streams.get(channelId)?.bridgedMs ?? 0) > 0) bridged++;
      await server.engine.streams.stopSession(channelId, 'bench');
    }
    print({ case: kase, metric: 'slateFirst', n: COLD, count: bridged });
    figure(kase, 'headers', cold.headers);
    figure(kase, 'firstByte', cold.firstByte, 500);
    figure(kase, 'firstIdr', cold.firstIdr, 1000);
  };
  await coldTunes('cold');

  // ---- warm ----------------------------------------------------------------------------------
  const keeper = tune(url, () => false, 600_000);
  await sleep(3000);
  const warm = { firstByte: [] as number[], firstIdr: [] as number[] };
  let headerFirst = 0;
  const bad: string[] = [];
  for (let i = 0; i < WARM; i++) {
    await sleep(jitter(200, 1200));
    const s = await tune(url, (p) => p.s.firstIdrMs !== null).done;
    if (s.firstByteMs === null || s.firstIdrMs === null) throw new Error(`warm tune ${i}: no ${s.firstByteMs === null ? 'byte' : 'IDR'}`);
    warm.firstByte.push(s.firstByteMs);
    warm.firstIdr.push(s.firstIdrMs);
    const ok = s.firstPids[0] === 0 && s.firstPids[1] === s.pmtPid && s.firstVideoPes?.index === 2 && s.firstVideoPes.idr;
    if (ok) headerFirst++;
    else bad.push(JSON.stringify({ pids: s.firstPids, pmt: s.pmtPid, firstVideoPes: s.firstVideoPes }));
  }
  keeper.close();
  await keeper.done;
  figure('warm', 'firstByte', warm.firstByte);
  figure('warm', 'firstIdr', warm.firstIdr, 100);
  print({ case: 'warm', metric: 'startsWithPatPmtKeyframe', n: WARM, count: headerFirst, pass: headerFirst === WARM, ...(bad.length ? { bad: bad.slice(0, 3) } : {}) });
  await server.engine.streams.stopSession(channelId, 'bench');

  // ---- ffmpeg alone: the normaliser's own start-up, same items, random seek ------------------
  const items = server.engine.store.items.query({ limit: 100, offset: 0 }).items.map((i) => {
    const d = server.engine.store.items.get(i.id);
    const { video, audio } = pickStreams(d.streams);
    return { path: d.locator.type === 'file' ? d.locator.path : '', ms: d.durationMs ?? 10_000, video: video!, audio };
  });
  const direct = { firstByte: [] as number[], firstIdr: [] as number[] };
  for (let i = 0; i < COLD; i++) {
    const it = items[i % items.length]!;
    const seekMs = Math.round(jitter(0, it.ms - 3000));
    const args = normaliseArgs({ input: `file:${it.path}`, seekMs, playMs: it.ms - seekMs, video: it.video, audio: it.audio }, DEFAULT_PROFILE);
    const probe = new TsProbe(performance.now());
    const child = spawn(FFMPEG, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (c: Buffer) => { probe.push(c); if (probe.s.firstIdrMs !== null) child.kill('SIGKILL'); });
      child.on('close', () => resolve());
    });
    if (probe.s.firstByteMs === null || probe.s.firstIdrMs === null) throw new Error(`ffmpeg alone on ${it.path}: no output`);
    direct.firstByte.push(probe.s.firstByteMs);
    direct.firstIdr.push(probe.s.firstIdrMs);
  }
  figure('ffmpeg-direct', 'firstByte', direct.firstByte);
  figure('ffmpeg-direct', 'firstIdr', direct.firstIdr);

  // ---- cold through the HTTP input: the same clips from a server that wants a token header ---
  const token = { name: 'X-Token', value: 'bench' };
  const http = await startMediaServer(dirname(server.clips[0]!), token);
  try {
    const set = server.engine.store.db.prepare('UPDATE media_items SET locator = ? WHERE id = ?');
    for (const it of server.engine.store.items.query({ limit: 100, offset: 0 }).items) {
      if (it.locator.type !== 'file') continue;
      set.run(JSON.stringify({ type: 'url', url: http.fileUrl(basename(it.locator.path)), headers: { [token.name]: token.value } }), it.id);
    }
    await coldTunes('cold-http');
    const refused = http.log.filter((l) => l.status === 403).length;
    print({ case: 'cold-http', metric: 'requests', count: http.log.length, ranges: http.log.filter((l) => l.status === 206).length, refused, pass: refused === 0 });
  } finally {
    await http.close();
  }

  // ---- cold on a slow source: the NAS sleeps before every tune ---------------------------------
  const nas = await startMediaServer(dirname(server.clips[0]!), token, { spinUpMs: 5000 });
  try {
    const set = server.engine.store.db.prepare('UPDATE media_items SET locator = ? WHERE id = ?');
    for (const it of server.engine.store.items.query({ limit: 100, offset: 0 }).items) {
      const path = it.locator.type === 'url' ? decodeURIComponent(new URL(it.locator.url).pathname.slice(1)) : '';
      if (path) set.run(JSON.stringify({ type: 'url', url: nas.fileUrl(path), headers: { [token.name]: token.value } }), it.id);
    }
    const slow = { firstByte: [] as number[], firstIdr: [] as number[], item: [] as number[] };
    for (let i = 0; i < SLOW; i++) {
      await sleep(jitter(300, 1500));
      nas.spinDown();
      const t0 = performance.now();
      const viewer = tune(url, () => false, 30_000);
      // The slate stops growing once the item is on air (1.5 s without growth after the NAS answered).
      let bridged = -1, changedAt = t0;
      while (performance.now() - t0 < 30_000) {
        const b = server.engine.streams.get(channelId)?.bridgedMs ?? 0;
        if (b !== bridged) { bridged = b; changedAt = performance.now(); }
        if (nas.log.length && performance.now() - changedAt > 1500 && bridged > 0) break;
        await sleep(50);
      }
      viewer.close();
      const s = await viewer.done;
      if (s.firstByteMs === null || s.firstIdrMs === null) throw new Error(`cold-slow tune ${i}: no ${s.firstByteMs === null ? 'byte' : 'IDR'}`);
      slow.firstByte.push(s.firstByteMs);
      slow.firstIdr.push(s.firstIdrMs);
      slow.item.push(changedAt - t0);
      nas.log.length = 0;
      await server.engine.streams.stopSession(channelId, 'bench');
    }
    figure('cold-slow', 'firstByte', slow.firstByte, 500);
    figure('cold-slow', 'firstIdr', slow.firstIdr, 1000);
    figure('cold-slow', 'item', slow.item);
  } finally {
    await nas.close();
  }
} finally {
  await server.close();
}
