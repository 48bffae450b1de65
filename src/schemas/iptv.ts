// Input of POST /api/sources/iptv: an M3U/M3U8 playlist (absolute file path or http(s) URL) whose
// entries become live items scheduled in fixed slots.
import { z } from 'zod';
import { channelNumber } from './channel.js';
import { label } from './common.js';

export const iptvSourceInput = z.object({
  name: label(100).optional(),
  playlist: z.string().trim().min(1, 'must not be empty').max(4096)
    .refine((p) => !/[\u0000\r\n]/.test(p), 'must be one line of text')
    .refine((p) => p.startsWith('/') || /^https?:\/\//i.test(p), 'must be an absolute file path or an http(s) URL'),
  slotMinutes: z.number().int().min(1).max(24 * 60).default(60)
    .describe('how long each stream airs when scheduled as an item (it joins live, never seeks)'),
  guide: z.string().trim().min(1).max(4096)
    .refine((p) => !/[\u0000\r\n]/.test(p) && (p.startsWith('/') || /^https?:\/\//i.test(p)), 'must be an absolute file path or an http(s) URL')
    .optional().describe("XMLTV guide (.xml or .xml.gz) for the live channels; default: the playlist's x-tvg-url"),
}).strict();
export type IptvSourceInput = z.infer<typeof iptvSourceInput>;

/** Input of POST /api/sources/{id}/channels: streams of an IPTV source as live channels of their own. */
export const iptvChannelsInput = z.object({
  entries: z.array(z.string().trim().min(1).max(500)).max(5000).optional()
    .describe("streams by tvg-id, name or item id; absent: every stream of the playlist"),
  number: channelNumber.optional().describe('the channel number (one stream only); default its tvg-chno, else the next free number'),
  name: label(100).optional().describe('the channel name (one stream only); default the stream name'),
  profile: z.string().trim().min(1).max(100).optional().describe('encoder profile; its mode decides copy (direct/auto) or transcode'),
  probe: z.boolean().optional()
    .describe('probe each stream once (≤ 10 s, 4 at a time) so a stream matching the profile can be copied; default: when at most 8 streams are chosen'),
}).strict();
export type IptvChannelsInput = z.infer<typeof iptvChannelsInput>;
