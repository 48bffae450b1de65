// Channels view against the real API: list with now/next, the add form (API validation shown in
// the form), edit, delete with a [y/N] confirm that defaults to No, tune URLs, read-only mode.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addFakeItems, addFakeSource, episodes } from '../helpers/fake-items.js';
import { startApi, type TestApi } from '../helpers/api.js';

/** The channel form lists the encoder profiles: the first GET /api/profiles waits for the encoder probe (real encodes, slow on a loaded box). */
const FORM_MS = 60_000;
import { KEY, startTui } from './harness.js';

describe('tui: channels', () => {
  let api: TestApi;
  let collectionId: number;
  before(async () => {
    api = await startApi();
    const src = addFakeSource(api.engine.store, 'fake');
    const ids = addFakeItems(api.engine.store, src, episodes('Morning Show', 6, 25 * 60_000));
    collectionId = (await api.api.createCollection({ name: 'Mornings', itemIds: ids })).id;
    await api.api.createChannel({ number: '5', name: 'Five', group: 'News', content: [{ type: 'collection', id: collectionId }] });
  });
  after(async () => { await api.close(); });

  test('lists channels with what is on now and next, and the 24 h preview', async () => {
    const t = await startTui({ api, initialView: 'channels' });
    try {
      const text = await t.waitFor((x) => /5\s+Five/.test(x) && x.includes('Morning Show S01E0'), 'channel 5 with now/next');
      assert.match(text, /\[2 Channels\]/);
      assert.match(text, /✔ on/);
      await t.waitFor((x) => x.includes('Next 24 h — 5 Five'), 'the preview of channel 5');
      assert.match(t.s.text(), /\d\d:\d\d–\d\d:\d\d\s+25m item\s+Morning Show S01E0\d — Morning Show episode \d/);
    } finally { await t.close(); }
  });

  test('the add form shows the API validation message for a bad number, then adds the channel', async () => {
    const t = await startTui({ api, initialView: 'channels' });
    try {
      await t.waitFor((x) => x.includes('Five'), 'list');
      await t.keys('a');
      await t.waitFor((x) => x.includes('Add channel') && x.includes('Mornings'), 'the form with content choices', FORM_MS);
      await t.keys('abc', KEY.tab, 'Seven', KEY.enter);
      const text = await t.waitFor((x) => x.includes('must be a channel number like 5 or 5.1'), 'the validation message');
      // Under the field and in the form's summary (the API's message names the field).
      assert.match(text, /✖ must be a channel number like 5 or 5\.1/);
      assert.match(text, /✖ body\.number: must be a channel number/);
      assert.ok(t.app.modal(), 'the form stays open');
      assert.equal((await api.api.channels()).length, 1, 'nothing was created');

      // The focus went to the field in error: fix it (ctrl-u clears), pick the collection, save.
      await t.keys(KEY.ctrlU, '7');
      for (let i = 0; i < 7; i++) await t.keys(KEY.tab);
      await t.keys(' ', KEY.enter);
      await t.waitFor((x) => x.includes('added channel 7 "Seven"'), 'the flash line');
      await t.waitFor((x) => /7\s+Seven/.test(x), 'channel 7 in the list');
      const seven = (await api.api.channels()).find((c) => c.number === '7');
      assert.deepEqual(seven?.content, [{ type: 'collection', id: collectionId }]);
    } finally { await t.close(); }
  });

  test('edit sends what changed; delete asks [y/N] and defaults to No', async () => {
    await api.api.createChannel({ number: '8', name: 'Eight' });
    const t = await startTui({ api, initialView: 'channels' });
    try {
      await t.waitFor((x) => /8\s+Eight/.test(x), 'channel 8');
      await t.keys('G', 'e');
      await t.waitFor((x) => x.includes('Edit channel 8'), 'the edit form', FORM_MS);
      await t.keys(KEY.tab, KEY.ctrlU, 'Eight HD', KEY.enter);
      await t.waitFor((x) => x.includes('saved channel 8 "Eight HD" (name)'), 'saved');
      assert.equal((await api.api.channel('8')).name, 'Eight HD');

      await t.keys('D');
      await t.waitFor((x) => x.includes('Delete channel 8 "Eight HD" and its timeline?') && x.includes('[y/N]'), 'the confirm');
      await t.keys(KEY.enter);
      await t.waitFor((x) => x.includes('kept channel 8'), 'enter keeps it');
      assert.ok(await api.api.channel('8'));
      await t.keys('D', 'y');
      await t.waitFor((x) => x.includes('deleted channel 8'), 'y deletes');
      await assert.rejects(api.api.channel('8'), /not found/);
    } finally { await t.close(); }
  });

  test('stream settings in the form: a bad watermark path and language are refused at their fields, good ones saved', async () => {
    await api.api.createChannel({ number: '11', name: 'Eleven' });
    const t = await startTui({ api, initialView: 'channels' });
    try {
      await t.waitFor((x) => /11\s+Eleven/.test(x), 'channel 11');
      await t.keys('G', 'e');
      const form = await t.waitFor((x) => x.includes('Edit channel 11') && x.includes('Profile'), 'the edit form', FORM_MS);
      // The profile choices: the default, then the profiles, usable ones without ✖ (software is verified here).
      assert.match(form, /Profile\s+‹ default \(software 720p\) ›/);
      for (let i = 0; i < 8; i++) await t.keys(KEY.tab); // to Profile
      await t.keys(KEY.right);
      await t.waitFor((x) => x.includes('‹ software-480p ›'), 'the first profile, usable');
      await t.keys(KEY.left, KEY.tab); // back to the default; on to Watermark
      await t.keys('logo.png', KEY.tab, KEY.tab, 'english!', KEY.enter);
      let text = await t.waitFor((x) => x.includes('must be an absolute file path'), 'the watermark error');
      assert.ok(t.app.modal(), 'the form stays open');
      const logo = join(api.engine.config.dataDir, 'images', 'logo.png'); // where images may come from
      mkdirSync(join(api.engine.config.dataDir, 'images'), { recursive: true });
      writeFileSync(logo, 'not checked until it airs');
      await t.keys(KEY.ctrlU, logo, KEY.enter);
      text = await t.waitFor((x) => x.includes('must be a language code like eng'), 'the audio error');
      await t.keys(KEY.ctrlU, 'eng, fre', KEY.enter);
      await t.waitFor((x) => x.includes('saved channel 11 "Eleven" (watermark, audio)'), 'saved');
      const st = (await api.api.channel('11')).stream;
      assert.equal(st.watermark?.image, logo);
      rmSync(logo);
      assert.equal(st.watermark?.position, 'bottom-right');
      assert.deepEqual(st.audio?.languages, ['eng', 'fre']);
      assert.equal(st.profile, null);
      assert.ok(text);
    } finally { await t.close(); }
  });

  test('tune shows the stream and player URLs', async () => {
    const t = await startTui({ api, initialView: 'channels' });
    try {
      await t.waitFor((x) => x.includes('Five'), 'list');
      await t.keys('g', 't');
      const text = await t.waitFor((x) => x.includes('Tune 5 Five'), 'the tune pop-up');
      // The base URL is the one /discover.json gives DVRs.
      const base = ((await api.api.request('GET', '/discover.json')) as { BaseURL: string }).BaseURL;
      assert.ok(text.includes(`MPEG-TS  ${base}/stream/channels/5.ts`), text);
      assert.ok(text.includes(`Browser  ${base}/watch/5`), text);
      await t.keys(KEY.esc);
      assert.equal(t.app.modal(), undefined);
    } finally { await t.close(); }
  });

  test('--readonly hides the editing keys and refuses them', async () => {
    const t = await startTui({ api, initialView: 'channels', readonly: true });
    try {
      const text = await t.waitFor((x) => x.includes('Five'), 'list');
      assert.match(text, /READ-ONLY/);
      assert.doesNotMatch(text.split('\n').at(-1)!, /add|delete/, 'no editing hints in the footer');
      assert.match(text.split('\n').at(-1)!, /tune/);
      await t.keys('a');
      await t.waitFor((x) => x.includes('read-only: "add a channel" is disabled'), 'refused');
      assert.equal(t.app.modal(), undefined, 'no form opened');
      await t.keys('D');
      assert.equal(t.app.modal(), undefined, 'no confirm opened');
      await t.keys('?');
      const help = await t.waitFor((x) => x.includes('Help — Channels (read-only)'), 'help');
      assert.doesNotMatch(help, /│ D\s+delete/);
      assert.doesNotMatch(help, /│ a\s+add a channel/);
      assert.match(help, /4 editing keys hidden: read-only/);
    } finally { await t.close(); }
  });
});
