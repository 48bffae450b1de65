// The Dashboard, Channels and Profiles views' models without a screen: gauges for a width and
// their GPU line, the log filter toggle, now/next caching and retries, a pending drill-down, the
// profile detail lines, pop-up rows, edit patches and the assign prompt's numbers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Channel } from '../../src/schemas/channel.js';
import type { HwReport, KindReport } from '../../src/schemas/hw.js';
import type { ProfileView } from '../../src/schemas/profile.js';
import type { TimelineRowOut } from '../../src/schemas/timeline.js';
import type { SessionRow } from '../../src/tui/model.js';
import { ChannelsModel, RETRY_MS } from '../../src/tui/views/channels-model.js';
import { DashboardModel, lastErrorText, sessionUptime, toggleLogChannel } from '../../src/tui/views/dashboard-model.js';
import { channelNumbers, editPatch, probeText, ProfilesModel } from '../../src/tui/views/profiles-model.js';

const id = (s: string) => s;
/** No colour, no tags: the words and symbols alone. */
const mono = { ok: id, warn: id, err: id, dim: id, bold: id };

test('dashboard: gauges at 80 columns say their state in words; a GPU line moves the tables', () => {
  const vm = new DashboardModel();
  let text = vm.gauges(80, { count: 0, inUse: 0 }, mono);
  assert.match(text, /CPU +reading…/);
  assert.match(text, /TUNERS +tuner count unknown/);
  vm.setSample({ cpu: 95, cores: 2, memUsed: 2 ** 30, memTotal: 4 * 2 ** 30, temp: null, gpus: [] });
  text = vm.gauges(80, { count: 4, inUse: 4 }, mono);
  const lines = text.split('\n');
  assert.equal(lines.length, 2);
  assert.ok(lines.every((l) => [...l].length <= 80), text);
  assert.match(lines[0]!, /CPU +█+░* 95 % · 2 cores ▲ high/);
  assert.match(lines[1]!, /TUNERS +█+ 4 of 4 in use ▲ high/);
  assert.match(lines[1]!, /TEMP +no sensor on this host/);
  assert.equal(vm.rowsChanged(text), null, 'two rows as before');
  vm.setSample({ cpu: 5, cores: 2, memUsed: 1, memTotal: 2, temp: 40, gpus: [{ model: 'RTX 4000', utilization: 30, memUsed: 2 ** 30, memTotal: 8 * 2 ** 30 }] });
  text = vm.gauges(120, { count: 4, inUse: 0 }, mono);
  assert.match(text.split('\n')[2]!, /GPU +█+░+ 30 % RTX 4000 +VRAM/);
  assert.equal(vm.rowsChanged(text), 3);
  vm.setSampleError('no /proc');
  assert.match(vm.gauges(80, { count: 4, inUse: 0 }, mono), /CPU +░+ 5 % · 2 cores/, 'the last sample stays while a read fails');
});

test('dashboard: uptime moves on between polls; the error cell; the log channel toggle', () => {
  const r = { uptimeS: 60, lastError: null } as unknown as SessionRow;
  assert.equal(sessionUptime(r, 1_000, 61_000), sessionUptime({ ...r, uptimeS: 120 }, 1_000, 1_000));
  assert.equal(lastErrorText(r), '—');
  assert.match(lastErrorText({ ...r, lastError: '/m/a.mkv: Invalid data found when processing input' }), /^✖ Invalid data found when processing input/);
  assert.deepEqual(toggleLogChannel(null, undefined), { channel: null, message: 'select a session to filter the log by its channel' });
  assert.deepEqual(toggleLogChannel(null, { number: '5.1' }), { channel: '5.1', message: 'log: channel 5.1 only (c again for all)' });
  assert.deepEqual(toggleLogChannel('5.1', { number: '7' }), { channel: null, message: 'log: all channels' });
});

test('channels: now/next cached until the programme ends, errors retried later, drill-down applied once', () => {
  const ch = (number: string) => ({ number, name: `Ch ${number}`, group: null } as unknown as Channel);
  const row = (title: string, end: string) => ({ title, start: '2026-01-01T10:00:00Z', end, kind: 'item' } as unknown as TimelineRowOut);
  const vm = new ChannelsModel();
  vm.pending = { select: '7', tune: true };
  assert.equal(vm.takePending(), null, 'not before the list is loaded');
  vm.setChannels([ch('5'), ch('7')]);
  const p = vm.takePending();
  assert.equal(p?.select, '7');
  assert.equal(p?.tune, true);
  assert.equal(p?.channel?.name, 'Ch 7');
  assert.equal(vm.takePending(), null, 'once');
  assert.equal(vm.nowText('5', 'now'), '…');
  const t0 = Date.parse('2026-01-01T10:30:00Z');
  assert.deepEqual(vm.due(false, t0).map((c) => c.number), ['5', '7']);
  vm.setNow('5', row('News', '2026-01-01T11:00:00Z'), null);
  vm.setNowError('7', { status: 404 }, t0);
  assert.match(vm.nowText('5', 'now'), /News/);
  assert.equal(vm.nowText('5', 'next'), '—');
  assert.equal(vm.nowText('7', 'now'), '✖ nothing scheduled');
  assert.equal(vm.nowText('7', 'next'), '');
  assert.deepEqual(vm.due(false, t0).map((c) => c.number), []);
  assert.equal(vm.anyEnded(t0), false);
  assert.deepEqual(vm.due(false, t0 + RETRY_MS).map((c) => c.number), ['7'], 'nothing scheduled: asked again a minute later');
  assert.equal(vm.anyEnded(t0 + RETRY_MS), true);
  vm.setNow('7', row('Film', '2026-01-01T12:00:00Z'), null);
  assert.deepEqual(vm.due(false, Date.parse('2026-01-01T11:00:00Z')).map((c) => c.number), ['5'], 'the programme ended');
  assert.deepEqual(vm.due(true, t0).map((c) => c.number), ['5', '7']);
  assert.match(vm.filterText(ch('5')), /^5 Ch 5 +News$/);
  vm.forget('5');
  assert.equal(vm.nowText('5', 'now'), '…');
});

