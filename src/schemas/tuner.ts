// The tuner's identity as DVRs see it: HDHomeRun DeviceID and friendly name (GET/PATCH /api/tuner).
import { z } from 'zod';

export const tunerInfo = z.object({
  deviceId: z.string().describe('HDHomeRun DeviceID: 8 hex digits with a valid checksum'),
  friendlyName: z.string().describe('Name DVRs show for this tuner'),
  tunerCount: z.number().int(),
});
export type TunerInfo = z.infer<typeof tunerInfo>;

export const tunerPatch = z.object({
  deviceId: z.string().trim().regex(/^[0-9a-fA-F]{8}$/, 'must be 8 hex digits, e.g. 1050A0BC').optional()
    .describe('A new DeviceID (8 hex digits; its last digit must make the checksum valid: `exstreamtv tuner set --device-id new` picks one)'),
  newDeviceId: z.boolean().optional().describe('Generate a fresh valid DeviceID (a DVR then sees a new tuner)'),
  friendlyName: z.string().trim().min(1).max(64).nullable().optional().describe('Name DVRs show; null: back to the configured one'),
}).strict();
export type TunerPatch = z.infer<typeof tunerPatch>;
