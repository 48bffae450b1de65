// One error path and one CORS policy: every error a route throws leaves as the same JSON shape with
// its status and headers; media routes are readable cross-origin, the API is not.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import { InvalidError, NotFoundError, UnavailableError } from '../../src/engine/errors.js';
import { corsAllowed, installCors } from '../../src/server/cors.js';
import { installErrorHandlers } from '../../src/server/errors.js';
import { startApi, type TestApi } from '../helpers/api.js';

describe('one error handler', () => {
  const app = Fastify();
  before(async () => {
    installErrorHandlers(app);
    installCors(app);
    app.get('/stream/busy', async () => { throw new UnavailableError('all 2 tuners are in use', { 'X-HDHomeRun-Error': '805 All Tuners In Use', 'Retry-After': '5' }); });
    app.get('/api/bad', async () => { throw new InvalidError('hours', 'at most 168'); });
    app.get('/api/gone', async () => { throw new NotFoundError('channel 9'); });
    app.get('/api/bug', async () => { throw new TypeError('x is undefined'); });
    await app.ready();
  });
  after(() => app.close());

  test('an AppError: its status, its headers, the one body shape', async () => {
    const r = await app.inject({ method: 'GET', url: '/stream/busy' });
    assert.equal(r.statusCode, 503);
    assert.equal(r.headers['x-hdhomerun-error'], '805 All Tuners In Use');
    assert.equal(r.headers['retry-after'], '5');
    assert.equal(r.headers['access-control-allow-origin'], '*', 'media errors are readable cross-origin too');
    assert.deepEqual(r.json(), { statusCode: 503, error: 'Service Unavailable', message: 'all 2 tuners are in use' });
  });

  test('a user mistake names the field; a missing thing is a 404; a bug is a 500 without details', async () => {
    const bad = await app.inject({ method: 'GET', url: '/api/bad' });
    assert.deepEqual([bad.statusCode, bad.json()], [400, { statusCode: 400, error: 'Bad Request', message: 'hours: at most 168', issues: [{ path: 'hours', message: 'at most 168' }] }]);
    assert.equal(bad.headers['access-control-allow-origin'], undefined, 'the API stays same-origin');
    const gone = await app.inject({ method: 'GET', url: '/api/gone' });
    assert.deepEqual([gone.statusCode, gone.json()], [404, { statusCode: 404, error: 'Not Found', message: 'channel 9 not found' }]);
    const bug = await app.inject({ method: 'GET', url: '/api/bug' });
    assert.deepEqual([bug.statusCode, bug.json()], [500, { statusCode: 500, error: 'Internal Server Error', message: 'internal server error; the server log has the details' }]);
  });
});

describe('one CORS policy, in the real server', () => {
  let t: TestApi;
  before(async () => { t = await startApi({ listen: true }); });
  after(() => t.close());

  test('media paths are cross-origin readable, the API and the tuner face are not', async () => {
    assert.deepEqual(['/stream/channels/1.ts', '/stream/channels/1.m3u8', '/api/status', '/iptv/channels.m3u', '/lineup.json', '/streamer'].map(corsAllowed), [true, true, false, false, false, false]);
    const missing = await fetch(`${t.url}/stream/channels/404.m3u8`);
    assert.equal(missing.headers.get('access-control-allow-origin'), '*');
    assert.equal((await missing.json() as { statusCode: number }).statusCode, 404);
    const api = await fetch(`${t.url}/api/status`);
    assert.equal(api.status, 200);
    assert.equal(api.headers.get('access-control-allow-origin'), null);
  });
});
