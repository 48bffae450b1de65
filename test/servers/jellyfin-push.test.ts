// Jellyfin and Emby push notifications against the fake servers on 127.0.0.1 (their notification
// socket): the token and device id on the socket URL, KeepAlive answered, a LibraryChanged for the
// source's library rescans it once (coalesced), another library's does not, close() ends the socket.
// Needs the WebSocket client of Node.js 22 and later (Node 20: run with --experimental-websocket).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hasWebSocket, librariesOf } from '../../src/engine/library/servers/jellyfin-push.js';
import { ServerPush } from '../../src/engine/library/servers/push.js';
import { startFakeJellyfin, type FakeJellyfin } from '../fakes/jellyfin.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { addServerSource, scanDone } from '../helpers/server-sources.js';

async function until<T>(get: () => T | undefined | false, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

it('LibraryChanged names the libraries of changed items; "*" when it names none', () => {
  assert.deepEqual(librariesOf({ ItemsUpdated: ['a'], CollectionFolders: ['lib1'] }), ['lib1']);
  assert.deepEqual(librariesOf({ ItemsRemoved: ['a'] }), ['*']);
  assert.deepEqual(librariesOf({ ItemsUpdated: [], CollectionFolders: ['lib1'] }), []);
  assert.deepEqual(librariesOf(undefined), []);
});

for (const kind of ['jellyfin', 'emby'] as const) {
  describe(`${kind} push notifications`, { skip: hasWebSocket() ? false : 'this Node.js has no WebSocket client (Node 22+, or --experimental-websocket)' }, () => {
    let t: TestApi;
    let jf: FakeJellyfin;
    let movies: string;
    let heat: string;
    let sourceId: number;

    before(async () => {
      t = await startApi();
      jf = await startFakeJellyfin({ kind });
      movies = jf.addLibrary('Movies', 'movies', '/media/movies');
      heat = jf.addMovie(movies, { name: 'Heat', year: 1995, seconds: 6000 });
      sourceId = await addServerSource(t, { kind, url: jf.url, token: jf.apiKey, library: 'Movies' });
      await scanDone(t, sourceId);
    });
    after(async () => {
      await t.close();
      await jf.close();
    });

    it("a change in the source's library rescans it once; another library's does not; close() ends the socket", async () => {
      const push = new ServerPush({ store: t.engine.store, dataDir: t.engine.config.dataDir, events: t.engine.events, rescan: (id) => { t.engine.scans.start(id); }, delayMs: 50, retryMs: 200 });
      const scansBefore = t.engine.scans.list().length;
      push.start();
      try {
        await until(() => jf.sockets() === 1 && jf.keepAlives() > 0, 'the socket, KeepAlive answered');
        jf.libraryChanged({ ItemsUpdated: ['x'], CollectionFolders: ['another-library'] });
        jf.edit(heat, { Name: 'Heat (Director\'s Cut)' });
        jf.libraryChanged({ ItemsUpdated: [heat], CollectionFolders: [movies] });
        jf.libraryChanged({ ItemsUpdated: [heat], CollectionFolders: [movies] });
        await until(() => t.engine.scans.list().find((s) => s.sourceId === sourceId && s.state === 'done' && s.changed === 1), 'the targeted rescan');
        assert.equal(t.engine.scans.list().length, scansBefore + 1, 'one rescan, of this source only');
      } finally {
        push.close();
      }
      await until(() => jf.sockets() === 0, 'the socket closed');
    });
  });
}
