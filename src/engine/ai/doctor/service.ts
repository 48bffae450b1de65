// The doctor: remembers recent session trouble from the event bus, gathers facts (library state
// of the piece on air, tuners, disk, clock), reproduces the failing piece with a short trial run
// of its exact ffmpeg command, and classifies it all with the pure rules in classify.ts.
import { statfs } from 'node:fs/promises';
import type { Channel } from '../../../schemas/channel.js';
import type { ChannelDiagnosis, Diagnostics, Finding } from '../../../schemas/ai.js';
import { isFullDefinition } from '../../../schemas/schedule.js';
import type { EventBus } from '../../events.js';
import { assertTimeZone, systemTimeZone } from '../../schedule/local-time.js';
import type { EncoderResolver, SessionManager } from '../../stream/manager.js';
import type { Store } from '../../store/store.js';
import type { TimelineService } from '../../timeline/service.js';
import { classify, type DoctorEvent, type DoctorFacts } from './classify.js';
import { pieceAt, trialRun } from './piece.js';

const KEEP = 50;
const KEEP_MS = 60 * 60_000;
/** Channels tried per GET /api/diagnostics (each trial run takes a few seconds). */
const MAX_CHANNELS = 5;

export interface DoctorDeps {
  store: Store;
  timeline: TimelineService;
  streams: () => SessionManager;
  events: EventBus;
  encoders?: EncoderResolver | undefined;
  ffmpegPath: string;
  dataDir: string;
  tunerCount: number;
  /** The model's explanation of a text, or null without a provider. */
  explain: (facts: string) => Promise<string | null>;
}

export class DoctorService {
  private readonly recent = new Map<string, DoctorEvent[]>();
  private readonly global: DoctorEvent[] = [];

  constructor(private readonly deps: DoctorDeps) {
    const ev = deps.events;
    ev.on('session.restart', (e) => this.note(e.number, 'restart', e.reason));
    ev.on('session.error', (e) => this.note(e.number, 'error', e.message));
    ev.on('log', (e) => { if (e.channel && (e.level === 'warn' || e.level === 'error')) this.note(e.channel, 'log', e.msg); });
    ev.on('encoder.health', (e) => { if (!e.healthy) this.push(this.global, { kind: 'encoder', message: `encoder ${e.kind} unhealthy after ${e.failures} failures: ${e.reason ?? ''}`, at: Date.now() }); });
  }

  private note(number: string, kind: string, message: string): void {
    this.push(this.recent.get(number) ?? this.recent.set(number, []).get(number)!, { kind, message, at: Date.now() });
  }

  private push(list: DoctorEvent[], e: DoctorEvent): void {
    list.push(e);
    const cut = Date.now() - KEEP_MS;
    while (list.length > KEEP || (list[0] && list[0].at < cut)) list.shift();
  }

  private async facts(now: number): Promise<DoctorFacts> {
    let diskFreeBytes: number | null = null;
    try { const s = await statfs(this.deps.dataDir); diskFreeBytes = s.bavail * s.bsize; } catch { /* not every filesystem answers */ }
    let badTimeZone: string | null = null;
    try { assertTimeZone(systemTimeZone()); } catch { badTimeZone = systemTimeZone(); }
    return { now, diskFreeBytes, badTimeZone, tunersInUse: this.deps.streams().tunersInUse().length, tunerCount: this.deps.tunerCount };
  }

  /** Findings about the box itself. */
  async system(now = Date.now()): Promise<Finding[]> {
    const facts = await this.facts(now);
    return classify({ stderr: [], events: this.global, facts }).filter((f) => f.cause !== 'unknown');
  }

