// A real engine (temp SQLite file) behind the real API, reached in-process (inject) or, with
// listen: true, over HTTP on loopback.
import type { FastifyInstance } from 'fastify';
import type { ConfigInput } from '../../src/config.js';
import type { Engine } from '../../src/engine/engine.js';
import { buildServer } from '../../src/server/app.js';
import { ApiClient, httpTransport, injectTransport } from '../../src/client/api-client.js';
import assert from 'node:assert/strict';
import { dbSnapshot } from './db-snapshot.js';
import { tempEngine } from './temp-engine.js';

export interface TestApi {
  engine: Engine;
  app: FastifyInstance;
  api: ApiClient;
  /** Base URL when listening, else ''. */
  url: string;
  /** Raw request: status and parsed JSON (undefined when the body is empty). */
  call(method: string, url: string, body?: unknown): Promise<{ status: number; body: any }>;
  /**
   * Sends a request that must be refused with `status`, naming `path` in the message and first issue
   * when given, and leaving the database exactly as it was. Returns the error body.
   */
  rejects(method: string, url: string, body: unknown, status: number, path?: string): Promise<any>;
  /** Replies with a 5xx status seen so far (there must be none). */
  serverErrors: string[];
  close(): Promise<void>;
}

export async function startApi(opts: { listen?: boolean; sseHeartbeatMs?: number; config?: ConfigInput } = {}): Promise<TestApi> {
  const t = await tempEngine(opts.config);
  const app = await buildServer({ engine: t.engine, ...(opts.sseHeartbeatMs ? { sseHeartbeatMs: opts.sseHeartbeatMs } : {}) });
  const serverErrors: string[] = [];
  app.addHook('onResponse', async (req, reply) => {
    if (reply.statusCode >= 500) serverErrors.push(`${req.method} ${req.url} → ${reply.statusCode}`);
  });
  let url = '';
  if (opts.listen) {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no address');
    url = `http://127.0.0.1:${addr.port}`;
  }
  const api = new ApiClient(url ? httpTransport(url, { timeoutMs: 10_000 }) : injectTransport(app));
  const call: TestApi['call'] = async (method, path, body) => {
    const res = await app.inject({
      method: method as 'GET',
      url: path,
      // The header every API client sends (the cross-site rule refuses state-changing requests without it).
      headers: { 'x-exstreamtv': '1', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
  };
  return {
    engine: t.engine,
    app,
    api,
    url,
    call,
    serverErrors,
    async rejects(method, path, body, status, field) {
      const before = dbSnapshot(t.engine.store);
      const res = await call(method, path, body);
      const what = `${method} ${path} ${JSON.stringify(body)}`;
      assert.equal(res.status, status, `${what}: status (body: ${JSON.stringify(res.body)})`);
      assert.equal(res.body.statusCode, status);
      assert.equal(typeof res.body.error, 'string');
      assert.equal(typeof res.body.message, 'string');
      if (field !== undefined) {
        assert.ok(res.body.message.startsWith(`${field}: `) || res.body.message.includes(field), `${what}: message names ${field}: ${res.body.message}`);
        assert.equal(res.body.issues?.[0]?.path, field, `${what}: first issue is ${field}: ${JSON.stringify(res.body.issues)}`);
      }
      assert.deepEqual(dbSnapshot(t.engine.store), before, `${what}: database unchanged`);
      return res.body;
    },
    async close() {
      await app.close();
      await t.close();
    },
  };
}
