import { z } from 'zod';

/** Whether DVRs can find the box on the LAN by themselves; when not, why (else add it by URL). */
export const discoveryStatus = z.object({
  udp: z.object({
    on: z.boolean(),
    port: z.number().int().nullable().describe('UDP port of the SiliconDust responder (65001)'),
    reason: z.string().nullable().describe('Why it is off'),
  }),
  ssdp: z.object({
    on: z.boolean(),
    addresses: z.array(z.string()).describe('Interface addresses SSDP announces on'),
    reason: z.string().nullable().describe('Why it is off'),
  }),
});
export type DiscoveryStatus = z.infer<typeof discoveryStatus>;

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
  discovery: discoveryStatus,
});
export type ServerStatus = z.infer<typeof serverStatus>;
