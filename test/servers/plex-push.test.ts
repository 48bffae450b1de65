// Plex push notifications against the fake Plex on 127.0.0.1: one event stream per server, a
// library timeline entry that is done rescans only the sources of its section (coalesced), other
// entries are ignored, and close() ends the stream.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sectionsOf } from '../../src/engine/library/servers/plex-push.js';
import { ServerPush } from '../../src/engine/library/servers/push.js';
import { startFakePlex, type FakePlex } from '../fakes/plex.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { addServerSource } from '../helpers/server-sources.js';

async function until<T>(get: () => T | undefined | false, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('plex push notifications', () => {
  let t: TestApi;
  let plex: FakePlex;
  let movies: string;
  let heat: string;
  let sourceId: number;

  before(async () => {
    t = await startApi();
    plex = await startFakePlex();
    movies = plex.addSection('Movies', 'movie', '/data/movies');
    plex.addSection('TV Shows', 'show', '/data/tv');
    heat = plex.addMovie(movies, { title: 'Heat', year: 1995, seconds: 6000 });
    sourceId = await addServerSource(t, { kind: 'plex', url: plex.url, token: plex.token, library: 'Movies' });
    await t.engine.scans.wait(t.engine.scans.start(sourceId).id);
  });
  after(async () => {
    await t.close();
    await plex.close();
  });

  it('only finished or deleted library entries name their section', () => {
    const msg = (entries: object[], type = 'timeline') => JSON.stringify({ NotificationContainer: { type, size: entries.length, TimelineEntry: entries } });
    const lib = { identifier: 'com.plexapp.plugins.library' };
    assert.deepEqual(sectionsOf(msg([{ ...lib, sectionID: '1', state: 5 }, { ...lib, sectionID: '2', state: 9 }, { ...lib, sectionID: '3', state: 0 }])), ['1', '2']);
    assert.deepEqual(sectionsOf(msg([{ identifier: 'com.plexapp.system', sectionID: '1', state: 5 }, { ...lib, sectionID: '-1', state: 5 }])), []);
    assert.deepEqual(sectionsOf(msg([{ ...lib, sectionID: '1', state: 5 }], 'activity')), []);
    assert.deepEqual(sectionsOf('not json'), []);
  });

  it("a change in the source's section rescans it once; another section's does not; close() ends the stream", async () => {
    const push = new ServerPush({ store: t.engine.store, dataDir: t.engine.config.dataDir, events: t.engine.events, rescan: (id) => { t.engine.scans.start(id); }, delayMs: 50, retryMs: 200 });
    const scansBefore = t.engine.scans.list().length;
    push.start();
    try {
      await until(() => plex.listeners() === 1, 'the event stream');
      assert.ok(plex.log.some((r) => r.path === '/:/eventsource/notifications' && r.token === plex.token), 'with the token');
      plex.notify([{ sectionID: '2', itemID: '77', type: 2, title: 'Bluey', state: 5 }]);
      plex.edit(heat, { title: 'Heat (Director\'s Cut)' });
      plex.notify([{ sectionID: movies, itemID: heat, type: 1, title: 'Heat', state: 0 }]);
      plex.notify([{ sectionID: movies, itemID: heat, type: 1, title: 'Heat', state: 5 }]);
      plex.notify([{ sectionID: movies, itemID: heat, type: 1, title: 'Heat', state: 5 }]);
      const scan = await until(() => t.engine.scans.list().find((s) => s.sourceId === sourceId && s.state === 'done' && s.changed === 1), 'the targeted rescan');
      assert.equal(t.engine.scans.list().length, scansBefore + 1, 'one rescan, of this source only');
      assert.equal(t.engine.store.items.get(t.engine.store.items.query({ sourceId, limit: 1, offset: 0 }).items[0]!.id).title, "Heat (Director's Cut)");
      assert.equal(scan.sourceId, sourceId);
    } finally {
      push.close();
    }
    await until(() => plex.listeners() === 0, 'the stream closed');
  });
});
