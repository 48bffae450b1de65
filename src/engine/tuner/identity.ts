// The box's tuner identity: DeviceID and UPnP UUID, generated once per install and kept in the store.
import { randomUUID } from 'node:crypto';
import type { SettingsRepo } from '../store/repos/settings.js';
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
