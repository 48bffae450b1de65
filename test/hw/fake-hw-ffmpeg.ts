// A stand-in ffmpeg for the fallback tests: real ffmpeg for everything, except VA-API, which
// behaves like a GPU that passes its probe but fails in use (or, when the state file says
// "down", fails its probe too). Never used outside tests: it exists because this machine has no GPU.
//   FAKE_HW_STATE=<file> node fake-hw-ffmpeg.js <ffmpeg args…>
import { spawn } from 'node:child_process';
import { fstatSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const real = process.env.FAKE_HW_REAL_FFMPEG ?? '/usr/bin/ffmpeg';
const state = (() => { try { return readFileSync(process.env.FAKE_HW_STATE ?? '', 'utf8').trim(); } catch { return 'up'; } })();
const dev = args[args.indexOf('-init_hw_device') + 1] ?? '';

if (args.includes('-init_hw_device') && dev.startsWith('vaapi=')) {
  // The encoder probe reads a lavfi test source (hw/probe.ts); channel pieces read media files.
  const probe = args.includes('lavfi') && args.some((a) => a.startsWith('testsrc'));
  if (probe && state === 'up') {
    // A probe that "works": a few null TS packets on stdout, exit 0.
    const pkt = Buffer.alloc(188, 0xff);
    pkt[0] = 0x47; pkt[1] = 0x1f; pkt[2] = 0xff; pkt[3] = 0x10;
    process.stdout.write(Buffer.concat(Array(10).fill(pkt)), () => process.exit(0));
  } else {
    process.stderr.write(probe
      ? `[AVHWDeviceContext @ 0x55d0c0ffee00] No VA display found for device ${dev.split(':').slice(1).join(':')}.\nDevice creation failed: -22.\n`
      : '[AVHWDeviceContext @ 0x55d0c0ffee00] Failed to initialise VAAPI connection: -1 (unknown libva error).\nDevice creation failed: -5.\nError parsing global options: Input/output error\n');
    process.exit(1);
  }
} else {
  let fd3: number | 'ignore' = 'ignore';
  try { fstatSync(3); fd3 = 3; } catch { /* no progress pipe */ }
  const child = spawn(real, args, { stdio: ['inherit', 'inherit', 'inherit', fd3] });
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
