import { z } from 'zod';
import { label } from './common.js';
import { audioSettings, subtitleSettings, watermarkSettings } from './picture.js';

/** "5", "05" and 5 → "5"; "5.1" → "5.1"; "5.01" → "5.1" (ATSC-style major.minor). */
export function canonicalChannelNumber(raw: string | number): string | null {
  const s = String(raw).trim();
  const m = /^(\d{1,5})(?:\.(\d{1,4}))?$/.exec(s);
  if (!m) return null;
  const major = Number(m[1]);
  const minor = m[2] === undefined ? 0 : Number(m[2]);
  if (major === 0 && minor === 0) return null;
  return minor === 0 && m[2] === undefined ? String(major) : `${major}.${minor}`;
}

export function splitChannelNumber(number: string): { major: number; minor: number } {
  const [a, b] = number.split('.');
  return { major: Number(a), minor: b === undefined ? 0 : Number(b) };
}

export const channelNumber = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = canonicalChannelNumber(v);
  if (n === null) {
    ctx.addIssue({ code: 'custom', message: 'must be a channel number like 5 or 5.1 (1–99999, optional .minor)' });
    return z.NEVER;
  }
  return n;
});

export const contentRef = z.discriminatedUnion('type', [
  z.object({ type: z.literal('collection'), id: z.number().int().positive() }).strict(),
  z.object({ type: z.literal('show'), id: z.number().int().positive() }).strict(),
  z.object({ type: z.literal('item'), id: z.number().int().positive() }).strict(),
]);
export type ContentRef = z.infer<typeof contentRef>;

export const orderKind = z.enum(['in_order', 'shuffle']);
export type OrderKind = z.infer<typeof orderKind>;

/** The spine's schedule definition: play the channel's content back to back in one order. */
export const floodDefinition = z.object({
  kind: z.literal('flood').default('flood'),
  order: orderKind.default('in_order'),
  content: z.array(contentRef).max(500).default([]),
}).strict();
export type ScheduleDefinition = z.infer<typeof floodDefinition>;

/** How a channel streams: encoder profile, always-on, and picture and sound (watermark, subtitles, audio). */
export const streamSettings = z.object({
  profile: z.string().trim().min(1).max(100).nullable().default(null).describe('Encoder profile name (GET /api/profiles); null = software-720p'),
  alwaysOn: z.boolean().default(false),
  // Optional so older rows and callers stay valid; the store fills them in when it reads a channel.
  watermark: watermarkSettings.nullable().optional().describe('Logo over the picture; null = none'),
  subtitles: subtitleSettings.optional().describe('Subtitle burn-in; default off'),
  audio: audioSettings.optional().describe('Audio track choice; default: the default track, then most channels'),
}).strict();
export type StreamSettings = z.infer<typeof streamSettings>;
/** A change to some stream settings: absent keys keep their value (no defaults fill in). */
export const streamSettingsPatch = z.object({
  profile: z.string().trim().min(1).max(100).nullable().optional(),
  alwaysOn: z.boolean().optional(),
  watermark: watermarkSettings.nullable().optional(),
  subtitles: subtitleSettings.optional(),
  audio: audioSettings.optional(),
}).strict();

const logo = z.string().trim().max(2000).refine(
  (s) => s === '' || /^https?:\/\//i.test(s) || s.startsWith('/'),
  'must be an http(s) URL or an absolute file path',
);

export const channelInput = z.object({
  number: channelNumber,
  name: label(100),
  group: label(100).nullable().optional(),
  logo: logo.nullable().optional(),
  enabled: z.boolean().default(true),
  order: orderKind.default('in_order'),
  content: z.array(contentRef).max(500).default([]),
  stream: streamSettings.default({ profile: null, alwaysOn: false }),
}).strict();
export type ChannelInput = z.infer<typeof channelInput>;

export const channelPatch = z.object({
  number: channelNumber.optional(),
  name: label(100).optional(),
  group: label(100).nullable().optional(),
  logo: logo.nullable().optional(),
  enabled: z.boolean().optional(),
  order: orderKind.optional(),
  content: z.array(contentRef).max(500).optional(),
  stream: streamSettingsPatch.optional(),
}).strict();
export type ChannelPatch = z.infer<typeof channelPatch>;

export const channel = z.object({
  id: z.number().int(),
  number: z.string(),
  name: z.string(),
  group: z.string().nullable(),
  logo: z.string().nullable(),
  enabled: z.boolean(),
  order: orderKind,
  content: z.array(contentRef),
  stream: streamSettings,
  /** True when the channel runs a full schedule definition (slots, filler…); content/order then summarise it. */
  customSchedule: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Channel = z.infer<typeof channel>;

export const channelNumberParam = z.object({ number: channelNumber });
