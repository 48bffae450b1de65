// Throwaway Linux network namespaces for discovery tests: traffic there never leaves the box (the
// namespace has only its own `lo`). Needs root (or CAP_NET_ADMIN) and iproute2; otherwise the
// tests skip with the reason `ip` printed.
import { execFile, spawn, type ChildProcess } from 'node:child_process';

export interface ExecResult { code: number | null; stdout: string; stderr: string }

export function run(cmd: string, args: string[], timeoutMs = 20_000): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number | string; killed?: boolean }) | null;
      const code = !e ? 0 : e.killed ? 124 : typeof e.code === 'number' ? e.code : -1;
      resolve({ code, stdout, stderr: stderr || (e && typeof e.code === 'string' ? e.message : '') });
    });
  });
}

export interface Child { proc: ChildProcess; output(): string; waitFor(re: RegExp, timeoutMs?: number): Promise<string>; exited: Promise<number | null> }

export interface Netns {
  name: string;
  /** Runs a command inside the namespace to completion. */
  exec(cmd: string, args: string[], timeoutMs?: number): Promise<ExecResult>;
  /** Starts a long-running command inside the namespace (a developer's EXSTREAMTV_* variables are not passed on). */
  spawn(cmd: string, args: string[], env?: Record<string, string>): Child;
  /** Kills what spawn started (by pid), then deletes the namespace. Safe to call twice. */
  destroy(): Promise<void>;
}

let counter = 0;

/** A fresh namespace with `lo` up (multicast on, 224.0.0.0/4 routed to it), or the reason there is none. */
export async function createNetns(purpose: string): Promise<Netns | { skip: string }> {
  if (process.platform !== 'linux') return { skip: 'network namespaces need Linux' };
  const name = `exs-${purpose}-${process.pid}-${++counter}`;
  const add = await run('ip', ['netns', 'add', name]);
  if (add.code !== 0) return { skip: `cannot create a network namespace: ${(add.stderr || add.stdout).trim() || `ip exited ${add.code}`}` };
  const children: Child[] = [];
  let destroyed = false;
  const ns: Netns = {
    name,
    exec: (cmd, args, timeoutMs) => run('ip', ['netns', 'exec', name, cmd, ...args], timeoutMs),
    spawn(cmd, args, env = {}) {
      const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('EXSTREAMTV_')));
      const proc = spawn('ip', ['netns', 'exec', name, cmd, ...args], { env: { ...inherited, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      const waiters: (() => void)[] = [];
      const onData = (d: Buffer) => { out += d.toString(); for (const w of waiters.splice(0)) w(); };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', onData);
      const exited = new Promise<number | null>((r) => proc.on('close', (code) => { for (const w of waiters.splice(0)) w(); r(code); }));
      const child: Child = {
        proc, exited, output: () => out,
        waitFor: (re, timeoutMs = 15_000) => new Promise((resolve, reject) => {
          const deadline = setTimeout(() => reject(new Error(`timed out waiting for ${re} in:\n${out}`)), timeoutMs);
          const check = () => {
            const m = re.exec(out);
            if (m) { clearTimeout(deadline); resolve(m[0]); return; }
            if (proc.exitCode !== null || proc.signalCode !== null) { clearTimeout(deadline); reject(new Error(`process exited (${proc.exitCode ?? proc.signalCode}) before ${re}:\n${out}`)); return; }
            waiters.push(check);
          };
          check();
        }),
      };
      children.push(child);
      return child;
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      for (const c of children) {
        if (c.proc.exitCode === null && c.proc.signalCode === null) {
          c.proc.kill('SIGTERM');
          const t = setTimeout(() => c.proc.kill('SIGKILL'), 5000);
          await c.exited;
          clearTimeout(t);
        }
      }
      // Anything else still inside (none expected: every process here was started by this test).
      const left = await run('ip', ['netns', 'pids', name]);
      for (const pid of left.stdout.split(/\s+/).filter(Boolean).map(Number)) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      }
      await run('ip', ['netns', 'del', name]);
    },
  };
  const setup = await ns.exec('sh', ['-c', 'ip link set lo up multicast on && ip route add 224.0.0.0/4 dev lo']);
  if (setup.code !== 0) {
    await ns.destroy();
    return { skip: `cannot set up lo in the namespace: ${setup.stderr.trim()}` };
  }
  return ns;
}

/** Whether a namespace by that name is still listed. */
export async function netnsListed(name: string): Promise<boolean> {
  const r = await run('ip', ['netns', 'list']);
  return r.stdout.split('\n').some((l) => l.split(' ')[0] === name);
}
