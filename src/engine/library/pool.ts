// A small promise pool: runs `work` over items with at most `concurrency` in flight.

/**
 * Calls work(item) for every item, never more than `concurrency` at once, in order of start.
 * Stops starting new work once `signal` is aborted or a call throws; rejects with the first error
 * after the calls in flight have settled (so no work is left running behind the caller's back).
 */
export async function runPool<T>(items: Iterable<T>, concurrency: number, work: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  const it = items[Symbol.iterator]();
  let failure: { err: unknown } | null = null;
  const lane = async () => {
    while (!failure && !signal?.aborted) {
      const next = it.next();
      if (next.done) return;
      try {
        await work(next.value);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.floor(concurrency) || 1) }, lane));
  if (failure) throw (failure as { err: unknown }).err;
  signal?.throwIfAborted();
}
