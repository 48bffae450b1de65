// The keyboard contract: help generated from the keymap, the command palette, `/` filters that
// keep the selection by key, tab between panes, q/esc back with a [y/N] quit at the root, ctrl-c.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, type TestApi } from '../helpers/api.js';
import { ApiClient, ApiError } from '../../src/client/api-client.js';
import { keepAliveTransport } from '../../src/tui/transport.js';
import { footerHints, keyId, type Binding } from '../../src/tui/keymap.js';
import { terminalFor } from '../../src/tui/terminal.js';
import { fit, sparkline, width } from '../../src/tui/text.js';

/** The channel form lists the encoder profiles: the first GET /api/profiles waits for the encoder probe (real encodes, slow on a loaded box). */
const FORM_MS = 60_000;
import { click, KEY, startTui } from './harness.js';

describe('tui: keys', () => {
  let api: TestApi;
  before(async () => {
    api = await startApi();
    for (const [n, name] of [['1', 'Alpha'], ['2', 'Bravo'], ['3', 'Charlie'], ['4', 'Delta']]) await api.api.createChannel({ number: n!, name: name! });
  });
  after(async () => { await api.close(); });

  test('? lists the view\'s keys and the global ones, from the keymap', async () => {
    const t = await startTui({ api, initialView: 'channels' });
    try {
      await t.waitFor((x) => x.includes('Alpha'), 'list');
      await t.keys('?');
      const text = await t.waitFor((x) => x.includes('Help — Channels'), 'help');
      for (const line of [/│ a\s+add a channel/, /│ D\s+delete the selected channel \(asks first\)/, /│ t\s+tune/, /│ \?\s+help/, /│ :\s+command palette/,
        /│ \/\s+filter the focused pane/, /│ q\/esc\s+back/, /│ ctrl-c\s+quit now/, /│ j\/↓\s+down/, /│ 1\s+go to Dashboard/]) assert.match(text, line);
      await t.keys('?');
      assert.equal(t.app.modal(), undefined, '? closes it again');
    } finally { await t.close(); }
  });

  test(': palette finds an action by name and runs it', async () => {
    const t = await startTui({ api });
    try {
      await t.waitFor((x) => x.includes('Live sessions'), 'dashboard');
      await t.keys(':', 'go to lib');
      await t.waitFor((x) => x.includes(': go to lib') && x.includes('go to Library'), 'palette narrowed');
      await t.keys(KEY.enter);
      await t.waitFor((x) => x.includes('[4 Library]'), 'library shown');
    } finally { await t.close(); }
  });

  test('/ filters the table and the selection stays on the same row across updates', async () => {
    const t = await startTui({ api, initialView: 'channels' });
    try {
      await t.waitFor((x) => x.includes('Delta'), 'list');
      await t.keys('j', 'j');   // Charlie
      await t.keys('/', 'a', 'r');
      let text = await t.waitFor((x) => x.includes('Channels (1/4) /ar'), 'filtered to Charlie');
      assert.match(text, /Charlie/);
      assert.doesNotMatch(text, /Bravo|Delta/);
      await t.keys(KEY.enter);
      await t.keys(KEY.esc);
      text = await t.waitFor((x) => x.includes('Channels (4)'), 'esc cleared the filter');
      // A new channel sorted before the selection must not move it.
      await api.api.createChannel({ number: '0.5', name: 'Zero' });
      await t.keys('r');
      await t.waitFor((x) => x.includes('Zero'), 'refreshed');
      await t.keys('e');
      await t.waitFor((x) => x.includes('Edit channel 3'), 'still on Charlie (3)', FORM_MS);
      await t.keys(KEY.esc);
      await api.api.deleteChannel('0.5');
    } finally { await t.close(); }
  });

  test('tab moves between panes and wraps; / filters the focused one', async () => {
    const t = await startTui({ api, initialView: 'channels' });
    try {
      await t.waitFor((x) => x.includes('Alpha'), 'list');
      await t.keys(KEY.tab);
      await t.keys('/', 'zzz', KEY.enter);
      await t.waitFor((x) => x.includes('no match for "zzz"') && x.includes('Channels (4)'), 'the filter went to the preview pane');
      await t.keys(KEY.esc, KEY.tab, '/', 'Bravo', KEY.enter);
      await t.waitFor((x) => /Channels \(1\/4\)|Channels \(1 of 4\)/.test(x) || (x.includes('Bravo') && !x.includes('Alpha')), 'tab wrapped to the channel list, which the filter narrows');
    } finally { await t.close(); }
  });

  test('q goes back, asks [y/N] at the root (No by default), y quits with 0; ctrl-c quits at once', async () => {
    let t = await startTui({ api });
    try {
      await t.waitFor((x) => x.includes('Live sessions'), 'dashboard');
      await t.keys('3', 'q');
      await t.waitFor((x) => x.includes('[1 Dashboard]'), 'q from a view goes to the dashboard');
      await t.keys('q');
      await t.waitFor((x) => x.includes('Quit EXStreamTV? (the daemon keeps running)') && x.includes('[y/N]'), 'asks');
      await t.keys('x');
      assert.ok(t.app.modal(), 'other keys do not answer');
      await t.keys(KEY.enter);
      assert.equal(t.app.modal(), undefined);
      await t.keys('q', 'y');
      assert.equal(await t.app.done, 0);
    } finally { await t.close(); }
    t = await startTui({ api });
    try {
      await t.waitFor((x) => x.includes('Live sessions'), 'dashboard');
      await t.keys('a');   // not bound here: nothing happens
      await t.keys(KEY.ctrlC);
      assert.equal(await t.app.done, 0);
    } finally { await t.close(); }
  });

  test('mouse (optional): a click on a tab switches views, a click on a row selects it', async () => {
    const t = await startTui({ api, mouse: true });
    try {
      let text = await t.waitFor((x) => x.includes('Live sessions'), 'dashboard');
      const tabs = text.split('\n')[1]!;
      await t.keys(...click(tabs.indexOf('2 Channels') + 2, 1));
      text = await t.waitFor((x) => x.includes('[2 Channels]') && x.includes('Delta'), 'channels by click');
      const y = text.split('\n').findIndex((l) => /│3\s+Charlie/.test(l));
      await t.keys(...click(10, y));
      await t.waitFor((x) => x.includes('Next 24 h — 3 Charlie'), 'row 3 selected by click');
    } finally { await t.close(); }
    const off = await startTui({ api, mouse: false });
    try {
      await off.waitFor((x) => x.includes('Live sessions'), 'dashboard');
      await off.keys(...click(20, 1), '?');
      // Keys are handled in order: once the help that `?` opens is shown, the click before it was handled too.
      await off.waitFor((x) => x.includes('Help — '), 'help after the click');
      // The help may cover the tab bar (it grows with the global keys): ask the app which view is on.
      assert.equal(off.app.active().id, 'dashboard', '--no-mouse: clicks do nothing');
    } finally { await off.close(); }
  });

  test('enter on a session row opens its channel; q returns', async () => {
    const t = await startTui({ api });
    try {
      await t.waitFor((x) => x.includes('Live sessions'), 'dashboard');
      t.app.ctx.go('channels', { select: '4' });
      await t.waitFor((x) => x.includes('Next 24 h — 4 Delta'), 'channel 4 selected');
      await t.keys('q');
      await t.waitFor((x) => x.includes('[1 Dashboard]'), 'back');
    } finally { await t.close(); }
  });
});

