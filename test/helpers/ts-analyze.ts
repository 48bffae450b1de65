// A test-side MPEG-TS analyzer (ISO/IEC 13818-1), written independently of src/engine/stream/ts.ts
// so the streaming code is judged by a second reading of the standard, not by itself.
// Feed it bytes (incrementally, with their arrival time if timing matters) and read report().
//
// It checks: 188-byte packet sync, PAT/PMT (programs, PIDs, stream types, CRC), continuity
// counters per PID (a discontinuity_indicator excuses a jump; packets without payload must repeat
// the counter; one identical duplicate is legal), PES PTS/DTS per stream (33-bit unwrapped):
// monotonicity and the largest gap, PCR monotonicity, and where the first video keyframe is
// (random_access_indicator and/or an H.264 IDR NAL, type 5).

export const PACKET = 188;
const TICKS = 90_000;
const WRAP = 2 ** 33;

export type StreamKind = 'video' | 'audio' | 'other';

const STREAM_KINDS: Record<number, StreamKind> = {
  0x01: 'video', 0x02: 'video', 0x10: 'video', 0x1b: 'video', 0x24: 'video', 0x42: 'video', 0xea: 'video',
  0x03: 'audio', 0x04: 'audio', 0x0f: 'audio', 0x11: 'audio', 0x81: 'audio', 0x87: 'audio',
};

export interface StreamReport {
  pid: number;
  /** PMT stream_type (e.g. 0x1b H.264, 0x0f AAC). */
  streamType: number;
  kind: StreamKind;
  /** PES headers seen with a timestamp. */
  pes: number;
  /** First and last DTS (PTS when there is no DTS), seconds, unwrapped, in the stream's own clock. */
  firstDtsS: number | null;
  lastDtsS: number | null;
  /** PES whose DTS did not increase over the previous one of this stream. */
  nonMonotonic: number;
  /** Largest step between consecutive DTS of this stream (s). */
  maxGapS: number;
  /** Where the largest step happened (DTS before it, s). */
  maxGapAtS: number | null;
}

export interface KeyframeInfo {
  pid: number;
  /** Index of the packet starting the keyframe's PES. */
  packetIndex: number;
  byteOffset: number;
  /** Its DTS minus the earliest DTS of any stream (s): how much media precedes it. */
  mediaOffsetS: number;
  /** Arrival time (ms, as passed to push) of the chunk holding the packet starting the PES. */
  arrivalMs: number | null;
  /** Flagged by the adaptation field's random_access_indicator. */
  randomAccess: boolean;
  /** An H.264 IDR slice (NAL type 5) was found in the PES (only checked for H.264). */
  idrNal: boolean;
}

export interface TsReport {
  packets: number;
  bytes: number;
  /** Bytes skipped to find packet sync (0 for a clean stream). */
  syncLoss: number;
  /** Distinct program numbers announced by PATs (NIT entry excluded). */
  programs: number[];
  /** PID of each program's PMT (program number → PID), from the latest PAT. */
  pmtPids: Record<number, number>;
  /** Distinct stream layouts the PMTs announced (1 = the layout never changed). */
  pmtLayouts: number;
  /** PSI sections whose CRC32 was wrong. */
  crcErrors: number;
  /** Elementary streams of the PMT(s), by PID. */
  streams: StreamReport[];
  /** Continuity-counter errors per PID (PIDs with none are omitted). */
  ccErrors: Record<number, number>;
  ccErrorTotal: number;
  /** Legal duplicate packets (same counter, identical bytes). */
  ccDuplicates: number;
  /** Packets flagged with discontinuity_indicator. */
  discontinuities: number;
  /** PCR values that did not increase, and the largest PCR step (s). */
  pcrNonMonotonic: number;
  pcrMaxGapS: number;
  /** PIDs of the first two packets. */
  firstPids: number[];
  /** The stream opens with a PAT packet and then the PMT it names. */
  startsWithPatPmt: boolean;
  /** The first video keyframe (null when none was seen). */
  firstKeyframe: KeyframeInfo | null;
  /** Arrival time of the first byte (ms, as passed to push). */
  firstByteMs: number | null;
  /** Earliest first DTS to latest last DTS over all streams (s). */
  durationS: number;
  /** Video keyframes seen (random access or IDR). */
  keyframes: number;
  /** DTS (s) of every PES whose payload holds x264's "x264 - core" SEI: one per encoder run. */
  encoderStarts: { dtsS: number; arrivalMs: number | null }[];
}

