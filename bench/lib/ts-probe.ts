// A small, independent MPEG-TS reader for the stream benchmarks (it does not reuse the code it
// measures): follows PAT → PMT to find the H.264 video PID, reports when the first byte and the
// first IDR picture arrived, the first packets' PIDs, and the latest video DTS (media time).
import { request, type IncomingMessage } from 'node:http';

const TS = 188;

export interface ProbeState {
  /** performance.now() when the request was sent. */
  startedAt: number;
  /** ms from request start to the response headers / first body byte / first IDR slice (null = not yet). */
  headersMs: number | null;
  firstByteMs: number | null;
  firstIdrMs: number | null;
  bytes: number;
  /** PIDs of the first packets received, in order. */
  firstPids: number[];
  /** Index (in packets) of the packet that started the first video PES, and whether that PES was an IDR. */
  firstVideoPes: { index: number; idr: boolean; rai: boolean } | null;
  pmtPid: number | null;
  videoPid: number | null;
  /** First and latest video DTS (90 kHz, unwrapped) and when they arrived. */
  firstDts: number | null;
  lastDts: number | null;
  firstDtsAt: number | null;
  lastDtsAt: number | null;
  /** Backward DTS steps seen on the video PID (there should be none). */
  dtsBackwards: number;
  packets: number;
  syncLost: number;
}

/** Incremental parser: feed it chunks with their arrival time (performance.now()). */
export class TsProbe {
  readonly s: ProbeState;
  private rest: Buffer = Buffer.alloc(0);
  /** Payload bytes of the video PES being scanned for its first slice NAL (null = decided). */
  private pes: { data: Buffer[]; len: number; rai: boolean; index: number } | null = null;

  constructor(startedAt = performance.now()) {
    this.s = {
      startedAt, headersMs: null, firstByteMs: null, firstIdrMs: null, bytes: 0, firstPids: [], firstVideoPes: null, pmtPid: null, videoPid: null,
      firstDts: null, lastDts: null, firstDtsAt: null, lastDtsAt: null, dtsBackwards: 0, packets: 0, syncLost: 0,
    };
  }

  push(chunk: Buffer, at = performance.now()): void {
    if (!chunk.length) return;
    this.s.firstByteMs ??= at - this.s.startedAt;
    this.s.bytes += chunk.length;
    let buf = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    let i = 0;
    while (buf.length - i >= TS) {
      if (buf[i] !== 0x47) { this.s.syncLost++; i++; continue; }
      this.packet(buf.subarray(i, i + TS), at);
      i += TS;
    }
    this.rest = Buffer.from(buf.subarray(i));
  }

  private packet(p: Buffer, at: number): void {
    const index = this.s.packets++;
    const pid = ((p[1]! & 0x1f) << 8) | p[2]!;
    if (this.s.firstPids.length < 8) this.s.firstPids.push(pid);
    const pusi = (p[1]! & 0x40) !== 0;
    const afc = (p[3]! >> 4) & 3;
    const afLen = afc & 2 ? p[4]! : -1;
    const rai = afc & 2 && afLen > 0 ? (p[5]! & 0x40) !== 0 : false;
    const off = afc & 2 ? 5 + afLen : 4;
    if (!(afc & 1) || off >= TS) return;
    const payload = p.subarray(off);
    if (pid === 0 && pusi) this.readPat(payload);
    else if (pid === this.s.pmtPid && pusi) this.readPmt(payload);
    else if (pid === this.s.videoPid) this.readVideo(payload, pusi, rai, index, at);
  }

  private section(payload: Buffer): Buffer | null {
    const ptr = payload[0]!;
    const sec = payload.subarray(1 + ptr);
    if (sec.length < 8) return null;
    const len = ((sec[1]! & 0x0f) << 8) | sec[2]!;
    return sec.subarray(0, Math.min(sec.length, 3 + len));
  }

  private readPat(payload: Buffer): void {
    const sec = this.section(payload);
    if (!sec || sec[0] !== 0) return;
    for (let i = 8; i + 4 <= sec.length - 4; i += 4) {
      const program = (sec[i]! << 8) | sec[i + 1]!;
      if (program !== 0) { this.s.pmtPid = ((sec[i + 2]! & 0x1f) << 8) | sec[i + 3]!; return; }
    }
  }

  private readPmt(payload: Buffer): void {
    const sec = this.section(payload);
    if (!sec || sec[0] !== 2) return;
    const infoLen = ((sec[10]! & 0x0f) << 8) | sec[11]!;
    for (let i = 12 + infoLen; i + 5 <= sec.length - 4;) {
      const type = sec[i]!, pid = ((sec[i + 1]! & 0x1f) << 8) | sec[i + 2]!, esLen = ((sec[i + 3]! & 0x0f) << 8) | sec[i + 4]!;
      if (type === 0x1b && this.s.videoPid === null) this.s.videoPid = pid;
      i += 5 + esLen;
    }
  }

