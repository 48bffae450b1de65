// Library and Tuner views against the real API: sources, collections, search, adding a folder
// (scanned for real), scan progress from events, and the tuner identity and URLs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addFakeItems, addFakeSource, episodes } from '../helpers/fake-items.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { KEY, startTui } from './harness.js';

describe('tui: library', () => {
  let api: TestApi;
  let folder: string;
  before(async () => {
    api = await startApi();
    const src = addFakeSource(api.engine.store, 'Fake shows');
    const ids = addFakeItems(api.engine.store, src, [...episodes('Space Patrol', 3, 20 * 60_000), { title: 'Moon Movie', durationMs: 90 * 60_000 }]);
    await api.api.createCollection({ name: 'Sci-fi', itemIds: ids });
    folder = await mkdtemp(join(tmpdir(), 'exs-tui-lib-'));
  });
  after(async () => { await api.close(); await rm(folder, { recursive: true, force: true }); });

  test('sources, collections and search', async () => {
    const t = await startTui({ api, initialView: 'library' });
    try {
      let text = await t.waitFor((x) => x.includes('Fake shows') && x.includes('Sci-fi'), 'sources and collections');
      assert.match(text, /Fake shows .*\/nonexistent\/Fake shows\s+4\s/);
      assert.match(text, /Sci-fi\s+manual\s+4/);
      await t.keys('f');
      await t.waitFor((x) => x.includes('Search the library'), 'the search prompt');
      await t.keys('patrol', KEY.enter);
      text = await t.waitFor((x) => x.includes('3 matches for "patrol"'), 'results');
      assert.match(text, /Space Patrol S01E0\d Space Patrol episode \d\s+episode\s+20m00s\s+✔ ok/);
      assert.doesNotMatch(text, /Moon Movie/);
      await t.keys(KEY.tab, KEY.tab, KEY.enter);
      await t.waitFor((x) => x.includes('Item ') && x.includes('Location') && x.includes('/nonexistent/'), 'item details');
    } finally { await t.close(); }
  });

  test('add a folder: the source is created and scanned; scan progress shows as a bar', async () => {
    const t = await startTui({ api, initialView: 'library' });
    try {
      await t.waitFor((x) => x.includes('Fake shows'), 'sources');
      await t.keys('a');
      await t.waitFor((x) => x.includes('Add a source') && x.includes('local folder'), 'the kind chooser');
      await t.keys(KEY.enter);
      await t.waitFor((x) => x.includes('Add source: local folder'), 'the folder form');
      await t.keys(KEY.ctrlU, folder, KEY.enter);
      await t.waitFor((x) => x.includes('; scanning') && x.includes(folder.split('/').pop()!), 'added and scanning');
      await t.waitFor((x) => /exs-tui-lib-\S*\s.*\s0\s.*✔ just now/.test(x), 'the empty folder scanned');
      // Progress as the events carry it.
      const sourceId = (await api.api.request<{ id: number; name: string }[]>('GET', '/api/sources')).find((s) => s.name !== 'Fake shows')!.id;
      api.engine.events.emit('scan.progress', {
        id: 99, sourceId, state: 'running', phase: 'probing', found: 40, total: 40, probed: 10, added: 9, changed: 0, unchanged: 0, missing: 0, unreadable: 1,
        current: 'Show/S01E02.mkv', error: null, startedAt: new Date().toISOString(), finishedAt: null,
      });
      const text = await t.waitFor((x) => x.includes('▶ probing 25%'), 'the running scan in the table');
      assert.match(text, /▶ exs-tui-lib-\S+ █+░+\s+25% probing 10\/40 · \+9 ~0 ✖1 · Show\/S01E02\.mkv/);
    } finally { await t.close(); }
  });

  test('tuner: identity, tuner count and the URLs to paste, each checked', async () => {
    const t = await startTui({ api, initialView: 'tuner' });
    try {
      const d = await api.api.request<{ DeviceID: string; BaseURL: string; TunerCount: number; FriendlyName: string }>('GET', '/discover.json');
      const text = await t.waitFor((x) => x.includes(d.DeviceID) && x.includes('✔ answers 200'), 'the tuner view');
      assert.match(text, new RegExp(`DeviceID\\s+${d.DeviceID}`));
      assert.match(text, new RegExp(`Tuners\\s+${d.TunerCount} \\(0 in use\\)`));
      assert.match(text, new RegExp(`Friendly name\\s+${d.FriendlyName}`));
      assert.ok(text.includes(`${d.BaseURL}/discover.json`));
      assert.match(text, /Discover\s+\S+\/discover\.json\s+✔ answers 200/);
      assert.match(text, /Plex\s+Live TV & DVR/);
      assert.match(text, /Jellyfin\s+Live TV → Tuner devices → \+ HDHomeRun: /);
      for (const path of ['/iptv/channels.m3u', '/iptv/xmltv.xml']) {
        const status = (await api.app.inject({ method: 'HEAD', url: path })).statusCode;
        assert.match(text, new RegExp(`${path.replace(/\./g, '\\.')}\\s+${status === 200 ? '✔ answers 200' : `✖ ${status}`}`), `${path} checked (${status})`);
      }
    } finally { await t.close(); }
  });
});