  /** One channel: its recent trouble, the library state and a trial run of the piece on air at `at`. */
  async channel(number: string, opts: { at?: number; trial?: boolean; explain?: boolean } = {}): Promise<ChannelDiagnosis> {
    const ch = this.deps.store.channels.getByNumber(number);
    const at = opts.at ?? Date.now();
    const events = [...(this.recent.get(ch.number) ?? []), ...this.libraryEvents(ch, at)];
    const live = this.deps.streams().stats().find((s) => s.channelId === ch.id);
    if (live?.lastError && !events.some((e) => e.message === live.lastError)) events.push({ kind: 'error', message: live.lastError, at });
    const { piece, problem } = await pieceAt({ ...this.deps, resolvers: this.deps.streams().resolvers }, ch, at);
    if (problem) events.push({ kind: 'error', message: problem, at });
    const trial = piece && opts.trial !== false ? await trialRun(piece.run) : null;
    const facts: DoctorFacts = { input: piece?.input ?? null, now: Date.now(), badTimeZone: this.scheduleZone(ch) };
    const findings = classify({ stderr: trial?.stderr ?? [], events, facts });
    const diagnosis: ChannelDiagnosis = {
      number: ch.number, name: ch.name, findings,
      piece: piece ? { title: piece.title, command: piece.command, shell: piece.shell, exitCode: trial?.exitCode ?? null, stderr: trial?.stderr ?? [] } : null,
      explanation: null,
    };
    if (opts.explain && findings.length) {
      // The rules stand on their own: a provider failure only costs the explanation.
      diagnosis.explanation = await this.deps.explain(explainText(diagnosis)).catch((err: Error) => `(no explanation: ${err.message})`);
    }
    return diagnosis;
  }

  /** The box and every channel with recent trouble (or the one asked for). */
  async all(opts: { explain?: boolean } = {}): Promise<Diagnostics> {
    const now = Date.now();
    const troubled = this.deps.store.channels.list().filter((c) => (this.recent.get(c.number)?.length ?? 0) > 0
      || this.deps.streams().stats().some((s) => s.channelId === c.id && s.lastError));
    const channels: ChannelDiagnosis[] = [];
    for (const c of troubled.slice(0, MAX_CHANNELS)) channels.push(await this.channel(c.number, { at: now, explain: opts.explain ?? false }));
    return { at: new Date(now).toISOString(), system: await this.system(now), channels };
  }

  /** The item on air at `at` as the library knows it (missing or unreadable since the last scan). */
  private libraryEvents(ch: Channel, at: number): DoctorEvent[] {
    const on = this.deps.timeline.whatIsOn(ch.id, at);
    if (!on?.row.itemId) return [];
    const item = this.deps.store.items.find(on.row.itemId);
    if (!item || item.status === 'ok') return [];
    return [{ kind: 'library', at, message: `"${item.title}" ${item.status === 'missing' ? 'is missing (its file was gone at the last scan)' : `cannot be read: ${item.error ?? 'unreadable'}`}` }];
  }

  private scheduleZone(ch: Channel): string | null {
    const def = this.deps.store.channels.definition(ch.id).definition;
    const tz = isFullDefinition(def) ? def.timezone : undefined;
    if (!tz) return null;
    try { assertTimeZone(tz); return null; } catch { return tz; }
  }
}

/** Paths cut to their file name, URLs to scheme and host (their queries carry tokens). */
export function redact(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/[^/\s'"]+)[^\s'"]*/gi, '$1/…')
    .replace(/(^|[\s'"=:([])\/(?:[^/\s'"]+\/)+([^/\s'"]+)/g, '$1…/$2');
}

/** The facts the model is given: findings, evidence and ffmpeg's words, redacted (no paths, no tokens). */
function explainText(d: ChannelDiagnosis): string {
  return redact([`Channel ${d.number} "${d.name}".`,
    ...d.findings.map((f) => `Finding: ${f.title}. Suggested fix: ${f.fix}\nEvidence:\n${f.evidence.join('\n')}`),
    d.piece ? `ffmpeg exit code ${d.piece.exitCode ?? 'none (still running when stopped)'}; last stderr:\n${d.piece.stderr.join('\n')}` : ''].join('\n\n'));
}
