// Media-server sources in tests: add one library of a fake server through the API, scan a source
// through the API and wait for the scan to end.
import assert from 'node:assert/strict';
import type { TestApi } from './api.js';

/** Adds one library of a server as a source (POST /api/servers/sources); its id. */
export async function addServerSource(t: TestApi, body: Record<string, unknown>): Promise<number> {
  const r = await t.call('POST', '/api/servers/sources', body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id as number;
}

/** Scans a source through the API and waits until the scan is done (it must succeed). */
export async function scanDone(t: TestApi, sourceId: number) {
  const started = await t.call('POST', `/api/sources/${sourceId}/scan`);
  assert.equal(started.status, 202, JSON.stringify(started.body));
  const s = await t.engine.scans.wait(started.body.id);
  assert.equal(s.state, 'done', s.error ?? '');
  return s;
}
