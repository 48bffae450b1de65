// The Tuner view's model without a screen: rows and checks, where-to-paste entries (M3U only once
// it answers, the loopback warning), backups state and the identity form's patch.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BackupInfo, BackupList } from '../../src/schemas/backup.js';
import type { Discover } from '../../src/tui/model.js';
import { identityFields, identityPatch, TunerModel } from '../../src/tui/views/tuner-model.js';

const D: Discover = { FriendlyName: 'EXStreamTV', DeviceID: '1050A0BC', TunerCount: 4, BaseURL: 'http://192.168.1.20:8410', LineupURL: 'http://192.168.1.20:8410/lineup.json', ModelNumber: 'HDTC-2US' };
const backup = (over: Partial<BackupInfo> = {}): BackupInfo => ({ name: 'exstreamtv-20260101T030000Z-daily.db', createdAt: '2026-01-01T03:00:00Z', size: 3 * 1024 * 1024, reason: 'daily', schemaVersion: 3, ...over } as BackupInfo);

test('rows: identity, URLs with their checks, the loopback flag', () => {
  const vm = new TunerModel({ apiUrl: 'http://127.0.0.1:8410', mode: 'daemon' });
  let rows = vm.rows(D, null, 1);
  const value = (k: string) => rows.find((r) => r.key === k);
  assert.deepEqual(rows.map((r) => r.key), ['name', 'id', 'model', 'tuners', 'base', 'discover', 'lineup', 'm3u', 'xmltv', 'api']);
  assert.equal(value('tuners')!.value, '4 (1 in use)');
  assert.equal(value('m3u')!.value, 'http://192.168.1.20:8410/iptv/channels.m3u');
  assert.equal(value('m3u')!.check, '… checking');
  assert.equal(value('base')!.check, undefined, 'a LAN address is not flagged');
  vm.checks.set('/iptv/channels.m3u', 200).set('/iptv/xmltv.xml', 404).set('/lineup.json', 0);
  rows = vm.rows(D, null, 0);
  assert.deepEqual(['m3u', 'xmltv', 'lineup'].map((k) => value(k)!.check), ['✔ answers 200', '✖ 404 not served', '✖ no answer']);
  rows = vm.rows({ ...D, BaseURL: 'http://127.0.0.1:8410' }, null, 0);
  assert.equal(value('base')!.check, '✖ this host only');
  rows = vm.rows(null, null, 0);
  assert.equal(rows[0]!.value, 'this daemon does not answer /discover.json');
  assert.equal(value('discover')!.value, 'http://127.0.0.1:8410/discover.json', 'the API URL stands in');
});

test('checks are redone when the base URL changes', () => {
  const vm = new TunerModel({ apiUrl: 'http://127.0.0.1:8410', mode: 'daemon' });
  assert.equal(vm.needsCheck(null), false);
  assert.equal(vm.needsCheck(D), true);
  vm.checkedBase = D.BaseURL;
  assert.equal(vm.needsCheck(D), false);
  assert.equal(vm.needsCheck({ ...D, BaseURL: 'http://10.0.0.5:8410' }), true);
});

test('where to paste: M3U/XMLTV lines only once the playlist answers; loopback warned', () => {
  const vm = new TunerModel({ apiUrl: 'http://127.0.0.1:8410', mode: 'daemon' });
  let p = vm.paste(D);
  assert.equal(p.warning, null);
  assert.deepEqual(p.entries.map((e) => e.app), ['Plex', 'Channels', 'Jellyfin']);
  assert.match(p.entries[1]!.text, /HDHomeRun: 192\.168\.1\.20:8410$/);
  vm.checks.set('/iptv/channels.m3u', 200);
  p = vm.paste(D);
  assert.ok(p.entries.some((e) => e.text === 'or Custom Channels, M3U: http://192.168.1.20:8410/iptv/channels.m3u'));
  assert.match(vm.paste({ ...D, BaseURL: 'http://localhost:8410' }).warning ?? '', /localhost:8410 is this machine only/);
});

test('backups: pane state, restorable mark, lines, log lines that mean a change', () => {
  const vm = new TunerModel({ apiUrl: 'http://127.0.0.1:8410', mode: 'daemon' });
  assert.equal(vm.backupsPane(), null, 'still reading');
  vm.backupsError = 'HTTP 500';
  assert.deepEqual(vm.backupsPane(), { label: 'Backups', empty: '✖ HTTP 500', rows: [] });
  const list = { dir: '/data/backups', keep: 7, schemaVersion: 3, backups: [backup(), backup({ name: 'x.db', schemaVersion: 4 }), backup({ name: 'y.db', schemaVersion: null })] } as BackupList;
  vm.backups = list;
  assert.equal(vm.backupsPane()!.label, 'Backups (keep 7)');
  assert.deepEqual(list.backups.map((b) => vm.backupOk(b)), [true, false, false], 'a newer schema or no database cannot be restored');
  assert.deepEqual(vm.backupLines(list.backups[0]!), ['exstreamtv-20260101T030000Z-daily.db', 'taken 2026-01-01 03:00:00 UTC, 3.0 MiB', 'reason daily, schema v3', 'in /data/backups']);
  assert.equal(vm.backupsChangedBy('database backed up to x.db'), true);
  assert.equal(vm.backupsChangedBy('removed 2 old backups'), true);
  assert.equal(vm.backupsChangedBy('channel 5 saved'), false);
});

test('identity form: only what changed is sent; "new" asks for a generated DeviceID; empty name → the configured one', () => {
  assert.deepEqual(identityFields(D).map((f) => [f.name, f.value]), [['friendlyName', 'EXStreamTV'], ['deviceId', '1050A0BC']]);
  assert.equal(identityPatch({ friendlyName: 'EXStreamTV', deviceId: '1050a0bc' }, D), null, 'case of the hex digits is no change');
  assert.deepEqual(identityPatch({ friendlyName: ' Den ', deviceId: '1050A0BC' }, D), { friendlyName: 'Den' });
  assert.deepEqual(identityPatch({ friendlyName: '', deviceId: 'NEW' }, D), { friendlyName: null, newDeviceId: true });
  assert.deepEqual(identityPatch({ friendlyName: 'EXStreamTV', deviceId: '12345678' }, D), { deviceId: '12345678' });
});
