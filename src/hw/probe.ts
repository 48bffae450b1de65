// The proof that an encoder works: a real 2-frame encode of the exact pipeline shape the channels
// use (device → upload → GPU scale → download/pad → upload → encode → MPEG-TS) on testsrc2.
// Verified = exit code 0 AND output bytes; anything else is unavailable with ffmpeg's own words.
import { execa, execaSync, type Result, type SyncResult } from 'execa';
import { encoderName, type HwKind, type VideoCodec } from '../schemas/encoders.js';
import { normaliseArgs } from '../engine/ffmpeg/normalise.js';
import { DEFAULT_PROFILE, type OutputProfile } from '../engine/ffmpeg/profile.js';
import { probeReason } from '../engine/ffmpeg/reason.js';

export { probeReason } from '../engine/ffmpeg/reason.js';

export const PROBE_TIMEOUT_MS = 10_000;

/** Output profile a probe encodes to (the kind's real pipeline, small sizes so it takes ~0.1 s). */
export function probeProfile(codec: VideoCodec): OutputProfile {
  return { ...DEFAULT_PROFILE, codec, scaling: 'fit', deinterlace: 'auto', loudness: 'off', audioCodec: 'aac' };
}

/** ffmpeg argv of a probe: a 4:3 test picture into the 16:9 profile, so scaling and padding run too. */
export function probeArgs(kind: HwKind, codec: VideoCodec, opts: { vaapiDevice?: string; frames?: number } = {}): string[] {
  const p = probeProfile(codec);
  const frames = opts.frames ?? 2;
  const args = normaliseArgs({
    input: `testsrc2=size=640x480:rate=${p.fps}`, inputFormat: 'lavfi', seekMs: 0, playMs: Math.ceil((frames * 1000) / p.fps),
    video: { index: 0, fieldOrder: 'progressive', sar: '1:1', width: 640, height: 480, codec: 'rawvideo', pixFmt: 'yuv420p' },
    audio: null,
  }, p, { kind, ...(opts.vaapiDevice ? { vaapiDevice: opts.vaapiDevice } : {}) });
  // Exactly `frames` frames, whatever the rounding of -t.
  args.splice(args.length - 1, 0, '-frames:v', String(frames));
  return args;
}

export interface ProbeOutcome { ok: boolean; reason: string | null; ms: number; bytes: number; encoder: string }

function outcome(kind: HwKind, codec: VideoCodec, code: number | null, bytes: number, stderr: string, ms: number, timedOut: boolean, spawnError?: string): ProbeOutcome {
  const encoder = encoderName(kind, codec);
  if (timedOut) return { ok: false, reason: `probe timed out after ${PROBE_TIMEOUT_MS / 1000} s`, ms, bytes, encoder };
  if (spawnError) return { ok: false, reason: `cannot run ffmpeg: ${spawnError}`, ms, bytes, encoder };
  if (code === 0 && bytes > 0) return { ok: true, reason: null, ms, bytes, encoder };
  const why = probeReason(stderr) ?? (code === 0 ? 'ffmpeg exited 0 but wrote no output' : `ffmpeg exited with code ${code}`);
  return { ok: false, reason: why, ms, bytes, encoder };
}

const OPTIONS = { stdin: 'ignore', encoding: 'buffer', killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, reject: false } as const;

/** A finished (or failed to start, or timed out) probe process as a verdict. */
function outcomeOf(kind: HwKind, codec: VideoCodec, r: Result<typeof OPTIONS> | SyncResult<typeof OPTIONS>, t0: number): ProbeOutcome {
  const stderr = Buffer.from(r.stderr).toString().slice(-8000);
  const spawnError = r.failed && r.exitCode === undefined && !r.timedOut ? (r.cause instanceof Error ? r.cause.message : r.shortMessage) : undefined;
  return outcome(kind, codec, r.exitCode ?? null, r.stdout.length, stderr, Math.round(performance.now() - t0), r.timedOut, spawnError);
}

/** Runs one probe (10 s limit; the process is killed on timeout). */
export async function runProbe(ffmpeg: string, kind: HwKind, codec: VideoCodec, opts: { vaapiDevice?: string; timeoutMs?: number } = {}): Promise<ProbeOutcome> {
  const t0 = performance.now();
  const r = await execa(ffmpeg, probeArgs(kind, codec, opts), { ...OPTIONS, timeout: opts.timeoutMs ?? PROBE_TIMEOUT_MS });
  return outcomeOf(kind, codec, r, t0);
}

/** The same probe, blocking: only for a decision that cannot wait (no probe has run yet). */
export function runProbeSync(ffmpeg: string, kind: HwKind, codec: VideoCodec, opts: { vaapiDevice?: string } = {}): ProbeOutcome {
  const t0 = performance.now();
  return outcomeOf(kind, codec, execaSync(ffmpeg, probeArgs(kind, codec, opts), { ...OPTIONS, timeout: PROBE_TIMEOUT_MS }), t0);
}
