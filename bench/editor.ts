// Schedule editor benchmark: how "instant" the TUI's draft preview is. An in-process TUI (injected
// screen, real API and SQLite) edits a time-slot schedule over a library of --items episodes in
// --shows shows plus filler; each change (remove an entry, then undo it) is timed from the key
// press until the preview pane shows the draft's 24 h (or, after undo, the saved guide). One JSON line.
//   node dist/bench/editor.js [--items 5000] [--shows 50] [--changes 20]
import { parseArgs } from 'node:util';
import { addFakeItems, addFakeSource, episodes } from '../test/helpers/fake-items.js';
import { startApi } from '../test/helpers/api.js';
import { KEY, startTui } from '../test/tui/harness.js';

const { values } = parseArgs({ options: { items: { type: 'string', default: '5000' }, shows: { type: 'string', default: '50' }, changes: { type: 'string', default: '20' } } });
const ITEMS = Number(values.items), SHOWS = Number(values.shows), CHANGES = Number(values.changes);

const api = await startApi();
const src = addFakeSource(api.engine.store, 'bench');
const perShow = Math.ceil(ITEMS / SHOWS);
const ids: number[] = [];
for (let s = 0; s < SHOWS; s++) ids.push(...addFakeItems(api.engine.store, src, episodes(`Show ${s}`, perShow, (22 + (s % 3) * 11) * 60_000)));
const ads = addFakeItems(api.engine.store, src, episodes('Bumper', 40, 30_000));
const shows = (await api.api.createCollection({ name: 'Shows', itemIds: ids })).id;
const bumpers = (await api.api.createCollection({ name: 'Bumpers', itemIds: ads })).id;
await api.api.createChannel({ number: '1', name: 'Bench' });
await api.api.request('PUT', '/api/channels/1/schedule', {
  sources: [
    { key: 'shows', content: [{ type: 'collection', id: shows }], order: { kind: 'shuffle' } },
    { key: 'bumpers', content: [{ type: 'collection', id: bumpers }], order: { kind: 'shuffle' } },
  ],
  main: { mode: 'time_slots', period: 'day', padToMin: 30, slots: ['00:00', '06:00', '09:00', '12:00', '17:00', '20:00', '22:00'].map((start) => ({ start, source: 'shows' })) },
  filler: { lists: [{ source: 'bumpers', kinds: ['pre', 'post', 'tail', 'fallback'] }] },
});

const t = await startTui({ api, initialView: 'schedules' });
await t.waitFor((x) => x.includes('Next 24 h — 1 Bench'), 'the saved guide');
await t.keys(KEY.enter, 'g', ...Array<string>(6).fill('j')); // the 06:00 slot

/** Milliseconds from the key until the screen satisfies pred (checked every 2 ms). */
async function timed(key: string, pred: (text: string) => boolean): Promise<number> {
  const t0 = performance.now();
  t.s.input.write(key);
  for (;;) {
    await new Promise((r) => setTimeout(r, 2));
    t.app.render();
    if (pred(t.s.text())) return performance.now() - t0;
    if (performance.now() - t0 > 10_000) throw new Error(`no preview after 10 s:\n${t.s.text()}`);
  }
}

const draft: number[] = [], saved: number[] = [];
for (let i = 0; i < CHANGES; i++) {
  draft.push(await timed('D', (x) => x.includes('Preview of the unsaved draft — 1 (')));
  saved.push(await timed('u', (x) => x.includes('Next 24 h — 1 Bench (')));
}
const rows = Number(/Preview of the unsaved draft — 1 \((\d+)\)|Next 24 h — 1 Bench \((\d+)\)/.exec(t.s.text())?.slice(1).find(Boolean) ?? 0);
await t.close();
await api.close();

const med = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return Math.round(s[Math.floor(s.length / 2)]! * 10) / 10; };
const p90 = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return Math.round(s[Math.floor(s.length * 0.9)]! * 10) / 10; };
console.log(JSON.stringify({
  bench: 'editor', case: 'draft-preview', items: ids.length + ads.length, shows: SHOWS, changes: CHANGES, guideRows: rows,
  draftPreviewMedianMs: med(draft), draftPreviewP90Ms: p90(draft), savedGuideMedianMs: med(saved), savedGuideP90Ms: p90(saved),
  note: 'key press → preview pane redrawn; includes the 40 ms debounce for draft previews',
}));
