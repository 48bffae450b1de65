// Audio-only items on a channel (issue 21 item 5): a song with cover art airs over its picture, one
// without over a plain card; both as real video at the channel's constant frame rate, with sound,
// spliced with a video clip without a gap (real ffmpeg, real HTTP on loopback).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { esTiming } from '../helpers/es-timing.js';
import { startLiveServer, type LiveServer } from '../helpers/live-channel.js';
import { api, openTs, waitFor } from '../helpers/stream.js';
import { avStreams, summary } from '../helpers/ts-analyze.js';

let live: LiveServer;
before(async () => {
  live = await startLiveServer({
    clips: {
      'a song with cover.m4a': { noVideo: true, coverArt: true, duration: 2.5 },
      'b song without cover.m4a': { noVideo: true, duration: 2.5 },
      'c video.mp4': { duration: 2, size: '320x180', fps: 25, vcodec: 'libx264', faststart: true },
    },
  });
});
after(async () => { await live?.close(); });

test('audio-only items air as picture and sound: cover art, else a card; constant frame cadence throughout', async () => {
  const parts: Buffer[] = [];
  const viewer = openTs(`${live.url}/stream/channels/1.ts`, (b) => parts.push(b));
  const titles = new Set<string>();
  const whys = new Set<string>();
  // Until both songs and the video have aired (pieces seen in the session's stats).
  await waitFor(async () => {
    const [s] = await api.get(live.url, '/api/sessions');
    for (const p of s?.pieces ?? []) { titles.add(p.title); if (p.why) whys.add(p.why); }
    return titles.size >= 3 && viewer.analyzer.report().durationS > 8;
  }, 90_000, 500);
  const ts = await viewer.close();
  console.log(`# pieces: ${[...whys].join(' | ')}; ${summary(ts.report)}`);
  assert.ok(whys.has('audio only: cover art'), [...whys].join(', '));
  assert.ok(whys.has('audio only: plain card'), [...whys].join(', '));
  const { video, audio } = avStreams(ts.report);
  assert.equal(ts.report.ccErrorTotal, 0);
  assert.ok(video.maxGapS <= 0.05 && audio.maxGapS <= 0.05, summary(ts.report));
  const buf = Buffer.concat(parts);
  const v = esTiming(buf.subarray(0, buf.length - (buf.length % 188)), video.pid).dts.get(video.pid)!;
  const steps = new Set(v.slice(1).map((d, i) => d - v[i]!));
  assert.deepEqual([...steps], [3000], 'every frame 1/30 s, songs included');
});
