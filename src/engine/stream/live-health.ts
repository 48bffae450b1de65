// Health of live (IPTV) streams, per item, from what the live pieces saw: up once a piece of it
// delivered output, down after its retries failed (with the error and when it is tried again).
// Kept in memory (a restart starts from "unknown"); summarised per source for /api/sources.
import type { SourceHealth, StreamHealth } from '../../schemas/iptv-health.js';

const iso = (ms: number): string => new Date(ms).toISOString();

export class LiveHealth {
  private readonly items = new Map<number, StreamHealth>();

  /** A piece of this stream delivered output. */
  up(itemId: number, now = Date.now()): void {
    const cur = this.items.get(itemId);
    this.items.set(itemId, { itemId, state: 'up', since: cur?.state === 'up' ? cur.since : iso(now), lastOkAt: iso(now),
      lastError: cur?.lastError ?? null, failures: 0, nextRetryAt: null, checkedAt: iso(now) });
  }

  /** The stream failed after its retries; it is tried again at `retryAt` (null: when next scheduled). */
  down(itemId: number, reason: string, retryAt: number | null, now = Date.now()): void {
    const cur = this.items.get(itemId);
    this.items.set(itemId, { itemId, state: 'down', since: cur?.state === 'down' ? cur.since : iso(now), lastOkAt: cur?.lastOkAt ?? null,
      lastError: reason.slice(0, 500), failures: (cur?.failures ?? 0) + 1, nextRetryAt: retryAt === null ? null : iso(retryAt), checkedAt: iso(now) });
  }

  get(itemId: number): StreamHealth | null { return this.items.get(itemId) ?? null; }

  /** Per-item detail of these items (those never seen are left out). */
  detail(itemIds: readonly number[]): StreamHealth[] {
    return itemIds.flatMap((id) => { const h = this.items.get(id); return h ? [h] : []; });
  }

  /**
   * One line for a source of `total` streams: unknown until one aired; ok when every stream seen is
   * up; down when every one seen is down; degraded in between.
   */
  summary(itemIds: readonly number[]): SourceHealth {
    const seen = this.detail(itemIds);
    if (!seen.length) return { state: 'unknown', summary: 'no stream has aired yet' };
    const down = seen.filter((h) => h.state === 'down');
    const checkedAt = seen.map((h) => h.checkedAt).sort().at(-1)!;
    if (!down.length) return { state: 'ok', summary: `${seen.length} of ${itemIds.length} streams seen, all up`, checkedAt };
    const last = down.sort((a, b) => b.checkedAt.localeCompare(a.checkedAt))[0]!;
    const state = down.length === seen.length ? 'down' : 'degraded';
    return { state, summary: `${down.length} of ${seen.length} streams seen down (last: ${last.lastError ?? 'no output'})`, checkedAt };
  }
}
