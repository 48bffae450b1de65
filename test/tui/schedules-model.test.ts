// The Schedules view's drafts without a screen: dirty and reload rules, undo depth and words,
// revert to what is saved now, save bookkeeping, API verdicts pointed at outline rows, titles.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Channel } from '../../src/schemas/channel.js';
import type { ScheduleDefinition } from '../../src/schemas/schedule.js';
import { appliedText, Drafts, plain, shiftRows, UNDO_DEPTH } from '../../src/tui/views/schedules-model.js';

const def = (tz: string) => ({ timezone: tz, sources: [], main: { mode: 'flood', shares: [] }, filler: [], blocks: [] } as unknown as ScheduleDefinition);
const ch = (updatedAt = 'u1') => ({ number: '5', name: 'Five', updatedAt } as Channel);

test('a draft is dirty once it differs from what was saved; a clean one reloads when the channel changed elsewhere', () => {
  const drafts = new Drafts();
  assert.equal(drafts.needsLoad(ch()), true);
  const d = drafts.load(ch(), { custom: false, revision: 3, definition: def('UTC') });
  assert.equal(drafts.dirty(d), false);
  assert.equal(drafts.needsLoad(ch()), false);
  assert.equal(drafts.needsLoad(ch('u2')), true, 'clean and changed elsewhere: reload');
  drafts.change(d, def('Europe/Berlin'));
  assert.equal(drafts.dirty(d), true);
  assert.equal(drafts.needsLoad(ch('u2')), false, 'a dirty draft is never thrown away');
  assert.deepEqual(drafts.unsaved(), ['5']);
  assert.equal(drafts.title(ch(), d), 'Schedule — 5 Five (simple) ● unsaved: w saves');
  assert.equal(drafts.title(undefined, d), 'Schedule');
});

test('undo: one change at a time, bounded, with words for the flash line', () => {
  const drafts = new Drafts();
  const d = drafts.load(ch(), { custom: true, revision: 1, definition: def('UTC') });
  assert.equal(drafts.undo(d), null);
  drafts.change(d, def('A'));
  drafts.change(d, def('B'));
  assert.equal(drafts.undo(d), 'undone: 1 change(s) left to undo');
  assert.equal(drafts.undo(d), 'undone: the draft matches the saved schedule');
  for (let i = 0; i < UNDO_DEPTH + 5; i++) drafts.change(d, def(`Z${i}`));
  assert.equal(d.undo.length, UNDO_DEPTH);
});

test('revert goes to the schedule as saved now and keeps the draft one undo away; save records what was sent', () => {
  const drafts = new Drafts();
  const d = drafts.load(ch(), { custom: false, revision: 1, definition: def('UTC') });
  drafts.change(d, def('Mine'));
  drafts.revert(d, { custom: true, revision: 4, definition: def('Theirs') });
  assert.equal(d.def.timezone, 'Theirs');
  assert.deepEqual([d.revision, d.custom, drafts.dirty(d)], [4, true, false]);
  assert.equal(drafts.undo(d), 'undone: 1 change(s) left to undo');
  assert.equal(d.def.timezone, 'Mine');
  const sent = d.def;
  drafts.change(d, def('typed while saving'));
  drafts.saved(d, sent, null, 'u9');
  assert.deepEqual([d.revision, d.at, drafts.dirty(d)], [5, 'u9', true], 'the edit made meanwhile stays unsaved');
  assert.equal(drafts.title(ch(), d), 'Schedule — 5 Five (rev 5) ● unsaved: w saves');
});

test('an API verdict names the outline row of its first issue; messages lose the body prefix', () => {
  const drafts = new Drafts();
  const d = drafts.load(ch(), { custom: true, revision: 1, definition: def('UTC') });
  const rows = [{ key: 'general', kind: 'general', label: 'General', detail: '' }, { key: 'main.slots.2', kind: 'slot', index: 2, label: ' 20:00', detail: '' }] as never;
  drafts.fail(d, 'body.definition.main.slots.2.start: overlaps the slot before', 'body.definition.main.slots.2.start', rows);
  assert.deepEqual([d.error, d.errorRow], ['main.slots.2.start: overlaps the slot before', 'main.slots.2']);
  assert.match(drafts.title(ch(), d), /✖ not valid$/);
  drafts.clearError(d);
  assert.equal(d.error, null);
  assert.equal(plain('definition.timezone: unknown'), 'timezone: unknown');
});

test('words and shifts', () => {
  assert.equal(appliedText('Add source — channel 5', true, '5'), 'added a source to the draft of channel 5 (not saved yet: w saves, u undoes)');
  assert.equal(appliedText('Time slot 20:00', false, '5'), 'changed time slot 20:00 in the draft of channel 5 (not saved yet: w saves, u undoes)');
  assert.deepEqual(shiftRows([{ start: '2026-01-01T10:00:00.000Z', end: '2026-01-01T11:00:00.000Z' }], 3_600_000), [{ start: '2026-01-01T11:00:00.000Z', end: '2026-01-01T12:00:00.000Z' }]);
});
