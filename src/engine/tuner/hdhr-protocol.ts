// SiliconDust's UDP discovery protocol (libhdhomerun hdhomerun_pkt.c / hdhomerun_discover.c), pure:
// frame = u16 BE type, u16 BE payload length, TLVs, u32 LITTLE-endian CRC32 (zlib) over header+payload.
// TLV = u8 tag, length (one byte when ≤ 127, else two: (len & 0x7f) | 0x80, len >> 7), value.
// Decoding never throws: anything malformed (bad CRC, truncated, trailing bytes, oversize) is null.
import * as zlib from 'node:zlib';

export const TYPE_DISCOVER_REQ = 0x0002;
export const TYPE_DISCOVER_RPY = 0x0003;

export const TAG = {
  DEVICE_TYPE: 0x01,
  DEVICE_ID: 0x02,
  TUNER_COUNT: 0x10,
  LINEUP_URL: 0x27,
  BASE_URL: 0x2a,
  DEVICE_AUTH_STR: 0x2b,
} as const;

export const DEVICE_TYPE_TUNER = 0x00000001;
export const DEVICE_TYPE_WILDCARD = 0xffffffff;
export const DEVICE_ID_WILDCARD = 0xffffffff;

/** Largest TLV value the two-byte length form can carry. */
export const MAX_TLV_LENGTH = 0x7f | (0xff << 7);
/** Largest datagram we decode (libhdhomerun's HDHOMERUN_MAX_PACKET_SIZE). */
export const MAX_PACKET = 1460;

export interface Tlv { tag: number; value: Buffer }
export interface Frame { type: number; tlvs: Tlv[] }

// ---- CRC32 (zlib polynomial). zlib.crc32 exists from Node 20.15 / 22.2; a table fallback otherwise.
let table: Uint32Array | null = null;
function crc32Table(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const b of data) crc = table[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
const nativeCrc = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
export const crc32 = (data: Uint8Array): number => (typeof nativeCrc === 'function' ? nativeCrc(data) >>> 0 : crc32Table(data));

// ---- encoding (programmer errors throw RangeError; decoding never throws)

export function encodeLength(len: number): Buffer {
  if (!Number.isInteger(len) || len < 0 || len > MAX_TLV_LENGTH) throw new RangeError(`TLV length ${len} out of range 0..${MAX_TLV_LENGTH}`);
  return len <= 127 ? Buffer.from([len]) : Buffer.from([(len & 0x7f) | 0x80, len >> 7]);
}

export function encodeTlv(tag: number, value: Uint8Array | string): Buffer {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xff) throw new RangeError(`TLV tag ${tag} out of range`);
  const v = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
  return Buffer.concat([Buffer.from([tag]), encodeLength(v.length), v]);
}

export const u32be = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32BE(n >>> 0); return b; };

export function encodeFrame(type: number, tlvs: readonly Tlv[]): Buffer {
  if (!Number.isInteger(type) || type < 0 || type > 0xffff) throw new RangeError(`frame type ${type} out of range`);
  const payload = Buffer.concat(tlvs.map((t) => encodeTlv(t.tag, t.value)));
  if (payload.length > 0xffff) throw new RangeError(`payload of ${payload.length} bytes exceeds 65535`);
  const header = Buffer.alloc(4);
  header.writeUInt16BE(type, 0);
  header.writeUInt16BE(payload.length, 2);
  const body = Buffer.concat([header, payload]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(crc32(body));
  return Buffer.concat([body, crc]);
}

// ---- decoding

/** TLVs of a payload, or null unless it parses exactly to its end. */
export function decodeTlvs(payload: Uint8Array): Tlv[] | null {
  const buf = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const out: Tlv[] = [];
  let i = 0;
  while (i < buf.length) {
    if (i + 2 > buf.length) return null;
    const tag = buf[i++]!;
    let len = buf[i++]!;
    if (len & 0x80) {
      if (i >= buf.length) return null;
      len = (len & 0x7f) | (buf[i++]! << 7);
    }
    if (i + len > buf.length) return null;
    out.push({ tag, value: Buffer.from(buf.subarray(i, i + len)) });
    i += len;
  }
  return out;
}

/** A whole datagram, or null when it is not one well-formed frame with a valid CRC. */
export function decodeFrame(packet: Uint8Array): Frame | null {
  try {
    if (!(packet instanceof Uint8Array) || packet.length < 8 || packet.length > MAX_PACKET) return null;
    const buf = Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength);
    const type = buf.readUInt16BE(0);
    const len = buf.readUInt16BE(2);
    if (buf.length !== 4 + len + 4) return null;
    if (crc32(buf.subarray(0, 4 + len)) !== buf.readUInt32LE(4 + len)) return null;
    const tlvs = decodeTlvs(buf.subarray(4, 4 + len));
    return tlvs ? { type, tlvs } : null;
  } catch {
    return null;
  }
}

const u32Of = (t: Tlv): number | null => (t.value.length === 4 ? t.value.readUInt32BE(0) : null);