describe('tui: pure parts', () => {
  test('key ids: typed characters as typed, named keys by name, Enter once', () => {
    assert.equal(keyId('D', { full: 'S-d', name: 'd', shift: true }), 'D');
    assert.equal(keyId('?', { full: '?' }), '?');
    assert.equal(keyId('\r', { full: 'enter', name: 'enter' }), 'enter');
    assert.equal(keyId('\r', { full: 'return', name: 'return' }), null);
    assert.equal(keyId(undefined, { full: 'S-tab', name: 'tab', shift: true }), 'S-tab');
    assert.equal(keyId('\u0003', { full: 'C-c', name: 'c', ctrl: true }), 'C-c');
    assert.equal(keyId(' ', { full: 'space', name: 'space' }), 'space');
  });

  test('the keep-alive transport: replies of any status, ApiError(0) when nobody answers', async () => {
    const api = await startApi({ listen: true });
    try {
      const client = new ApiClient(keepAliveTransport(api.url));
      assert.equal((await client.status()).name, 'exstreamtv');
      await assert.rejects(client.channel('12345'), (e: ApiError) => e.status === 404 && /not found/.test(e.message));
      const bad = await client.createChannel({ number: 'x', name: 'X' }).catch((e: ApiError) => e);
      assert.ok(bad instanceof ApiError && bad.status === 400 && bad.issues[0]?.path === 'body.number', String(bad));
    } finally { await api.close(); }
    const { freePort } = await import('../helpers/cli.js');
    const dead = new ApiClient(keepAliveTransport(`http://127.0.0.1:${await freePort()}`));
    await assert.rejects(dead.status(), (e: ApiError) => e.status === 0 && /cannot reach exstreamtv at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/.test(e.message));
  });

  test('tmux/screen TERMs map to xterm equivalents', () => {
    assert.equal(terminalFor('tmux-256color'), 'xterm-256color');
    assert.equal(terminalFor('screen-256color'), 'xterm-256color');
    assert.equal(terminalFor('screen.xterm-256color'), 'xterm-256color');
    assert.equal(terminalFor('screen'), 'xterm');
    assert.equal(terminalFor('xterm-kitty'), 'xterm-kitty');
    assert.equal(terminalFor(undefined), 'xterm');
  });

  test('text: cell widths, truncation, sparklines', () => {
    assert.equal(fit('日本語のタイトル', 7), '日本語…');
    assert.equal(width(fit('日本語のタイトル', 7)), 7);
    assert.equal(fit('ab\u001b[2Jc', 8), 'ab [2Jc ');
    assert.equal(sparkline([0, 50, 100], 5), '  ▁▅█');
    assert.equal(sparkline([1, 2, 3, 4, 5, 6, 7], 3).length, 3);
  });
});

test('footer hints: in order until the width runs out; mutating keys hidden when read-only; pane keys only while their pane has the focus', () => {
  const b: Binding[] = [
    { keys: ['a'], desc: 'add', hint: 'add', mutates: true, panes: [0] },
    { keys: ['f'], desc: 'search', hint: 'search' },
    { keys: ['+'], desc: 'to collection', hint: 'to coll', mutates: true, panes: [2] },
    { keys: ['x'], desc: 'no hint' },
  ];
  const labels = (h: { key: string; label: string }[]) => h.map((x) => `${x.key} ${x.label}`);
  assert.deepEqual(labels(footerHints(b, false, 80, 0)), ['a add', 'f search']);
  assert.deepEqual(labels(footerHints(b, false, 80, 2)), ['f search', '+ to coll']);
  assert.deepEqual(labels(footerHints(b, true, 80, 2)), ['f search']);
  assert.deepEqual(labels(footerHints(b, false, 8, 0)), ['a add'], 'stops when the next would not fit');
});
