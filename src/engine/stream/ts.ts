// MPEG-TS packet helpers (ISO/IEC 13818-1): just enough to splice per-item outputs into one
// continuous stream — read/rewrite PTS, DTS, PCR and continuity counters, spot keyframes.
export const TS_PACKET = 188;
export const SYNC = 0x47;
export const PAT_PID = 0;
/** 33-bit timestamps at 90 kHz wrap here. */
export const TS_WRAP = 2 ** 33;

export const pidOf = (p: Buffer): number => ((p[1]! & 0x1f) << 8) | p[2]!;
export const isPayloadStart = (p: Buffer): boolean => (p[1]! & 0x40) !== 0;
const afc = (p: Buffer): number => (p[3]! >> 4) & 0x3;
export const hasAdaptation = (p: Buffer): boolean => (afc(p) & 0x2) !== 0;
export const hasPayload = (p: Buffer): boolean => (afc(p) & 0x1) !== 0;
export const ccOf = (p: Buffer): number => p[3]! & 0x0f;
export const setCc = (p: Buffer, cc: number): void => { p[3] = (p[3]! & 0xf0) | (cc & 0x0f); };

/** Adaptation field flags byte, or 0 when there is none. */
function afFlags(p: Buffer): number {
  return hasAdaptation(p) && p[4]! > 0 ? p[5]! : 0;
}
/** random_access_indicator: ffmpeg sets it on packets starting a video keyframe. */
export const isRandomAccess = (p: Buffer): boolean => (afFlags(p) & 0x40) !== 0;
export const clearDiscontinuity = (p: Buffer): void => { if (afFlags(p) & 0x80) p[5] = p[5]! & 0x7f; };

/** Where the payload starts inside the packet. */
export function payloadOffset(p: Buffer): number {
  return hasAdaptation(p) ? 5 + p[4]! : 4;
}

/** PCR base (90 kHz units) or undefined. */
export function readPcr(p: Buffer): number | undefined {
  if (!(afFlags(p) & 0x10)) return undefined;
  return p[6]! * 2 ** 25 + (p[7]! << 17) + (p[8]! << 9) + (p[9]! << 1) + (p[10]! >> 7);
}

export function writePcr(p: Buffer, base: number): void {
  const b = ((base % TS_WRAP) + TS_WRAP) % TS_WRAP;
  p[6] = Math.floor(b / 2 ** 25) & 0xff;
  p[7] = Math.floor(b / 2 ** 17) & 0xff;
  p[8] = Math.floor(b / 2 ** 9) & 0xff;
  p[9] = Math.floor(b / 2) & 0xff;
  p[10] = ((b & 1) << 7) | (p[10]! & 0x7f);
}

function readTs(p: Buffer, at: number): number {
  return ((p[at]! >> 1) & 0x07) * 2 ** 30 + (p[at + 1]! << 22) + ((p[at + 2]! >> 1) << 15) + (p[at + 3]! << 7) + (p[at + 4]! >> 1);
}

function writeTs(p: Buffer, at: number, value: number): void {
  const v = ((value % TS_WRAP) + TS_WRAP) % TS_WRAP;
  const hi = Math.floor(v / 2 ** 30);
  const lo = v % 2 ** 30;
  p[at] = (p[at]! & 0xf0) | (hi << 1) | 1;
  p[at + 1] = (lo >>> 22) & 0xff;
  p[at + 2] = (((lo >>> 15) & 0x7f) << 1) | 1;
  p[at + 3] = (lo >>> 7) & 0xff;
  p[at + 4] = ((lo & 0x7f) << 1) | 1;
}

export interface PesTimes { pts?: number; dts?: number; ptsAt: number; dtsAt: number; streamId: number }

/** PTS/DTS of a PES header starting in this packet (payload_unit_start), or undefined. */
export function readPesTimes(p: Buffer): PesTimes | undefined {
  if (!isPayloadStart(p) || !hasPayload(p)) return undefined;
  const o = payloadOffset(p);
  if (o + 14 > TS_PACKET || p[o] !== 0 || p[o + 1] !== 0 || p[o + 2] !== 1) return undefined;
  const streamId = p[o + 3]!;
  if (streamId < 0xbd || streamId === 0xbe || streamId === 0xbf) return undefined;
  const flags = p[o + 7]! >> 6;
  const ptsAt = o + 9;
  const dtsAt = o + 14;
  const out: PesTimes = { streamId, ptsAt, dtsAt };
  if (flags & 0x2) out.pts = readTs(p, ptsAt);
  if (flags === 0x3) out.dts = readTs(p, dtsAt);
  return out;
}

/** Shifts a PES header's PTS (and DTS) by delta 90 kHz ticks, in place. */
export function shiftPesTimes(p: Buffer, t: PesTimes, delta: number): void {
  if (t.pts !== undefined) writeTs(p, t.ptsAt, t.pts + delta);
  if (t.dts !== undefined) writeTs(p, t.dtsAt, t.dts + delta);
}

/** Unwraps a 33-bit timestamp to the value nearest `near` (both in 90 kHz ticks). */
export function unwrap(ts: number, near: number): number {
  const k = Math.round((near - ts) / TS_WRAP);
  return ts + k * TS_WRAP;
}

/** Splits a byte stream into whole 188-byte packets, resynchronising on garbage. */
export class PacketReader {
  private rest: Buffer = Buffer.alloc(0);
  dropped = 0;

  push(chunk: Buffer, onPacket: (p: Buffer) => void): void {
    let buf = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    let i = 0;
    while (buf.length - i >= TS_PACKET) {
      if (buf[i] !== SYNC) {
        const next = buf.indexOf(SYNC, i + 1);
        this.dropped += (next < 0 ? buf.length : next) - i;
        if (next < 0) { i = buf.length; break; }
        i = next;
        continue;
      }
      onPacket(Buffer.from(buf.subarray(i, i + TS_PACKET)));
      i += TS_PACKET;
    }
    this.rest = Buffer.from(buf.subarray(i));
  }

  reset(): void { this.rest = Buffer.alloc(0); }
}
