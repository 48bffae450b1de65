// Runs startSsdp in its own process (the SSDP test starts it inside a network namespace).
// argv[2]: JSON of SsdpOptions without `log`. Prints log lines, then READY <addresses JSON> or
// READY null; on SIGTERM or stdin end it closes (byebye), prints CLOSED and exits 0.
import { startSsdp, type SsdpHandle, type SsdpOptions } from '../../src/discovery/ssdp.js';

const opts = JSON.parse(process.argv[2] ?? '{}') as Omit<SsdpOptions, 'log'>;
let handle: SsdpHandle | null = null;
let stopRequested = false, ready = false, stopping = false;
const keepAlive = setInterval(() => {}, 60_000);
const stop = async () => {
  stopRequested = true;
  if (!ready || stopping) return;
  stopping = true;
  await handle?.close();
  clearInterval(keepAlive);
  console.log('CLOSED');
  process.exit(0);
};
// Handlers first: the test may signal as soon as it reads READY.
process.on('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();
handle = await startSsdp({ ...opts, log: (level, msg) => console.log(`LOG ${level} ${msg}`) });
ready = true;
console.log(`READY ${JSON.stringify(handle ? handle.addresses : null)}`);
if (stopRequested) void stop();
