// Local-folder scanner: walk, probe what is new or changed, save in batches, flag what vanished.
import { join } from 'node:path';
import type { Store } from '../store/store.js';
import type { KnownItem } from '../store/repos/items.js';
import { episodeNumbers, itemRecord, sameShow, showRecord } from './metadata.js';
import { isMediaFile, isSkippedDir, parseMediaPath, stripExt, type ParsedPath } from './naming.js';
import { parseItemNfo, parseShowNfo, readNfo, type ItemNfo } from './nfo.js';
import { runPool } from './pool.js';
import { FfprobeUnavailableError, probeFile, type ProbeFn, type ProbeResult } from './probe.js';
import { ProgressReporter, type ScanCounts, type ScanProgress } from './progress.js';
import { assertReadableRoot, localRoot, SourceUnavailableError } from './source-root.js';
import { walkFiles, type WalkEntry } from './walk.js';

export type { ScanCounts, ScanPhase, ScanProgress } from './progress.js';
export { SourceUnavailableError } from './source-root.js';

export type ScanLogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface ScanDeps {
  store: Store;
  ffprobePath: string;
  /** ffprobe processes at once. */
  concurrency: number;
  onProgress?: (s: ScanProgress) => void;
  log?: (level: ScanLogLevel, msg: string) => void;
  /** Aborting stops the scan and kills running ffprobes; what was saved stays, nothing is flagged missing. */
  signal?: AbortSignal;
  /** Replaceable for tests; defaults to the real ffprobe run. */
  probe?: ProbeFn;
}

export interface ScanSummary extends ScanCounts { durationMs: number }

const BATCH_ITEMS = 100;
const BATCH_MS = 1000;

interface Job { entry: WalkEntry; parsed: ParsedPath; fingerprint: string; nfoRel: string | null; isNew: boolean }
interface Done { job: Job; nfo: ItemNfo | null; probe: ProbeResult }
type Stamp = { size: number; mtimeMs: number };

const stamp = (s: Stamp) => `${s.size}:${Math.trunc(s.mtimeMs)}`;
const dirOf = (rel: string) => (rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '');
const inDir = (dir: string, name: string) => (dir ? `${dir}/${name}` : name);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The video's own NFO (<basename>.nfo), else a folder movie.nfo for anything that is not an episode. */
function sidecarOf(entry: WalkEntry, parsed: ParsedPath, nfos: Map<string, Stamp>): string | null {
  const dir = dirOf(entry.relPath);
  const own = inDir(dir, `${stripExt(entry.relPath.slice(dir ? dir.length + 1 : 0))}.nfo`);
  if (nfos.has(own)) return own;
  const movie = inDir(dir, 'movie.nfo');
  return parsed.kind !== 'episode' && nfos.has(movie) ? movie : null;
}

