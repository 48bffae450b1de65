// Resource figures of a process from /proc (Linux): resident memory and open file descriptors,
// what the reliability benchmarks (soak, churn) watch for leaks.
import { readFile, readdir } from 'node:fs/promises';

/** Resident set size in KiB (VmRSS). */
export async function rssKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!m) throw new Error(`no VmRSS for process ${pid}`);
  return Number(m[1]);
}

/** Open file descriptors (sockets, pipes, files). */
export async function openFds(pid: number): Promise<number> {
  return (await readdir(`/proc/${pid}/fd`)).length;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Prints one figure as a JSON line. */
export const figure = (bench: string) => (o: Record<string, unknown>) => console.log(JSON.stringify({ bench, ...o }));
