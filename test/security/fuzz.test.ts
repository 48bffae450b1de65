// Every write route of the OpenAPI document, fuzzed from its own schemas: wrong types, missing and
// extra fields, huge, empty, NUL and path-like strings, odd path parameters, non-UTF-8 bytes. A
// reply is never a 5xx, and a refused request (4xx) leaves the database exactly as it was.
// Deterministic (no randomness): a failure names the request that caused it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi, type TestApi } from '../helpers/api.js';
import { dbSnapshot } from '../helpers/db-snapshot.js';

type Schema = { type?: string; properties?: Record<string, Schema>; required?: string[]; enum?: unknown[]; anyOf?: Schema[]; minLength?: number; minimum?: number; items?: Schema; default?: unknown; nullable?: boolean };

/** Routes left out: they take no input and act on the whole box (real hardware probes, token rotation, a no-op for Plex). */
const SKIP = new Set(['POST /api/hw/probe', 'POST /api/token/rotate', 'POST /lineup.post']);

/** A small value that the schema accepts, as far as a generic reading of it goes. */
function sample(s: Schema | undefined, depth = 0): unknown {
  if (!s || depth > 6) return null;
  if (s.default !== undefined) return s.default;
  if (s.enum) return s.enum[0];
  if (s.anyOf) return sample(s.anyOf[0], depth + 1);
  switch (s.type) {
    case 'object': return Object.fromEntries((s.required ?? []).map((k) => [k, sample(s.properties?.[k], depth + 1)]));
    case 'array': return [];
    case 'string': return 'a'.repeat(Math.max(1, s.minLength ?? 1));
    case 'integer': case 'number': return Math.max(1, s.minimum ?? 1);
    case 'boolean': return true;
    default: return null;
  }
}

const NASTY: unknown[] = [null, -1, 1.5, 1e308, '', 'x'.repeat(5000), '\u0000', '\uFFFD', '../../../etc/passwd', '/proc/self/environ', 'a\nb', [null], { a: 1 }, true];

/** Bodies for a route: valid-ish, wrong roots, every (nested) field set to every nasty value, a field left out, an extra one. */
function bodies(s: Schema | undefined): unknown[] {
  const base = sample(s);
  const out: unknown[] = [base, null, [], 'x', 1, true, { zzz: 1 }];
  const walk = (schema: Schema | undefined, at: string[], depth: number) => {
    if (!schema || depth > 2 || schema.type !== 'object' || !schema.properties) return;
    for (const [k, sub] of Object.entries(schema.properties)) {
      for (const v of NASTY) out.push(setAt(base, [...at, k], v));
      walk(sub.anyOf?.find((x) => x.type === 'object') ?? sub, [...at, k], depth + 1);
    }
    for (const r of schema.required ?? []) out.push(setAt(base, [...at, r], undefined));
    out.push(setAt(base, [...at, 'unknownField'], 1));
  };
  walk(s, [], 0);
  return out;
}

function setAt(base: unknown, path: string[], value: unknown): unknown {
  const root = structuredClone(base ?? {}) as Record<string, unknown>;
  let o = root;
  for (const k of path.slice(0, -1)) {
    if (!o[k] || typeof o[k] !== 'object' || Array.isArray(o[k])) o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  if (value === undefined) delete o[path.at(-1)!];
  else o[path.at(-1)!] = value;
  return root;
}

const PARAMS = ['0', '-1', 'abc', '1e3', '99999999999999999999', 'x'.repeat(150), '..%2F..%2Fetc', '%00', '%C3%28', '5.1.1', '%20'];

describe('fuzz: every write route from the OpenAPI document', () => {
  let t: TestApi;
  let lib: string;
  before(async () => {
    t = await startApi();
    lib = await mkdtemp(join(tmpdir(), 'exs-fuzz-'));
    assert.equal((await t.call('POST', '/api/sources', { path: lib })).status, 201);
    assert.equal((await t.call('POST', '/api/collections', { name: 'C' })).status, 201);
    assert.equal((await t.call('POST', '/api/channels', { number: '1', name: 'One' })).status, 201);
  });
  after(async () => {
    await t?.close();
    await rm(lib, { recursive: true, force: true });
  });

  test('4xx never 5xx, and a refusal changes nothing', { timeout: 120_000 }, async () => {
    const started = performance.now();
    const doc = (await t.call('GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> }; parameters?: { in: string; name: string }[] }>> };
    const routes: { method: string; path: string; schema?: Schema; params: string[] }[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        const method = m.toUpperCase();
        if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) || SKIP.has(`${method} ${path}`)) continue;
        routes.push({ method, path, schema: op.requestBody?.content?.['application/json']?.schema, params: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name) });
      }
    }
    assert.ok(routes.length >= 20, `write routes found: ${routes.length}`);
    // Deletions last: the other routes see the seeded rows.
    routes.sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
    const VALID: Record<string, string> = { id: '1', number: '1' };
    let sent = 0;
    const fail: string[] = [];
    // The database as the previous request left it: one snapshot per request.
    let last = dbSnapshot(t.engine.store);
    const send = async (method: string, url: string, payload: string | Buffer | undefined) => {
      const res = await t.app.inject({ method: method as 'POST', url, headers: { 'x-exstreamtv': '1', ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(payload !== undefined ? { payload } : {}) });
      sent++;
      const what = `${method} ${url} ${payload === undefined ? '' : String(payload).slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 200)}`;
      if (res.statusCode >= 500) fail.push(what);
      // A request that was accepted may have started a scan: let it end before the next snapshot.
      if (res.statusCode < 300) for (const s of t.engine.scans.list()) await t.engine.scans.wait(s.id);
      const now = dbSnapshot(t.engine.store);
      if (res.statusCode >= 400) {
        try { assert.deepEqual(now, last); } catch { fail.push(`database changed: ${what}`); }
      }
      last = now;
    };
    const perRoute: string[] = [];
    for (const r of routes) {
      const t0 = performance.now();
      const n0 = sent;
      // Odd parameters with the plain body; every body with the parameter of a real row (or with none).
      const real = r.params.length ? (r.path.includes('/backups/') || r.path.includes('/test') ? PARAMS[2]! : VALID[r.params[0]!] ?? 'custom') : '';
      for (const p of [...(r.params.length ? PARAMS : []), real]) {
        const url = r.params.length ? r.path.replace(`{${r.params[0]}}`, p) : r.path;
        if (r.method === 'DELETE') { await send(r.method, url, undefined); continue; }
        const list = !r.schema ? [undefined, {}] : p === real ? bodies(r.schema) : [sample(r.schema), null];
        for (const b of list) await send(r.method, url, b === undefined ? undefined : JSON.stringify(b));
        await send(r.method, url, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x22, 0x7d]));
        await send(r.method, url, '{"a":');
        await send(r.method, url, '{"__proto__":{"x":1}}');
      }
      perRoute.push(`${r.method} ${r.path}: ${sent - n0} requests, ${Math.round(performance.now() - t0)} ms`);
    }
    if (process.env.FUZZ_VERBOSE) console.log(perRoute.join('\n'));
    assert.deepEqual(fail, [], `${fail.length} of ${sent} requests failed:\n${fail.slice(0, 20).join('\n')}`);
    assert.deepEqual(t.serverErrors, []);
    const seconds = (performance.now() - started) / 1000;
    assert.ok(sent > 1000, `requests sent: ${sent}`);
    assert.ok(seconds < 60, `fuzzing took ${seconds.toFixed(1)} s`);
  });
});
