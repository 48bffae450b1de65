// Pure filter-chain builders: decode → deinterlace → (subtitles) → scale/pad → fps → (subtitles,
// watermark) → pixel format, per hardware kind. GPU kinds (nvenc, vaapi, qsv) deinterlace and scale
// on the GPU and come down to system memory only for what has no GPU filter in ffmpeg 5.1
// (pad, crop, subtitles, watermark).
import type { MediaStream } from '../../schemas/library.js';
import type { WatermarkSettings } from '../../schemas/picture.js';
import type { HwKind } from '../../schemas/encoders.js';
import { filterValue, plainPath } from './escape.js';
import { displaySize, scaledSize, type Size } from './geometry.js';
import { fpsRational, type OutputProfile } from './profile.js';
import type { SubtitlePick } from './select.js';

export type VideoFacts = Pick<MediaStream, 'index' | 'fieldOrder' | 'sar'> & Partial<Pick<MediaStream, 'width' | 'height' | 'codec' | 'pixFmt'>>;

export interface PictureInput {
  video: VideoFacts;
  /** ffmpeg input of the item (the subtitles filter opens the same file when it is local). */
  input: string;
  /** A text subtitle taken out of a remote input into a local file; offsetMs: where the piece starts in that file. */
  subtitleFile?: { path: string; offsetMs: number };
  seekMs: number;
  playMs: number;
  subtitle?: SubtitlePick | null;
  watermark?: WatermarkSettings | null;
  /** Wall-clock epoch ms at which this piece starts: the phase of an intermittent watermark. */
  startsAtMs?: number;
}

const INTERLACED = new Set(['tt', 'bb', 'tb', 'bt']);
const secs = (ms: number) => (ms / 1000).toFixed(3);
const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);

/** Does this source get deinterlaced? auto: when ffprobe's field order says interlaced. */
export function wantsDeinterlace(v: Pick<MediaStream, 'fieldOrder'>, p: OutputProfile): boolean {
  const mode = p.deinterlace ?? 'auto';
  return mode === 'always' || (mode === 'auto' && !!v.fieldOrder && INTERLACED.has(v.fieldOrder));
}

// ---- pieces shared by every kind -----------------------------------------------------------------

/**
 * End of every CPU chain: frames flagged progressive (the encoder never sees a field order), and
 * the last frame held for up to a second past the source's end, so a source a frame or two short
 * of its slot still fills the exact frame count of the piece (-frames:v cuts the hold).
 */
export const CADENCE_TAIL = ['setparams=field_mode=prog', 'tpad=stop_mode=clone:stop_duration=1'];

/** Software deinterlace: bwdif leaves progressive frames untouched with deint=interlaced. */
export const swDeinterlace = (p: OutputProfile): string =>
  `bwdif=mode=send_frame:parity=auto:deint=${(p.deinterlace ?? 'auto') === 'always' ? 'all' : 'interlaced'}`;

/** Software geometry: square pixels first (anamorphic), then fit with bars / stretch / crop to W×H. */
export function swGeometry(p: OutputProfile): string[] {
  const W = p.width, H = p.height;
  const f = ['scale=w=trunc(iw*sar/2)*2:h=trunc(ih/2)*2', 'setsar=1'];
  switch (p.scaling ?? 'fit') {
    case 'fit':
      f.push(`scale=w=${W}:h=${H}:force_original_aspect_ratio=decrease`, `pad=w=${W}:h=${H}:x=(ow-iw)/2:y=(oh-ih)/2:color=black`);
      break;
    case 'stretch':
      f.push(`scale=w=${W}:h=${H}`);
      break;
    case 'crop':
      f.push(`scale=w=${W}:h=${H}:force_original_aspect_ratio=increase`, `crop=w=${W}:h=${H}`);
      break;
  }
  f.push('setsar=1');
  return f;
}

/** Text subtitles rendered by libass from the item file; seeking shifts timestamps so the right cue shows. */
export function textSubtitleFilters(inp: PictureInput, sub: SubtitlePick): string[] {
  if (inp.subtitleFile) {
    // A copy of one stream, cut where it was prefetched: shift by how far into it this piece starts.
    const f = `subtitles=filename=${filterValue(inp.subtitleFile.path)}:si=0`;
    const off = inp.subtitleFile.offsetMs;
    return off <= 0 ? [f] : [`setpts=PTS+${secs(off)}/TB`, f, 'setpts=PTS-STARTPTS'];
  }
  const f = `subtitles=filename=${filterValue(plainPath(inp.input))}:si=${sub.subIndex}`;
  if (inp.seekMs <= 0) return [f];
  return [`setpts=PTS+${secs(inp.seekMs)}/TB`, f, 'setpts=PTS-STARTPTS'];
}

