// The channel output profile every item is normalised to. Hardware profiles come later;
// the encoder choice stays behind videoEncoderArgs().

export interface OutputProfile {
  width: number;
  height: number;
  /** Frames per second (integer or e.g. 29.97). */
  fps: number;
  videoBitrateK: number;
  gopSeconds: number;
  audioBitrateK: number;
  audioRate: number;
  audioChannels: number;
}

export const DEFAULT_PROFILE: OutputProfile = {
  width: 1280, height: 720, fps: 30, videoBitrateK: 2500, gopSeconds: 2, audioBitrateK: 160, audioRate: 48000, audioChannels: 2,
};

export const gopFrames = (p: OutputProfile): number => Math.round(p.fps * p.gopSeconds);

/** Software H.264: closed fixed GOP, no B-frames, no scene-cut keyframes, CBR-ish VBV. */
export function videoEncoderArgs(p: OutputProfile): string[] {
  const g = String(gopFrames(p));
  return [
    '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-profile:v', 'high', '-pix_fmt', 'yuv420p',
    '-b:v', `${p.videoBitrateK}k`, '-maxrate', `${p.videoBitrateK}k`, '-bufsize', `${p.videoBitrateK * 2}k`,
    '-g', g, '-keyint_min', g, '-sc_threshold', '0', '-bf', '0', '-flags', '+cgop',
    '-force_key_frames', `expr:gte(t,n_forced*${p.gopSeconds})`,
  ];
}

export function audioEncoderArgs(p: OutputProfile): string[] {
  return ['-c:a', 'aac', '-b:a', `${p.audioBitrateK}k`, '-ar', String(p.audioRate), '-ac', String(p.audioChannels)];
}

/** MPEG-TS muxing shared by every piece so the splicer sees the same PIDs every time. */
export const MPEGTS_OUT = [
  '-f', 'mpegts', '-muxdelay', '0', '-muxpreload', '0', '-mpegts_service_id', '1',
  '-mpegts_pmt_start_pid', '4096', '-mpegts_start_pid', '256', '-pat_period', '0.1', 'pipe:1',
];
export const VIDEO_PID = 0x100;
export const AUDIO_PID = 0x101;
