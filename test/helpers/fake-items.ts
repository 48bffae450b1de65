// Media items inserted straight through the repositories (no files, no ffprobe): a unit-level
// library for channel, collection and timeline tests. Full scans are tested with real files elsewhere.
import type { ItemStatus } from '../../src/schemas/library.js';
import type { Store } from '../../src/engine/store/store.js';

export interface FakeItem {
  title: string;
  durationMs: number;
  show?: string;
  season?: number;
  episode?: number;
  status?: Exclude<ItemStatus, 'missing'>;
  genres?: string[];
  /** Optional metadata (guide tests); absent → null / empty as before. */
  plot?: string;
  year?: number;
  releaseDate?: string;
  episodeEnd?: number;
  images?: Record<string, string>;
}

/** Adds a local source record (the path need not exist: nothing is scanned). */
export function addFakeSource(store: Store, name = 'fake', path = `/nonexistent/${name}`): number {
  return store.sources.create('local', name, { path }).id;
}

/** Inserts items (and their shows/seasons) in one transaction; returns their ids in order. */
export function addFakeItems(store: Store, sourceId: number, items: FakeItem[]): number[] {
  return store.tx(() => items.map((it, i) => {
    const showId = it.show ? store.shows.upsert(sourceId, { externalKey: it.show, title: it.show, year: null, plot: null, genres: [] }) : null;
    const seasonId = showId !== null && it.season !== undefined ? store.shows.season(showId, it.season) : null;
    const key = `${it.show ? `${it.show}/` : ''}${it.title}-${i}-${Math.random().toString(36).slice(2)}.mkv`;
    return store.items.upsert(sourceId, {
      externalKey: key,
      kind: it.show ? 'episode' : 'movie',
      locator: { type: 'file', path: `/nonexistent/${key}` },
      fingerprint: `${it.durationMs}:1`,
      size: 1000,
      mtimeMs: 1,
      status: it.status ?? 'ok',
      error: it.status === 'unreadable' ? 'moov atom not found' : null,
      title: it.title,
      showId,
      seasonId,
      seasonNumber: it.season ?? null,
      episodeNumber: it.episode ?? null,
      episodeEnd: it.episodeEnd ?? null,
      year: it.year ?? null,
      releaseDate: it.releaseDate ?? null,
      plot: it.plot ?? null,
      genres: it.genres ?? [],
      ...(it.images ? { images: it.images } : {}),
      durationMs: it.durationMs,
      container: 'matroska',
      bitRate: null,
      streams: [{
        index: 0, type: 'video', codec: 'h264', profile: 'High', language: null, title: null, isDefault: true, isForced: false,
        width: 1280, height: 720, fps: 25, fieldOrder: 'progressive', sar: '1:1', dar: '16:9', pixFmt: 'yuv420p',
        channels: null, channelLayout: null, sampleRate: null, bitRate: null,
      }],
      chapters: [],
    });
  }));
}

/** Episodes 1..n of one season of a show, each durationMs long. */
export function episodes(show: string, n: number, durationMs: number, season = 1): FakeItem[] {
  return Array.from({ length: n }, (_, i) => ({ title: `${show} episode ${i + 1}`, durationMs, show, season, episode: i + 1 }));
}
