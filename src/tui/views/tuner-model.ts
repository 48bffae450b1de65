// The Tuner view's state and what it draws, without a screen: the identity/URL rows with their
// checks, the "where to paste" entries, the backups list and its state, the identity form and the
// API patch made from it. The blessed layer (tuner.ts) only copies these into widgets.
import { loopbackWarning, pasteEntries, TUNER_PATHS, tunerUrls, type PasteEntry } from '../../client/tuner-urls.js';
import type { BackupInfo, BackupList } from '../../schemas/backup.js';
import type { ServerStatus } from '../../schemas/status.js';
import type { TunerPatch } from '../../schemas/tuner.js';
import type { Discover } from '../model.js';
import type { FormField, FormValues } from '../view.js';

export interface TunerRow { key: string; field: string; value: string; check?: string; url?: boolean }

/** 2025-01-31T03:30:05Z → 2025-01-31 03:30:05 (UTC, like the stamp in the file name). */
export const taken = (iso: string) => iso.replace('T', ' ').replace(/Z$/, '');
/** The same without the year, for the list (backups are days old). */
export const takenShort = (iso: string) => taken(iso).slice(5);
export const backupSize = (n: number) => (n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`);

/** Log lines after which the backups list is read again (a daily backup, the CLI, a restore). */
const BACKUP_LOG = /^(database backed up|database restored|backup .* deleted|removed \d+ old backup)/;

export class TunerModel {
  /** HTTP status per tuner path (0: no answer); absent while checking. */
  readonly checks = new Map<string, number>();
  /** The base URL the checks are for. */
  checkedBase = '';
  backups: BackupList | null = null;
  backupsError = '';

  constructor(private readonly info: { apiUrl: string; mode: string }) {}

  base(d: Discover | null): string {
    return (d?.BaseURL ?? this.info.apiUrl).replace(/\/+$/, '');
  }

  /** The checks are for another base URL than the daemon now gives: check again. */
  needsCheck(d: Discover | null): boolean {
    return !!d && d.BaseURL !== this.checkedBase;
  }

  checkText(path: string): string {
    const s = this.checks.get(path);
    if (s === undefined) return '… checking';
    if (s >= 200 && s < 400) return `✔ answers ${s}`;
    return s === 0 ? '✖ no answer' : `✖ ${s}${s === 404 ? ' not served' : ''}`;
  }

  rows(d: Discover | null, s: ServerStatus | null, tunersInUse: number): TunerRow[] {
    const base = this.base(d);
    const u = tunerUrls(base);
    const out: TunerRow[] = [];
    if (d) {
      out.push({ key: 'name', field: 'Friendly name', value: d.FriendlyName });
      out.push({ key: 'id', field: 'DeviceID', value: d.DeviceID });
      if (d.ModelNumber) out.push({ key: 'model', field: 'Model', value: `${d.ModelNumber} (HDHomeRun emulation)` });
      out.push({ key: 'tuners', field: 'Tuners', value: `${d.TunerCount} (${tunersInUse} in use)` });
      out.push({ key: 'base', field: 'Base URL', value: base, url: true, ...(loopbackWarning(base) ? { check: '✖ this host only' } : {}) });
    } else {
      out.push({ key: 'nodiscover', field: 'HDHomeRun', value: 'this daemon does not answer /discover.json', check: '✖' });
    }
    const disc = s?.discovery;
    if (disc) {
      out.push(disc.udp.on
        ? { key: 'udp', field: 'UDP discovery', value: `on, UDP ${disc.udp.port} (Channels DVR, Jellyfin "detect" find it)`, check: '✔ on' }
        : { key: 'udp', field: 'UDP discovery', value: disc.udp.reason ?? 'off', check: '– off' });
      out.push(disc.ssdp.on
        ? { key: 'ssdp', field: 'SSDP', value: `on, ${disc.ssdp.addresses.join(', ')} (Plex finds it)`, check: '✔ on' }
        : { key: 'ssdp', field: 'SSDP', value: disc.ssdp.reason ?? 'off', check: '– off' });
    }
    out.push({ key: 'discover', field: 'Discover', value: u.discover, check: this.checkText(TUNER_PATHS.discover), url: true });
    out.push({ key: 'lineup', field: 'Lineup', value: u.lineup, check: this.checkText(TUNER_PATHS.lineup), url: true });
    out.push({ key: 'm3u', field: 'M3U playlist', value: u.m3u, check: this.checkText(TUNER_PATHS.m3u), url: true });
    out.push({ key: 'xmltv', field: 'XMLTV guide', value: u.xmltv, check: this.checkText(TUNER_PATHS.xmltv), url: true });
    out.push({ key: 'api', field: 'API', value: `${this.info.apiUrl}/api (${this.info.mode})`, url: false });
    if (s) {
      out.push({ key: 'data', field: 'Data dir', value: s.dataDir });
      out.push({ key: 'version', field: 'Version', value: `exstreamtv ${s.version}` });
      out.push({ key: 'library', field: 'Library', value: `${s.channels} channels · ${s.sources} sources · ${s.items.ok} items ok, ${s.items.missing} missing, ${s.items.unreadable} unreadable` });
    }
    return out;
  }

  /** "Where to paste": the M3U/XMLTV lines only once the playlist answered. */
  paste(d: Discover | null): { warning: string | null; entries: PasteEntry[] } {
    const base = this.base(d);
    const iptv = this.checks.get(TUNER_PATHS.m3u);
    return { warning: loopbackWarning(base), entries: pasteEntries(base, iptv !== undefined && iptv >= 200 && iptv < 400) };
  }

  /** ✔ when this daemon can restore the backup (a database of this schema or older), else ✖. */
  backupOk(b: BackupInfo): boolean {
    return !(b.schemaVersion === null || (this.backups && b.schemaVersion > this.backups.schemaVersion));
  }

  backupLines(b: BackupInfo): string[] {
    return [b.name, `taken ${taken(b.createdAt)} UTC, ${backupSize(b.size)}`, `reason ${b.reason ?? '-'}, schema ${b.schemaVersion === null ? 'not a database' : `v${b.schemaVersion}`}`, `in ${this.backups?.dir ?? ''}`];
  }

  /** The backups pane's title and empty text. */
  backupsPane(): { label: string; empty: string; rows: BackupInfo[] } | null {
    if (this.backups) return { label: `Backups (keep ${this.backups.keep})`, empty: 'no backups yet: b backs up now', rows: this.backups.backups };
    if (this.backupsError) return { label: 'Backups', empty: `✖ ${this.backupsError}`, rows: [] };
    return null;
  }

  /** Whether a log line means the backups changed. */
  backupsChangedBy(msg: string): boolean {
    return BACKUP_LOG.test(msg);
  }
}

/** The `n` form: the friendly name and the DeviceID ("new" generates a valid one). */
export function identityFields(d: Discover): FormField[] {
  return [
    { name: 'friendlyName', label: 'Name', kind: 'text', value: d.FriendlyName, hint: 'what DVRs show' },
    { name: 'deviceId', label: 'DeviceID', kind: 'text', size: 10, value: d.DeviceID, hint: '8 hex digits, or "new"' },
  ];
}

/** The PATCH /api/tuner body for what changed in the form (null: nothing changed). */
export function identityPatch(v: FormValues, d: Discover): TunerPatch | null {
  const name = String(v.friendlyName ?? '').trim();
  const id = String(v.deviceId ?? '').trim();
  const patch: TunerPatch = {
    ...(name !== d.FriendlyName ? { friendlyName: name || null } : {}),
    ...(id.toLowerCase() === 'new' ? { newDeviceId: true } : id.toUpperCase() !== d.DeviceID.toUpperCase() ? { deviceId: id } : {}),
  };
  return Object.keys(patch).length ? patch : null;
}
