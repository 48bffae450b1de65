// Runs `work` over items with at most `concurrency` in flight (p-limit), stopping early on failure.
import pLimit from 'p-limit';

/**
 * Calls work(item) for every item, never more than `concurrency` at once, in order of start.
 * Stops starting new work once `signal` is aborted or a call throws; rejects with the first error
 * after the calls in flight have settled (so no work is left running behind the caller's back).
 */
export async function runPool<T>(items: Iterable<T>, concurrency: number, work: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  const limit = pLimit(Math.max(1, Math.floor(concurrency) || 1));
  let failure: { err: unknown } | null = null;
  await Promise.all(Array.from(items, (item) => limit(async () => {
    if (failure || signal?.aborted) return;
    try {
      await work(item);
    } catch (err) {
      failure ??= { err };
    }
  })));
  if (failure) throw (failure as { err: unknown }).err;
  signal?.throwIfAborted();
}
