// Terminal UI benchmark. One JSON line per figure.
//  frame:    the cost of one dashboard frame — the dashboard rendered N times in-process on an
//            injected screen (PassThrough, 120×40 and 80×24) with 10 live sessions whose bitrate
//            changes every frame and a new log line every frame; median/p95 ms and bytes written.
//            Also an unchanged frame (nothing new: what an idle tick costs).
//  idle-cpu: CPU of the real `exstreamtv` TUI process (in tmux, 120×40, dashboard) attached to a
//            real `exstreamtv serve` child that runs 10 live channels with one MPEG-TS viewer
//            each, measured from /proc over --seconds (default 20) after 15 s of settling.
//            Goal ≤ 1 % of a core.
// The sessions use the engine's one channel profile (720p30 libx264); the sources are short
// low-resolution clips so that decoding stays cheap on a small box.
//   node dist/bench/tui.js [--frames 300] [--seconds 20] [--sessions 10] [--skip-idle] [--cpu-prof DIR]
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { createApp } from '../src/tui/app.js';
import { busFeed } from '../src/tui/feed.js';
import type { SessionRow } from '../src/tui/model.js';
import { startApi } from '../test/helpers/api.js';
import { BIN } from '../test/helpers/cli.js';
import type { ClipSpec } from '../test/helpers/media.js';
import { fakeSys, testScreen } from '../test/tui/harness.js';
import { startDaemon } from './lib/serve.js';

const { values } = parseArgs({
  options: {
    frames: { type: 'string', default: '300' },
    seconds: { type: 'string', default: '20' },
    sessions: { type: 'string', default: '10' },
    'skip-idle': { type: 'boolean', default: false },
    /** Write a V8 CPU profile of the TUI process (idle-cpu case) into this directory. */
    'cpu-prof': { type: 'string' },
  },
});
const FRAMES = Number(values.frames), SECONDS = Number(values.seconds), SESSIONS = Number(values.sessions);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const r3 = (x: number) => Math.round(x * 1000) / 1000;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function frameCost(cols: number, rows: number): Promise<void> {
  const api = await startApi();
  const s = testScreen(cols, rows);
  const app = createApp({
    screen: s.screen, client: api.api, feed: busFeed(api.engine.events, []), sys: fakeSys, env: {}, mouse: false,
    info: { apiUrl: 'http://127.0.0.1:8410', mode: 'daemon', host: 'bench', probe: async () => 200 },
  });
  try {
    await sleep(300);
    app.model.stop(); // the figures below drive the model by hand
    const now = Date.now();
    const sessions: SessionRow[] = Array.from({ length: SESSIONS }, (_, i) => ({
      channelId: i + 1, number: String(i + 1), name: `Channel ${i + 1}`, viewers: 1, hlsActive: false, startedAt: new Date(now).toISOString(),
      uptimeS: 60 + i, nowPlaying: `Some Show S01E0${i} — An Episode Title`, encoder: 'libx264 (software)', bitrateKbps: 2500,
      restarts: i % 3, lastError: i % 4 === 0 ? 'ffmpeg exited 1: moov atom not found' : null, lastFailure: null, ffmpegPid: 1000 + i,
      piece: i % 2 ? 'direct' : 'transcode', pieces: [],
    }));
    app.model.sessions = sessions;
    app.model.discover = { FriendlyName: 'EXStreamTV', DeviceID: '12345678', TunerCount: 16, BaseURL: 'http://127.0.0.1:8410', LineupURL: '' };
    for (const r of sessions) app.model.kbpsHistory.set(r.channelId, Array.from({ length: 60 }, (_, k) => 2000 + ((k * 37 + r.channelId * 11) % 900)));
    for (let i = 0; i < 200; i++) app.model.logs.push({ level: i % 9 ? 'info' : 'warn', at: new Date().toISOString(), msg: `warm-up line ${i}`, channel: String(1 + (i % SESSIONS)) });
    app.render();
    await sleep(50);

    for (const kase of ['changed', 'unchanged'] as const) {
      const ms: number[] = [];
      const before = s.written();
      const cpu0 = process.cpuUsage();
      for (let f = 0; f < FRAMES; f++) {
        if (kase === 'changed') {
          for (const r of sessions) {
            r.bitrateKbps = 2000 + ((f * 53 + r.channelId * 17) % 1000);
            const h = app.model.kbpsHistory.get(r.channelId)!;
            h.push(r.bitrateKbps);
            h.shift();
          }
          app.model.sessionsVersion++;
          app.model.logs.push({ level: 'info', at: new Date().toISOString(), msg: `frame ${f}: something happened`, channel: String(1 + (f % SESSIONS)) });
        }
        const t0 = performance.now();
        app.render();
        ms.push(performance.now() - t0);
        // Let the PassThrough deliver what the frame wrote (counted, like a terminal would read it).
        if (f % 10 === 9) await new Promise((r) => setImmediate(r));
      }
      await new Promise((r) => setImmediate(r));
      const cpu = process.cpuUsage(cpu0);
      ms.sort((a, b) => a - b);
      console.log(JSON.stringify({
        bench: 'tui', case: `frame-${kase}`, size: `${cols}x${rows}`, sessions: SESSIONS, frames: FRAMES,
        medianMs: r3(pct(ms, 0.5)), p95Ms: r3(pct(ms, 0.95)), cpuMsPerFrame: r3((cpu.user + cpu.system) / 1000 / FRAMES),
        bytesPerFrame: Math.round((s.written() - before) / FRAMES), goalMs: 5,
      }));
    }
  } finally {
    app.destroy();
    s.destroy();
    await api.close();
  }
}

