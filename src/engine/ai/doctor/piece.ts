// The ffmpeg command of the piece a channel airs at a moment (as its session would run it, less
// the -progress heartbeat so it runs from a shell), and a short trial run of it that captures
// what ffmpeg says. The trial is owned: execa kills it at its time limit and on every path.
import { execa } from 'execa';
import type { Channel } from '../../../schemas/channel.js';
import { normaliseArgs } from '../../ffmpeg/normalise.js';
import { Planner, playMs, type MediaPlan } from '../../stream/planner.js';
import type { EncoderResolver } from '../../stream/manager.js';
import type { Store } from '../../store/store.js';
import type { TimelineService } from '../../timeline/service.js';

export interface Piece { title: string; input: string; command: string[]; shell: string }
export interface Trial { exitCode: number | null; stderr: string[] }

/** One argv as a POSIX shell line (single quotes where needed). */
export function shellQuote(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export function pieceAt(deps: { store: Store; timeline: TimelineService; encoders?: EncoderResolver | undefined; ffmpegPath: string }, ch: Channel, t: number): Piece | null {
  deps.timeline.extend(ch.id, t);
  const plan = new Planner(deps.store, deps.timeline, ch.id, ch.name).at(t);
  if (plan.kind !== 'media') return null;
  const media: MediaPlan = plan;
  const chosen = deps.encoders?.profileFor(ch);
  if (!chosen) return null;
  const enc = deps.encoders!.kindFor(chosen.profile);
  const args = normaliseArgs({ input: media.input, seekMs: media.seekMs, playMs: playMs(media), video: media.video, audio: media.audio,
    subtitle: media.subtitle ?? null, watermark: media.watermark ?? null, startsAtMs: media.startsAt }, chosen.profile,
  { kind: enc.kind, ...(enc.vaapiDevice ? { vaapiDevice: enc.vaapiDevice } : {}) });
  const command = [deps.ffmpegPath, ...args];
  return { title: media.title, input: media.input, command, shell: `${shellQuote(command)} > /dev/null` };
}

/** Runs the command for at most limitMs (output discarded); a run still going then is healthy so far. */
export async function trialRun(command: readonly string[], limitMs = 4000): Promise<Trial> {
  const [file, ...args] = command;
  const r = await execa(file!, args, { stdin: 'ignore', stdout: 'ignore', stderr: 'pipe', reject: false, timeout: limitMs, forceKillAfterDelay: 1000, maxBuffer: 1_000_000 });
  const stderr = String(r.stderr ?? '').split('\n').map((l) => l.trim()).filter(Boolean).slice(-20);
  return { exitCode: r.timedOut ? null : (r.exitCode ?? null), stderr };
}