export interface Overlay { side: string; filter: string }
export type Step = string | { overlay: Overlay };

/** Image subtitles (PGS, DVD, DVB) over the picture at the source's own size, before scaling. */
export function imageSubtitleOverlay(sub: SubtitlePick): Overlay {
  return { side: `[0:${sub.index}]`, filter: 'overlay=x=(W-w)/2:y=H-h:eof_action=pass' };
}

/** Watermark side chain and overlay (input = the image input's index). */
export function watermarkOverlay(w: WatermarkSettings, p: OutputProfile, inputIndex: number, playMs: number, startsAtMs = 0): Overlay {
  const W = p.width, H = p.height;
  const ww = even((W * w.sizePct) / 100);
  const mx = Math.round((W * w.marginXPct) / 100), my = Math.round((H * w.marginYPct) / 100);
  const [row, col] = w.position === 'center' ? ['middle', 'center'] : w.position.split('-') as [string, string];
  const x = col === 'left' ? String(mx) : col === 'center' ? '(W-w)/2' : `W-w-${mx}`;
  const y = row === 'top' ? String(my) : row === 'middle' ? '(H-h)/2' : `H-h-${my}`;
  const side = [`format=rgba`, `scale=w=${ww}:h=-2`];
  if (w.opacity < 1) side.push(`colorchannelmixer=aa=${Number(w.opacity.toFixed(3))}`);
  let enable = '';
  if (w.mode === 'fade' && w.fadeS > 0) {
    side.push(`fade=t=in:st=0:d=${w.fadeS}:alpha=1`);
    const out = playMs / 1000 - w.fadeS;
    if (out > w.fadeS) side.push(`fade=t=out:st=${out.toFixed(3)}:d=${w.fadeS}:alpha=1`);
  } else if (w.mode === 'intermittent') {
    // Wall-clock phase, so the pattern runs on across programmes and restarts.
    const phase = ((startsAtMs / 1000) % w.everyS + w.everyS) % w.everyS;
    enable = `:enable='lt(mod(t+${phase.toFixed(3)},${w.everyS}),${w.showS})'`;
  }
  return { side: `[${inputIndex}:v]${side.join(',')}`, filter: `overlay=x=${x}:y=${y}${enable}` };
}

/** A linear chain of steps as -vf text, or as a -filter_complex graph ending in [vout] when it has overlays. */
export function renderChain(videoIndex: number, steps: Step[]): { complex: boolean; graph: string } {
  if (steps.every((s) => typeof s === 'string')) return { complex: false, graph: (steps as string[]).join(',') || 'null' };
  const parts: string[] = [];
  /** Input label of the current chain ('' once the chain starts with a labelled overlay). */
  let head = `[0:${videoIndex}]`;
  let chain: string[] = [];
  let n = 0;
  for (const s of steps) {
    if (typeof s === 'string') { chain.push(s); continue; }
    let main = head;
    if (chain.length) {
      main = `[b${n}]`;
      parts.push(`${head}${chain.join(',')}${main}`);
    }
    // A side that is only a stream label (image subtitles) feeds the overlay directly.
    const bare = /^\[[^\]]+\]$/.test(s.overlay.side);
    const side = bare ? s.overlay.side : `[s${n}]`;
    if (!bare) parts.push(`${s.overlay.side}${side}`);
    head = '';
    chain = [`${main}${side}${s.overlay.filter}`];
    n++;
  }
  parts.push(`${head}${chain.join(',')}[vout]`);
  return { complex: true, graph: parts.join(';') };
}

// ---- per kind ------------------------------------------------------------------------------------

