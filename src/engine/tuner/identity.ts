// The box's tuner identity: DeviceID and UPnP UUID, generated once per install and kept in the store.
import { randomUUID } from 'node:crypto';
import type { SettingsRepo } from '../store/repos/settings.js';
import { InvalidError } from '../errors.js';
import { formatDeviceId, generateDeviceId, isValidDeviceId, parseDeviceId } from './device-id.js';

export interface TunerIdentity {
  /** 8 hex digits, e.g. "1050A0BC". */
  deviceId: string;
  /** UPnP UDN without the "uuid:" prefix. */
  uuid: string;
  /** DeviceAuth / DEVICE_AUTH_STR: an opaque per-install token. */
  deviceAuth: string;
}

const KEY = 'tuner.identity';

export function loadIdentity(settings: SettingsRepo): TunerIdentity {
  const saved = settings.get<Partial<TunerIdentity> | null>(KEY, null);
  const id = saved?.deviceId ? parseDeviceId(saved.deviceId) : null;
  if (saved && id !== null && isValidDeviceId(id) && saved.uuid && saved.deviceAuth) {
    return { deviceId: saved.deviceId!, uuid: saved.uuid, deviceAuth: saved.deviceAuth };
  }
  const fresh: TunerIdentity = {
    deviceId: formatDeviceId(generateDeviceId()),
    uuid: randomUUID(),
    deviceAuth: randomUUID().replace(/-/g, '').slice(0, 24),
  };
  settings.set(KEY, fresh);
  return fresh;
}

const NAME_KEY = 'tuner.friendlyName';

/** The friendly name set at run time (TUI, CLI), or null: the configured one applies. */
export function savedFriendlyName(settings: SettingsRepo): string | null {
  return settings.get<string | null>(NAME_KEY, null);
}

/**
 * Changes the DeviceID (given, or `fresh` for a generated one) and the friendly name (null: back to
 * the configuration's). A DeviceID whose checksum fails is refused, naming the field.
 */
export function updateTuner(settings: SettingsRepo, patch: { deviceId?: string; fresh?: boolean; friendlyName?: string | null }): void {
  if (patch.deviceId !== undefined || patch.fresh) {
    const id = patch.fresh ? generateDeviceId() : parseDeviceId(patch.deviceId!);
    if (id === null || !isValidDeviceId(id)) {
      throw new InvalidError('deviceId', `${patch.deviceId} is not a valid HDHomeRun DeviceID (its last hex digit is a checksum: use newDeviceId, or \`exstreamtv tuner set --device-id new\`, for a valid one)`);
    }
    settings.set(KEY, { ...loadIdentity(settings), deviceId: formatDeviceId(id) });
  }
  if (patch.friendlyName !== undefined) settings.set(NAME_KEY, patch.friendlyName);
}
