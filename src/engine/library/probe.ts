// ffprobe: run it on one file (argv array, never a shell) and turn its JSON into stream facts.
import { execa } from 'execa';
import { extname } from 'node:path';
import type { Chapter, MediaStream } from '../../schemas/library.js';
import { MIN_ITEM_MS } from '../schedule/units.js';
import { checkTruncation } from './integrity.js';

export interface ProbeInfo {
  durationMs: number | null;
  /** ffprobe's format_name, e.g. "matroska,webm" or "mov,mp4,m4a,3gp,3g2,mj2". */
  container: string | null;
  bitRate: number | null;
  streams: MediaStream[];
  chapters: Chapter[];
}

/** error set: the file is unreadable for that reason. retry: the verdict is not final (timeout), probe again next scan. */
export interface ProbeResult { info: ProbeInfo | null; error: string | null; retry?: boolean }

export interface ProbeOptions { ffprobePath: string; signal?: AbortSignal; timeoutMs?: number }
export type ProbeFn = (absPath: string, opts: ProbeOptions) => Promise<ProbeResult>;

/** ffprobe itself could not be started: every file would fail, so the scan must stop. */
export class FfprobeUnavailableError extends Error {}

export const PROBE_TIMEOUT_MS = 30_000;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);
const num = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
};
const int = (v: unknown): number | null => {
  const n = num(v);
  return n === null ? null : Math.round(n);
};
const ms = (seconds: unknown): number | null => {
  const n = num(seconds);
  return n === null ? null : Math.round(n * 1000);
};
/** "30000/1001" → 29.97; "0/0" → null. */
const rate = (v: unknown): number | null => {
  const m = /^(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(str(v) ?? '');
  if (!m) return null;
  const r = Number(m[1]) / Number(m[2]);
  return Number.isFinite(r) && r > 0 ? Math.round(r * 1000) / 1000 : null;
};
/** "8:9" stays; "0:1" and "N/A" (unknown) become null. */
const ratio = (v: unknown): string | null => {
  const m = /^(\d+):(\d+)$/.exec(str(v) ?? '');
  return m && m[1] !== '0' && m[2] !== '0' ? `${m[1]}:${m[2]}` : null;
};
/** Matroska tag "00:21:03.125000000" → ms. */
const clockMs = (v: unknown): number | null => {
  const m = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(str(v) ?? '');
  return m ? Math.round((Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000) : null;
};

const STREAM_TYPES = new Set(['video', 'audio', 'subtitle', 'attachment', 'data']);

function parseStream(raw: unknown): MediaStream {
  const s = obj(raw);
  const tags = obj(s.tags);
  const disp = obj(s.disposition);
  const codecType = str(s.codec_type) ?? 'data';
  const coverArt = codecType === 'video' && num(disp.attached_pic) === 1;
  const type = coverArt ? 'attachment' : STREAM_TYPES.has(codecType) ? (codecType as MediaStream['type']) : 'data';
  const video = type === 'video';
  const language = str(tags.language)?.toLowerCase() ?? null;
  return {
    index: int(s.index) ?? 0,
    type,
    codec: str(s.codec_name),
    profile: str(s.profile),
    language: language === 'und' ? null : language,
    title: str(tags.title),
    isDefault: num(disp.default) === 1,
    isForced: num(disp.forced) === 1,
    width: video ? int(s.width) : null,
    height: video ? int(s.height) : null,
    fps: video ? rate(s.avg_frame_rate) ?? rate(s.r_frame_rate) : null,
    fieldOrder: video ? str(s.field_order) : null,
    sar: video ? ratio(s.sample_aspect_ratio) : null,
    dar: video ? ratio(s.display_aspect_ratio) : null,
    pixFmt: str(s.pix_fmt),
    channels: int(s.channels),
    channelLayout: str(s.channel_layout),
    sampleRate: int(s.sample_rate),
    bitRate: int(s.bit_rate),
  };
}

/** Pure: ffprobe's `-print_format json -show_format -show_streams -show_chapters` output → facts. */
export function parseProbe(json: unknown): ProbeInfo {
  const root = obj(json);
  const format = obj(root.format);
  const rawStreams = arr(root.streams);
  const streamMs = rawStreams.map((s) => ms(obj(s).duration) ?? clockMs(obj(obj(s).tags).DURATION)).filter((n): n is number => n !== null);
  const chapters = arr(root.chapters).map((raw, i): Chapter => {
    const c = obj(raw);
    return { index: i, startMs: ms(c.start_time) ?? 0, endMs: ms(c.end_time) ?? 0, title: str(obj(c.tags).title) };
  });
  return {
    durationMs: ms(format.duration) ?? (streamMs.length ? Math.max(...streamMs) : null),
    container: str(format.format_name),
    bitRate: int(format.bit_rate),
    streams: rawStreams.map(parseStream),
    chapters,
  };
}

/**
 * Why probed facts cannot be aired, or null when they can. Audio-only files air (over their cover
 * art or a plain card); items shorter than the schedule's minimum never would, and say so.
 */
export function unplayableReason(info: ProbeInfo): string | null {
  if (!info.streams.some((s) => s.type === 'video' || s.type === 'audio')) return 'no video or audio stream';
  if (info.durationMs === null) return 'duration is unknown';
  if (info.durationMs <= 0) return 'duration is zero';
  if (info.durationMs < MIN_ITEM_MS) return `too short to air: ${(info.durationMs / 1000).toFixed(1)} s (channels need at least ${MIN_ITEM_MS / 1000} s)`;
  return null;
}

/** The meaningful part of ffprobe's stderr: the demuxer's own complaint, without "[mov @ 0x…]" or the path. */
export function ffprobeReason(stderr: string, absPath: string): string {
  const lines = stderr.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const clean = (l: string) => l.replace(/^\[[^\]]* @ 0x[0-9a-f]+\]\s*/i, '').split(`file:${absPath}: `).join('').split(`${absPath}: `).join('').trim();
  const tagged = lines.filter((l) => /^\[[^\]]* @ 0x[0-9a-f]+\]/i.test(l)).at(-1);
  const pick = clean(tagged ?? lines.at(-1) ?? '');
  return (pick || 'ffprobe failed without a message').slice(0, 300);
}

