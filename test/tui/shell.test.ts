// The app shell's pure parts, without a screen: the flash line's expiry, the drill-down trail and
// pane focus, key routing, the quit question, header and tabs at a width, the palette's entries.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Binding } from '../../src/tui/keymap.js';
import { FLASH_MS, FlashLine, headerText, Navigation, paletteEntries, quitQuestion, refusal, routeKey, tabsLayout, type HeaderFacts } from '../../src/tui/shell.js';

test('flash: info fades after FLASH_MS, errors stay twice as long; clearIf only clears what was shown', () => {
  const f = new FlashLine();
  assert.equal(f.text(0), '');
  f.set('saved', 'ok', 1000);
  assert.equal(f.text(1000 + FLASH_MS), '✔ saved');
  assert.equal(f.text(1001 + FLASH_MS), '');
  f.set('broken', 'err', 0);
  assert.equal(f.text(FLASH_MS + 1), '✖ broken');
  assert.equal(f.text(FLASH_MS * 2 + 1), '');
  const working = f.set('back up…', 'info', 0);
  assert.equal(f.text(1), '• back up…');
  f.set('backed up', 'ok', 2);
  assert.equal(f.clearIf(working), false, 'a newer message stays');
  assert.equal(f.clearIf(f.current), true);
  assert.equal(f.current, null);
});

test('navigation: drill-downs are remembered for q, lateral moves clear the trail, the first view quits', () => {
  const n = new Navigation(['dashboard', 'channels', 'schedules'], 'schedules');
  assert.equal(n.id, 'schedules');
  assert.equal(new Navigation(['a', 'b'], 'nope').id, 'a', 'an unknown initial view: the first');
  assert.equal(n.go('nope', 'lateral'), null);
  assert.equal(n.go('schedules', 'lateral'), -1, 'already there');
  assert.equal(n.go('dashboard', 'lateral'), 2);
  n.go('channels', 'drill');
  n.go('schedules', 'drill');
  assert.equal(n.backTarget(), 'channels');
  n.go('channels', 'back');
  assert.equal(n.backTarget(), 'dashboard');
  n.go('dashboard', 'back');
  assert.equal(n.backTarget(), null, 'quit at the root');
  n.go('channels', 'drill');
  n.go('schedules', 'lateral');
  assert.equal(n.backTarget(), 'dashboard', 'the trail was cleared: back to the first view');
  assert.equal(n.neighbour(1), 'dashboard');
  assert.equal(n.neighbour(-1), 'channels');
  n.setFocus('channels', 5);
  assert.equal(n.focused('channels', 2), 1, 'clamped to the panes there are');
  assert.equal(n.focused('dashboard', 2), 0);
});

test('keys: global first, then the focused pane, then the view; a key about another pane says where it works', () => {
  const ran: string[] = [];
  const g: Binding[] = [{ keys: ['?'], desc: 'help', run: () => { ran.push('help'); } }];
  const v: Binding[] = [
    { keys: ['X'], desc: 'stop the session', mutates: true, panes: [0], run: () => {} },
    { keys: ['w'], desc: 'wrap', panes: [1], run: () => {} },
    { keys: ['a'], desc: 'add', run: () => {} },
  ];
  const base = { global: g, view: v, focus: 1, paneLabels: ['Live sessions', undefined], readonly: false, paneTakes: (id: string) => id === 'j' };
  assert.equal(routeKey('?', base).to, 'global');
  assert.equal(routeKey('j', base).to, 'pane');
  assert.equal(routeKey('z', base).to, 'none');
  const r = routeKey('X', base);
  assert.deepEqual(r, { to: 'elsewhere', message: 'X (stop the session) works in the Live sessions pane: tab there first' });
  assert.equal(routeKey('X', { ...base, readonly: true }).to, 'view', 'read-only: refused where it is, not sent elsewhere');
  assert.equal(routeKey('w', base).to, 'view');
  assert.equal(routeKey('w', { ...base, focus: 0, paneLabels: [] }).to === 'elsewhere' && (routeKey('w', { ...base, focus: 0, paneLabels: [] }) as { message: string }).message.includes('pane 2'), true);
  assert.equal(refusal(v[0]!, true), 'read-only: "stop the session" is disabled (started with --readonly)');
  assert.equal(refusal(v[0]!, false), null);
  assert.equal(refusal(v[2]!, true), null);
});