interface PidState { cc: number; last: Buffer }
interface Es {
  pid: number; streamType: number; kind: StreamKind; pes: number; first: number | null; last: number | null;
  nonMonotonic: number; maxGap: number; maxGapAt: number | null;
}
interface OpenPes { pid: number; dts: number; packetIndex: number; byteOffset: number; arrivalMs: number | null; rai: boolean; head: Buffer[]; headLen: number }

const HEAD_BYTES = 8192;

/** MPEG-2 CRC32 (poly 0x04C11DB7, no reflection, init 0xffffffff). */
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[i] = c >>> 0;
  }
  return t;
})();
export function crc32mpeg(buf: Buffer): number {
  let crc = 0xffffffff;
  for (const b of buf) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ b) & 0xff]!) >>> 0;
  return crc >>> 0;
}

/** 33-bit PES timestamp at buf[at..at+5). */
function pesTime(b: Buffer, at: number): number {
  return (((b[at]! >> 1) & 0x07) * 2 ** 30) + (b[at + 1]! * 2 ** 22) + ((b[at + 2]! >> 1) * 2 ** 15) + (b[at + 3]! * 2 ** 7) + (b[at + 4]! >> 1);
}

/** Does this H.264 Annex-B buffer hold a NAL unit of type 5 (IDR slice)? */
export function hasIdrNal(b: Buffer): boolean {
  for (let i = 0; i + 3 < b.length; i++) {
    if (b[i] === 0 && b[i + 1] === 0 && b[i + 2] === 1 && (b[i + 3]! & 0x1f) === 5) return true;
  }
  return false;
}

export class TsAnalyzer {
  private rest = Buffer.alloc(0);
  private packets = 0;
  private bytes = 0;
  private syncLoss = 0;
  private readonly pids = new Map<number, PidState>();
  private readonly ccErr = new Map<number, number>();
  private ccDuplicates = 0;
  private discontinuities = 0;
  private readonly programs = new Set<number>();
  private pmtPids = new Map<number, number>();
  private readonly layouts = new Set<string>();
  private crcErrors = 0;
  private readonly es = new Map<number, Es>();
  private readonly psi = new Map<number, Buffer>();
  private readonly firstPids: number[] = [];
  private pcrPid = -1;
  private lastPcr: number | null = null;
  private pcrNonMonotonic = 0;
  private pcrMaxGap = 0;
  private readonly open = new Map<number, OpenPes>();
  private firstKey: KeyframeInfo | null = null;
  private firstKeyRaw: OpenPes | null = null;
  private keyframes = 0;
  private firstByteMs: number | null = null;
  private readonly encoderStarts: { dts: number; arrivalMs: number | null }[] = [];

  /** Feeds bytes; `atMs` is when they arrived (for tune-time measurements). */
  push(chunk: Buffer, atMs: number | null = null): void {
    if (this.firstByteMs === null && chunk.length) this.firstByteMs = atMs;
    const buf = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    let i = 0;
    while (buf.length - i >= PACKET) {
      if (buf[i] !== 0x47) {
        // Lost sync: skip to the next sync byte.
        i++;
        this.syncLoss++;
        continue;
      }
      this.packet(buf.subarray(i, i + PACKET), atMs);
      i += PACKET;
    }
    this.rest = Buffer.from(buf.subarray(i));
  }

