// Encoder choice per hardware kind and codec: names, what each kind can do, and the encoder's argv.
// Pure tables and functions; detection (src/hw) decides which kinds may be used.
import { encoderName, PRESETS, type HwKind } from '../../schemas/encoders.js';
import { FIXED_VUI, gopFrames, videoEncoderArgs, type OutputProfile } from './profile.js';

/** Kinds whose frames are scaled on the GPU (frames uploaded/downloaded around software filters). */
export const GPU_FILTER_KINDS: ReadonlySet<HwKind> = new Set(['nvenc', 'vaapi', 'qsv']);

/** Everything the encoder needs beyond the profile: the kind actually used. */
export function videoEncoderArgsFor(kind: HwKind, p: OutputProfile): string[] {
  const codec = p.codec ?? 'h264';
  const name = encoderName(kind, codec);
  const g = String(gopFrames(p));
  const b = `${p.videoBitrateK}k`;
  const buf = `${p.videoBufferK ?? p.videoBitrateK * 2}k`;
  const rate = ['-b:v', b, '-maxrate', b, '-bufsize', buf];
  const preset = p.preset && PRESETS[kind]?.includes(p.preset) ? p.preset : PRESETS[kind]?.[0];
  // Closed, fixed GOP everywhere: the splicer and HLS cut at keyframes every gopSeconds.
  const gop = ['-g', g, '-keyint_min', g, '-bf', '0'];
  // Colour and chroma-siting tags fixed for every kind: one SPS for the whole session.
  const head = ['-c:v', name, ...FIXED_VUI];
  switch (kind) {
    case 'software':
      return videoEncoderArgs(p);
    case 'nvenc':
      // Keyframes by GOP only (no -force_key_frames); no -level.
      return [...head, '-preset', preset!, '-tune', 'll', '-rc', 'cbr', ...rate, ...gop, '-strict_gop', '1', '-no-scenecut', '1',
        '-forced-idr', '1', ...(codec === 'h264' ? ['-profile:v', 'high'] : ['-profile:v', 'main'])];
    case 'vaapi':
      return [...head, '-rc_mode', 'VBR', ...rate, ...gop, '-idr_interval', '0',
        ...(codec === 'h264' ? ['-profile:v', 'high'] : codec === 'hevc' ? ['-profile:v', 'main'] : [])];
    case 'qsv':
      // mpeg2_qsv has neither look-ahead nor an IDR interval option.
      return [...head, '-preset', preset!, '-low_power', '0', ...(codec === 'mpeg2' ? [] : ['-look_ahead', '0']), ...rate, ...gop,
        ...(codec === 'mpeg2' ? [] : ['-idr_interval', '0']), '-flags', '+cgop',
        ...(codec === 'h264' ? ['-profile:v', 'high'] : codec === 'hevc' ? ['-profile:v', 'main'] : [])];
    case 'videotoolbox':
      // VideoToolbox ignores maxrate/bufsize; allow_sw 0 so it never silently encodes on the CPU.
      return [...head, '-b:v', b, '-prio_speed', '1', '-realtime', '1', '-allow_sw', '0', ...gop,
        ...(codec === 'h264' ? ['-profile:v', 'high'] : ['-profile:v', 'main'])];
    case 'amf':
      return [...head, '-quality', preset!, '-rc', 'cbr', ...rate, ...gop];
    case 'v4l2m2m':
      return [...head, '-num_capture_buffers', '16', '-pix_fmt', 'yuv420p', '-b:v', b, '-g', g];
  }
}
