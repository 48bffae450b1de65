// Schedules view: the definition as an outline, edited in forms (sources, main mode, time slots,
// random slots with weights and cooldowns, filler, blocks, mirror), an instant preview of the
// draft from POST /api/schedules/preview, API validation at the field, undo, save, read-only.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addFakeItems, addFakeSource, episodes } from '../helpers/fake-items.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { KEY, startTui, type Tui } from './harness.js';
import type { ScheduleDefinition } from '../../src/schemas/schedule.js';

const schedule = async (api: TestApi, n: string) =>
  api.api.request<{ custom: boolean; definition: ScheduleDefinition }>('GET', `/api/channels/${n}/schedule`);

/** Moves the outline selection to row `i` (0 = General). */
async function row(t: Tui, i: number): Promise<void> {
  await t.keys('g', ...Array<string>(i).fill('j'));
}

describe('tui: schedules', () => {
  let api: TestApi;
  let shows: number, ads: number;
  before(async () => {
    api = await startApi();
    const src = addFakeSource(api.engine.store, 'fake');
    shows = (await api.api.createCollection({ name: 'Mornings', itemIds: addFakeItems(api.engine.store, src, episodes('Morning Show', 6, 25 * 60_000)) })).id;
    ads = (await api.api.createCollection({ name: 'Ads', itemIds: addFakeItems(api.engine.store, src, episodes('Ad', 8, 30_000)) })).id;
    await api.api.createChannel({ number: '5', name: 'Five', content: [{ type: 'collection', id: shows }] });
    await api.api.createChannel({ number: '9', name: 'Nine', content: [{ type: 'collection', id: shows }] });
  });
  after(async () => { await api.close(); });

  test('a simple channel as an outline; removing its only share shows the problem at once; u undoes', async () => {
    const t = await startTui({ api, initialView: 'schedules' });
    try {
      let text = await t.waitFor((x) => x.includes('Schedule — 5 Five (simple)') && x.includes('Next 24 h — 5 Five'), 'outline and saved guide');
      assert.match(text, /General\s+time zone of the server · live clock/);
      assert.match(text, /Sources \(1\)/);
      assert.match(text, / {2}main\s+collection "Mornings" \(6 items\) · in order/);
      assert.match(text, /Main: flood\s+one source back to back/);
      assert.match(text, /Filler \(0\)\s+none: gaps show the offline slate/);
      // D is about the outline's entries: on the channel list it says where it works, and removes nothing.
      await t.keys('D');
      await t.waitFor((x) => x.includes('D (remove the selected entry from the draft) works in the Schedule pane: tab there first'), 'pane hint');
      assert.doesNotMatch(t.s.text(), /● unsaved/);
      await t.keys(KEY.enter); // to the outline
      await row(t, 4);
      await t.keys('D');
      text = await t.waitFor((x) => x.includes('Preview of the unsaved draft — 5: not valid'), 'the draft preview refuses');
      assert.match(text, /✖ main\.sources: /);
      assert.match(text, /Main: flood\s+✖/, 'the outline marks the row at fault');
      assert.match(text, /● unsaved: w saves ✖ not valid/);
      await t.keys('w');
      await t.waitFor((x) => x.includes('not saved: main.sources'), 'save refused with the reason');
      assert.equal((await schedule(api, '5')).custom, false, 'nothing saved');
      await t.keys('u');
      await t.waitFor((x) => x.includes('undone: the draft matches the saved schedule') && x.includes('Next 24 h — 5 Five'), 'back to the saved guide');
    } finally { await t.close(); }
  });

  test('build time slots with a filler list and a block in forms, see the preview, save', async () => {
    const t = await startTui({ api, initialView: 'schedules' });
    try {
      await t.waitFor((x) => x.includes('Schedule — 5 Five'), 'outline');
      await t.keys(KEY.enter);
      // A second source: the ads collection.
      await row(t, 1);
      await t.keys('a');
      await t.waitFor((x) => x.includes('Add source — channel 5') && x.includes('collection Ads'), 'the source form');
      await t.keys(KEY.ctrlU, 'ads', KEY.tab, ' ', KEY.enter); // Ads is listed first (by name)
      let text = await t.waitFor((x) => /ads\s+collection "Ads" \(8 items\) · in order/.test(x), 'the new source');
      assert.match(text, /added a source to the draft of channel 5 \(not saved yet/);
      assert.match(text, /Sources \(2\)/);
      // Main: flood → time slots.
      await row(t, 4);
      await t.keys('e');
      await t.waitFor((x) => x.includes('Main schedule — channel 5'), 'the main form');
      await t.keys(KEY.right, KEY.enter);
      text = await t.waitFor((x) => /Main: time slots\s+1 slot a day/.test(x), 'time slots');
      assert.match(text, / {2}00:00\s+main · until the next slot/);
      // A slot at noon: a bad time is refused at its field, the form stays open.
      await t.keys('a');
      await t.waitFor((x) => x.includes('Add time slot — channel 5'), 'the slot form');
      await t.keys('7:00', KEY.enter);
      text = await t.waitFor((x) => x.includes('must be a time of day like 08:00'), 'the field error');
      assert.ok(t.app.modal(), 'the form stays open');
      await t.keys(KEY.ctrlU, '12:00', KEY.tab, KEY.tab, KEY.right, KEY.enter);
      text = await t.waitFor((x) => / {2}12:00\s+main · one item/.test(x), 'the noon slot');
      // Filler: the ads as tail and fallback (the defaults).
      await row(t, 7);
      await t.keys('a');
      await t.waitFor((x) => x.includes('Add filler list'), 'the filler form');
      await t.keys(KEY.enter);
      text = await t.waitFor((x) => /Filler \(1\)/.test(x) && /ads\s+tail, fallback/.test(x), 'the filler list');
      // A Saturday-morning block airing the ads.
      await row(t, 9);
      await t.keys('a');
      await t.waitFor((x) => x.includes('Add block — channel 5'), 'the block form');
      await t.keys(KEY.tab, '06:00', KEY.tab, '08:00', KEY.tab, KEY.tab, KEY.right, KEY.enter);
      text = await t.waitFor((x) => /06:00–08:00\s+Sat · ads/.test(x), 'the block');
      // The preview is the draft's: filler fills the gaps before each slot (/ narrows the preview to them).
      await t.waitFor((x) => x.includes('Preview of the unsaved draft — 5'), 'the draft preview');
      await t.keys(KEY.tab, '/', 'filler', KEY.enter);
      text = await t.waitFor((x) => /\d\d:\d\d–\d\d:\d\d\s+30s filler\s+\(filler\) Ad episode \d/.test(x), 'filler rows in the preview');
      await t.keys(KEY.backtab);
      await t.keys('w');
      await t.waitFor((x) => x.includes('saved the schedule of channel 5') && x.includes('Schedule — 5 Five (rev'), 'saved');
      const s = await schedule(api, '5');
      assert.equal(s.custom, true);
      assert.deepEqual(s.definition.sources.map((x) => [x.key, x.content]), [['main', [{ type: 'collection', id: shows }]], ['ads', [{ type: 'collection', id: ads }]]]);
      assert.equal(s.definition.main.mode, 'time_slots');
      if (s.definition.main.mode === 'time_slots') {
        assert.deepEqual(s.definition.main.slots.map((x) => [x.start, x.source, x.fill.mode]), [['00:00', 'main', 'flood'], ['12:00', 'main', 'one']]);
      }
      assert.deepEqual(s.definition.filler.lists.map((l) => [l.source, l.kinds]), [['ads', ['tail', 'fallback']]]);
      assert.deepEqual(s.definition.blocks.map((b) => [b.days, b.start, b.end, b.source]), [[[6], '06:00', '08:00', 'ads']]);
      // The saved guide follows (the timeline was rebuilt).
      await t.waitFor((x) => x.includes('Next 24 h — 5 Five'), 'the saved guide again');
    } finally { await t.close(); }
  });

  test('replicate a time slot (R) changes the draft, u takes it back; balance (B) explains why it does not apply', async () => {
    const t = await startTui({ api, initialView: 'schedules' });
    try {
      await t.waitFor((x) => /Main: time slots\s+2 slots a day/.test(x), 'channel 5, saved with time slots by the test before');
      await t.keys(KEY.enter);
      await row(t, 5); // the 00:00 slot
      await t.keys('R');
      await t.waitFor((x) => x.includes('Replicate slot 00:00 — channel 5'), 'the replicate form');
      await t.keys(KEY.ctrlU, '2', KEY.tab, KEY.ctrlU, '90', KEY.enter);
      let text = await t.waitFor((x) => /Main: time slots\s+4 slots a day/.test(x), 'two more slots');
      assert.match(text, / {2}01:30\s+main · until the next slot/);
      assert.match(text, / {2}03:00\s+main · until the next slot/);
      await t.keys('u');
      text = await t.waitFor((x) => /Main: time slots\s+2 slots a day/.test(x), 'undone');
      await t.waitFor((x) => x.includes('Next 24 h — 5 Five'), 'the saved guide again, not a late draft preview');
      // Balance is for flood weights: on time slots the API says so, and the draft is untouched.
      await t.keys('B');
      await t.waitFor((x) => x.includes('balance failed: main.mode: balance works on flood schedules'), 'balance refused with the reason');
      assert.doesNotMatch(t.s.text(), /● unsaved/);
    } finally { await t.close(); }
  });

  test('random slots with weights and cooldowns; a zero weight is refused at its field; mirror previews the shifted guide', async () => {
    const t = await startTui({ api, initialView: 'schedules' });
    try {
      await t.waitFor((x) => x.includes('Schedule — 5 Five'), 'outline');
      await t.keys('j'); // channel 9
      await t.waitFor((x) => x.includes('Schedule — 9 Nine (simple)'), 'channel 9');
      await t.keys(KEY.enter);
      await row(t, 3);
      await t.keys('e', KEY.right, KEY.right, KEY.enter);
      let text = await t.waitFor((x) => /Main: random slots\s+1 slot/.test(x), 'random slots');
      assert.match(text, / {2}main\s+1 item/);
      await row(t, 4);
      await t.keys('e');
      await t.waitFor((x) => x.includes('Random slot main — channel 9'), 'the random slot form');
      await t.keys(KEY.tab, KEY.ctrlU, '0', KEY.enter);
      text = await t.waitFor((x) => /✖ .*(greater than 0|>0)/.test(x), 'the weight error at its field');
      assert.ok(t.app.modal(), 'the form stays open');
      await t.keys(KEY.ctrlU, '3', KEY.tab, KEY.ctrlU, '90', KEY.tab, KEY.right, KEY.tab, KEY.tab, KEY.ctrlU, '50', KEY.enter);
      text = await t.waitFor((x) => / {2}main\s+50 min · weight 3 · cooldown 90 min/.test(x), 'the slot row');
      await t.waitFor((x) => x.includes('Preview of the unsaved draft — 9') && /Morning Show S01E0/.test(x), 'the draft preview');
      await t.keys('w');
      await t.waitFor((x) => x.includes('saved the schedule of channel 9'), 'saved');
      const s = await schedule(api, '9');
      assert.deepEqual(s.definition.main, { mode: 'random_slots', padToMin: 0, slots: [{ source: 'main', weight: 3, cooldownMin: 90, fill: { mode: 'duration', minutes: 50 } }] });

      // Mirror channel 5 an hour later: the preview is channel 5's guide, shifted.
      const five = await api.api.timeline('5', { from: new Date(Date.now() - 3_600_000).toISOString(), hours: 2 });
      const at = (iso: string) => { const d = new Date(Date.parse(iso) + 3_600_000); return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`; };
      const first = five.rows[0]!;
      const shifted = `${at(first.start)}–${at(first.end)}`;
      await row(t, 3);
      await t.keys('e', KEY.right, KEY.tab, KEY.tab, KEY.tab, KEY.tab, '5', KEY.tab, KEY.ctrlU, '60', KEY.enter);
      await t.waitFor((x) => /Main: mirror\s+channel 5, 60 min later/.test(x) && x.includes('Preview of the unsaved draft — 9') && x.includes(shifted),
        `channel 5's first row, an hour later (${shifted})`);
      await t.keys('U');
      await t.waitFor((x) => x.includes('Drop the unsaved changes'), 'asks first');
      await t.keys('y');
      await t.waitFor((x) => x.includes('back to the saved schedule') && /Main: random slots/.test(x), 'dropped');
    } finally { await t.close(); }
  });

  test('a schedule saved elsewhere meanwhile is not overwritten without asking (expectRevision → 409)', async () => {
    const t = await startTui({ api, initialView: 'schedules' });
    try {
      await t.waitFor((x) => x.includes('Schedule — 5 Five'), 'outline');
      await t.keys('j', KEY.enter);
      await t.waitFor((x) => x.includes('Schedule — 9 Nine'), 'channel 9');
      await row(t, 0);
      await t.keys('e', KEY.tab, KEY.tab, KEY.ctrlU, '5', KEY.enter);
      await t.waitFor((x) => x.includes('filler item cooldown 5') && x.includes('● unsaved'), 'the draft');
      // Meanwhile someone else saves channel 9 (another TUI, the CLI).
      const before = await api.api.request<{ revision: number; definition: ScheduleDefinition }>('GET', '/api/channels/9/schedule');
      await api.api.request('PUT', '/api/channels/9/schedule', { ...before.definition, onDemand: true });
      const stale = await api.call('PUT', `/api/channels/9/schedule?expectRevision=${before.revision}`, before.definition);
      assert.equal(stale.status, 409);
      assert.match(stale.body.message, /changed since revision \d+ was loaded/);
      await t.keys('w');
      await t.waitFor((x) => x.includes("Channel 9's schedule was changed elsewhere since you loaded it. Overwrite it with your draft?"), 'asks');
      await t.keys('n');
      await t.waitFor((x) => x.includes("not saved: channel 9's schedule changed elsewhere"), 'kept theirs');
      assert.equal((await schedule(api, '9')).definition.onDemand, true);
      await t.keys('w');
      await t.waitFor((x) => x.includes('Overwrite it with your draft?'), 'asks again');
      await t.keys('y');
      await t.waitFor((x) => x.includes('saved the schedule of channel 9'), 'saved');
      const s = (await schedule(api, '9')).definition;
      assert.deepEqual([s.onDemand, s.filler.itemCooldownMin], [false, 5]);
    } finally { await t.close(); }
  });

  test('read-only: editing keys refused, the outline still shown at 80×24 without colour', async () => {
    const t = await startTui({ api, initialView: 'schedules', readonly: true, cols: 80, rows: 24, env: { NO_COLOR: '1' } });
    try {
      const text = await t.waitFor((x) => x.includes('Schedule — 5 Five') && x.includes('General'), 'the outline at 80×24');
      assert.ok(text.split('\n').every((l) => l.length === 80));
      await t.keys(KEY.enter, 'a');
      await t.waitFor((x) => x.includes('read-only:'), 'refused');
      assert.equal(t.app.modal(), undefined, 'no form opened');
    } finally { await t.close(); }
  });
});