const toDeviceId = (id: number | string): number | null => {
  if (typeof id === 'number') return Number.isInteger(id) && id >= 0 && id <= 0xffffffff ? id >>> 0 : null;
  return /^[0-9a-fA-F]{1,8}$/.test(id) ? Number.parseInt(id, 16) >>> 0 : null;
};

/**
 * Whether a tuner with `deviceId` answers this request: a DISCOVER_REQ whose DEVICE_TYPE (any of
 * them; absent = any) is tuner or wildcard, and whose DEVICE_ID is wildcard, absent or ours.
 * A DEVICE_TYPE / DEVICE_ID of the wrong size makes the request unanswerable.
 */
export function matchesRequest(req: Frame | null, deviceId: number | string): boolean {
  const ours = toDeviceId(deviceId);
  if (!req || ours === null || req.type !== TYPE_DISCOVER_REQ) return false;
  const types = req.tlvs.filter((t) => t.tag === TAG.DEVICE_TYPE).map(u32Of);
  const ids = req.tlvs.filter((t) => t.tag === TAG.DEVICE_ID).map(u32Of);
  if (types.includes(null) || ids.includes(null)) return false;
  const typeOk = types.length === 0 || types.some((t) => t === DEVICE_TYPE_TUNER || t === DEVICE_TYPE_WILDCARD);
  const idOk = ids.length === 0 || ids.some((id) => id === DEVICE_ID_WILDCARD || id === ours);
  return typeOk && idOk;
}

export interface DiscoverReplyInfo {
  deviceId: number | string;
  tunerCount: number;
  baseUrl: string;
  lineupUrl: string;
  deviceAuth: string;
}

/** The DISCOVER_RPY datagram a tuner sends back. */
export function discoverReply(info: DiscoverReplyInfo): Buffer {
  const id = toDeviceId(info.deviceId);
  if (id === null) throw new RangeError(`bad device id ${String(info.deviceId)}`);
  const tuners = Math.max(1, Math.min(255, Math.trunc(info.tunerCount) || 1));
  return encodeFrame(TYPE_DISCOVER_RPY, [
    { tag: TAG.DEVICE_TYPE, value: u32be(DEVICE_TYPE_TUNER) },
    { tag: TAG.DEVICE_ID, value: u32be(id) },
    { tag: TAG.TUNER_COUNT, value: Buffer.from([tuners]) },
    { tag: TAG.DEVICE_AUTH_STR, value: Buffer.from(info.deviceAuth, 'utf8') },
    { tag: TAG.BASE_URL, value: Buffer.from(info.baseUrl, 'utf8') },
    { tag: TAG.LINEUP_URL, value: Buffer.from(info.lineupUrl, 'utf8') },
  ]);
}

/** A DISCOVER_REQ as libhdhomerun / Jellyfin send it (DEVICE_ID omitted when undefined). */
export function discoverRequest(opts: { deviceType?: number; deviceId?: number } = {}): Buffer {
  const tlvs: Tlv[] = [{ tag: TAG.DEVICE_TYPE, value: u32be(opts.deviceType ?? DEVICE_TYPE_WILDCARD) }];
  if (opts.deviceId !== undefined) tlvs.push({ tag: TAG.DEVICE_ID, value: u32be(opts.deviceId) });
  return encodeFrame(TYPE_DISCOVER_REQ, tlvs);
}

/** The reply to one datagram, or null when it must be ignored (never throws). */
export function answer(packet: Uint8Array, info: DiscoverReplyInfo): Buffer | null {
  try {
    return matchesRequest(decodeFrame(packet), info.deviceId) ? discoverReply(info) : null;
  } catch {
    return null;
  }
}

/** Field values of a DISCOVER_RPY (for tests and diagnostics). */
export interface ReplyFields { deviceType?: number; deviceId?: string; tunerCount?: number; baseUrl?: string; lineupUrl?: string; deviceAuth?: string }

export function parseReply(packet: Uint8Array): ReplyFields | null {
  const f = decodeFrame(packet);
  if (!f || f.type !== TYPE_DISCOVER_RPY) return null;
  const out: ReplyFields = {};
  for (const t of f.tlvs) {
    if (t.tag === TAG.DEVICE_TYPE && t.value.length === 4) out.deviceType = t.value.readUInt32BE(0);
    else if (t.tag === TAG.DEVICE_ID && t.value.length === 4) out.deviceId = t.value.readUInt32BE(0).toString(16).toUpperCase().padStart(8, '0');
    else if (t.tag === TAG.TUNER_COUNT && t.value.length === 1) out.tunerCount = t.value[0]!;
    else if (t.tag === TAG.BASE_URL) out.baseUrl = t.value.toString('utf8');
    else if (t.tag === TAG.LINEUP_URL) out.lineupUrl = t.value.toString('utf8');
    else if (t.tag === TAG.DEVICE_AUTH_STR) out.deviceAuth = t.value.toString('utf8');
  }
  return out;
}