  private packet(p: Buffer, atMs: number | null): void {
    const index = this.packets++;
    const offset = this.bytes;
    this.bytes += PACKET;
    const pusi = (p[1]! & 0x40) !== 0;
    const pid = ((p[1]! & 0x1f) << 8) | p[2]!;
    const afc = (p[3]! >> 4) & 3;
    const cc = p[3]! & 0x0f;
    if (this.firstPids.length < 2) this.firstPids.push(pid);
    if (pid === 0x1fff) return;
    const hasAf = (afc & 2) !== 0;
    const hasPayload = (afc & 1) !== 0;
    const afLen = hasAf ? p[4]! : 0;
    const afFlags = hasAf && afLen > 0 ? p[5]! : 0;
    const discontinuity = (afFlags & 0x80) !== 0;
    const rai = (afFlags & 0x40) !== 0;
    if (discontinuity) this.discontinuities++;

    // Continuity counter.
    const st = this.pids.get(pid);
    if (st && !discontinuity) {
      let ok: boolean;
      if (!hasPayload) ok = cc === st.cc;
      else if (cc === st.cc) {
        ok = p.equals(st.last);
        if (ok) this.ccDuplicates++;
      } else ok = cc === ((st.cc + 1) & 0x0f);
      if (!ok) this.ccErr.set(pid, (this.ccErr.get(pid) ?? 0) + 1);
    }
    this.pids.set(pid, { cc, last: Buffer.from(p) });

    // PCR.
    if (afFlags & 0x10 && afLen >= 7 && pid === this.pcrPid) {
      const base = p[6]! * 2 ** 25 + p[7]! * 2 ** 17 + p[8]! * 2 ** 9 + p[9]! * 2 + (p[10]! >> 7);
      const pcr = this.lastPcr === null ? base : unwrapNear(base, this.lastPcr);
      if (this.lastPcr !== null) {
        if (pcr <= this.lastPcr && !discontinuity) this.pcrNonMonotonic++;
        this.pcrMaxGap = Math.max(this.pcrMaxGap, (pcr - this.lastPcr) / TICKS);
      }
      this.lastPcr = pcr;
    }

    if (!hasPayload) return;
    const start = 4 + (hasAf ? 1 + afLen : 0);
    if (start >= PACKET) return;
    const payload = p.subarray(start);
    if (pid === 0 || [...this.pmtPids.values()].includes(pid)) this.psiPayload(pid, payload, pusi);
    else if (this.es.has(pid)) this.pesPayload(pid, payload, pusi, rai, index, offset, atMs);
  }

  // ---- PSI -----------------------------------------------------------------------------------

  private psiPayload(pid: number, payload: Buffer, pusi: boolean): void {
    let data: Buffer;
    if (pusi) {
      const pointer = payload[0]!;
      const prev = this.psi.get(pid);
      if (prev && pointer > 0) this.section(pid, Buffer.concat([prev, payload.subarray(1, 1 + pointer)]));
      data = payload.subarray(1 + pointer);
    } else {
      const prev = this.psi.get(pid);
      if (!prev) return;
      data = Buffer.concat([prev, payload]);
    }
    // Sections start here; complete ones are parsed, the rest waits for more packets.
    for (;;) {
      if (data.length < 3 || data[0] === 0xff) { this.psi.set(pid, data.length && data[0] !== 0xff ? Buffer.from(data) : Buffer.alloc(0)); return; }
      const len = ((data[1]! & 0x0f) << 8) | data[2]!;
      if (data.length < 3 + len) { this.psi.set(pid, Buffer.from(data)); return; }
      this.section(pid, data.subarray(0, 3 + len));
      data = data.subarray(3 + len);
    }
  }

