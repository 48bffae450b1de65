// Whether a process id names a live process on this machine: what tells a leftover of a crashed
// exstreamtv (its pid is gone) from work another exstreamtv process is doing right now.
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is just not ours to signal.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
