// Test-side reading of a captured MPEG-TS for cadence checks, independent of src/engine/stream:
// the DTS of every PES per PID, where each encoder run starts (x264's "x264 - core" SEI), and every
// distinct H.264 sequence parameter set (SPS NAL units) in the video.
const PACKET = 188;
const WRAP = 2 ** 33;

export interface EsTiming {
  /** DTS (PTS when there is none), 90 kHz, unwrapped, per PID in arrival order. */
  dts: Map<number, number[]>;
  /** Video DTS of each PES holding an x264 version SEI: the first frame of each encoder run. */
  encoderStarts: number[];
  /** Distinct SPS NAL units (hex), in order of first appearance. */
  sps: string[];
}

function pesTime(b: Buffer, at: number): number {
  return (((b[at]! >> 1) & 0x07) * 2 ** 30) + (b[at + 1]! * 2 ** 22) + ((b[at + 2]! >> 1) * 2 ** 15) + (b[at + 3]! * 2 ** 7) + (b[at + 4]! >> 1);
}

/** NAL units of type 7 in an Annex-B buffer (bytes up to the next start code, trailing zeros cut). */
export function spsUnits(es: Buffer): string[] {
  const out: string[] = [];
  for (let i = 0; i + 3 < es.length; i++) {
    if (es[i] !== 0 || es[i + 1] !== 0 || es[i + 2] !== 1 || (es[i + 3]! & 0x1f) !== 7) continue;
    let end = i + 3;
    while (end + 2 < es.length && !(es[end] === 0 && es[end + 1] === 0 && (es[end + 2] === 1 || es[end + 2] === 0))) end++;
    if (end + 2 >= es.length) end = es.length;
    out.push(es.subarray(i + 3, end).toString('hex'));
  }
  return out;
}

/** Reads the whole capture (video PID given, e.g. from the analyzer's report). */
export function esTiming(buf: Buffer, videoPid: number): EsTiming {
  const dts = new Map<number, number[]>();
  const sps: string[] = [];
  const encoderStarts: number[] = [];
  let pes: Buffer[] = [];
  let pesDts = 0;
  const endVideoPes = () => {
    if (!pes.length) return;
    const es = Buffer.concat(pes);
    pes = [];
    for (const s of spsUnits(es)) if (!sps.includes(s)) sps.push(s);
    if (es.includes('x264 - core')) encoderStarts.push(pesDts);
  };
  for (let i = 0; i + PACKET <= buf.length; i += PACKET) {
    const p = buf.subarray(i, i + PACKET);
    if (p[0] !== 0x47) throw new Error(`lost sync at byte ${i}`);
    const pid = ((p[1]! & 0x1f) << 8) | p[2]!;
    const afc = (p[3]! >> 4) & 3;
    if (!(afc & 1)) continue;
    const off = afc & 2 ? 5 + p[4]! : 4;
    if (off >= PACKET) continue;
    let payload = p.subarray(off);
    if (p[1]! & 0x40 && payload[0] === 0 && payload[1] === 0 && payload[2] === 1 && payload[3]! >= 0xc0) {
      const flags = payload[7]! >> 6;
      const t = flags === 3 ? pesTime(payload, 14) : flags === 2 ? pesTime(payload, 9) : null;
      if (pid === videoPid) endVideoPes();
      if (t !== null) {
        const list = dts.get(pid) ?? [];
        const prev = list.at(-1);
        list.push(prev === undefined ? t : t + Math.round((prev - t) / WRAP) * WRAP);
        dts.set(pid, list);
        if (pid === videoPid) pesDts = list.at(-1)!;
      }
      payload = payload.subarray(9 + payload[8]!);
    }
    if (pid === videoPid) pes.push(Buffer.from(payload));
  }
  endVideoPes();
  return { dts, encoderStarts, sps };
}