/** Source codecs each GPU kind decodes itself (8-bit 4:2:0); others decode on the CPU and upload. */
const HW_DECODE: Partial<Record<HwKind, Record<string, string | true>>> = {
  nvenc: { h264: true, hevc: true, mpeg2video: true, mpeg1video: true, vc1: true, vp8: true, vp9: true, av1: true, mpeg4: true },
  vaapi: { h264: true, hevc: true, mpeg2video: true, vc1: true, vp8: true, vp9: true, av1: true },
  // ffmpeg 5.1's QSV decoding needs the codec's own _qsv decoder.
  qsv: { h264: 'h264_qsv', hevc: 'hevc_qsv', mpeg2video: 'mpeg2_qsv', vc1: 'vc1_qsv', vp9: 'vp9_qsv', av1: 'av1_qsv' },
};
const EIGHT_BIT_420 = new Set(['yuv420p', 'yuvj420p', 'nv12']);

/** Decode on the GPU? Only for codecs and pixel formats the kind handles, and not under image subtitles. */
export function hwDecodes(kind: HwKind, inp: Pick<PictureInput, 'video' | 'subtitle'>): boolean {
  const codec = inp.video.codec;
  if (!codec || !HW_DECODE[kind]?.[codec]) return false;
  if (inp.video.pixFmt && !EIGHT_BIT_420.has(inp.video.pixFmt)) return false;
  return inp.subtitle?.kind !== 'image';
}

export interface HwDevice { vaapiDevice: string }
export const DEFAULT_VAAPI_DEVICE = '/dev/dri/renderD128';

/** Global options that create the kind's device (before any -i). */
export function hwDeviceArgs(kind: HwKind, dev: Partial<HwDevice> = {}): string[] {
  switch (kind) {
    case 'nvenc': return ['-init_hw_device', 'cuda=cu:0', '-filter_hw_device', 'cu'];
    case 'vaapi': return ['-init_hw_device', `vaapi=va:${dev.vaapiDevice ?? DEFAULT_VAAPI_DEVICE}`, '-filter_hw_device', 'va'];
    case 'qsv': return ['-init_hw_device', 'qsv=hw', '-filter_hw_device', 'hw'];
    default: return [];
  }
}

/** Input options for GPU decoding (placed right before the item's -i). */
export function hwDecodeArgs(kind: HwKind, inp: Pick<PictureInput, 'video' | 'subtitle'>): string[] {
  if (!hwDecodes(kind, inp)) return [];
  switch (kind) {
    case 'nvenc': return ['-hwaccel', 'cuda', '-hwaccel_device', 'cu', '-hwaccel_output_format', 'cuda'];
    case 'vaapi': return ['-hwaccel', 'vaapi', '-hwaccel_device', 'va', '-hwaccel_output_format', 'vaapi'];
    case 'qsv': return ['-hwaccel', 'qsv', '-hwaccel_device', 'hw', '-hwaccel_output_format', 'qsv', '-c:v', String(HW_DECODE.qsv![inp.video.codec!])];
    default: return [];
  }
}

const UPLOAD: Partial<Record<HwKind, string>> = { nvenc: 'hwupload_cuda', vaapi: 'hwupload', qsv: 'hwupload=extra_hw_frames=64' };

function gpuDeinterlace(kind: HwKind, p: OutputProfile): string {
  const always = (p.deinterlace ?? 'auto') === 'always';
  switch (kind) {
    case 'nvenc': return `yadif_cuda=mode=send_frame:parity=auto:deint=${always ? 'all' : 'interlaced'}`;
    case 'vaapi': return `deinterlace_vaapi=rate=frame:auto=${always ? 0 : 1}`;
    default: return 'deinterlace_qsv=mode=advanced';
  }
}

/** GPU scale to an explicit size, or (size unknown) keeping the aspect ratio; null when the kind can't. */
function gpuScale(kind: HwKind, size: Size | null, p: OutputProfile): string | null {
  const dims = size ? `w=${size.w}:h=${size.h}` : `w=${p.width}:h=${p.height}:force_original_aspect_ratio=${(p.scaling ?? 'fit') === 'fit' ? 'decrease' : 'increase'}`;
  const stretch = (p.scaling ?? 'fit') === 'stretch' ? `w=${p.width}:h=${p.height}` : dims;
  switch (kind) {
    case 'nvenc': return `scale_cuda=${stretch}:format=nv12`;
    case 'vaapi': return `scale_vaapi=${stretch}:format=nv12`;
    default: return size || (p.scaling ?? 'fit') === 'stretch' ? `vpp_qsv=${stretch}:format=nv12` : null;
  }
}

