// Picture and sound settings of a channel (part of its stream settings): watermark, subtitles, audio.
import { z } from 'zod';

export const WATERMARK_POSITIONS = [
  'top-left', 'top-center', 'top-right', 'middle-left', 'center', 'middle-right', 'bottom-left', 'bottom-center', 'bottom-right',
] as const;
export type WatermarkPosition = (typeof WATERMARK_POSITIONS)[number];

const language = z.string().trim().regex(/^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$/, 'must be a language code like eng, fre or en');

export const watermarkSettings = z.object({
  image: z.string().trim().min(1).max(4096)
    .refine((p) => p.startsWith('/') && !p.includes('\u0000'), 'must be an absolute file path (PNG with transparency works best)')
    .describe('Image file (absolute path)'),
  position: z.enum(WATERMARK_POSITIONS).default('bottom-right'),
  sizePct: z.number().min(1).max(50).default(10).describe('Watermark width as % of the picture width'),
  marginXPct: z.number().min(0).max(25).default(3).describe('Distance from the left/right edge, % of the picture width'),
  marginYPct: z.number().min(0).max(25).default(3).describe('Distance from the top/bottom edge, % of the picture height'),
  opacity: z.number().min(0).max(1).default(1),
  mode: z.enum(['permanent', 'fade', 'intermittent']).default('permanent')
    .describe('permanent; fade: fades in as a programme starts and out before it ends; intermittent: shown showS every everyS (wall clock)'),
  fadeS: z.number().min(0).max(10).default(1).describe('Fade length (fade mode)'),
  everyS: z.number().int().min(10).max(86_400).default(600).describe('Intermittent: period'),
  showS: z.number().int().min(1).max(86_400).default(60).describe('Intermittent: visible for this long each period'),
  hideDuringFiller: z.boolean().default(false).describe('No watermark while filler rows air'),
}).strict().refine((w) => w.showS <= w.everyS, { message: 'showS must not exceed everyS', path: ['showS'] });
export type WatermarkSettings = z.infer<typeof watermarkSettings>;

export const subtitleSettings = z.object({
  mode: z.enum(['off', 'burn']).default('off').describe('burn: render the chosen subtitles into the picture'),
  languages: z.array(language).max(10).default([]).describe('Preferred languages in order; empty = any language'),
  which: z.enum(['forced', 'default', 'any']).default('any').describe('forced: forced tracks only; default: default or forced tracks; any'),
}).strict();
export type SubtitleSettings = z.infer<typeof subtitleSettings>;

export const audioSettings = z.object({
  languages: z.array(language).max(10).default([]).describe('Preferred audio languages in order; then the default track, then the one with most channels'),
}).strict();
export type AudioSettings = z.infer<typeof audioSettings>;

export const DEFAULT_SUBTITLES: SubtitleSettings = { mode: 'off', languages: [], which: 'any' };
export const DEFAULT_AUDIO: AudioSettings = { languages: [] };

/** Stream settings with the picture and sound defaults filled in (what the API shows). */
export function withPictureDefaults<T extends { watermark?: WatermarkSettings | null; subtitles?: SubtitleSettings; audio?: AudioSettings }>(s: T): T & { watermark: WatermarkSettings | null; subtitles: SubtitleSettings; audio: AudioSettings } {
  return { ...s, watermark: s.watermark ?? null, subtitles: s.subtitles ?? DEFAULT_SUBTITLES, audio: s.audio ?? DEFAULT_AUDIO };
}