export async function scanLocalSource(deps: ScanDeps, sourceId: number): Promise<ScanSummary> {
  const started = performance.now();
  const { store, signal } = deps;
  const log = deps.log ?? (() => {});
  const probe = deps.probe ?? probeFile;
  const source = store.sources.get(sourceId);
  const progress = new ProgressReporter(deps.onProgress);
  const counts = progress.counts;
  const pending: Done[] = [];
  let lastFlush = performance.now();
  const seasonIds = new Map<string, number>();
  const showIds = new Map<string, number>();

  /** Saves probed items, each whole, in one transaction. */
  const flush = () => {
    if (pending.length === 0) return;
    const batch = pending.splice(0);
    store.tx(() => {
      for (const { job, nfo, probe: result } of batch) {
        const showId = job.parsed.showKey ? showIds.get(job.parsed.showKey) ?? null : null;
        const season = episodeNumbers(job.parsed, nfo).season;
        let seasonId: number | null = null;
        if (showId !== null && season !== null) {
          const key = `${showId}:${season}`;
          seasonId = seasonIds.get(key) ?? store.shows.season(showId, season);
          seasonIds.set(key, seasonId);
        }
        store.items.upsert(sourceId, itemRecord({ entry: job.entry, fingerprint: job.fingerprint, parsed: job.parsed, nfo, probe: result, showId, seasonId }));
      }
    });
    for (const { job, probe: result } of batch) {
      if (job.isNew) counts.added++; else counts.changed++;
      if (result.error !== null) counts.unreadable++;
    }
    lastFlush = performance.now();
  };

  try {
    if (source.kind !== 'local') throw new Error(`source "${source.name}" is a ${source.kind} source, not a local folder`);
    const root = localRoot(source);
    await assertReadableRoot(root, source.name);

    // 1. Walk: video files, and NFO stamps so an edited NFO counts as a change.
    progress.enter('walking');
    const videos: WalkEntry[] = [];
    const nfos = new Map<string, Stamp>();
    const unreadable: string[] = [];
    for await (const entry of walkFiles(root, {
      signal,
      skipDir: isSkippedDir,
      acceptFile: (name) => isMediaFile(name) || (name.toLowerCase().endsWith('.nfo') && !name.startsWith('.')),
      onSkip: (rel, err) => {
        if (err.code === 'ENOENT' || err.code === 'ELOOP') return log('debug', `skipped ${rel}: ${err.code === 'ELOOP' ? 'link loop' : 'vanished or broken link'}`);
        unreadable.push(`${rel} (${err.code ?? err.message})`);
        log('warn', `cannot read ${join(root, rel)}: ${err.message}; skipped`);
      },
    })) {
      if (entry.relPath.toLowerCase().endsWith('.nfo')) { nfos.set(entry.relPath, entry); continue; }
      videos.push(entry);
      counts.found++;
      progress.tick(entry.relPath);
    }

    // 2. Compare with what the store knows.
    const known = store.items.known(sourceId);
    if (videos.length === 0 && [...known.values()].some((k) => k.status !== 'missing')) {
      throw new SourceUnavailableError(`media folder "${root}" of source "${source.name}" has no video files now, but had some before: `
        + 'if a disk or network share is not mounted, mount it and scan again; if the files were removed on purpose, remove the source');
    }
    const jobs: Job[] = [];
    const restore: number[] = [];
    const shows = new Map<string, ParsedPath>();
    const seen = new Set<string>();
    for (const entry of videos) {
      const parsed = parseMediaPath(entry.relPath);
      const nfoRel = sidecarOf(entry, parsed, nfos);
      const fingerprint = nfoRel ? `${stamp(entry)}|nfo:${stamp(nfos.get(nfoRel)!)}` : stamp(entry);
      const k: KnownItem | undefined = known.get(entry.relPath);
      seen.add(entry.relPath);
      if (parsed.showKey && !shows.has(parsed.showKey)) shows.set(parsed.showKey, parsed);
      if (k && k.fingerprint === fingerprint) {
        counts.unchanged++;
        if (k.error !== null) counts.unreadable++;
        if (k.status === 'missing') restore.push(k.id);
      } else {
        jobs.push({ entry, parsed, fingerprint, nfoRel, isNew: !k });
      }
    }
    counts.total = jobs.length;

    // 3. Shows (tvshow.nfo may have changed even when no episode did); only real changes are written.
    const knownShows = store.shows.known(sourceId);
    const showRows = await Promise.all([...shows].map(async ([key, parsed]) => {
      const nfoRel = parsed.showDir !== null ? inDir(parsed.showDir, 'tvshow.nfo') : null;
      const nfo = nfoRel && nfos.has(nfoRel) ? await readNfo(join(root, nfoRel), nfoRel, parseShowNfo, log) : null;
      return showRecord(key, parsed, nfo);
    }));
    store.tx(() => {
      if (restore.length) store.items.restore(restore);
      for (const row of showRows) {
        const old = knownShows.get(row.externalKey);
        showIds.set(row.externalKey, old && sameShow(old, row) ? old.id : store.shows.upsert(sourceId, row));
      }
    });
    if (restore.length) log('info', `${plural(restore.length, 'file')} came back unchanged`);

    // 4. Probe new and changed files, saving as results arrive.
    progress.enter('probing');
    await runPool(jobs, deps.concurrency, async (job) => {
      progress.tick(job.entry.relPath);
      const [result, nfo] = await Promise.all([
        probe(job.entry.absPath, { ffprobePath: deps.ffprobePath, ...(signal ? { signal } : {}) }).catch((err: unknown): ProbeResult => {
          if (signal?.aborted || err instanceof FfprobeUnavailableError) throw err;
          return { info: null, error: `probe failed: ${(err as Error).message}`, retry: true };
        }),
        job.nfoRel ? readNfo(join(root, job.nfoRel), job.nfoRel, parseItemNfo, log) : null,
      ]);
      if (result.error !== null) log('warn', `unreadable: ${job.entry.relPath}: ${result.error}`);
      pending.push({ job, nfo, probe: result });
      counts.probed++;
      if (pending.length >= BATCH_ITEMS || performance.now() - lastFlush >= BATCH_MS) flush();
      progress.tick();
    }, signal);
    flush();

    // 5. Vanished files (only after a complete walk), empty shows, scan status.
    progress.enter('saving');
    const complete = unreadable.length === 0;
    const vanished = complete ? [...known.values()].filter((k) => !seen.has(k.externalKey) && k.status !== 'missing').map((k) => k.id) : [];
    const status = complete ? 'ok'
      : `failed: ${plural(unreadable.length, 'folder or file')} could not be read (${unreadable.slice(0, 3).join(', ')}${unreadable.length > 3 ? ', …' : ''}); vanished files were not flagged`;
    store.tx(() => {
      store.items.markMissing(vanished);
      store.shows.prune(sourceId);
      store.sources.recordScan(sourceId, status);
    });
    counts.missing = vanished.length;
    if (vanished.length) log('info', `${plural(vanished.length, 'file')} vanished from "${source.name}" and are flagged missing`);
    progress.enter('done');
    return { ...counts, durationMs: Math.round(performance.now() - started) };
  } catch (err) {
    try {
      flush(); // what was probed is saved; shows created for items that never came are dropped
      store.shows.prune(sourceId);
    } catch { /* keep the original error */ }
    const reason = signal?.aborted ? 'scan was cancelled' : (err as Error).message;
    store.sources.recordScan(sourceId, `failed: ${reason}`);
    if (signal?.aborted) throw new Error('scan was cancelled', { cause: err });
    throw err;
  }
}
