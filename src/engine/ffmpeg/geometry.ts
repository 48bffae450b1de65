// Picture geometry: where a source lands in the output frame (anamorphic sources made square first).
import type { ScalingMode } from './profile.js';

export interface Size { w: number; h: number }

const even = (n: number): number => Math.max(2, Math.round(n / 2) * 2);

/** "8:9" → 8/9; null/invalid → 1. */
export function sarValue(sar: string | null | undefined): number {
  const m = /^(\d+):(\d+)$/.exec(sar ?? '');
  if (!m || m[1] === '0' || m[2] === '0') return 1;
  return Number(m[1]) / Number(m[2]);
}

/** Display size of a source: width × SAR, height unchanged (as the software chain does it). */
export function displaySize(w: number, h: number, sar: string | null | undefined): Size {
  return { w: even(w * sarValue(sar)), h: even(h) };
}

/**
 * Size the picture is scaled to before padding (fit) or cropping (crop) to W×H; stretch fills W×H.
 * fit: largest size inside W×H with the display aspect; crop: smallest size covering W×H.
 */
export function scaledSize(src: Size, out: Size, mode: ScalingMode): Size {
  if (mode === 'stretch') return { ...out };
  const f = mode === 'fit' ? Math.min(out.w / src.w, out.h / src.h) : Math.max(out.w / src.w, out.h / src.h);
  const s = { w: even(src.w * f), h: even(src.h * f) };
  // Rounding must never push a fitted picture past the frame (or a cropped one inside it).
  if (mode === 'fit') return { w: Math.min(s.w, out.w), h: Math.min(s.h, out.h) };
  return { w: Math.max(s.w, out.w), h: Math.max(s.h, out.h) };
}
