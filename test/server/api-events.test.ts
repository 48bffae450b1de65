// GET /api/events over real HTTP: Server-Sent Events of the engine's bus.
import assert from 'node:assert/strict';
import { request, type IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { followEvents, parseSseBlock, type StreamedEvent } from '../../src/client/api-client.js';
import { EVENT_NAMES } from '../../src/server/routes/api/events.js';
import { startApi, type TestApi } from '../helpers/api.js';

/** Opens the stream with node:http and collects raw text. */
function openRaw(url: string): Promise<{ res: IncomingMessage; text: () => string; close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream' } }, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { buf += c; });
      res.on('error', () => {});
      resolve({ res, text: () => buf, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const listeners = (t: TestApi) => EVENT_NAMES
  .reduce((n, name) => n + (t.engine.events as unknown as { ee: import('node:events').EventEmitter }).ee.listenerCount(name), 0);

describe('API: events (SSE over HTTP)', () => {
  let t: TestApi;
  before(async () => { t = await startApi({ listen: true, sseHeartbeatMs: 50 }); });
  after(async () => {
    assert.deepEqual(t.serverErrors, [], 'no 5xx replies');
    await t.close();
  });

  it('streams named events with JSON data to a real HTTP client, with comment heartbeats', async () => {
    const base = listeners(t);
    const raw = await openRaw(`${t.url}/api/events`);
    assert.equal(raw.res.statusCode, 200);
    assert.match(String(raw.res.headers['content-type']), /^text\/event-stream/);
    assert.equal(raw.res.headers['cache-control'], 'no-cache, no-transform');
    await until('listeners', () => listeners(t) === base + EVENT_NAMES.length);
    assert.ok(EVENT_NAMES.includes('scan.progress') && EVENT_NAMES.includes('timeline.changed') && EVENT_NAMES.includes('log'));
    await until('a heartbeat', () => /\n: heartbeat /.test(raw.text()));

    const created = await t.call('POST', '/api/channels', { number: 21, name: 'Events' });
    assert.equal(created.status, 201);
    t.engine.events.log('warn', 'hello from the test', '21');
    await until('timeline.changed and log', () => raw.text().includes('event: log'));
    const events = raw.text().split('\n\n').map(parseSseBlock).filter((e): e is StreamedEvent => e !== null);
    const changed = events.find((e) => e.event === 'timeline.changed');
    assert.ok(changed, raw.text());
    assert.deepEqual({ ...(changed.data as object), from: '' }, { channelId: created.body.id, number: '21', from: '' });
    const log = events.find((e) => e.event === 'log')!.data as { level: string; msg: string; channel: string };
    assert.deepEqual([log.level, log.msg, log.channel], ['warn', 'hello from the test', '21']);

    raw.close();
    await until('listeners removed after the client left', () => listeners(t) === base);
  });

  it('delivers scan.progress and scan.finished through followEvents()', async () => {
    const got: StreamedEvent[] = [];
    const base = listeners(t);
    const abort = new AbortController();
    const done = followEvents(t.url, (e) => got.push(e), { signal: abort.signal, types: ['scan.progress', 'scan.finished'] });
    await until('subscribed', () => listeners(t) === base + 2);
    const state = { id: 99, sourceId: 1, state: 'running' as const, phase: 'probing' as const, found: 3, total: 3, probed: 1, added: 1, changed: 0,
      unchanged: 0, missing: 0, unreadable: 0, current: 'a.mkv', error: null, startedAt: new Date().toISOString(), finishedAt: null };
    t.engine.events.emit('scan.progress', state);
    t.engine.events.log('info', 'not subscribed to logs');
    t.engine.events.emit('scan.finished', { ...state, state: 'done', phase: 'done', probed: 3 });
    await until('both scan events', () => got.length >= 2);
    abort.abort();
    await done;
    assert.deepEqual(got.map((e) => e.event), ['scan.progress', 'scan.finished']);
    assert.deepEqual(got[0]!.data, state);
  });

  it('refuses unknown event types with a 400', async () => {
    const res = await fetch(`${t.url}/api/events?types=log,nope`);
    assert.equal(res.status, 400);
    const body = await res.json() as { message: string; issues: { path: string }[] };
    assert.equal(body.issues[0]!.path, 'query.types');
    assert.match(body.message, /nope/);
  });

  it('closing the server ends open streams instead of hanging', async () => {
    const other = await startApi({ listen: true, sseHeartbeatMs: 50 });
    const raw = await openRaw(`${other.url}/api/events`);
    const ended = new Promise<void>((r) => raw.res.once('end', () => r()));
    const started = Date.now();
    await other.close();
    await ended;
    assert.ok(Date.now() - started < 3000, 'closed promptly');
  });
});
