// Cheap truncation check from container structure, a few small reads per file.
//
// ffprobe opens a truncated Matroska/WebM, a "faststart" MP4/MOV or an FLV without any error and
// reports the duration written in the header (measured: a 10 s mkv cut in half still probes as
// 10.02 s), so the schedule would air a hole. Their headers carry sizes, so comparing them with
// the file size finds the cut. MPEG-TS/PS, Ogg and AVI durations are measured from the data that
// is there (a halved .ts probes as 5.06 s), a truncated MP4 with its index at the end fails in
// ffprobe ("moov atom not found"), and a truncated ASF has no duration: those need no check here.
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

const ISO_BMFF = /^(mp4|m4v|mov|3gp|3g2)$/;
const MATROSKA = /^(mkv|webm)$/;
const MAX_BOXES = 1000;

const readAt = async (fh: FileHandle, pos: number, len: number): Promise<Buffer> => {
  const buf = Buffer.alloc(len);
  const { bytesRead } = await fh.read(buf, 0, len, pos);
  return buf.subarray(0, bytesRead);
};

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;
const truncated = (expected: number, actual: number) =>
  `file is truncated: its container declares ${mib(expected)} but only ${mib(actual)} are on disk (interrupted copy or download?)`;

/** EBML variable-length integer at buf[pos]: its length, and its value without the marker (null when "unknown size"). */
function vint(buf: Buffer, pos: number): { len: number; value: number | null } | null {
  const first = buf[pos];
  if (first === undefined || first === 0) return null;
  const len = Math.clz32(first) - 23;
  if (pos + len > buf.length) return null;
  let value = first & (0xff >> len);
  let allOnes = value === (0xff >> len);
  for (let i = 1; i < len; i++) {
    const b = buf[pos + i]!;
    value = value * 256 + b;
    allOnes &&= b === 0xff;
  }
  return { len, value: allOnes ? null : value };
}

/** Matroska: the Segment element's declared size must fit in the file. */
async function checkMatroska(fh: FileHandle, size: number): Promise<string | null> {
  const head = await readAt(fh, 0, 4096);
  if (head.readUInt32BE(0) !== 0x1a45dfa3) return null; // not EBML: leave it to ffprobe
  const ebml = vint(head, 4);
  if (!ebml?.value) return null;
  const segPos = 4 + ebml.len + ebml.value;
  if (segPos + 4 > head.length || head.readUInt32BE(segPos) !== 0x18538067) return null;
  const seg = vint(head, segPos + 4);
  if (!seg || seg.value === null) return null; // unknown size (live recording): nothing to compare
  const end = segPos + 4 + seg.len + seg.value;
  return end > size ? truncated(end, size) : null;
}

/** ISO BMFF (MP4/MOV): every top-level box must end inside the file. */
async function checkIsoBmff(fh: FileHandle, size: number): Promise<string | null> {
  let pos = 0;
  for (let n = 0; n < MAX_BOXES && pos + 8 <= size; n++) {
    const h = await readAt(fh, pos, 16);
    if (h.length < 8) return null;
    let boxSize = h.readUInt32BE(0);
    if (!/^[\x20-\x7e]{4}$/.test(h.toString('latin1', 4, 8))) return null; // not a box: stop guessing
    if (boxSize === 0) return null; // extends to end of file
    if (boxSize === 1) {
      if (h.length < 16) return null;
      boxSize = Number(h.readBigUInt64BE(8));
    }
    if (boxSize < 8) return null;
    if (pos + boxSize > size) return truncated(pos + boxSize, size);
    pos += boxSize;
  }
  return null;
}

/** FLV: the trailing PreviousTagSize must point at a well-formed last tag. */
async function checkFlv(fh: FileHandle, size: number): Promise<string | null> {
  const head = await readAt(fh, 0, 9);
  if (head.toString('latin1', 0, 3) !== 'FLV' || size < 13 + 15) return null;
  const tail = await readAt(fh, size - 4, 4);
  const prev = tail.readUInt32BE(0);
  const tagPos = size - 4 - prev;
  if (prev >= 11 && tagPos >= 13) {
    const tag = await readAt(fh, tagPos, 4);
    const dataSize = tag.readUIntBE(1, 3);
    if ([8, 9, 18].includes(tag[0]! & 0x1f) && dataSize + 11 === prev) return null;
  }
  return 'file is truncated: its last FLV tag is incomplete (interrupted copy or download?)';
}

/**
 * Returns why the file is truncated, or null when it looks whole (or its format has no size
 * bookkeeping to check). `ext` is the lower-case extension without the dot. Read errors count as
 * "cannot tell" (null): ffprobe reports unreadable files itself.
 */
export async function checkTruncation(absPath: string, ext: string): Promise<string | null> {
  const check = MATROSKA.test(ext) ? checkMatroska : ISO_BMFF.test(ext) ? checkIsoBmff : ext === 'flv' ? checkFlv : null;
  if (!check) return null;
  let fh: FileHandle | undefined;
  try {
    fh = await open(absPath, constants.O_RDONLY | constants.O_NONBLOCK); // a FIFO must not block the thread pool
    const st = await fh.stat();
    return !st.isFile() || st.size < 16 ? null : await check(fh, st.size);
  } catch {
    return null;
  } finally {
    await fh?.close();
  }
}