const run = promisify(execFile);

/** User and system CPU seconds of a process (/proc/<pid>/stat utime, stime; USER_HZ 100). */
async function procCpu(pid: number): Promise<{ user: number; sys: number }> {
  const s = await readFile(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return { user: Number(f[11]) / 100, sys: Number(f[12]) / 100 };
}

const CLIPS: Record<string, ClipSpec> = {
  'a.mp4': { duration: 6, size: '192x108', fps: 15, vcodec: 'libx264', faststart: true },
  'b.mkv': { duration: 6, size: '192x108', fps: 15, vcodec: 'mpeg2video' },
};

async function idleCpu(): Promise<void> {
  const daemon = await startDaemon(CLIPS, SESSIONS, { tunerCount: Math.max(16, SESSIONS), streamIdleS: 5 });
  const socket = `exs-bench-tui-${process.pid}`;
  const tmux = async (...a: string[]) => (await run('tmux', ['-L', socket, '-f', '/dev/null', ...a])).stdout;
  const ac = new AbortController();
  const readers: Promise<void>[] = [];
  let bytes = 0;
  try {
    for (let n = 1; n <= SESSIONS; n++) {
      const res = await fetch(`${daemon.url}/stream/channels/${n}.ts`, { signal: ac.signal });
      if (res.status !== 200) throw new Error(`tune ${n}: HTTP ${res.status}`);
      readers.push((async () => { try { for await (const c of res.body as unknown as AsyncIterable<Uint8Array>) bytes += c.length; } catch { /* stopped */ } })());
    }
    const port = new URL(daemon.url).port;
    await tmux('new-session', '-d', '-s', 'bench', '-x', '120', '-y', '40',
      `exec env NCURSES_NO_UTF8_ACS=1 LANG=C.UTF-8 ${process.execPath} ${values['cpu-prof'] ? `--cpu-prof --cpu-prof-dir=${values['cpu-prof']} ` : ''}${BIN} --data-dir ${daemon.dir} --port ${port}`);
    const pid = Number((await tmux('display-message', '-p', '-t', 'bench', '#{pane_pid}')).trim());
    const until = Date.now() + 60_000;
    let pane = '';
    while (!(pane = await tmux('capture-pane', '-p', '-t', 'bench')).includes(`Live sessions (${SESSIONS})`)) {
      if (Date.now() > until) throw new Error(`the TUI never showed ${SESSIONS} sessions:\n${pane}`);
      await sleep(250);
    }
    // Settle: first polls, gauges, sparklines, and V8's warm-up (lazy compilation, the heap
    // growing to its working size) — measured at +1 % of a core for the first ~15 s.
    await sleep(15_000);
    const bytes0 = bytes;
    const c0 = await procCpu(pid);
    const t0 = performance.now();
    await sleep(SECONDS * 1000);
    const c1 = await procCpu(pid);
    const secs = (performance.now() - t0) / 1000;
    pane = await tmux('capture-pane', '-p', '-t', 'bench');
    const viewers = (pane.match(/^│\d+\s+Live \d+\s+1\s/gm) ?? []).length;
    const load1 = Number((await readFile('/proc/loadavg', 'utf8')).split(' ')[0]);
    console.log(JSON.stringify({
      bench: 'tui', case: 'idle-cpu', sessions: SESSIONS, rowsWithOneViewer: viewers, seconds: r3(secs),
      cpuPctOfCore: Math.round(((c1.user + c1.sys - c0.user - c0.sys) / secs) * 1000) / 10,
      userPct: Math.round(((c1.user - c0.user) / secs) * 1000) / 10, sysPct: Math.round(((c1.sys - c0.sys) / secs) * 1000) / 10, goalPct: 1,
      streamKbpsAll: Math.round(((bytes - bytes0) * 8) / 1000 / secs), load1, term: '120x40 tmux, dashboard',
    }));
  } finally {
    ac.abort();
    await Promise.all(readers);
    if (values['cpu-prof']) { await tmux('send-keys', '-t', 'bench', 'C-c').catch(() => {}); await sleep(2000); }
    await tmux('kill-server').catch(() => {});
    await rm(`${process.env.TMUX_TMPDIR ?? '/tmp'}/tmux-${process.getuid?.() ?? 0}/${socket}`, { force: true });
    await daemon.stop();
  }
}

await frameCost(120, 40);
await frameCost(80, 24);
if (!values['skip-idle']) await idleCpu();
