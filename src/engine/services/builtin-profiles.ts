// Encoder profiles shipped with EXStreamTV (read-only; copy one under a new name to change it).
import type { EncoderProfile } from '../../schemas/profile.js';

const base = {
  builtIn: true, codec: 'h264', fps: 30, gopSeconds: 2, preset: null, scaling: 'fit', deinterlace: 'auto',
  audioCodec: 'aac', audioBitrateK: 160, audioChannels: 2, audioRate: 48000, loudness: 'off', loudnessTarget: -23, mode: 'transcode',
} as const;

export const BUILTIN_PROFILES: readonly EncoderProfile[] = [
  { ...base, name: 'software-480p', kind: 'software', width: 854, height: 480, videoBitrateK: 1200, videoBufferK: 2400, preset: 'veryfast' },
  // What a channel without a profile gets (the streaming engine's original output).
  { ...base, name: 'software-720p', kind: 'software', width: 1280, height: 720, videoBitrateK: 2500, videoBufferK: 5000, preset: 'veryfast' },
  { ...base, name: 'software-1080p', kind: 'software', width: 1920, height: 1080, videoBitrateK: 5000, videoBufferK: 10000, preset: 'veryfast' },
  { ...base, name: 'nvenc-1080p', kind: 'nvenc', width: 1920, height: 1080, videoBitrateK: 6000, videoBufferK: 12000, preset: 'p4' },
  { ...base, name: 'vaapi-1080p', kind: 'vaapi', width: 1920, height: 1080, videoBitrateK: 6000, videoBufferK: 12000 },
  // QSV: 1 s GOP (HARDWARE.md).
  { ...base, name: 'qsv-1080p', kind: 'qsv', width: 1920, height: 1080, videoBitrateK: 6000, videoBufferK: 12000, preset: 'veryfast', gopSeconds: 1 },
  // Raspberry Pi 4's bcm2835 H.264 encoder (level 4.0 caps it near 1080p30; 720p leaves headroom).
  { ...base, name: 'rpi4-v4l2-720p', kind: 'v4l2m2m', width: 1280, height: 720, videoBitrateK: 2500, videoBufferK: 5000 },
];

export const DEFAULT_PROFILE_NAME = 'software-720p';
