// Input of POST /api/sources/iptv: an M3U/M3U8 playlist (absolute file path or http(s) URL) whose
// entries become live items scheduled in fixed slots.
import { z } from 'zod';
import { label } from './common.js';

export const iptvSourceInput = z.object({
  name: label(100).optional(),
  playlist: z.string().trim().min(1, 'must not be empty').max(4096)
    .refine((p) => !/[\u0000\r\n]/.test(p), 'must be one line of text')
    .refine((p) => p.startsWith('/') || /^https?:\/\//i.test(p), 'must be an absolute file path or an http(s) URL'),
  slotMinutes: z.number().int().min(1).max(24 * 60).default(60)
    .describe('how long each stream airs when scheduled as an item (it joins live, never seeks)'),
}).strict();
export type IptvSourceInput = z.infer<typeof iptvSourceInput>;
