// What the engine needs of the machine's encoders, as an interface: the composition root
// (src/appliance.ts) hands in hw/'s HwService, so the engine never imports hw/ (hw/ sits above it).
import type { HwKind, VideoCodec } from '../schemas/encoders.js';
import type { HwReport } from '../schemas/hw.js';
import type { EventBus } from './events.js';

/** May a kind encode a codec here now, and if not, why. */
export interface Usability { usable: boolean; encoder: string; reason: string | null; status: HwReport['kinds'][number]['status'] | 'unknown' }

export interface EncoderHardware {
  /** The probe verdicts (cached per ffmpeg binary; refresh probes again). */
  report(opts?: { refresh?: boolean }): Promise<HwReport>;
  usability(kind: HwKind, codec: VideoCodec): Usability;
  /** The VA-API render node to encode on. */
  vaapiDevice(): string;
  /** A hardware encode failed in use / produced output (health bookkeeping). */
  recordFailure(kind: HwKind, reason: string): void;
  recordSuccess(kind: HwKind): void;
  /** Stops background probes. */
  close(): Promise<void>;
}

/** Builds the hardware side once the engine's event bus exists. */
export type HardwareFactory = (events: EventBus) => EncoderHardware;
