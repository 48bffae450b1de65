// Encoder profiles: what a channel's picture and sound are encoded as, and with which hardware.
import { z } from 'zod';
import { ENCODERS, HW_KINDS, KIND_LABEL, PRESETS, VIDEO_CODECS, codecLabel } from './encoders.js';
import { OUTPUT_MODES } from './output-mode.js';

export const profileName = z.string().trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$/, 'must be 1–60 letters, digits, ".", "_" or "-", starting with a letter or digit');

const fields = {
  kind: z.enum(HW_KINDS).describe('Hardware that encodes: software, nvenc, qsv, vaapi, videotoolbox, amf, v4l2m2m'),
  codec: z.enum(VIDEO_CODECS).describe('Video codec: h264, hevc, mpeg2'),
  width: z.number().int().min(128).max(3840).refine((n) => n % 2 === 0, 'must be even'),
  height: z.number().int().min(96).max(2160).refine((n) => n % 2 === 0, 'must be even'),
  fps: z.number().min(10).max(60).describe('Frames per second, e.g. 25, 29.97, 30, 50, 59.94'),
  videoBitrateK: z.number().int().min(200).max(100_000).describe('Video bitrate, kbit/s'),
  videoBufferK: z.number().int().min(100).max(200_000).describe('VBV buffer, kbit (usually twice the bitrate)'),
  gopSeconds: z.number().min(0.5).max(10).describe('Keyframe interval (closed GOP), seconds'),
  preset: z.string().trim().min(1).max(20).nullable().describe('Encoder preset (software: veryfast…; nvenc: p1…p7; qsv: veryfast…; amf: speed|balanced|quality); null = the kind\'s default'),
  scaling: z.enum(['fit', 'stretch', 'crop']).describe('fit: whole picture with black bars; stretch: fill, distorting; crop: fill, cutting edges'),
  deinterlace: z.enum(['auto', 'off', 'always']).describe('auto: when the source\'s probed field order is interlaced'),
  audioCodec: z.enum(['aac', 'ac3', 'mp2']),
  audioBitrateK: z.number().int().min(32).max(640),
  audioChannels: z.union([z.literal(1), z.literal(2), z.literal(6)]),
  audioRate: z.union([z.literal(44100), z.literal(48000)]),
  loudness: z.enum(['off', 'loudnorm', 'dynaudnorm']).describe('Loudness normalisation: EBU R128 loudnorm to loudnessTarget, or dynaudnorm'),
  loudnessTarget: z.number().min(-40).max(-5).describe('loudnorm integrated target, LUFS (-23 EBU R128, -24 ATSC A/85)'),
  mode: z.enum(OUTPUT_MODES).describe('transcode: every item; direct: copy items whose probed streams match this output (codec, size, rate, pixel format, audio), transcode the others; auto: like direct, and also copy a matching picture with the sound encoded'),
};

type Shape = { kind: string; codec: string; preset?: string | null; audioCodec?: string; audioChannels?: number; audioBitrateK?: number };

/** Cross-field rules: the kind must have the codec, and the preset must be one the kind knows. */
export function profileProblems(p: Shape): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const kind = p.kind as (typeof HW_KINDS)[number];
  const codec = p.codec as (typeof VIDEO_CODECS)[number];
  if (!ENCODERS[kind]?.[codec]) out.push({ path: 'codec', message: `${KIND_LABEL[kind] ?? kind} has no ${codecLabel(codec)} encoder` });
  const presets = PRESETS[kind];
  if (p.preset != null && (!presets || !presets.includes(p.preset))) {
    out.push({ path: 'preset', message: presets ? `must be one of ${presets.join(', ')} for ${kind}` : `${kind} has no presets: use null` });
  }
  if (p.audioCodec === 'mp2' && p.audioChannels === 6) out.push({ path: 'audioChannels', message: 'mp2 carries at most 2 channels' });
  return out;
}

const checked = <T extends z.ZodType<Shape>>(schema: T) => schema.superRefine((p, ctx) => {
  for (const i of profileProblems(p)) ctx.addIssue({ code: 'custom', path: [i.path], message: i.message });
});

