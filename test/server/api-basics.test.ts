// Status, the OpenAPI document, and how the API answers requests it cannot route or read.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../helpers/api.js';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('API basics', () => {
  let t: TestApi;
  before(async () => { t = await startApi(); });
  after(async () => {
    assert.deepEqual(t.serverErrors, [], 'no 5xx replies');
    await t.close();
  });

  it('GET /api/status names the program, its version and data dir, and counts', async () => {
    const res = await t.call('GET', '/api/status');
    assert.equal(res.status, 200);
    assert.equal(res.body.name, 'exstreamtv');
    assert.equal(res.body.version, pkg.version);
    assert.equal(res.body.dataDir, t.engine.config.dataDir);
    assert.equal(typeof res.body.uptimeS, 'number');
    assert.deepEqual({ ...res.body, uptimeS: 0, version: '', dataDir: '', discovery: null }, {
      name: 'exstreamtv', version: '', uptimeS: 0, dataDir: '', channels: 0, sources: 0, items: { ok: 0, missing: 0, unreadable: 0 }, scansRunning: 0, discovery: null,
    });
    assert.equal(res.body.discovery.udp.on, false); // see status-discovery.test.ts
  });

  it('GET /api/openapi.json is an OpenAPI 3 document describing every route', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /application\/json/);
    const doc = JSON.parse(res.body);
    assert.match(doc.openapi, /^3\.\d+\.\d+$/);
    assert.equal(doc.info.version, pkg.version);
    const expected: [string, string][] = [
      ['get', '/api/status'], ['get', '/api/sources'], ['post', '/api/sources'], ['get', '/api/sources/{id}'], ['delete', '/api/sources/{id}'],
      ['post', '/api/sources/{id}/scan'], ['get', '/api/scans'], ['get', '/api/scans/{id}'], ['get', '/api/items'], ['get', '/api/items/{id}'],
      ['get', '/api/search'], ['get', '/api/shows'], ['get', '/api/shows/{id}'], ['get', '/api/collections'], ['post', '/api/collections'],
      ['get', '/api/collections/{id}'], ['patch', '/api/collections/{id}'], ['delete', '/api/collections/{id}'], ['post', '/api/collections/{id}/items'],
      ['get', '/api/channels'], ['post', '/api/channels'], ['get', '/api/channels/{number}'], ['patch', '/api/channels/{number}'],
      ['delete', '/api/channels/{number}'], ['get', '/api/channels/{number}/timeline'], ['get', '/api/channels/{number}/now'],
      ['get', '/api/events'], ['get', '/api/openapi.json'],
    ];
    for (const [method, path] of expected) {
      const op = doc.paths[path]?.[method];
      assert.ok(op, `${method.toUpperCase()} ${path} is documented`);
      assert.ok(op.tags?.length, `${method} ${path} has tags`);
      assert.ok(op.summary, `${method} ${path} has a summary`);
      assert.ok(Object.keys(op.responses ?? {}).some((c) => c.startsWith('2')), `${method} ${path} documents its success reply`);
    }
    // Every JSON API operation in the document (these and any added later) is described.
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      if (!path.startsWith('/api/')) continue;
      for (const [method, op] of Object.entries(item)) {
        assert.ok(op.tags?.length && op.summary, `${method.toUpperCase()} ${path} has tags and a summary`);
        assert.ok(Object.keys(op.responses ?? {}).length, `${method.toUpperCase()} ${path} documents its replies`);
      }
    }
    // Parameters, bodies and errors are described too.
    const create = doc.paths['/api/channels'].post;
    assert.deepEqual(Object.keys(create.requestBody.content), ['application/json']);
    assert.ok(create.requestBody.content['application/json'].schema.properties.number);
    assert.ok(create.responses['201'] && create.responses['400'] && create.responses['409']);
    const now = doc.paths['/api/channels/{number}/now'].get;
    assert.deepEqual(now.parameters.map((p: any) => `${p.in}:${p.name}`).sort(), ['path:number', 'query:at']);
    assert.ok(doc.paths['/api/items'].get.parameters.some((p: any) => p.name === 'limit' && p.schema.maximum === 1000));
    assert.ok(doc.paths['/api/events'].get.responses['200'].content['text/event-stream']);
  });

  it('unknown routes and methods give a 404 JSON error', async () => {
    for (const [method, url] of [['GET', '/api/nope'], ['GET', '/nope'], ['PUT', '/api/channels'], ['POST', '/api/status']]) {
      const res = await t.call(method!, url!);
      assert.equal(res.status, 404, `${method} ${url}`);
      assert.deepEqual(Object.keys(res.body).sort(), ['error', 'message', 'statusCode']);
      assert.equal(res.body.error, 'Not Found');
      assert.match(res.body.message, new RegExp(`${method} ${url!.replace(/[/.]/g, '\\$&')}`));
    }
  });

  it('malformed JSON is a 400 that says where', async () => {
    const body = await t.rejects('POST', '/api/collections', '{"name": "x",', 400);
    assert.match(body.message, /^body is not valid JSON: /);
  });

  it('a body in another format is 415; no content-type with a body is 415', async () => {
    for (const headers of [{ 'content-type': 'text/plain' }, { 'content-type': 'application/xml' }, {}]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/collections', payload: 'name=x', headers: { ...headers, 'x-exstreamtv': '1' } });
      assert.equal(res.statusCode, 415, JSON.stringify(headers));
      assert.match(res.json().message, /application\/json/);
    }
  });

  it('a body over the limit is 413', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/collections', payload: JSON.stringify({ name: 'x'.repeat(3 * 1024 * 1024) }), headers: { 'content-type': 'application/json' } });
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().error, 'Payload Too Large');
  });

  it('a missing or empty body where one is needed is a 400 naming the body', async () => {
    const none = await t.rejects('POST', '/api/channels', undefined, 400, 'body');
    assert.match(none.message, /required/);
    const empty = await t.app.inject({ method: 'POST', url: '/api/channels', payload: '', headers: { 'content-type': 'application/json' } });
    assert.equal(empty.statusCode, 400);
    assert.equal(empty.json().issues[0].path, 'body');
    await t.rejects('POST', '/api/channels', [], 400, 'body');
    await t.rejects('POST', '/api/channels', 'null', 400, 'body');
  });

  it('__proto__ keys are refused', async () => {
    await t.rejects('POST', '/api/collections', '{"name":"x","__proto__":{"admin":true}}', 400);
  });

  it('malformed URLs are 4xx JSON errors', async () => {
    const long = await t.call('GET', `/api/channels/${'1'.repeat(300)}`);
    assert.equal(long.status, 414);
    assert.deepEqual(Object.keys(long.body).sort(), ['error', 'message', 'statusCode']);
    const bad = await t.call('GET', '/api/channels/%E0%A4%A');
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /percent-encoding/);
    assert.equal((await t.call('GET', '/api/items/1e400')).body.issues[0].path, 'params.id');
    assert.equal((await t.call('GET', '/api/channels/5%2F1')).body.issues[0].path, 'params.number');
  });

  it('a trailing slash routes like the bare path', async () => {
    assert.equal((await t.call('GET', '/api/channels/')).status, 200);
  });
});
