// nvidia-smi --query-gpu=index,name,driver_version --format=csv,noheader
import type { NvidiaGpu } from '../schemas/hw.js';

export const NVIDIA_SMI_ARGS = ['--query-gpu=index,name,driver_version', '--format=csv,noheader'];

/** "0, NVIDIA GeForce RTX 3060, 535.129.03" per line; anything else is nvidia-smi's complaint. */
export function parseNvidiaSmi(text: string): { gpus: NvidiaGpu[]; error: string | null } {
  const gpus: NvidiaGpu[] = [];
  const other: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(\d+),\s*(.+?),\s*([\d.]+)$/.exec(line);
    if (m) gpus.push({ index: Number(m[1]), name: m[2]!, driverVersion: m[3]! });
    else other.push(line);
  }
  return { gpus, error: gpus.length ? null : (other[0] ?? 'nvidia-smi listed no GPU') };
}
