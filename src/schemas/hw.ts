// What the hardware probe found: each encoder kind verified or unavailable (with ffmpeg's reason).
import { z } from 'zod';
import { HW_KINDS, VIDEO_CODECS } from './encoders.js';

export const encoderStatus = z.enum(['verified', 'unavailable', 'unhealthy']);
export type EncoderStatus = z.infer<typeof encoderStatus>;

export const codecProbe = z.object({
  codec: z.enum(VIDEO_CODECS),
  encoder: z.string().describe('ffmpeg encoder name'),
  compiled: z.boolean().describe('Listed by ffmpeg -encoders (compiled in; says nothing about working)'),
  status: encoderStatus,
  reason: z.string().nullable().describe('Why it is unavailable: ffmpeg\'s own message from the probe'),
  probeMs: z.number().int().nullable().describe('How long the 2-frame probe took'),
});
export type CodecProbe = z.infer<typeof codecProbe>;

export const kindReport = z.object({
  kind: z.enum(HW_KINDS),
  label: z.string(),
  status: encoderStatus.describe('verified: a real 2-frame encode worked (rc 0 and output); unhealthy: verified but failing in use'),
  reason: z.string().nullable(),
  hints: z.array(z.string()).describe('What the device checks found (missing device node, permissions, driver)'),
  codecs: z.array(codecProbe),
  failures: z.number().int().describe('Encodes that failed before their first output since the last probe'),
  fallbacks: z.number().int().describe('Items retried in software after this kind failed'),
  unhealthySince: z.string().nullable(),
});
export type KindReport = z.infer<typeof kindReport>;

export const deviceNode = z.object({
  path: z.string(),
  exists: z.boolean(),
  readable: z.boolean(),
  writable: z.boolean(),
  group: z.string().nullable(),
  note: z.string().nullable(),
});
export type DeviceNode = z.infer<typeof deviceNode>;

export const vaapiInfo = z.object({
  device: z.string(),
  driver: z.string().nullable(),
  error: z.string().nullable(),
  entrypoints: z.array(z.object({ profile: z.string(), entrypoint: z.string() })),
  canEncode: z.object({ h264: z.boolean(), hevc: z.boolean(), mpeg2: z.boolean() }),
});
export type VaapiInfo = z.infer<typeof vaapiInfo>;

export const nvidiaGpu = z.object({ index: z.number().int(), name: z.string(), driverVersion: z.string() });
export type NvidiaGpu = z.infer<typeof nvidiaGpu>;

export const hwReport = z.object({
  ffmpeg: z.object({ path: z.string(), resolved: z.string().nullable(), version: z.string().nullable(), mtimeMs: z.number().nullable() }),
  probedAt: z.string(),
  durationMs: z.number().int().describe('Wall time of the whole detection'),
  cached: z.boolean().describe('Served from the cache (same ffmpeg binary and devices) rather than probed now'),
  kinds: z.array(kindReport),
  devices: z.object({
    render: z.array(deviceNode).describe('/dev/dri/renderD* (VA-API, QSV)'),
    nvidia: deviceNode.describe('/dev/nvidia0'),
    libcuda: z.string().nullable().describe('libcuda.so.1 as ldconfig -p lists it'),
    v4l2m2m: z.array(deviceNode).describe('/dev/video* memory-to-memory encoders'),
    mpp: deviceNode.describe('/dev/mpp_service (Rockchip)'),
  }),
  vaapi: z.array(vaapiInfo).describe('vainfo per render node, when vainfo is installed'),
  nvidiaSmi: z.object({ gpus: z.array(nvidiaGpu), error: z.string().nullable() }).nullable().describe('nvidia-smi, when installed'),
  capabilities: z.object({
    hwaccels: z.array(z.string()),
    hwEncoders: z.array(z.string()).describe('Hardware encoders compiled into this ffmpeg'),
    hwFilters: z.array(z.string()).describe('GPU filters compiled into this ffmpeg'),
  }),
});
export type HwReport = z.infer<typeof hwReport>;
