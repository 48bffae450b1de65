// Every view at 80×24 and 120×40, the too-small message, resizing back, and the themes:
// NO_COLOR leaves every cell without colour; the default theme uses 256 colours.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addFakeItems, addFakeSource, episodes } from '../helpers/fake-items.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { startTui } from './harness.js';

const DEFAULT = 0x1ff;
/** Foreground and background colour of every cell: [fg, bg]. */
function colours(screen: unknown): [number, number][] {
  const out: [number, number][] = [];
  for (const line of (screen as { lines: [number, string][][] }).lines) for (const [attr] of line) out.push([(attr >> 9) & 0x1ff, attr & 0x1ff]);
  return out;
}

describe('tui: layout and themes', () => {
  let api: TestApi;
  before(async () => {
    api = await startApi();
    const src = addFakeSource(api.engine.store, 'fake');
    const ids = addFakeItems(api.engine.store, src, episodes('A Rather Long Show Title That Will Not Fit', 3, 30 * 60_000));
    await api.api.createChannel({ number: '1', name: 'One', content: ids.map((id) => ({ type: 'item' as const, id })) });
  });
  after(async () => { await api.close(); });

  for (const [cols, rows] of [[80, 24], [120, 40]] as const) {
    test(`every view fits ${cols}×${rows}: header, tabs, panes, footer`, async () => {
      const t = await startTui({ api, cols, rows, env: {} });
      try {
        for (const [key, title, marker] of [['1', 'Dashboard', 'Live sessions'], ['2', 'Channels', 'One'], ['3', 'Schedules', 'Schedule'], ['4', 'Library', 'Sources'], ['5', 'Profiles', 'Encoders'], ['6', 'Tuner', 'DeviceID']]) {
          await t.keys(key!);
          const text = await t.waitFor((x) => x.includes(marker!), `${title} at ${cols}×${rows}`);
          const lines = text.split('\n');
          assert.equal(lines.length, rows);
          assert.ok(lines.every((l) => l.length === cols), 'every line is exactly the width');
          // Host, uptime, API URL and read-only state at every size (the version when there is room).
          assert.match(lines[0]!, /EXStreamTV .*testhost │ up (\d|…).*127\.0\.0\.1:8410 \(?daemon\)?.* │ read-write/, `header: ${lines[0]}`);
          if (cols >= 120) assert.match(lines[0]!, /EXStreamTV \d+\.\d+\.\d+ │ host testhost │ up /, 'header: version too');
          assert.match(lines[1]!, new RegExp(`\\[${key} ${title}\\]`), 'the active tab, marked by brackets not colour');
          assert.match(lines[rows - 1]!, /\? help/, 'footer hints');
          // Borders are whole: each top-left corner of a pane has its bottom-left corner below it.
          assert.ok(lines.some((l) => l.startsWith('┌')) && lines.some((l) => l.startsWith('└')), 'panes drawn');
        }
      } finally { await t.close(); }
    });
  }

  test('too small says what it needs and what it has, and recovers on resize', async () => {
    const t = await startTui({ api, cols: 120, rows: 40, env: {} });
    try {
      await t.waitFor((x) => x.includes('Live sessions'), 'dashboard');
      t.s.resize(60, 20);
      let text = await t.waitFor((x) => x.includes('needs 80×24, have 60×20'), 'the too-small message');
      assert.equal(text.split('\n').length, 20);
      assert.doesNotMatch(text, /Live sessions/);
      t.s.resize(79, 24);
      await t.waitFor((x) => x.includes('needs 80×24, have 79×24'), 'one column short');
      t.s.resize(80, 24);
      text = await t.waitFor((x) => x.includes('Live sessions') && !x.includes('needs 80'), 'back to the dashboard');
      assert.ok(text.split('\n').every((l) => l.length === 80));
    } finally { await t.close(); }
  });

  test('NO_COLOR: not one coloured cell in any view, state still readable (symbols and words)', async () => {
    const t = await startTui({ api, env: { NO_COLOR: '1' }, initialView: 'channels' });
    try {
      const text = await t.waitFor((x) => x.includes('One') && x.includes('A Rather Long Show'), 'channels');
      assert.equal(t.app.ctx.theme.name, 'mono');
      const coloured = colours(t.s.screen).filter(([fg, bg]) => fg !== DEFAULT || bg !== DEFAULT);
      assert.equal(coloured.length, 0, `${coloured.length} coloured cells`);
      assert.match(text, /✔ on/);
      assert.match(text, /\[2 Channels\]/);
      // Every other view too.
      for (const [key, marker] of [['1', 'Live sessions'], ['3', 'Schedule — 1 One'], ['4', 'Sources'], ['5', 'Encoders'], ['6', 'DeviceID']] as const) {
        await t.keys(key);
        await t.waitFor((x) => x.includes(marker), marker);
        const cells = colours(t.s.screen).filter(([fg, bg]) => fg !== DEFAULT || bg !== DEFAULT);
        assert.equal(cells.length, 0, `view ${key}: ${cells.length} coloured cells`);
      }
    } finally { await t.close(); }
  });

  test('default theme: 256 colours (blessed\'s colour cache fixed), 16-colour fallback by terminal', async () => {
    const t = await startTui({ api, env: {}, initialView: 'channels' });
    try {
      await t.waitFor((x) => x.includes('One'), 'channels');
      assert.equal(t.app.ctx.theme.name, 'color256');
      const fgs = new Set(colours(t.s.screen).map(([fg]) => fg).filter((fg) => fg !== DEFAULT));
      assert.ok([...fgs].some((c) => c >= 16 && c < 256), `256-colour indices used: ${[...fgs].join(',')}`);
    } finally { await t.close(); }
    const { pickTheme } = await import('../../src/tui/theme.js');
    assert.equal(pickTheme({}, 16).name, 'color16');
    assert.equal(pickTheme({}, 8).name, 'color16');
    assert.equal(pickTheme({ NO_COLOR: '' }, 256).name, 'color256', 'an empty NO_COLOR does not count');
    assert.equal(pickTheme({ NO_COLOR: 'yes' }, 256).name, 'mono');
  });
});
