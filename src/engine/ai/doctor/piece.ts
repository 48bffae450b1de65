// The ffmpeg command of the piece a channel airs at a moment (as its session would run it, less
// the -progress heartbeat so it runs from a shell), and a short trial run of it that captures
// what ffmpeg says. The trial is owned: execa kills it at its time limit and on every path.
import { execa } from 'execa';
import type { Channel } from '../../../schemas/channel.js';
import { shownArgv } from '../../ffmpeg/shown.js';
import { choosePiece } from '../../stream/choose.js';
import { Planner } from '../../stream/planner.js';
import type { EncoderResolver } from '../../stream/manager.js';
import type { ResolverRegistry } from '../../stream/resolvers.js';
import type { Store } from '../../store/store.js';
import type { TimelineService } from '../../timeline/service.js';

/** `command`/`shell` are for people (request headers hidden); `run` is the argv the trial runs. */
export interface Piece { title: string; input: string; kind: 'transcode' | 'direct' | 'live'; command: string[]; shell: string; run: string[] }
export interface Trial { exitCode: number | null; stderr: string[] }
/** The piece on air, or why it could not be built (its input did not resolve). */
export interface PieceLookup { piece: Piece | null; problem: string | null }

export interface PieceDeps { store: Store; timeline: TimelineService; encoders?: EncoderResolver | undefined; resolvers: ResolverRegistry; ffmpegPath: string }

/** One argv as a POSIX shell line (single quotes where needed). */
export function shellQuote(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** The exact piece the channel's session would run at t: its input resolved as at air time, the same piece choice. */
export async function pieceAt(deps: PieceDeps, ch: Channel, t: number): Promise<PieceLookup> {
  deps.timeline.extend(ch.id, t);
  const plan = new Planner(deps.store, deps.timeline, ch.id, ch.name).at(t);
  if (plan.kind !== 'media') return { piece: null, problem: null };
  const chosen = deps.encoders?.profileFor(ch);
  if (!chosen) return { piece: null, problem: null };
  let input;
  try {
    input = await deps.resolvers.resolve({ locator: plan.locator, itemId: plan.itemId, title: plan.title }, AbortSignal.timeout(20_000));
  } catch (err) {
    return { piece: null, problem: `cannot open the input of "${plan.title}": ${(err as Error).message}` };
  }
  const enc = deps.encoders!.kindFor(chosen.profile);
  const choice = choosePiece(chosen.profile.mode ?? 'transcode', plan, { ok: true, input, subtitle: null }, chosen.profile,
    { kind: enc.kind, ...(enc.vaapiDevice ? { vaapiDevice: enc.vaapiDevice } : {}) });
  const command = [deps.ffmpegPath, ...shownArgv(choice.args, { dropProgress: true })];
  const run = [deps.ffmpegPath, ...shownArgv(choice.args, { dropProgress: true, hideHeaders: false })];
  return { piece: { title: plan.title, input: input.url, kind: choice.kind, command, shell: `${shellQuote(command)} > /dev/null`, run }, problem: null };
}

/** Runs the command for at most limitMs (output discarded); a run still going then is healthy so far. */
export async function trialRun(command: readonly string[], limitMs = 4000): Promise<Trial> {
  const [file, ...args] = command;
  const r = await execa(file!, args, { stdin: 'ignore', stdout: 'ignore', stderr: 'pipe', reject: false, timeout: limitMs, forceKillAfterDelay: 1000, maxBuffer: 1_000_000 });
  const stderr = String(r.stderr ?? '').split('\n').map((l) => l.trim()).filter(Boolean).slice(-20);
  return { exitCode: r.timedOut ? null : (r.exitCode ?? null), stderr };
}
