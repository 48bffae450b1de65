// A real player: mpv opens the M3U over loopback and plays the first channel for 10 s.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startLiveServer, type LiveServer } from '../helpers/live-channel.js';
import { haveTools, TOOLS } from '../helpers/tools.js';

const MPV = '/usr/bin/mpv';
let live: LiveServer;
before(async () => { live = await startLiveServer({ channels: 1, config: { streamIdleS: 1 } }); });
after(async () => { await live?.close(); });

test('mpv plays channel 1 from the M3U for 10 s', async (t) => {
  if (!haveTools(t, [TOOLS.mpv])) return;
  const m3u = await (await fetch(`${live.url}/iptv/channels.m3u`)).text();
  const url = m3u.split('\n').find((l) => l.startsWith('http'));
  assert.ok(url, 'the M3U lists a stream URL');
  const started = Date.now();
  const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const p = spawn(MPV, ['--no-config', '--vo=null', '--ao=null', '--end=10', '--term-status-msg=pos=${time-pos}', `${live.url}/iptv/channels.m3u`],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    const kill = setTimeout(() => p.kill('SIGKILL'), 40_000);
    p.on('close', (c) => { clearTimeout(kill); resolve({ code: c, out }); });
  });
  const wall = (Date.now() - started) / 1000;
  assert.equal(code, 0, out.slice(-2000));
  assert.match(out, /Video --vid=1 .*\(h264 1280x720/, 'mpv found the H.264 video');
  assert.match(out, /Audio --aid=1 .*\(aac 2ch 48000Hz/, 'and the AAC audio');
  assert.match(out, /Exiting\.\.\. \(End of file\)/);
  // time-pos prints as HH:MM:SS
  const last = [...out.matchAll(/pos=(\d+):(\d+):(\d+)/g)].map((m) => Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])).at(-1) ?? 0;
  assert.ok(last >= 9, `mpv reached ${last} s of the stream`);
  assert.ok(wall >= 5, `playback took ${wall.toFixed(1)} s of wall time (paced, not a dump)`);
});
