// Helpers for streaming tests: generated libraries scanned over the HTTP API, TS readers that
// feed the analyzer, process and fd counting, polling.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeClip, type ClipSpec } from '../../src/engine/library/clips.js';
import { liveProcesses } from '../../src/engine/ffmpeg/process.js';
import { avStreams, summary, TsAnalyzer, type TsReport } from './ts-analyze.js';
import { FFMPEG } from './media.js';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Renders clips (name → spec) into dir, two at a time. */
export async function makeClips(dir: string, specs: Record<string, ClipSpec>): Promise<void> {
  const queue = Object.entries(specs);
  const worker = async () => {
    for (let e = queue.shift(); e; e = queue.shift()) await makeClip(FFMPEG, join(dir, e[0]), e[1]);
  };
  await Promise.all([worker(), worker()]);
}

async function json(base: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(base + path, {
    method,
    // The client header every state-changing request needs (the cross-site rule; the CLI and TUI send it too).
    headers: { 'x-exstreamtv': '1', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}
export const api = {
  get: (base: string, path: string) => json(base, 'GET', path),
  post: (base: string, path: string, body?: unknown) => json(base, 'POST', path, body),
};

/** Adds root as a local source, scans it to the end; returns item ids by file name. */
export async function scanLibrary(base: string, root: string): Promise<Map<string, { id: number; durationMs: number; status: string }>> {
  const source = await api.post(base, '/api/sources', { path: root, name: 'Streams' });
  const scan = await api.post(base, `/api/sources/${source.id}/scan`);
  const deadline = Date.now() + 60_000;
  for (let s = scan; s.state === 'running'; s = await api.get(base, `/api/scans/${scan.id}`)) {
    if (Date.now() > deadline) throw new Error('scan did not finish');
    await sleep(100);
  }
  const list = await api.get(base, `/api/items?sourceId=${source.id}&limit=500`);
  const out = new Map<string, { id: number; durationMs: number; status: string }>();
  for (const it of list.items) out.set(String(it.locator.path).split('/').at(-1)!, { id: it.id, durationMs: it.durationMs, status: it.status });
  return out;
}

export interface TsRead {
  report: TsReport;
  bytes: number;
  /** Arrival time (ms) and size of every chunk. */
  chunks: { at: number; bytes: number }[];
  startedAt: number;
  status: number;
  headers: Headers;
}

/** A client reading a URL through the analyzer until close(). */
export interface TsClient {
  readonly analyzer: TsAnalyzer;
  readonly chunks: { at: number; bytes: number }[];
  readonly startedAt: number;
  bytes: number;
  /** Resolves with the response (status, headers) once they arrive. */
  readonly response: Promise<Response>;
  /** Resolves when the body ended by itself, was cut by the server (see `cut`) or was closed. */
  readonly ended: Promise<void>;
  /** Why the server cut the body (a dead server: Node 22+'s fetch reports "terminated"); null when it ended cleanly. */
  cut: Error | null;
  /** Stops reading (aborts the request) and returns what was read. */
  close(): Promise<TsRead>;
}

export function openTs(url: string, onChunk?: (c: Buffer, at: number) => void): TsClient {
  const ac = new AbortController();
  const analyzer = new TsAnalyzer();
  const chunks: { at: number; bytes: number }[] = [];
  const client = {
    analyzer, chunks, startedAt: Date.now(), bytes: 0, cut: null,
    response: fetch(url, { signal: ac.signal }),
  } as { -readonly [K in keyof TsClient]: TsClient[K] };
  client.ended = client.response.then(async (res) => {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      const at = Date.now();
      const b = Buffer.from(chunk);
      client.bytes += b.length;
      chunks.push({ at, bytes: b.length });
      analyzer.push(b, at);
      onChunk?.(b, at);
    }
  }).catch((err: Error) => {
    if (ac.signal.aborted) return;
    // The connection died (server killed, viewer dropped), before or after the first byte — Node 22+'s
    // fetch says "terminated" (HPE_INVALID_EOF_STATE) where 20 ended quietly: what was read stays readable.
    if (err.name === 'TypeError' && /terminated/.test(err.message)) { client.cut = err; return; }
    throw err;
  });
  client.close = async () => {
    ac.abort();
    await client.ended;
    const res = await client.response.catch(() => null);
    return { report: analyzer.end(), bytes: client.bytes, chunks, startedAt: client.startedAt, status: res?.status ?? 0, headers: res?.headers ?? new Headers() };
  };
  return client;
}

/** Reads a URL for `ms` of wall clock through the analyzer, then aborts. */
export async function readTs(url: string, ms: number): Promise<TsRead> {
  const c = openTs(url);
  await Promise.race([sleep(ms), c.ended]);
  return c.close();
}

/** Largest silence between consecutive chunks in [from, to] (ms). */
export function maxChunkGap(chunks: { at: number }[], from = 0, to = Infinity): number {
  let gap = 0;
  const inRange = chunks.filter((c) => c.at >= from && c.at <= to);
  for (let i = 1; i < inRange.length; i++) gap = Math.max(gap, inRange[i]!.at - inRange[i - 1]!.at);
  return gap;
}

/** PIDs of the ffmpeg children of a process. */
export function ffmpegChildren(parentPid: number): Promise<number[]> {
  return new Promise((resolve) => {
    execFile('pgrep', ['-P', String(parentPid), '-x', 'ffmpeg'], (_err, stdout) => {
      resolve(String(stdout).split('\n').map((l) => Number(l.trim())).filter((n) => n > 0));
    });
  });
}

/** Every ffmpeg on the machine (pid + command line). */
export function allFfmpeg(): Promise<string[]> {
  return new Promise((resolve) => {
    execFile('pgrep', ['-a', '-x', 'ffmpeg'], (_err, stdout) => resolve(String(stdout).split('\n').filter(Boolean)));
  });
}

/** Is the process running? A zombie (exited, not yet reaped by whoever adopted it) is not. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export const fdCount = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;

/** Polls fn until it returns a truthy value or timeoutMs passes; returns the last value. */
export async function waitFor<T>(fn: () => T | Promise<T>, timeoutMs: number, everyMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v || Date.now() > until) return v;
    await sleep(everyMs);
  }
}

