// ApiClient over both transports: the same answers and the same errors, in-process and over HTTP.
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ApiClient, ApiError, httpTransport, injectTransport } from '../../src/client/api-client.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { addFakeItems, addFakeSource, episodes } from '../helpers/fake-items.js';

describe('ApiClient', () => {
  let t: TestApi;
  let http: ApiClient;
  let inproc: ApiClient;
  let ids: number[];
  before(async () => {
    t = await startApi({ listen: true });
    http = new ApiClient(httpTransport(`${t.url}/`, { timeoutMs: 5000 }));
    inproc = new ApiClient(injectTransport(t.app));
    ids = addFakeItems(t.engine.store, addFakeSource(t.engine.store), episodes('Client Show', 2, 10 * 60_000));
  });
  after(async () => {
    assert.deepEqual(t.serverErrors, [], 'no 5xx replies');
    await t.close();
  });

  for (const [name, client] of [['http', () => http], ['inject', () => inproc]] as const) {
    it(`${name}: requests and typed helpers round-trip`, async () => {
      const api = client();
      const number = name === 'http' ? '30' : '31';
      const status = await api.status();
      assert.equal(status.name, 'exstreamtv');
      const coll = await api.createCollection({ name: `client ${name}`, itemIds: ids });
      assert.equal((await api.collection(coll.id)).itemIds.length, 2);
      const ch = await api.createChannel({ number, name: `Client ${name}`, content: [{ type: 'collection', id: coll.id }] });
      assert.equal(ch.number, number);
      assert.equal((await api.channel(number)).id, ch.id);
      assert.equal((await api.updateChannel(number, { name: 'Renamed' })).name, 'Renamed');
      const tl = await api.timeline(number, { hours: 1 });
      assert.ok(tl.rows.length >= 1);
      const now = await api.now(number, tl.rows[0]!.start);
      assert.equal(now.row.id, tl.rows[0]!.id);
      const items = await api.request<{ total: number }>('GET', '/api/items?limit=1');
      assert.equal(items.total, 2);
      assert.equal(await api.deleteChannel(number), undefined, '204 gives undefined');
      await api.deleteCollection(coll.id);
    });

    it(`${name}: errors become ApiError with status, message and issues`, async () => {
      const api = client();
      await assert.rejects(api.createChannel({ number: 'abc', name: '' }), (err: unknown) => {
        assert.ok(err instanceof ApiError);
        assert.equal(err.status, 400);
        assert.match(err.message, /^body\.number: /);
        assert.deepEqual(err.issues.map((i) => i.path), ['body.number', 'body.name']);
        return true;
      });
      await assert.rejects(api.channel('404'), (err: unknown) => err instanceof ApiError && err.status === 404 && err.message === 'channel 404 not found');
      await assert.rejects(api.request('GET', '/api/nowhere'), (err: unknown) => err instanceof ApiError && err.status === 404 && err.issues.length === 0);
    });
  }

  it('http: an unreachable server is an ApiError with status 0', async () => {
    const api = new ApiClient(httpTransport('http://127.0.0.1:9', { timeoutMs: 2000 }));
    await assert.rejects(api.status(), (err: unknown) => err instanceof ApiError && err.status === 0 && /cannot reach exstreamtv at http:\/\/127\.0\.0\.1:9/.test(err.message));
  });

  it('http: a server that never answers times out as an ApiError', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => { sockets.push(socket); });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as { port: number }).port;
    try {
      const api = new ApiClient(httpTransport(`http://127.0.0.1:${port}`, { timeoutMs: 200 }));
      await assert.rejects(api.status(), (err: unknown) => err instanceof ApiError && err.status === 0 && /no reply .* within 0\.2 s/.test(err.message));
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });
});