const kind = (over: Partial<KindReport>): KindReport => ({
  kind: 'vaapi', label: 'VA-API', status: 'failed', reason: 'no render node', hints: ['add the user to group render'], failures: 0, fallbacks: 0, unhealthySince: null,
  codecs: [{ codec: 'h264', encoder: 'h264_vaapi', status: 'failed', compiled: true, probeMs: null, reason: 'no render node' }], ...over,
} as KindReport);
const profile = (over: Partial<ProfileView> = {}): ProfileView => ({
  name: 'p1', builtIn: false, kind: 'software', codec: 'h264', width: 1280, height: 720, fps: 30, videoBitrateK: 2500, videoBufferK: 5000, gopSeconds: 2,
  preset: null, scaling: 'fit', deinterlace: 'auto', audioCodec: 'aac', audioBitrateK: 160, audioChannels: 2, audioRate: 48000, loudness: 'off', loudnessTarget: -23, mode: 'transcode',
  status: { usable: true, encoder: 'libx264', reason: null, channels: ['5'] }, ...over,
} as unknown as ProfileView);

test('profiles: the detail follows the focused pane, in two lines; pop-up rows; probe text', () => {
  const vm = new ProfilesModel();
  assert.deepEqual(vm.detail(60, undefined, undefined), ['probing…']);
  vm.loadError = 'HTTP 500';
  assert.deepEqual(vm.detail(60, undefined, undefined), ['✖ HTTP 500']);
  const r = { kinds: [kind({}), kind({ kind: 'software', status: 'verified', reason: null })], durationMs: 80, probedAt: '2026-01-01T10:00:00Z', cached: false, ffmpeg: { version: '5.1', path: 'ffmpeg', resolved: null }, devices: { render: [], v4l2m2m: [], nvidia: { exists: false } }, vaapi: [], nvidiaSmi: null } as unknown as HwReport;
  assert.match(vm.setReport(r), /^Encoders · probed \d\d:\d\d:\d\d · ffmpeg 5\.1$/);
  const lines = vm.detail(40, kind({}), undefined);
  assert.equal(lines.length, 2);
  assert.ok(lines.every((l) => [...l].length <= 40));
  assert.match(lines[0]!, /^VA-API: ✖ failed — no render node/);
  vm.focus = 'profiles';
  assert.deepEqual(vm.detail(200, kind({}), profile())[1], '● usable here · channels 5 · t runs a test encode');
  vm.tests.set('p1', { ok: false, profile: 'p1', encoder: 'libx264', reason: 'boom' } as never);
  assert.equal(vm.detail(200, undefined, profile())[1], 'test p1 (libx264): ✖ failed — boom');
  const pop = vm.encoderPopup(kind({}));
  assert.deepEqual(pop.slice(0, 3), [['Kind', 'vaapi — VA-API'], ['State', '✖ failed (compiled into ffmpeg; the real encode failed)'], ['Reason', 'no render node']]);
  assert.ok(pop.some(([l, t]) => l === null && t === 'Hints'));
  assert.match(vm.probeNote()!, /^probed 2026-01-01T10:00:00Z in 80 ms · ffmpeg 5\.1 \(ffmpeg\) · p probes again$/);
  assert.deepEqual(vm.profilePopup(profile({ builtIn: true })).find(([l]) => l === 'Name'), ['Name', 'p1 (built-in: read-only; c copies it as a new profile)']);
  assert.equal(probeText(r), 'probed in 80 ms: 1 verified (software), 1 not usable');
});

test('profiles: the edit patch holds only what changed; channel numbers from the prompt', () => {
  assert.deepEqual(editPatch({ width: 1280, height: 1080, preset: null, videoBufferK: undefined }, profile()), { height: 1080 });
  assert.deepEqual(channelNumbers(' 5, 7.1  9 '), ['5', '7.1', '9']);
  assert.deepEqual(channelNumbers(null), []);
});