  private section(pid: number, s: Buffer): void {
    if (s.length < 12) return;
    if (crc32mpeg(s) !== 0) { this.crcErrors++; return; }
    const tableId = s[0]!;
    const end = s.length - 4;
    if (pid === 0 && tableId === 0x00) {
      const pmts = new Map<number, number>();
      for (let i = 8; i + 4 <= end; i += 4) {
        const program = (s[i]! << 8) | s[i + 1]!;
        const ppid = ((s[i + 2]! & 0x1f) << 8) | s[i + 3]!;
        if (program !== 0) { this.programs.add(program); pmts.set(program, ppid); }
      }
      this.pmtPids = pmts;
    } else if (tableId === 0x02) {
      this.pcrPid = ((s[8]! & 0x1f) << 8) | s[9]!;
      const infoLen = ((s[10]! & 0x0f) << 8) | s[11]!;
      const layout: string[] = [];
      for (let i = 12 + infoLen; i + 5 <= end;) {
        const type = s[i]!;
        const epid = ((s[i + 1]! & 0x1f) << 8) | s[i + 2]!;
        const esInfo = ((s[i + 3]! & 0x0f) << 8) | s[i + 4]!;
        layout.push(`${epid}:${type}`);
        if (!this.es.has(epid)) {
          this.es.set(epid, { pid: epid, streamType: type, kind: STREAM_KINDS[type] ?? 'other', pes: 0, first: null, last: null, nonMonotonic: 0, maxGap: 0, maxGapAt: null });
        }
        i += 5 + esInfo;
      }
      this.layouts.add(layout.sort().join(','));
    }
  }

  // ---- PES -----------------------------------------------------------------------------------

  private pesPayload(pid: number, payload: Buffer, pusi: boolean, rai: boolean, index: number, offset: number, atMs: number | null): void {
    const es = this.es.get(pid)!;
    if (pusi) {
      this.closePes(pid);
      if (payload.length < 14 || payload[0] !== 0 || payload[1] !== 0 || payload[2] !== 1) return;
      const flags = payload[7]! >> 6;
      const headerLen = payload[8]!;
      if (!(flags & 2)) return;
      const pts = pesTime(payload, 9);
      const raw = flags === 3 ? pesTime(payload, 14) : pts;
      const dts = es.last === null ? raw : unwrapNear(raw, es.last);
      if (es.last !== null) {
        if (dts <= es.last) es.nonMonotonic++;
        const gap = (dts - es.last) / TICKS;
        if (gap > es.maxGap) { es.maxGap = gap; es.maxGapAt = es.last / TICKS; }
      } else es.first = dts;
      es.last = dts;
      es.pes++;
      if (es.kind === 'video') {
        const body = payload.subarray(9 + headerLen);
        this.open.set(pid, { pid, dts, packetIndex: index, byteOffset: offset, arrivalMs: atMs, rai, head: [Buffer.from(body)], headLen: body.length });
      }
      return;
    }
    const o = this.open.get(pid);
    if (o && o.headLen < HEAD_BYTES) { o.head.push(Buffer.from(payload)); o.headLen += payload.length; }
  }

  /** A video PES is complete (or enough of its head is): is it a keyframe, an encoder start? */
  private closePes(pid: number): void {
    const o = this.open.get(pid);
    if (!o) return;
    this.open.delete(pid);
    const es = this.es.get(pid)!;
    const head = Buffer.concat(o.head);
    const idr = es.streamType === 0x1b && hasIdrNal(head);
    if (head.includes('x264 - core')) this.encoderStarts.push({ dts: o.dts, arrivalMs: o.arrivalMs });
    if (!(o.rai || idr)) return;
    this.keyframes++;
    if (!this.firstKeyRaw) { this.firstKeyRaw = o; this.firstKey = null; }
    if (this.firstKeyRaw === o) this.firstKey = { pid, packetIndex: o.packetIndex, byteOffset: o.byteOffset, mediaOffsetS: 0, arrivalMs: o.arrivalMs, randomAccess: o.rai, idrNal: idr };
  }

  /** Judges the video PES still open (the last one of a finished stream). Call once at the end. */
  end(): TsReport {
    for (const pid of [...this.open.keys()]) this.closePes(pid);
    return this.report();
  }

