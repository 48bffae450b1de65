// The schedule editor's pure parts: the outline of a definition, API issue paths → outline rows and
// form fields, entry forms applied to a definition (source rename follows its references), removal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scheduleDefinition, type ScheduleDefinition } from '../../src/schemas/schedule.js';
import { addKind, entryForm, fieldForIssue, removeEntry } from '../../src/tui/views/schedule-forms.js';
import { daysLabel, fillerPlan, outline, rowForIssue } from '../../src/tui/views/schedule-outline.js';

const names = { collections: [{ id: 1, name: 'Shows', items: 12 }, { id: 2, name: 'Bumpers', items: 4 }], shows: [] } as never;

const def = (): ScheduleDefinition => scheduleDefinition.parse({
  timezone: 'Europe/Berlin',
  sources: [
    { key: 'shows', content: [{ type: 'collection', id: 1 }], order: { kind: 'random', cooldownMin: 120 } },
    { key: 'bumpers', content: [{ type: 'collection', id: 2 }], order: { kind: 'shuffle' } },
  ],
  main: { mode: 'time_slots', period: 'week', maxLatenessMin: 5, padToMin: 30, slots: [
    { start: '08:00', day: 1, source: 'shows', fill: { mode: 'count', count: 2 } },
    { start: '20:00', day: 5, source: 'shows' },
  ] },
  filler: { lists: [{ source: 'bumpers', kinds: ['pre', 'mid'], cooldownMin: 10 }] },
  blocks: [{ days: [1, 2, 3, 4, 5], start: '06:00', end: '07:00', redirect: '2' }],
});

test('the outline lists every part with readable settings, keyed by definition path', () => {
  const rows = outline(def(), names);
  assert.deepEqual(rows.map((r) => r.key), ['general', 'sources', 'sources.0', 'sources.1', 'main', 'main.slots.0', 'main.slots.1', 'filler', 'filler.lists.0', 'blocks', 'blocks.0']);
  const by = Object.fromEntries(rows.map((r) => [r.key, `${r.label.trim()} | ${r.detail}`]));
  assert.equal(by.general, 'General | time zone Europe/Berlin · live clock');
  assert.equal(by['sources.0'], 'shows | collection "Shows" (12 items) · random, 120 min cooldown');
  assert.equal(by.main, 'Main: time slots | 2 slots a week · lateness 5 min · pad to 30 min');
  assert.equal(by['main.slots.0'], 'Mon 08:00 | shows · 2 items');
  assert.equal(by['main.slots.1'], 'Fri 20:00 | shows · until the next slot');
  assert.match(by['filler.lists.0']!, /^bumpers \| pre, mid · cooldown 10 min · mid every 15 min or at chapters in items over 30 min · plays bumpers shuffled: every item once before any repeats; never the same item twice in a row$/);
  assert.equal(fillerPlan(def(), 'shows'), 'plays shows at random, none again within 120 min; never the same item twice in a row');
  assert.equal(by['blocks.0'], '06:00–07:00 | weekdays · air channel 2');
  assert.equal(daysLabel([0, 6]), 'weekends');
  assert.equal(daysLabel([2, 4]), 'Tue Thu');
});

test('API issue paths find their outline row and form field', () => {
  const rows = outline(def(), names);
  assert.equal(rowForIssue('body.definition.main.slots.1.fill.count', rows), 'main.slots.1');
  assert.equal(rowForIssue('definition.sources.0.order.cooldownMin', rows), 'sources.0');
  assert.equal(rowForIssue('body.main.slots', rows), 'main');
  assert.equal(rowForIssue('definition.timezone', rows), 'general');
  const slot = entryForm('slot', 1, def(), names);
  const field = fieldForIssue(slot.prefix, slot.fields);
  assert.equal(field('body.definition.main.slots.1.fill.count'), 'count');
  assert.equal(field('body.definition.main.slots.1.fill.mode'), 'fill');
  assert.equal(field('body.definition.main.slots.1.day'), 'day');
  assert.equal(field('body.definition.main.slots.0.start'), undefined, 'another slot is not this form\'s');
  const general = entryForm('general', null, def(), names);
  assert.equal(fieldForIssue(general.prefix, general.fields)('definition.filler.itemCooldownMin'), 'itemCooldownMin');
});

test('forms apply their values to a copy; renaming a source renames its uses; bad numbers name the field', () => {
  const d = def();
  const f = entryForm('source', 0, d, names);
  const out = f.apply({ key: 'series', content: ['collection:1'], order: 'block_shuffle', blockSize: '3', cooldownMin: '0', keepMultiPart: 'no' }, d);
  assert.equal(d.sources[0]!.key, 'shows', 'the original is untouched');
  assert.deepEqual(out.sources[0], { key: 'series', content: [{ type: 'collection', id: 1 }], order: { kind: 'block_shuffle', blockSize: 3 }, keepMultiPart: false });
  assert.deepEqual(out.main.mode === 'time_slots' && out.main.slots.map((s) => s.source), ['series', 'series']);
  assert.equal(f.selectAfter(out), 'sources.0');
  assert.throws(() => entryForm('rslot', null, d, names), /not random slots/);
  const block = entryForm('block', null, d, names);
  assert.throws(() => block.apply({ days: ['6'], start: '01:00', end: '02:00', target: 'source', source: 'shows', redirect: '', gridMin: 'half' }, d),
    (e: { issues: { path: string }[] }) => e.issues[0]!.path === 'gridMin');
  const added = block.apply({ days: ['0', '6'], start: '01:00', end: '02:00', target: 'source', source: 'shows', redirect: '', gridMin: '30' }, d);
  assert.deepEqual(added.blocks[1], { days: [0, 6], start: '01:00', end: '02:00', gridMin: 30, source: 'shows' });
  assert.equal(block.selectAfter(added), 'blocks.1');
  scheduleDefinition.parse(added);
});

test('switching the main mode keeps what fits and seeds the rest from the sources', () => {
  const d = def();
  const main = entryForm('main', null, d, names);
  const base = { period: 'day', maxLatenessMin: '0', padToMin: '0', channel: '', shiftMin: '0' };
  const flood = main.apply({ ...base, mode: 'flood' }, d);
  assert.deepEqual(flood.main, { mode: 'flood', sources: [{ source: 'shows', weight: 1 }, { source: 'bumpers', weight: 1 }] });
  const random = main.apply({ ...base, mode: 'random_slots', padToMin: '15' }, d);
  assert.equal(random.main.mode === 'random_slots' && random.main.slots.length, 2);
  assert.equal(random.main.mode === 'random_slots' && random.main.padToMin, 15);
  const mirror = main.apply({ ...base, mode: 'mirror', channel: '7', shiftMin: '60' }, d);
  assert.deepEqual(mirror.main, { mode: 'mirror', channel: '7', shiftMin: 60 });
  assert.equal(addKind('main', mirror), null, 'a mirror has no entries to add');
  assert.equal(addKind('slot', d), 'slot');
  assert.equal(addKind('blocks', d), 'block');
});

test('removing an entry drops just it; sections are not removable', () => {
  const d = def();
  const out = removeEntry('slot', 0, d)!;
  assert.deepEqual(out.main.mode === 'time_slots' && out.main.slots.map((s) => s.start), ['20:00']);
  assert.equal(removeEntry('list', 0, d)!.filler.lists.length, 0);
  assert.equal(removeEntry('main', 0, d), null);
  assert.equal(removeEntry('sources', 0, d), null);
});