const args = (absPath: string) =>
  ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-show_chapters', '-i', `file:${absPath}`];

/** Probes one file: one ffprobe run plus a few header reads for truncation. Throws only on abort or a missing ffprobe. */
export const probeFile: ProbeFn = async (absPath, opts) => {
  const timeout = opts.timeoutMs ?? PROBE_TIMEOUT_MS;
  const [r, cut] = await Promise.all([
    execa(opts.ffprobePath, args(absPath), {
      reject: false, timeout, killSignal: 'SIGKILL', stdin: 'ignore', ...(opts.signal ? { cancelSignal: opts.signal } : {}),
    }),
    checkTruncation(absPath, extname(absPath).slice(1).toLowerCase()),
  ]);
  if (r.isCanceled) throw opts.signal?.reason ?? new Error('probe aborted');
  if (r.code === 'ENOENT' || r.code === 'EACCES') {
    throw new FfprobeUnavailableError(`cannot run ffprobe at "${opts.ffprobePath}" (${r.code}): install ffmpeg (apt install ffmpeg) or fix the ffprobe path in the configuration`);
  }
  if (r.timedOut) return { info: null, error: `ffprobe did not finish within ${Math.round(timeout / 1000)} s (slow or hung storage?)`, retry: true };
  if (r.failed) return { info: null, error: ffprobeReason(String(r.stderr ?? ''), absPath) };
  let info: ProbeInfo;
  try {
    info = parseProbe(JSON.parse(String(r.stdout)));
  } catch {
    return { info: null, error: 'ffprobe printed output that is not JSON' };
  }
  return { info, error: unplayableReason(info) ?? cut };
};
