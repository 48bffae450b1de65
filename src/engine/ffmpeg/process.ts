// An owned ffmpeg process (started with execa, the stack's way): argv only (no shell), stdout
// streamed to the owner, -progress parsed as a heartbeat, and a kill() that escalates SIGTERM →
// SIGKILL. Every live process is tracked so shutdown can reap them all; if the server dies,
// ffmpeg's next write fails (EPIPE) and it exits.
import { execa, type ResultPromise } from 'execa';
import type { Readable } from 'node:stream';

export interface Progress { outTimeMs: number; speed: number | null; frame: number; at: number }

export interface FfmpegExit { code: number | null; signal: NodeJS.Signals | null; killed: boolean; stderr: string; progress: Progress | null }

const live = new Set<FfmpegProcess>();
export const liveProcesses = (): number => live.size;
export async function killAll(): Promise<void> {
  await Promise.all([...live].map((p) => p.kill()));
}

const STDERR_KEEP = 4000;

type Child = ResultPromise<{ stdio: ['ignore', 'pipe', 'pipe', 'pipe']; reject: false; buffer: false }>;

export class FfmpegProcess {
  readonly child: Child;
  readonly exited: Promise<FfmpegExit>;
  readonly startedAt = Date.now();
  progress: Progress | null = null;
  private stderr = '';
  private killing = false;

  constructor(ffmpeg: string, args: string[], private readonly onProgress?: (p: Progress) => void) {
    this.child = execa(ffmpeg, args, {
      // cleanup: false: execa's exit hook (signal-exit) would re-raise SIGTERM and cut the daemon's
      // graceful shutdown short; the daemon reaps its ffmpegs itself (killAll) and EPIPE does the rest.
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