export const profileInput = checked(z.object({
  name: profileName,
  kind: fields.kind.default('software'),
  codec: fields.codec.default('h264'),
  width: fields.width,
  height: fields.height,
  fps: fields.fps.default(30),
  videoBitrateK: fields.videoBitrateK,
  videoBufferK: fields.videoBufferK.optional(),
  gopSeconds: fields.gopSeconds.default(2),
  preset: fields.preset.default(null),
  scaling: fields.scaling.default('fit'),
  deinterlace: fields.deinterlace.default('auto'),
  audioCodec: fields.audioCodec.default('aac'),
  audioBitrateK: fields.audioBitrateK.default(160),
  audioChannels: fields.audioChannels.default(2),
  audioRate: fields.audioRate.default(48000),
  loudness: fields.loudness.default('off'),
  loudnessTarget: fields.loudnessTarget.default(-23),
  mode: fields.mode.default('transcode'),
}).strict());
export type ProfileInput = z.infer<typeof profileInput>;

/** Every field but the name may change (the name is how channels refer to a profile). */
export const profilePatch = z.object({
  kind: fields.kind, codec: fields.codec, width: fields.width, height: fields.height, fps: fields.fps,
  videoBitrateK: fields.videoBitrateK, videoBufferK: fields.videoBufferK, gopSeconds: fields.gopSeconds, preset: fields.preset,
  scaling: fields.scaling, deinterlace: fields.deinterlace, audioCodec: fields.audioCodec, audioBitrateK: fields.audioBitrateK,
  audioChannels: fields.audioChannels, audioRate: fields.audioRate, loudness: fields.loudness, loudnessTarget: fields.loudnessTarget,
  mode: fields.mode,
}).partial().strict();
export type ProfilePatch = z.infer<typeof profilePatch>;

export const encoderProfile = z.object({
  name: z.string(),
  builtIn: z.boolean().describe('Shipped with EXStreamTV (read-only)'),
  kind: fields.kind, codec: fields.codec, width: z.number().int(), height: z.number().int(), fps: z.number(),
  videoBitrateK: z.number().int(), videoBufferK: z.number().int(), gopSeconds: z.number(), preset: z.string().nullable(),
  scaling: fields.scaling, deinterlace: fields.deinterlace, audioCodec: fields.audioCodec, audioBitrateK: z.number().int(),
  audioChannels: z.number().int(), audioRate: z.number().int(), loudness: fields.loudness, loudnessTarget: z.number(),
  mode: fields.mode,
});
export type EncoderProfile = z.infer<typeof encoderProfile>;

export const profileStatus = z.object({
  usable: z.boolean().describe('The profile\'s encoder is verified (and healthy) on this machine'),
  encoder: z.string().describe('ffmpeg encoder name, e.g. h264_nvenc'),
  reason: z.string().nullable().describe('Why it is not usable (the probe\'s ffmpeg message), or null'),
  channels: z.array(z.string()).describe('Channel numbers assigned to this profile'),
});
export const profileView = encoderProfile.extend({ status: profileStatus });
export type ProfileView = z.infer<typeof profileView>;

export const profileNameParam = z.object({ name: z.string().min(1).max(100) });

export const testEncodeQuery = z.object({
  seconds: z.coerce.number().min(1).max(30).default(5).describe('Seconds of test picture to encode'),
}).strict();
export const testEncodeResult = z.object({
  ok: z.boolean(),
  profile: z.string(),
  kind: fields.kind,
  encoder: z.string(),
  reason: z.string().nullable().describe('ffmpeg\'s message when it failed'),
  seconds: z.number().describe('Seconds of output asked for'),
  frames: z.number().int(),
  fps: z.number().nullable().describe('Frames encoded per wall-clock second'),
  speed: z.number().nullable().describe('Output seconds per wall-clock second (1 = real time)'),
  wallMs: z.number().int(),
  bytes: z.number().int(),
});
export type TestEncodeResult = z.infer<typeof testEncodeResult>;
