// Idle sessions yield (issue 21 item 4): a channel just left keeps streaming for streamIdleS only
// while nothing else is watched; once another channel has a viewer it stops at once (its encoder
// would take that channel's CPU). Always-on channels are left alone. The bench (bench/idle-yield)
// measures what this buys a watched channel on a small box.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startLiveServer, type LiveServer } from '../helpers/live-channel.js';
import { ffmpegChildren, openTs, waitFor } from '../helpers/stream.js';

let live: LiveServer;
const idOf = (n: string) => live.engine.store.channels.findByNumber(n)!.id;
const isLive = (n: string) => live.engine.streams.get(idOf(n)) !== undefined;

before(async () => {
  live = await startLiveServer({
    clips: { 'a.mp4': { duration: 4, size: '320x180', fps: 25, vcodec: 'libx264', faststart: true } },
    channels: 3, config: { streamIdleS: 30 },
  });
});
after(async () => { await live?.close(); });

test('a left session stays while nothing else is watched, and stops at once when another channel gets a viewer', async () => {
  const one = openTs(`${live.url}/stream/channels/1.ts`);
  await waitFor(() => one.bytes > 0, 20_000);
  await one.close();
  await waitFor(() => live.engine.streams.get(idOf('1'))?.viewerCount === 0, 5000);
  // Past the start grace: only the idle timer (30 s) would end it now.
  await new Promise((r) => setTimeout(r, 5200));
  assert.ok(isLive('1'), 'nothing else watched: channel 1 streams on for a quick re-tune');

  const two = openTs(`${live.url}/stream/channels/2.ts`);
  await waitFor(() => two.bytes > 0, 20_000);
  assert.ok(await waitFor(() => !isLive('1'), 3000), 'channel 1 stopped once channel 2 was watched');
  assert.ok(isLive('2'));
  const stopped = live.engine.streams.stats().map((s) => s.number);
  assert.deepEqual(stopped, ['2'], 'only the watched session runs');
  // The stopped session's ffmpeg is reaped and a stand-by slate render (a short ffmpeg) may be finishing: wait for one.
  assert.ok(await waitFor(async () => (await ffmpegChildren(process.pid)).length <= 1, 5000), 'one encoder left');
  await two.close();
});

test('a channel flipped past within its first seconds stops as soon as its start grace ends', async () => {
  const one = openTs(`${live.url}/stream/channels/1.ts`);
  await waitFor(() => one.bytes > 0, 20_000);
  await one.close();
  const two = openTs(`${live.url}/stream/channels/2.ts`);
  await waitFor(() => two.bytes > 0, 20_000);
  assert.ok(await waitFor(() => !isLive('1'), 8000), 'channel 1 stopped once its grace ended');
  await two.close();
  await live.engine.streams.stopSession(idOf('2'), 'test');
});

test('an always-on channel without viewers keeps streaming while another is watched', async () => {
  const res = await fetch(`${live.url}/api/channels/3`, {
    method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ stream: { alwaysOn: true } }),
  });
  assert.equal(res.status, 200);
  if (!isLive('3')) live.engine.streams.acquire(live.engine.channels.get('3'));
  const one = openTs(`${live.url}/stream/channels/1.ts`);
  await waitFor(() => one.bytes > 0, 20_000);
  await new Promise((r) => setTimeout(r, 6000)); // past the start grace and a few yield ticks
  assert.ok(isLive('3'), 'the always-on channel streams on');
  assert.ok(isLive('1'));
  await one.close();
  await live.engine.streams.stopSession(idOf('3'), 'test');
});
