// Stream benchmarks against the real daemon: a data dir with generated clips and channels,
// `exstreamtv serve` as a child process on loopback, and CPU accounting of that process and of
// its ffmpeg children from /proc (Linux).
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { openEngine } from '../../src/appliance.js';
import { freePort, startServe } from '../../test/helpers/cli.js';
import { prepareChannels } from '../../test/helpers/live-channel.js';
import { FFMPEG, FFPROBE, type ClipSpec } from '../../test/helpers/media.js';

export interface Daemon { url: string; pid: number; dir: string; output(): string; stop(): Promise<void> }

/** Makes a data dir holding `channels` channels that play `clips` (the caller removes it). */
export async function prepareDataDir(clips: Record<string, ClipSpec>, channels: number, settings: Record<string, unknown> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'exstreamtv-bench-'));
  try {
    const config = { ffmpegPath: FFMPEG, ffprobePath: FFPROBE, logLevel: 'warn', streamIdleS: 2, ...settings };
    await writeFile(join(dir, 'config.json'), JSON.stringify(config));
    const engine = openEngine(loadConfig({ dataDir: dir }, {}));
    try {
      await prepareChannels(engine, join(dir, 'media'), clips, channels);
    } finally {
      await engine.close();
    }
    return dir;
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Makes a data dir holding `channels` channels that play `clips`, then runs `exstreamtv serve` on it. */
export async function startDaemon(clips: Record<string, ClipSpec>, channels: number, settings: Record<string, unknown> = {}): Promise<Daemon> {
  const dir = await prepareDataDir(clips, channels, settings);
  try {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const serve = await startServe(['--data-dir', dir, '--bind', '127.0.0.1', '--port', String(port)], url);
    return {
      url, dir, pid: serve.child.pid!, output: serve.output,
      async stop() {
        try {
          const code = await serve.stop();
          if (code !== 0) throw new Error(`exstreamtv serve exited ${code}:\n${serve.output()}`);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

const TICK = 100; // USER_HZ on Linux

interface Stat { pid: number; ppid: number; comm: string; cpu: number; childCpu: number }

async function readStat(pid: number): Promise<Stat | null> {
  try {
    const s = await readFile(`/proc/${pid}/stat`, 'utf8');
    const close = s.lastIndexOf(')');
    const comm = s.slice(s.indexOf('(') + 1, close);
    const f = s.slice(close + 2).split(' ');
    // f[0] = state (field 3); utime = field 14 → f[11], stime f[12], cutime f[13], cstime f[14].
    return { pid, ppid: Number(f[1]), comm, cpu: (Number(f[11]) + Number(f[12])) / TICK, childCpu: (Number(f[13]) + Number(f[14])) / TICK };
  } catch {
    return null;
  }
}

async function childrenOf(ppid: number): Promise<Stat[]> {
  const out: Stat[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = await readStat(Number(name));
    if (st && st.ppid === ppid) out.push(st);
  }
  return out;
}

export interface CpuSnapshot { at: number; self: number; reaped: number; children: Map<number, number>; childComm: Map<number, string> }

/** CPU seconds of a process, of its reaped children and of each live child, now. */
export async function cpuSnapshot(pid: number): Promise<CpuSnapshot> {
  const self = await readStat(pid);
  if (!self) throw new Error(`process ${pid} is gone`);
  const kids = await childrenOf(pid);
  return { at: performance.now(), self: self.cpu, reaped: self.childCpu, children: new Map(kids.map((k) => [k.pid, k.cpu])), childComm: new Map(kids.map((k) => [k.pid, k.comm])) };
}

/**
 * CPU used between two snapshots, in % of one core: the process itself, and its children
 * (those reaped in between count through cutime/cstime, live ones through their own counters).
 */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): { seconds: number; selfPct: number; childrenPct: number; childrenSeen: number } {
  const seconds = (b.at - a.at) / 1000;
  let kids = b.reaped - a.reaped;
  for (const cpu of b.children.values()) kids += cpu;
  for (const cpu of a.children.values()) kids -= cpu;
  const pct = (x: number) => Math.round((x / seconds) * 1000) / 10;
  return { seconds: Math.round(seconds * 10) / 10, selfPct: pct(b.self - a.self), childrenPct: pct(kids), childrenSeen: new Set([...a.children.keys(), ...b.children.keys()]).size };
}

/** Live children of pid whose command is ffmpeg. */
export async function ffmpegChildren(pid: number): Promise<number> {
  return (await childrenOf(pid)).filter((c) => c.comm === 'ffmpeg').length;
}

/** Waits until pid has no ffmpeg child (sessions idle-stopped), or throws after timeoutMs. */
export async function waitNoFfmpeg(pid: number, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((await ffmpegChildren(pid)) > 0) {
    if (Date.now() > until) throw new Error('ffmpeg children still running');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The machine's load: 1-minute load average and ffmpeg processes not ours. */
export async function machineLoad(): Promise<{ load1: number; cpus: number }> {
  const load1 = Number((await readFile('/proc/loadavg', 'utf8')).split(' ')[0]);
  const { availableParallelism } = await import('node:os');
  return { load1, cpus: availableParallelism() };
}

/** Whole-machine CPU counters from /proc/stat (ticks): busy and total, summed over all CPUs. */
export async function machineCpu(): Promise<{ busy: number; total: number }> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already inside user/nice)
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line;
  return { busy: user + nice + system + irq + softirq + steal, total: user + nice + system + idle + iowait + irq + softirq + steal };
}

/** Machine CPU used between two readings, in % of one core (200 = two cores busy). */
export function machinePct(a: { busy: number; total: number }, b: { busy: number; total: number }, cpus: number): number {
  return Math.round(((b.busy - a.busy) / Math.max(1, b.total - a.total)) * cpus * 1000) / 10;
}
