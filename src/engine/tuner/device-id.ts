// HDHomeRun DeviceID: 8 hex digits passing libhdhomerun's checksum
// (hdhomerun_discover_validate_device_id). Generated once per install, then persisted.
import { randomInt } from 'node:crypto';

const LUT = [0xa, 0x5, 0xf, 0x6, 0x7, 0xc, 0x1, 0xb, 0x9, 0x2, 0x8, 0xd, 0x4, 0x3, 0xe, 0x0];

const nibble = (id: number, i: number) => (id >>> (i * 4)) & 0xf;

/** XOR of the checksum terms; 0 for a valid id. */
function checksum(id: number): number {
  return LUT[nibble(id, 7)]! ^ nibble(id, 6) ^ LUT[nibble(id, 5)]! ^ nibble(id, 4) ^ LUT[nibble(id, 3)]! ^ nibble(id, 2) ^ LUT[nibble(id, 1)]! ^ nibble(id, 0);
}

/** Legacy id ranges libhdhomerun treats specially (by the top 12 bits). */
const LEGACY_PREFIXES = new Set([0x100, 0x101, 0x102, 0x103, 0x111, 0x120, 0x121, 0x122]);

export function isValidDeviceId(id: number): boolean {
  return Number.isInteger(id) && id >= 0 && id <= 0xffffffff && id !== 0xffffffff && id !== 0 && checksum(id >>> 0) === 0
    && !LEGACY_PREFIXES.has(id >>> 20);
}

/** Completes seven random nibbles with the last one that makes the checksum 0. */
export function deviceIdFrom(top28: number): number {
  const base = (top28 & 0x0fffffff) << 4 >>> 0;
  const n0 = checksum(base);
  return (base | n0) >>> 0;
}

export function generateDeviceId(random: () => number = () => randomInt(0, 0x10000000)): number {
  for (;;) {
    const id = deviceIdFrom(random());
    if (isValidDeviceId(id)) return id;
  }
}

export const formatDeviceId = (id: number): string => id.toString(16).toUpperCase().padStart(8, '0');
export const parseDeviceId = (s: string): number | null => (/^[0-9a-fA-F]{8}$/.test(s) ? Number.parseInt(s, 16) >>> 0 : null);
