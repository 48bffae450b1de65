// Plex guide reload against the fake Plex on 127.0.0.1: opt-in per Plex source (API and refusal
// for other kinds), the DVRs looked up each time and only those using this box's tuner reloaded,
// a timeline change coalesced into one reload a while later, a server that is down only logged.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PlexGuideReloader } from '../../src/engine/library/servers/guide-reload.js';
import { startFakePlex, type FakePlex } from '../fakes/plex.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { addServerSource } from '../helpers/server-sources.js';

describe('plex guide reload', () => {
  let t: TestApi;
  let plex: FakePlex;
  let sourceId: number;
  let ours: string;
  const reloads = () => plex.log.filter((r) => r.path.endsWith('/reloadGuide') && r.status === 200).map((r) => r.path);
  const logs = () => t.engine.logs.list().map((l) => `${l.level} ${l.msg}`).join('\n');

  before(async () => {
    t = await startApi();
    plex = await startFakePlex();
    plex.addSection('Movies', 'movie', '/data/movies');
    plex.addDvr('1050A1B2', 'http://192.168.1.99:8410/iptv/xmltv.xml'); // another box's tuner
    ours = plex.addDvr(t.engine.tunerIdentity().deviceId, 'http://192.168.1.20:8410/iptv/xmltv.xml');
    sourceId = await addServerSource(t, { kind: 'plex', url: plex.url, token: plex.token, library: 'Movies' });
  });
  after(async () => {
    assert.deepEqual(t.serverErrors, [], 'no 5xx replies');
    await t.close();
    await plex.close();
  });

  it('off by default; on: only the DVR with this tuner reloads, looked up each time', async () => {
    await t.engine.plexGuide.reloadAll();
    assert.deepEqual(reloads(), [], 'nothing without opting in');
    const on = await t.call('PUT', `/api/sources/${sourceId}/guide-reload`, { enabled: true });
    assert.equal(on.status, 200, JSON.stringify(on.body));
    assert.equal(on.body.config.guideReload, true);
    await t.engine.plexGuide.reloadAll();
    await t.engine.plexGuide.reloadAll();
    assert.deepEqual(reloads(), [`/livetv/dvrs/${ours}/reloadGuide`, `/livetv/dvrs/${ours}/reloadGuide`]);
    assert.equal(plex.log.filter((r) => r.path === '/livetv/dvrs').length, 2, 'the DVR list is read every time');
    assert.ok(plex.log.filter((r) => r.path.startsWith('/livetv')).every((r) => r.token === plex.token));
    assert.match(logs(), /info Plex basement-plex: guide reloaded \(DVR \d+\)/);
  });

  it('a timeline change reloads once, a while later; changes in between coalesce', async () => {
    const r = new PlexGuideReloader({ store: t.engine.store, dataDir: t.engine.config.dataDir, events: t.engine.events, deviceId: () => t.engine.tunerIdentity().deviceId, delayMs: 50 });
    const before = reloads().length;
    r.start();
    try {
      for (let i = 0; i < 3; i++) t.engine.events.emit('timeline.changed', { channelId: 1, number: '1', from: new Date().toISOString() });
      const deadline = Date.now() + 10_000;
      while (reloads().length === before && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
      await r.close();
      assert.equal(reloads().length, before + 1);
    } finally { await r.close(); }
  });

  it('a server that is down is logged, never thrown; other kinds are refused', async () => {
    plex.behaviour.html = true;
    await t.engine.plexGuide.reloadAll();
    plex.behaviour.html = false;
    assert.match(logs(), /warn Plex guide reload for "basement-plex – Movies" failed \(the guide refreshes on Plex's own schedule\): .*not the Plex API/);
    const off = await t.call('PUT', `/api/sources/${sourceId}/guide-reload`, { enabled: false });
    assert.equal(off.body.config.guideReload, false);
    await t.rejects('PUT', `/api/sources/${sourceId}/guide-reload`, { enabled: 'yes' }, 400, 'body.enabled');
    const local = t.engine.store.sources.create('jellyfin', 'jf', { url: 'http://127.0.0.1:9', deviceId: 'x', serverId: 'x', serverName: 'x', userId: null, libraryId: 'x', libraryName: 'x', libraryType: null });
    await t.rejects('PUT', `/api/sources/${local.id}/guide-reload`, { enabled: true }, 400, 'guideReload');
  });
});