  private readVideo(payload: Buffer, pusi: boolean, rai: boolean, index: number, at: number): void {
    if (pusi) {
      if (payload.length < 9 || payload[0] !== 0 || payload[1] !== 0 || payload[2] !== 1) return;
      const flags = payload[7]! >> 6;
      const hdrLen = payload[8]!;
      const ts = (at2: number) => ((payload[at2]! >> 1) & 7) * 2 ** 30 + (payload[at2 + 1]! << 22) + ((payload[at2 + 2]! >> 1) << 15) + (payload[at2 + 3]! << 7) + (payload[at2 + 4]! >> 1);
      const dtsRaw = flags === 3 ? ts(14) : flags === 2 ? ts(9) : null;
      if (dtsRaw !== null) {
        let dts = dtsRaw;
        if (this.s.lastDts !== null) {
          const k = Math.round((this.s.lastDts - dts) / 2 ** 33);
          dts += k * 2 ** 33;
          if (dts <= this.s.lastDts) this.s.dtsBackwards++;
        }
        if (this.s.firstDts === null) { this.s.firstDts = dts; this.s.firstDtsAt = at; }
        this.s.lastDts = dts;
        this.s.lastDtsAt = at;
      }
      if (this.s.firstIdrMs === null) this.pes = { data: [], len: 0, rai, index };
      payload = payload.subarray(9 + hdrLen);
    }
    const pes = this.pes;
    if (!pes) return;
    pes.data.push(payload);
    pes.len += payload.length;
    const nal = firstSliceNal(Buffer.concat(pes.data));
    if (nal === null && pes.len < 16_384) return;
    this.pes = null;
    const idr = nal === 5;
    this.s.firstVideoPes ??= { index: pes.index, idr, rai: pes.rai };
    if (idr && this.s.firstIdrMs === null) this.s.firstIdrMs = at - this.s.startedAt;
  }

  /** Media seconds received (video DTS span). */
  get mediaSeconds(): number {
    return this.s.firstDts === null || this.s.lastDts === null ? 0 : (this.s.lastDts - this.s.firstDts) / 90_000;
  }
}

/** Type of the first coded-slice NAL (1 = non-IDR, 5 = IDR) in Annex B bytes, or null if none yet. */
export function firstSliceNal(b: Buffer): number | null {
  for (let i = 0; i + 3 < b.length; i++) {
    if (b[i] === 0 && b[i + 1] === 0 && b[i + 2] === 1) {
      const type = b[i + 3]! & 0x1f;
      if (type === 1 || type === 5) return type;
      i += 2;
    }
  }
  return null;
}

export interface Tune {
  probe: TsProbe;
  res: IncomingMessage | null;
  /** Resolves when `until` returns true for the probe, the stream ends, or timeoutMs passes. */
  done: Promise<ProbeState>;
  close(): void;
}

/** GETs an MPEG-TS URL on a fresh connection and feeds the probe until `until` says stop. */
export function tune(url: string, until: (p: TsProbe) => boolean, timeoutMs = 15_000): Tune {
  const probe = new TsProbe(performance.now());
  const t: Tune = { probe, res: null, done: null as unknown as Promise<ProbeState>, close: () => {} };
  t.done = new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { connection: 'close' } });
    const finish = () => { clearTimeout(timer); req.destroy(); resolve(probe.s); };
    const timer = setTimeout(finish, timeoutMs);
    t.close = finish;
    req.on('response', (res) => {
      t.res = res;
      probe.s.headersMs = performance.now() - probe.s.startedAt;
      if (res.statusCode !== 200) { finish(); reject(new Error(`${url}: HTTP ${res.statusCode}`)); return; }
      res.on('data', (c: Buffer) => { probe.push(c); if (until(probe)) finish(); });
      res.on('end', finish);
      res.on('error', finish);
    });
    req.on('error', (err) => { clearTimeout(timer); if (t.res) resolve(probe.s); else reject(err); });
    req.end();
  });
  // A refusal is reported through done (and res.statusCode); never as an unhandled rejection.
  t.done.catch(() => {});
  return t;
}

export function stats(xs: number[]): { n: number; median: number; p90: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const q = (f: number) => s[Math.min(s.length - 1, Math.ceil(f * s.length) - 1)]!;
  const r = (x: number) => Math.round(x * 10) / 10;
  return { n: s.length, median: r(s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2), p90: r(q(0.9)), min: r(s[0]!), max: r(s.at(-1)!) };
}
