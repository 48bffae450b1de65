// An owned ffmpeg process (started with execa, the stack's way): argv only (no shell), stdout
// streamed to the owner, -progress parsed as a heartbeat, and a kill() that escalates SIGTERM →
// SIGKILL. Every live process is tracked so shutdown can reap them all. If the server dies (even
// SIGKILLed), the kernel kills its ffmpegs too: each starts through util-linux's `setpriv
// --pdeathsig KILL` (prctl PR_SET_PDEATHSIG, then exec: same pid), so one blocked on a hung input,
// which never writes and so never meets EPIPE, does not outlive the server.
import { execa, type ResultPromise } from 'execa';
import { accessSync, constants } from 'node:fs';
import { setPriority } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Readable } from 'node:stream';

export interface Progress { outTimeMs: number; speed: number | null; frame: number; at: number }

export interface FfmpegExit { code: number | null; signal: NodeJS.Signals | null; killed: boolean; stderr: string; progress: Progress | null }

const live = new Set<FfmpegProcess>();
export const liveProcesses = (): number => live.size;
export async function killAll(): Promise<void> {
  await Promise.all([...live].map((p) => p.kill()));
}

const STDERR_KEEP = 4000;

const executable = (p: string): boolean => { try { accessSync(p, constants.X_OK); return true; } catch { return false; } };
/** Where a command runs from (PATH lookup for a bare name), or null. */
function which(cmd: string): string | null {
  if (cmd.includes('/')) return executable(cmd) ? cmd : null;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir && executable(join(dir, cmd))) return join(dir, cmd);
  return null;
}
let setpriv: string | null | undefined;
/**
 * The argv that starts `cmd` tied to this process's life: through setpriv when there is one
 * (util-linux, essential on Debian) and the command exists (else its own start error, ENOENT, says why).
 */
export function tiedToParent(cmd: string, args: string[]): [string, string[]] {
  setpriv ??= process.platform === 'linux' ? which('setpriv') : null;
  if (!setpriv || !which(cmd)) return [cmd, args];
  return [setpriv, ['--pdeathsig', 'KILL', '--', cmd, ...args]];
}

type Child = ResultPromise<{ stdio: ['ignore', 'pipe', 'pipe', 'pipe']; reject: false; buffer: false }>;

export class FfmpegProcess {
  readonly child: Child;
  readonly exited: Promise<FfmpegExit>;
  readonly startedAt = Date.now();
  progress: Progress | null = null;
  private stderr = '';
  private killing = false;

  constructor(ffmpeg: string, args: string[], private readonly onProgress?: (p: Progress) => void) {
    const [file, argv] = tiedToParent(ffmpeg, args);
    this.child = execa(file, argv, {
      // cleanup: false: execa's exit hook (signal-exit) would re-raise SIGTERM and cut the daemon's
      // graceful shutdown short; the daemon reaps its ffmpegs itself (killAll), the parent-death signal does the rest.
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'], reject: false, buffer: false, cleanup: false, forceKillAfterDelay: false, stripFinalNewline: false,
    });
    live.add(this);
    this.child.stderr!.on('data', (d: Buffer) => { this.stderr = (this.stderr + d.toString()).slice(-STDERR_KEEP); });
    const prog = this.child.stdio[3] as Readable | null;
    let partial: Record<string, string> = {};
    let buf = '';
    prog?.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        const eq = line.indexOf('=');
        if (eq < 0) continue;
        const k = line.slice(0, eq), v = line.slice(eq + 1);
        partial[k] = v;
        if (k === 'progress') {
          const us = Number(partial.out_time_us ?? partial.out_time_ms);
          this.progress = {
            outTimeMs: Number.isFinite(us) ? Math.max(0, us / 1000) : (this.progress?.outTimeMs ?? 0),
            speed: partial.speed && partial.speed !== 'N/A' ? Number.parseFloat(partial.speed) : null,
            frame: Number(partial.frame ?? 0),
            at: Date.now(),
          };
          this.onProgress?.(this.progress);
          partial = {};
        }
      }
    });
    prog?.on('error', () => {});
    this.child.stdout!.on('error', () => {});
    this.exited = this.child.then((r) => {
      live.delete(this);
      // A start failure (ENOENT, EACCES) has no exit code: its message says why.
      if (r.exitCode === undefined && !r.signal) this.stderr += `\n${r.originalMessage || r.shortMessage}`;
      return { code: r.exitCode ?? null, signal: (r.signal as NodeJS.Signals | undefined) ?? null, killed: this.killing, stderr: this.stderr.trim(), progress: this.progress };
    });
  }

  /** From now on at the lowest CPU priority (nice 19): background work that must not slow live encodes. */
  background(): this {
    try { if (this.child.pid) setPriority(this.child.pid, 19); } catch { /* already gone */ }
    return this;
  }

  get stdout(): Readable { return this.child.stdout!; }
  get pid(): number | undefined { return this.child.pid; }

  /** Last meaningful stderr line: what to show a person. */
  static reason(exit: FfmpegExit): string {
    const line = exit.stderr.split('\n').map((l) => l.trim()).filter(Boolean).at(-1);
    if (line) return line.replace(/^\[[^\]]+\]\s*/, '');
    return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
  }

  /** SIGTERM, then SIGKILL after graceMs. Resolves when the process is gone. */
  async kill(graceMs = 2000): Promise<FfmpegExit> {
    if (this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined) {
      this.killing = true;
      this.child.kill('SIGTERM');
      const t = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      const exit = await this.exited;
      clearTimeout(t);
      return exit;
    }
    return this.exited;
  }
}
