// Incremental scans of online sources (Archive.org items, YouTube videos): list the units (an item
// identifier, a video id) with a stamp that changes when the unit does, fetch details only for new
// and changed units (a few at a time), then write everything in ONE transaction: a failed listing
// or a failed detail request writes nothing. Units gone from a complete listing are flagged missing.
import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import type { MediaStream } from '../../../schemas/library.js';
import type { ItemUpsert, KnownItem } from '../../store/repos/items.js';
import type { Store } from '../../store/store.js';
import { ProgressReporter } from '../progress.js';
import type { ScanLogLevel, ScanProgress, ScanSummary } from '../scanner.js';

/** One listed unit: its key (no "/" in it) and a stamp that changes when its details do. */
export interface ListedUnit { key: string; stamp: string }

/** A unit's items (external keys `key` or `key/…`), or why it has none to play (it is skipped, not fatal). */
export type UnitDetails = { items: Omit<ItemUpsert, 'fingerprint'>[] } | { skip: string };

export interface OnlineSyncDeps {
  store: Store;
  onProgress?: (p: ScanProgress) => void;
  log?: (level: ScanLogLevel, msg: string) => void;
  signal?: AbortSignal;
}

export interface OnlineSyncPlan<L extends ListedUnit> {
  /** What the source is called in messages ("Archive.org", "YouTube"). */
  product: string;
  /** The complete listing (throws when it cannot be had: nothing is written then). */
  list(signal?: AbortSignal): Promise<L[]>;
  /** A unit's details; throws on transport failures (the scan fails, nothing is written). */
  details(unit: L, signal?: AbortSignal): Promise<UnitDetails>;
  /** Detail requests at once (be gentle: 1–2). */
  concurrency: number;
}

const belongs = (externalKey: string, unitKey: string) => externalKey === unitKey || externalKey.startsWith(`${unitKey}/`);

/** The fingerprint of an item: its unit's stamp, then a hash of what was saved. */
const fingerprintOf = (stamp: string, it: Omit<ItemUpsert, 'fingerprint'>) =>
  `${stamp}|${createHash('sha1').update(JSON.stringify(it)).digest('hex')}`;

/** Stream facts nobody knows before air (no probe over the network at import): always transcoded. */
export function unknownStream(index: number, type: 'video' | 'audio', facts: Partial<MediaStream> = {}): MediaStream {
  return {
    index, type, codec: null, profile: null, language: null, title: null, isDefault: true, isForced: false, width: null, height: null,
    fps: null, fieldOrder: null, sar: null, dar: null, pixFmt: null, channels: null, channelLayout: null, sampleRate: null, bitRate: null, ...facts,
  };
}

function groupKnown(known: Map<string, KnownItem>): Map<string, KnownItem[]> {
  const byUnit = new Map<string, KnownItem[]>();
  for (const k of known.values()) {
    const unit = k.externalKey.split('/')[0]!;
    byUnit.set(unit, [...(byUnit.get(unit) ?? []), k]);
  }
  return byUnit;
}

export async function syncOnlineSource<L extends ListedUnit>(deps: OnlineSyncDeps, sourceId: number, plan: OnlineSyncPlan<L>): Promise<ScanSummary> {
  const started = performance.now();
  const { store, signal } = deps;
  const log = deps.log ?? (() => {});
  const progress = new ProgressReporter(deps.onProgress);
  const counts = progress.counts;
  try {
    progress.enter('walking');
    const units = await plan.list(signal);
    signal?.throwIfAborted();
    counts.found = units.length;

    const known = store.items.known(sourceId);
    const byUnit = groupKnown(known);
    const seen = new Set<string>();
    const restore: number[] = [];
    const jobs: L[] = [];
    for (const u of units) {
      const mine = byUnit.get(u.key) ?? [];
      if (mine.length && mine.every((k) => k.fingerprint.startsWith(`${u.stamp}|`))) {
        counts.unchanged += mine.length;
        for (const k of mine) { seen.add(k.externalKey); if (k.status === 'missing') restore.push(k.id); }
      } else {
        jobs.push(u);
      }
    }
    counts.total = jobs.length;

    progress.enter('probing');
    const limit = pLimit(Math.max(1, plan.concurrency));
    const fetched = await Promise.all(jobs.map((u) => limit(async () => {
      signal?.throwIfAborted();
      const d = await plan.details(u, signal);
      counts.probed++;
      progress.tick(u.key);
      return { u, d };
    })));
    signal?.throwIfAborted();

    progress.enter('saving');
    const writes: ItemUpsert[] = [];
    for (const { u, d } of fetched) {
      if ('skip' in d) {
        counts.unreadable++;
        log('warn', `${plan.product}: ${u.key} skipped: ${d.skip}`);
        continue;
      }
      for (const it of d.items) {
        if (!belongs(it.externalKey, u.key)) throw new Error(`${plan.product}: item key ${it.externalKey} is not under ${u.key}`);
        seen.add(it.externalKey);
        const row = { ...it, fingerprint: fingerprintOf(u.stamp, it) } as ItemUpsert;
        const old = known.get(it.externalKey);
        if (old && old.fingerprint === row.fingerprint && old.status === 'ok') { counts.unchanged++; continue; }
        writes.push(row);
        if (old) counts.changed++; else counts.added++;
      }
    }
    const vanished = [...known.values()].filter((k) => !seen.has(k.externalKey) && k.status !== 'missing').map((k) => k.id);
    store.tx(() => {
      if (restore.length) store.items.restore(restore);
      for (const row of writes) store.items.upsert(sourceId, row);
      store.items.markMissing(vanished);
      store.sources.recordScan(sourceId, 'ok');
    });
    counts.missing = vanished.length;
    if (vanished.length) log('info', `${vanished.length} items are gone from ${plan.product} and are flagged missing`);
    progress.enter('done');
    return { ...counts, durationMs: Math.round(performance.now() - started) };
  } catch (err) {
    return failed(store, sourceId, err, signal);
  }
}

/** Records the failure on the source (its last scan status) and throws on: the library is as it was. */
function failed(store: Store, sourceId: number, err: unknown, signal?: AbortSignal): never {
  const cancelled = signal?.aborted === true;
  store.sources.recordScan(sourceId, `failed: ${cancelled ? 'scan was cancelled' : (err as Error).message}`);
  throw cancelled ? new Error('scan was cancelled', { cause: err }) : err;
}
