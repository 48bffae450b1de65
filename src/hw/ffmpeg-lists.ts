// Parsers for ffmpeg's capability lists (-encoders, -hwaccels, -filters). These say what was
// compiled in, not what works: Debian's ffmpeg lists h264_nvenc on a machine without a GPU.

export interface EncoderEntry { name: string; type: 'video' | 'audio' | 'subtitle'; flags: string; description: string }

/** `ffmpeg -hide_banner -encoders`: " V....D libx264   libx264 H.264 / AVC ..." after the " ------" rule. */
export function parseEncoders(text: string): EncoderEntry[] {
  const out: EncoderEntry[] = [];
  let body = false;
  for (const line of text.split('\n')) {
    if (/^\s*-{3,}\s*$/.test(line)) { body = true; continue; }
    if (!body) continue;
    const m = /^\s([VAS])([.A-Z]{5})\s+(\S+)\s+(.*)$/.exec(line);
    if (!m) continue;
    out.push({ type: m[1] === 'V' ? 'video' : m[1] === 'A' ? 'audio' : 'subtitle', flags: m[1]! + m[2]!, name: m[3]!, description: m[4]!.trim() });
  }
  return out;
}

/** `ffmpeg -hide_banner -hwaccels`: a "Hardware acceleration methods:" header then one name per line. */
export function parseHwaccels(text: string): string[] {
  const lines = text.split('\n').map((l) => l.trim());
  const start = lines.findIndex((l) => /^Hardware acceleration methods:/i.test(l));
  return (start < 0 ? [] : lines.slice(start + 1)).filter((l) => /^[a-z0-9_]+$/.test(l));
}

export interface FilterEntry { name: string; flags: string; io: string; description: string }

/** `ffmpeg -hide_banner -filters`: " TSC overlay  VV->V  Overlay a video source ..." after the legend. */
export function parseFilters(text: string): FilterEntry[] {
  const out: FilterEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s([.T][.S][.C])\s+(\S+)\s+(\S+->\S+)\s+(.*)$/.exec(line);
    if (m) out.push({ flags: m[1]!, name: m[2]!, io: m[3]!, description: m[4]!.trim() });
  }
  return out;
}

/** Filters that run on a GPU (names we build pipelines from, and their relatives). */
export const isHwFilter = (name: string): boolean => /(_cuda|_npp|_vaapi|_qsv|_opencl|_vulkan|_videotoolbox|_rkrga)$|^hwupload|^hwdownload|^hwmap|^vpp_qsv$/.test(name);

/** Encoders that use hardware (by ffmpeg's naming). */
export const isHwEncoder = (name: string): boolean => /_(nvenc|qsv|vaapi|videotoolbox|amf|v4l2m2m|rkmpp|omx|mf|mediacodec)$/.test(name);

/** "ffmpeg version 5.1.9-0+deb12u1 Copyright ..." → "5.1.9-0+deb12u1". */
export function parseVersion(text: string): string | null {
  return /ffmpeg version (\S+)/.exec(text)?.[1] ?? null;
}