/** Parses a live HLS playlist. */
export interface Playlist {
  targetDuration: number;
  mediaSequence: number;
  endList: boolean;
  discontinuities: number;
  segments: { uri: string; duration: number; pdt: number | null; seq: number }[];
}
export function parsePlaylist(text: string): Playlist {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  if (lines[0] !== '#EXTM3U') throw new Error(`not a playlist: ${text.slice(0, 80)}`);
  const pl: Playlist = { targetDuration: NaN, mediaSequence: 0, endList: false, discontinuities: 0, segments: [] };
  let duration = NaN;
  let pdt: number | null = null;
  for (const l of lines) {
    if (l.startsWith('#EXT-X-TARGETDURATION:')) pl.targetDuration = Number(l.split(':')[1]);
    else if (l.startsWith('#EXT-X-MEDIA-SEQUENCE:')) pl.mediaSequence = Number(l.split(':')[1]);
    else if (l === '#EXT-X-ENDLIST') pl.endList = true;
    else if (l === '#EXT-X-DISCONTINUITY') pl.discontinuities++;
    else if (l.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) pdt = Date.parse(l.slice('#EXT-X-PROGRAM-DATE-TIME:'.length));
    else if (l.startsWith('#EXTINF:')) duration = Number.parseFloat(l.slice(8));
    else if (!l.startsWith('#')) {
      pl.segments.push({ uri: l, duration, pdt, seq: pl.mediaSequence + pl.segments.length });
      duration = NaN;
      pdt = null;
    }
  }
  return pl;
}

/**
 * Python: become a child subreaper, run argv as a child, print its pid, then reap every child
 * (and every orphan adopted) until none is left. PID 1 of some containers never reaps, so an
 * ffmpeg orphaned by a killed server would otherwise stay a zombie that pgrep still lists.
 */
const REAPER = `
import ctypes, os, sys
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
sys.stdout.write("REAPER-CHILD %d\\n" % pid); sys.stdout.flush()
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
    except InterruptedError:
        pass
`;

export interface Served { serverPid: number; output: () => string; stop(): Promise<void>; exited: Promise<void> }

/** `exstreamtv serve` under a reaping parent (python3); falls back to a plain child without python3. */
export async function startServeReaped(args: string[], env: Record<string, string>, baseUrl: string, upWithinMs = 20_000): Promise<Served> {
  const { spawn, spawnSync } = await import('node:child_process');
  const { BIN } = await import('./cli.js');
  const hasPython = spawnSync('python3', ['-c', 'pass']).status === 0;
  const argv = [process.execPath, BIN, 'serve', ...args];
  const child = hasPython
    ? spawn('python3', ['-c', REAPER, ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
    : spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  let serverPid = hasPython ? 0 : child.pid!;
  child.stdout!.on('data', (d: Buffer) => {
    out += d;
    const m = /REAPER-CHILD (\d+)/.exec(out);
    if (m && !serverPid) serverPid = Number(m[1]);
  });
  child.stderr!.on('data', (d: Buffer) => (out += d));
  const exited = new Promise<void>((r) => child.once('close', () => r()));
  const deadline = Date.now() + upWithinMs;
  for (;;) {
    try {
      if (serverPid && (await fetch(`${baseUrl}/api/status`)).ok) break;
    } catch { /* not up yet */ }
    if (child.exitCode !== null || Date.now() > deadline) {
      if (serverPid) try { process.kill(serverPid, 'SIGKILL'); } catch { /* gone */ }
      child.kill('SIGKILL');
      throw new Error(`serve did not come up:\n${out}`);
    }
    await sleep(100);
  }
  return {
    serverPid,
    output: () => out,
    exited,
    async stop() {
      if (alive(serverPid)) {
        process.kill(serverPid, 'SIGTERM');
        const t = setTimeout(() => { try { process.kill(serverPid, 'SIGKILL'); } catch { /* gone */ } }, 10_000);
        await exited;
        clearTimeout(t);
      }
      await exited;
    },
  };
}

/** What a client read is one clean continuous program: one PMT, 0 CC errors, monotonic DTS, gaps ≤ 0.5 s. */
export function assertContinuous(ts: TsRead, what: string): void {
  const r = ts.report;
  const { video, audio } = avStreams(r);
  console.log(`# ${what}: ${(ts.bytes / 1e6).toFixed(1)} MB; ${summary(r)}`);
  assert.equal(ts.status, 200);
  assert.equal(r.programs.length, 1, `${what}: one program`);
  assert.equal(r.pmtLayouts, 1, `${what}: the PMT never changes`);
  assert.equal(r.ccErrorTotal, 0, `${what}: CC errors: ${summary(r)}`);
  assert.equal(video.nonMonotonic, 0, `${what}: video DTS strictly increasing`);
  assert.equal(audio.nonMonotonic, 0, `${what}: audio DTS strictly increasing`);
  assert.ok(video.maxGapS <= 0.5 && audio.maxGapS <= 0.5, `${what}: gaps ≤ 0.5 s: ${summary(r)}`);
}

/** After a streaming suite: no ffmpeg child of this process left, none tracked. */
export async function assertNoFfmpegLeft(): Promise<void> {
  assert.deepEqual(await ffmpegChildren(process.pid), [], 'no ffmpeg left behind');
  assert.equal(liveProcesses(), 0);
}