/** The video steps for one kind (software kinds share the CPU chain). */
export function videoSteps(kind: HwKind, inp: PictureInput, p: OutputProfile, watermarkInput: number): Step[] {
  const sub = inp.subtitle ?? null;
  const late: Step[] = [];
  if (sub?.kind === 'text') late.push(...textSubtitleFilters(inp, sub));
  if (inp.watermark) late.push({ overlay: watermarkOverlay(inp.watermark, p, watermarkInput, inp.playMs, inp.startsAtMs) });
  // The output grid starts at the piece's time 0 (a late first frame is repeated, an early one dropped).
  const fps = `fps=${fpsRational(p.fps)}:start_time=0`;
  const upload = UPLOAD[kind];
  if (!upload) {
    // CPU filters: software, VideoToolbox, AMF and V4L2 M2M encoders take system-memory frames.
    const steps: Step[] = [];
    if (wantsDeinterlace(inp.video, p)) steps.push(swDeinterlace(p));
    if (sub?.kind === 'image') steps.push({ overlay: imageSubtitleOverlay(sub) });
    steps.push(...swGeometry(p), fps, ...late, 'format=yuv420p', ...CADENCE_TAIL);
    return steps;
  }
  const steps: Step[] = [];
  const onGpu = hwDecodes(kind, inp);
  const mode = p.scaling ?? 'fit';
  const known = inp.video.width && inp.video.height ? displaySize(inp.video.width, inp.video.height, inp.video.sar) : null;
  const size = known ? scaledSize(known, { w: p.width, h: p.height }, mode) : null;
  const scale = gpuScale(kind, size, p);
  if (!scale && !onGpu) {
    // Nothing for the GPU to do before the encoder (QSV without a known size): filter on the CPU, upload once.
    if (wantsDeinterlace(inp.video, p)) steps.push(swDeinterlace(p));
    if (sub?.kind === 'image') steps.push({ overlay: imageSubtitleOverlay(sub) });
    steps.push(...swGeometry(p), fps, ...late, 'format=nv12', upload);
    return steps;
  }
  if (!onGpu) {
    if (sub?.kind === 'image') steps.push({ overlay: imageSubtitleOverlay(sub) });
    steps.push('format=nv12', upload);
  }
  if (wantsDeinterlace(inp.video, p)) steps.push(gpuDeinterlace(kind, p));
  if (scale) steps.push(scale);
  const fills = mode === 'stretch' || (size !== null && size.w === p.width && size.h === p.height);
  const needCpu = !scale || !fills || late.length > 0;
  if (!needCpu) {
    steps.push('setsar=1', fps);
    return steps;
  }
  steps.push('hwdownload', 'format=nv12', 'format=yuv420p');
  if (!scale) steps.push(...swGeometry(p));
  else {
    if (!fills && mode === 'fit') steps.push(`pad=w=${p.width}:h=${p.height}:x=(ow-iw)/2:y=(oh-ih)/2:color=black`);
    else if (!fills && mode === 'crop') steps.push(`crop=w=${p.width}:h=${p.height}`);
    steps.push('setsar=1');
  }
  steps.push(fps, ...late, 'format=nv12', upload);
  return steps;
}

/**
 * Audio: resample over gaps, loudness, output format, and pad to the piece length. With `samples`
 * (a transcoded piece cut to whole frames) the audio is padded and cut to exactly that many samples.
 */
export function audioFilter(p: OutputProfile, playMs: number, live = false, samples?: number): string {
  const layout = p.audioChannels === 1 ? 'mono' : p.audioChannels === 6 ? '5.1' : 'stereo';
  const f = ['aresample=async=1:first_pts=0'];
  if (p.loudness === 'loudnorm') f.push(`loudnorm=I=${p.loudnessTarget ?? -23}:TP=-2:LRA=11`);
  else if (p.loudness === 'dynaudnorm') f.push('dynaudnorm=f=250:g=15:p=0.9');
  // loudnorm works at 192 kHz: aformat brings it back to the profile's rate.
  f.push(`aformat=sample_fmts=fltp:sample_rates=${p.audioRate}:channel_layouts=${layout}`);
  // Audio shorter than video would leave a hole at the end: pad it to the piece length. Not for a
  // live input: when it dies, padding would go on writing silence and hide the outage from the session.
  if (!live) f.push(samples ? `apad=whole_len=${samples},atrim=end_sample=${samples}` : `apad=whole_dur=${secs(playMs)}`);
  return f.join(',');
}
