// The encoder vocabulary shared by the API, the engine and hw/: hardware kinds, codecs, their
// labels, the ffmpeg encoder name per kind and codec, and the presets each kind understands.
// Pure data; the encoder argv per kind is built in engine/ffmpeg/encoders.ts.

/** x264/x265 presets (the software kind's), the first the default. */
export const SOFTWARE_PRESETS = ['veryfast', 'ultrafast', 'superfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'] as const;

export const HW_KINDS = ['software', 'nvenc', 'qsv', 'vaapi', 'videotoolbox', 'amf', 'v4l2m2m'] as const;
export type HwKind = (typeof HW_KINDS)[number];

export const VIDEO_CODECS = ['h264', 'hevc', 'mpeg2'] as const;
export type VideoCodec = (typeof VIDEO_CODECS)[number];

export const KIND_LABEL: Record<HwKind, string> = {
  software: 'Software (CPU)',
  nvenc: 'NVIDIA NVENC',
  qsv: 'Intel Quick Sync (QSV)',
  vaapi: 'VA-API (Intel/AMD on Linux)',
  videotoolbox: 'Apple VideoToolbox',
  amf: 'AMD AMF',
  v4l2m2m: 'V4L2 M2M (Raspberry Pi 4)',
};

/** ffmpeg encoder name per kind and codec; absent = the kind has no such encoder. */
export const ENCODERS: Record<HwKind, Partial<Record<VideoCodec, string>>> = {
  software: { h264: 'libx264', hevc: 'libx265', mpeg2: 'mpeg2video' },
  nvenc: { h264: 'h264_nvenc', hevc: 'hevc_nvenc' },
  qsv: { h264: 'h264_qsv', hevc: 'hevc_qsv', mpeg2: 'mpeg2_qsv' },
  vaapi: { h264: 'h264_vaapi', hevc: 'hevc_vaapi', mpeg2: 'mpeg2_vaapi' },
  videotoolbox: { h264: 'h264_videotoolbox', hevc: 'hevc_videotoolbox' },
  amf: { h264: 'h264_amf', hevc: 'hevc_amf' },
  v4l2m2m: { h264: 'h264_v4l2m2m', hevc: 'hevc_v4l2m2m' },
};

export function encoderName(kind: HwKind, codec: VideoCodec): string {
  const name = ENCODERS[kind][codec];
  if (!name) throw new Error(`${KIND_LABEL[kind]} has no ${codecLabel(codec)} encoder`);
  return name;
}

export const codecLabel = (c: VideoCodec): string => ({ h264: 'H.264', hevc: 'HEVC', mpeg2: 'MPEG-2' })[c];

/** Presets each kind understands (null: the kind has no preset option). The first is the default. */
export const PRESETS: Record<HwKind, readonly string[] | null> = {
  software: SOFTWARE_PRESETS,
  nvenc: ['p4', 'p1', 'p2', 'p3', 'p5', 'p6', 'p7'],
  qsv: ['veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'],
  vaapi: null,
  videotoolbox: null,
  amf: ['speed', 'balanced', 'quality'],
  v4l2m2m: null,
};
