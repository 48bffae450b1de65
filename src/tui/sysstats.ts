// Host gauges. Memory, temperature and GPU come from systeminformation; temperature and GPU spawn
// helpers, so they are sampled rarely and dropped for good when the host has no sensor / no GPU.
// CPU load is the delta of os.cpus() times: systeminformation's currentLoad() runs
// `execSync('cat /proc/stat | grep cpu')` on every call (measured: ~1.3 % of a core at one call
// per 2 s on a loaded 2-core box, blocking the event loop each time). Memory in use is total minus
// available (MemAvailable), as si.mem().active computes it, but from os.totalmem()/freemem(): one
// small synchronous read instead of a thread-pool readFile of /proc/meminfo per sample.
import { cpus, freemem, totalmem } from 'node:os';
import si from 'systeminformation';

export interface GpuSample { model: string; utilization: number | null; memUsed: number | null; memTotal: number | null }

export interface SysSample {
  /** 0..100 over all cores since the previous sample. */
  cpu: number;
  cores: number;
  memUsed: number;
  memTotal: number;
  /** °C of the hottest reading, null when the host reports none. */
  temp: number | null;
  gpus: GpuSample[];
}

export interface SysSource { sample(): Promise<SysSample> }

const TEMP_EVERY_MS = 30_000;
/** os.freemem() is MemAvailable from libuv 1.45 (Node 20.3) on; before, it is MemFree (too low). */
const AVAILABLE_FROM_OS = (() => { const [a = 0, b = 0] = process.versions.uv.split('.').map(Number); return a > 1 || (a === 1 && b >= 45); })();
const GPU_EVERY_MS = 10_000;

export function systemInformation(): SysSource {
  let temp: number | null = null;
  let tempAt = 0;
  let tempAbsent = false;
  let gpus: GpuSample[] = [];
  let gpuAt = 0;
  let gpuAbsent = false;
  let last = cpuTimes();

  const readTemp = async () => {
    const t = await si.cpuTemperature();
    const all = [t.main, t.max, ...(t.cores ?? [])].filter((x): x is number => typeof x === 'number' && x > 0);
    temp = all.length ? Math.max(...all) : null;
    if (temp === null) tempAbsent = true;
  };
  const readGpus = async () => {
    const g = await si.graphics();
    gpus = g.controllers
      .filter((c) => c.model || c.vendor)
      .map((c) => ({
        model: [c.vendor, c.model].filter(Boolean).join(' ').trim(),
        utilization: typeof c.utilizationGpu === 'number' ? c.utilizationGpu : null,
        memUsed: typeof c.memoryUsed === 'number' ? c.memoryUsed * 1024 * 1024 : null,
        memTotal: typeof c.memoryTotal === 'number' ? c.memoryTotal * 1024 * 1024 : null,
      }));
    // Nothing to refresh when there is no GPU, or none that reports utilisation (only nvidia-smi does).
    if (!gpus.some((x) => x.utilization !== null)) gpuAbsent = true;
  };

  return {
    async sample() {
      const now = Date.now();
      const slow: Promise<unknown>[] = [];
      if (!tempAbsent && now - tempAt >= TEMP_EVERY_MS) { tempAt = now; slow.push(readTemp().catch(() => { tempAbsent = true; })); }
      if ((!gpuAbsent || gpuAt === 0) && now - gpuAt >= GPU_EVERY_MS) { gpuAt = now; slow.push(readGpus().catch(() => { gpuAbsent = true; })); }
      await Promise.all(slow);
      const memTotal = totalmem();
      const memUsed = AVAILABLE_FROM_OS ? memTotal - freemem() : (await si.mem()).active;
      const nowTimes = cpuTimes();
      const busy = nowTimes.busy - last.busy, total = nowTimes.total - last.total;
      last = nowTimes;
      return { cpu: total > 0 ? (100 * busy) / total : 0, cores: nowTimes.cores, memUsed, memTotal, temp, gpus };
    },
  };
}

/** Busy and total CPU milliseconds over all cores since boot. */
function cpuTimes(): { busy: number; total: number; cores: number } {
  let busy = 0, total = 0;
  const list = cpus();
  for (const c of list) {
    const t = c.times;
    const all = t.user + t.nice + t.sys + t.idle + t.irq;
    total += all;
    busy += all - t.idle;
  }
  return { busy, total, cores: list.length || 1 };
}