test('quit question: an in-process TUI says what stops with it', () => {
  assert.equal(quitQuestion('daemon', 3), 'Quit EXStreamTV? (the daemon keeps running)');
  assert.equal(quitQuestion('in-process', 0), 'Quit? This TUI is serving the API itself: the server stops.');
  assert.equal(quitQuestion('in-process', 2), 'Quit? This TUI is serving the API itself: 2 live sessions will stop.');
});

test('header: everything when it fits, a compact form at 80 columns, never wider than the line', () => {
  const f: HeaderFacts = { version: '1.2.3', host: 'a-very-long-host-name.example', apiUrl: 'http://192.168.1.20:8410', mode: 'daemon', readonly: true, uptimeS: 3700, api: 'ok', feed: 'live', tuners: { inUse: 1, count: 4 } };
  assert.equal(headerText(f, 200), ' EXStreamTV 1.2.3 │ host a-very-long-host-name.example │ up 1h01m │ http://192.168.1.20:8410 (daemon) │ ● live │ tuners 1/4 │ READ-ONLY'.replace('1h01m', headerText(f, 200).match(/up (\S+)/)![1]!));
  const at80 = headerText({ ...f, host: 'box' }, 80);
  assert.equal(at80, ' EXStreamTV │ box │ up 1h01m │ 192.168.1.20:8410 daemon │ ● live │ READ-ONLY'.replace('1h01m', at80.match(/up (\S+)/)![1]!), 'compact: no version, no tuners');
  assert.ok([...at80].length <= 80, at80);
  assert.match(headerText({ ...f, host: 'box', readonly: false }, 90), /● live │ tuners 1\/4 │ read-write$/, 'tuners back when there is room');
  assert.match(headerText({ ...f, api: 'down' }, 200), /✖ API down/);
  assert.match(headerText({ ...f, feed: 'down', uptimeS: null }, 200), /up … .*✖ events lost, retrying/);
});

test('tabs: the current one bracketed, cell ranges for clicks, cut at the width', () => {
  const views = [{ id: 'd', title: 'Dashboard' }, { id: 'c', title: 'Channels' }, { id: 's', title: 'Schedules' }];
  const tabs = tabsLayout(views, 1, 80);
  assert.deepEqual(tabs.map((t) => t.label), [' 1 Dashboard ', '[2 Channels]', ' 3 Schedules ']);
  assert.deepEqual(tabs.map((t) => [t.from, t.to]), [[0, 13], [14, 26], [27, 40]]);
  assert.deepEqual(tabsLayout(views, 0, 30).map((t) => t.id), ['d', 'c']);
});

test('palette: this view, the global keys, then other views (opened first); editing ones hidden read-only', () => {
  const run = () => {};
  const here = { id: 'd', title: 'Dashboard', bindings: [{ keys: ['X'], desc: 'stop', mutates: true, run }, { keys: ['f'], desc: 'follow', run }] as Binding[] };
  const other = { id: 't', title: 'Tuner', bindings: [{ keys: ['b'], desc: 'back up', mutates: true, run }, { keys: ['y'], desc: 'copy', run, palette: false }] as Binding[] };
  const global: Binding[] = [{ keys: ['?'], desc: 'help', run }, { keys: ['tab'], desc: 'next pane', palette: false, run }];
  const all = paletteEntries(here, [here, other], global, false);
  assert.deepEqual(all.map((e) => [e.label, e.keys, e.view ?? '']), [['Dashboard: stop', 'X', ''], ['Dashboard: follow', 'f', ''], ['help', '?', ''], ['Tuner: back up', 'b', 't']]);
  assert.deepEqual(paletteEntries(here, [here, other], global, true).map((e) => e.label), ['Dashboard: follow', 'help']);
});
