// Health of live streams (IPTV): per stream, and the one-line summary a source row carries
// (the Library view shows `health.summary`, coloured by state).
import { z } from 'zod';

export const sourceHealth = z.object({
  state: z.enum(['ok', 'degraded', 'down', 'unknown']),
  summary: z.string(),
  checkedAt: z.string().optional(),
});
export type SourceHealth = z.infer<typeof sourceHealth>;

export const streamHealth = z.object({
  itemId: z.number().int(),
  state: z.enum(['up', 'down']),
  /** When it entered this state. */
  since: z.string(),
  lastOkAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** Consecutive outages (each after the piece's retries). */
  failures: z.number().int(),
  /** When the channel tries the source again (down only). */
  nextRetryAt: z.string().nullable(),
  checkedAt: z.string(),
});
export type StreamHealth = z.infer<typeof streamHealth>;