  /** The report so far (a video PES still arriving is not judged yet). */
  report(): TsReport {
    const streams: StreamReport[] = [...this.es.values()].map((e) => ({
      pid: e.pid, streamType: e.streamType, kind: e.kind, pes: e.pes,
      firstDtsS: e.first === null ? null : e.first / TICKS, lastDtsS: e.last === null ? null : e.last / TICKS,
      nonMonotonic: e.nonMonotonic, maxGapS: e.maxGap, maxGapAtS: e.maxGapAt,
    }));
    const firsts = streams.map((s) => s.firstDtsS).filter((v): v is number => v !== null);
    const lasts = streams.map((s) => s.lastDtsS).filter((v): v is number => v !== null);
    const earliest = firsts.length ? Math.min(...firsts) : 0;
    const ccErrors: Record<number, number> = Object.fromEntries(this.ccErr);
    const patPid = this.firstPids[0];
    const firstPmt = [...this.pmtPids.values()][0];
    return {
      packets: this.packets,
      bytes: this.bytes,
      syncLoss: this.syncLoss,
      programs: [...this.programs].sort((a, b) => a - b),
      pmtPids: Object.fromEntries(this.pmtPids),
      pmtLayouts: this.layouts.size,
      crcErrors: this.crcErrors,
      streams,
      ccErrors,
      ccErrorTotal: [...this.ccErr.values()].reduce((a, b) => a + b, 0),
      ccDuplicates: this.ccDuplicates,
      discontinuities: this.discontinuities,
      pcrNonMonotonic: this.pcrNonMonotonic,
      pcrMaxGapS: this.pcrMaxGap,
      firstPids: [...this.firstPids],
      startsWithPatPmt: patPid === 0 && firstPmt !== undefined && this.firstPids[1] === firstPmt,
      firstKeyframe: this.firstKey && this.firstKeyRaw ? { ...this.firstKey, mediaOffsetS: this.firstKeyRaw.dts / TICKS - earliest } : null,
      firstByteMs: this.firstByteMs,
      durationS: firsts.length ? Math.max(...lasts) - earliest : 0,
      keyframes: this.keyframes,
      encoderStarts: this.encoderStarts.map((e) => ({ dtsS: e.dts / TICKS, arrivalMs: e.arrivalMs })),
    };
  }
}

function unwrapNear(ts: number, near: number): number {
  return ts + Math.round((near - ts) / WRAP) * WRAP;
}

/** Analyses a whole buffer at once. */
export function analyzeTs(buf: Buffer): TsReport {
  const a = new TsAnalyzer();
  a.push(buf);
  return a.end();
}

/** The one video and the one audio stream of a report (throws when absent). */
export function avStreams(r: TsReport): { video: StreamReport; audio: StreamReport } {
  const video = r.streams.find((s) => s.kind === 'video' && s.pes > 0);
  const audio = r.streams.find((s) => s.kind === 'audio' && s.pes > 0);
  if (!video || !audio) throw new Error(`expected video and audio, got ${JSON.stringify(r.streams)}`);
  return { video, audio };
}

/** A short human summary for assertion messages and test logs. */
export function summary(r: TsReport): string {
  const s = r.streams.map((e) => `${e.kind}@0x${e.pid.toString(16)} pes=${e.pes} nonMono=${e.nonMonotonic} maxGap=${e.maxGapS.toFixed(3)}s${e.maxGapAtS !== null ? `@${e.maxGapAtS.toFixed(2)}` : ''}`).join('; ');
  return `${r.packets} pkts, programs=[${r.programs}], cc errors=${JSON.stringify(r.ccErrors)}, dups=${r.ccDuplicates}, disc=${r.discontinuities}, `
    + `pcr nonMono=${r.pcrNonMonotonic} maxGap=${r.pcrMaxGapS.toFixed(3)}s, crc=${r.crcErrors}, dur=${r.durationS.toFixed(2)}s, first=[${r.firstPids}], ${s}`;
}
