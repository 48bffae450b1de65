// Stopping a live session by hand: DELETE /api/sessions/:number (the TUI's X, `exstreamtv session stop`).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { liveProcesses } from '../../src/engine/ffmpeg/process.js';
import { cli } from '../helpers/cli.js';
import { startLiveServer, type LiveServer } from '../helpers/live-channel.js';
import { api, openTs, waitFor } from '../helpers/stream.js';

let live: LiveServer;
before(async () => {
  live = await startLiveServer({
    clips: { 'a.mp4': { duration: 4, size: '320x180', fps: 25, vcodec: 'libx264', faststart: true } },
    channels: 2,
  });
});
after(async () => { await live?.close(); });

async function del(path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${live.url}${path}`, { method: 'DELETE', headers: { 'x-exstreamtv': '1' } });
  return { status: res.status, body: await res.json() };
}

test('stopping a watched channel ends its ffmpeg and disconnects the viewer; a second stop is a 404', async () => {
  const viewer = openTs(`${live.url}/stream/channels/1.ts`);
  await waitFor(() => viewer.bytes > 50_000, 20_000);
  const [s] = await api.get(live.url, '/api/sessions');
  assert.equal(s.viewers, 1);
  const r = await del('/api/sessions/1');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { number: '1', viewersDisconnected: 1, restarted: false });
  await Promise.race([viewer.ended, new Promise((_, rej) => setTimeout(() => rej(new Error('viewer still connected 5 s after the stop')), 5000))]);
  assert.deepEqual(await api.get(live.url, '/api/sessions'), []);
  assert.ok(await waitFor(() => liveProcesses() === 0, 5000), 'no ffmpeg left');
  const again = await del('/api/sessions/1');
  assert.equal(again.status, 404);
  assert.match(again.body.message, /live session of channel 1 not found/);
  await viewer.close();
});

test('an unknown channel is a 404 and a malformed number a 400 naming the field', async () => {
  const missing = await del('/api/sessions/77');
  assert.equal(missing.status, 404);
  assert.match(missing.body.message, /channel 77/);
  const bad = await del('/api/sessions/abc');
  assert.equal(bad.status, 400);
  assert.match(bad.body.message, /number/);
});

test('an always-on channel starts a fresh session when stopped', async () => {
  const ch = await (await fetch(`${live.url}/api/channels/2`, {
    method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ stream: { alwaysOn: true } }),
  })).json() as any;
  assert.equal(ch.stream.alwaysOn, true);
  live.engine.streams.acquire(live.engine.channels.get('2'));
  const first = (await api.get(live.url, '/api/sessions'))[0];
  await waitFor(() => Date.now() > Date.parse(first.startedAt), 1000, 1); // a fresh session starts at a later millisecond
  const r = await del('/api/sessions/2');
  assert.deepEqual(r.body, { number: '2', viewersDisconnected: 0, restarted: true });
  const [fresh] = await api.get(live.url, '/api/sessions');
  assert.equal(fresh.number, '2');
  assert.ok(Date.parse(fresh.startedAt) > Date.parse(first.startedAt), 'a new session, not the old one');
  await live.engine.streams.stopSession(fresh.channelId, 'test done');
});

test('`exstreamtv session` lists and stops through the daemon URL', async () => {
  const viewer = openTs(`${live.url}/stream/channels/1.ts`);
  await waitFor(() => viewer.bytes > 10_000, 20_000);
  const list = await cli(['--url', live.url, 'session', 'list']);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /CHANNEL\s+VIEWERS/);
  assert.match(list.stdout, /1 Live 1\s+1/);
  const stop = await cli(['--url', live.url, 'session', 'stop', '1']);
  assert.equal(stop.code, 0, stop.stderr);
  assert.match(stop.stdout, /stopped channel 1: 1 viewer\(s\) disconnected/);
  const none = await cli(['--url', live.url, 'session', 'stop', '1']);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /live session of channel 1 not found/);
  await viewer.close();
});
