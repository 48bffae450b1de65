// Inputs resolved ahead of air: while one piece plays, the session asks for the next rows' inputs
// so a resolver (or a remote subtitle copy) that takes seconds is done before its row airs.
// Results are kept per row (and re-resolved when a URL has expired by air time).
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { expired, isLocalFile, type MediaInput } from '../ffmpeg/input.js';
import { FfmpegProcess } from '../ffmpeg/process.js';
import { subtitleExtractArgs } from '../ffmpeg/subtitle-file.js';
import type { MediaPlan } from './planner.js';
import { ResolveError, type ResolverRegistry } from './resolvers.js';

/** A text subtitle of a remote input copied to a local file, from `startMs` of the item. */
export interface SubtitleCopy { path: string; startMs: number }

export type Prepared =
  | { ok: true; input: MediaInput; subtitle: SubtitleCopy | null }
  | { ok: false; reason: string };

export interface PrefetchDeps {
  resolvers: ResolverRegistry;
  ffmpegPath: string;
  /** Where remote subtitle copies go (under the data dir: shared when ffmpeg runs elsewhere). */
  dir: string;
}

const planKey = (p: MediaPlan): string => `${String(p.rowId)}#${p.itemId}`;

export class InputPrefetch {
  private readonly pending = new Map<string, { at: number; plan: MediaPlan; result: Promise<Prepared> }>();
  private readonly ac = new AbortController();
  private seq = 0;

  constructor(private readonly deps: PrefetchDeps) {}

  /** Starts preparing a row's input (no-op when already under way). */
  prefetch(plan: MediaPlan): void {
    const key = planKey(plan);
    if (this.pending.has(key)) return;
    const result = this.prepare(plan);
    this.pending.set(key, { at: plan.startsAt, plan, result });
  }

  /** The row's input for airing now: the prefetched one if still good, else prepared at once. */
  async take(plan: MediaPlan): Promise<Prepared> {
    const key = planKey(plan);
    let entry = this.pending.get(key);
    if (entry) {
      const r = await entry.result;
      // An expired URL, or a subtitle copy that starts after where this airing starts: prepare again.
      const stale = r.ok && (expired(r.input, Date.now(), 5000) || (r.subtitle && r.subtitle.startMs > plan.seekMs));
      if (stale) entry = undefined;
    }
    if (!entry) {
      entry = { at: plan.startsAt, plan, result: this.prepare(plan) };
      this.pending.set(key, entry);
    }
    this.forgetBefore(plan.startsAt, key);
    return entry.result;
  }

  /**
   * Forgets a row's prepared input: the next take() resolves it again. After a failed attempt on a
   * remote input — a signed URL refused before its stated expiry, a token revoked, a CDN that moved.
   */
  forget(plan: MediaPlan): void {
    const key = planKey(plan);
    const e = this.pending.get(key);
    if (!e) return;
    this.pending.delete(key);
    void e.result.then((r) => (r.ok && r.subtitle ? rm(r.subtitle.path, { force: true }) : undefined)).catch(() => {});
  }

  /** Rows whose inputs are prepared or under way (for tests and stats). */
  get keys(): string[] { return [...this.pending.keys()]; }

  private forgetBefore(t: number, keep: string): void {
    for (const [k, e] of this.pending) {
      if (k === keep || e.at >= t) continue;
      this.forget(e.plan);
    }
  }

  private async prepare(plan: MediaPlan): Promise<Prepared> {
    let input: MediaInput;
    try {
      input = await this.deps.resolvers.resolve({ locator: plan.locator, itemId: plan.itemId, title: plan.title }, this.ac.signal);
    } catch (err) {
      return { ok: false, reason: err instanceof ResolveError ? err.message : `resolver failed: ${(err as Error).message}` };
    }
    if (plan.subtitle?.kind !== 'text' || isLocalFile(input)) return { ok: true, input, subtitle: null };
    try {
      return { ok: true, input, subtitle: await this.copySubtitle(input, plan) };
    } catch (err) {
      return { ok: false, reason: `subtitles of this programme could not be read: ${(err as Error).message}` };
    }
  }

  private async copySubtitle(input: MediaInput, plan: MediaPlan): Promise<SubtitleCopy> {
    await mkdir(this.deps.dir, { recursive: true });
    const path = join(this.deps.dir, `sub-${process.pid}-${++this.seq}.ass`);
    const playMs = plan.endsAt - plan.startsAt;
    const proc = new FfmpegProcess(this.deps.ffmpegPath, subtitleExtractArgs(input, plan.subtitle!, plan.seekMs, playMs, path));
    const stop = () => void proc.kill();
    this.ac.signal.addEventListener('abort', stop, { once: true });
    const exit = await proc.exited;
    this.ac.signal.removeEventListener('abort', stop);
    if (exit.code !== 0) {
      await rm(path, { force: true });
      throw new Error(FfmpegProcess.reason(exit));
    }
    return { path, startMs: plan.seekMs };
  }

  /** Cancels what is under way and removes the subtitle copies. */
  async close(): Promise<void> {
    this.ac.abort(new ResolveError('session stopped'));
    const results = await Promise.all([...this.pending.values()].map((e) => e.result));
    this.pending.clear();
    await Promise.all(results.map((r) => (r.ok && r.subtitle ? rm(r.subtitle.path, { force: true }) : undefined)));
  }
}
