// vainfo: the VA-API driver's profile/entrypoint pairs. H.264 encode needs VAProfileH264Main (or
// High / ConstrainedBaseline) with VAEntrypointEncSlice or VAEntrypointEncSliceLP.
import type { VaapiInfo } from '../schemas/hw.js';

export interface VainfoParsed { driver: string | null; error: string | null; entrypoints: { profile: string; entrypoint: string }[] }

/**
 * Parses `vainfo --display drm --device <dev>` (lines "VAProfileH264Main : VAEntrypointEncSlice")
 * and `vainfo -a` (lines "VAProfileH264Main/VAEntrypointEncSlice" followed by attributes).
 */
export function parseVainfo(text: string): VainfoParsed {
  const entrypoints: { profile: string; entrypoint: string }[] = [];
  const seen = new Set<string>();
  let driver: string | null = null;
  let error: string | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const d = /^vainfo: Driver version:\s*(.+)$/.exec(line);
    if (d) driver = d[1]!.trim();
    if (!error && /vaInitialize failed|failed to initialize display|cannot open display|can't connect to X server|No such file or directory|Permission denied/i.test(line)) {
      error = line.replace(/^(libva (error|info)|vainfo):\s*/i, '');
    }
    const m = /^(VAProfile\w+)\s*(?::|\/)\s*(VAEntrypoint\w+)\s*$/.exec(line);
    if (m) {
      const key = `${m[1]}/${m[2]}`;
      if (!seen.has(key)) { seen.add(key); entrypoints.push({ profile: m[1]!, entrypoint: m[2]! }); }
    }
  }
  if (!entrypoints.length && !error && !driver) error = 'vainfo printed no profiles';
  return { driver, error, entrypoints };
}

const ENCODE = new Set(['VAEntrypointEncSlice', 'VAEntrypointEncSliceLP']);
const PROFILES: Record<'h264' | 'hevc' | 'mpeg2', RegExp> = {
  h264: /^VAProfileH264(Main|High|ConstrainedBaseline)$/,
  hevc: /^VAProfileHEVCMain$/,
  mpeg2: /^VAProfileMPEG2(Main|Simple)$/,
};

export function vaapiCanEncode(entrypoints: VainfoParsed['entrypoints']): VaapiInfo['canEncode'] {
  const can = (re: RegExp) => entrypoints.some((e) => re.test(e.profile) && ENCODE.has(e.entrypoint));
  return { h264: can(PROFILES.h264), hevc: can(PROFILES.hevc), mpeg2: can(PROFILES.mpeg2) };
}
