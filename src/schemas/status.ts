import { z } from 'zod';

/** GET /api/status: who is answering and a summary of what it holds. */
export const serverStatus = z.object({
  name: z.literal('exstreamtv'),
  version: z.string(),
  uptimeS: z.number().int(),
  dataDir: z.string(),
  channels: z.number().int(),
  sources: z.number().int(),
  items: z.object({ ok: z.number().int(), missing: z.number().int(), unreadable: z.number().int() }),
  scansRunning: z.number().int(),
});
export type ServerStatus = z.infer<typeof serverStatus>;
