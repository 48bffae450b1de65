// Channel from a sentence against a fake OpenAI-compatible server: settings (key 0600, never
// shown), health, tool-grounded answers, repair of junk and wrong answers, 429, timeout; nothing
// is written before the user saves, and a saved proposal airs the requested kinds at the
// requested times (checked on the timeline rows).
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startApi, type TestApi } from '../helpers/api.js';
import { dbSnapshot } from '../helpers/db-snapshot.js';
import { startFakeOpenAi, type FakeOpenAi } from '../fakes/openai.js';
import { addAiLibrary, SEARCHES, weekAnswer } from './ai-library.js';

const KEY = 'sk-test-0123456789abcdef';
const SENTENCE = '80s sitcoms weeknights at 8, cartoons Saturday morning, movies after 10';
// Monday 7 Dec 2026, 00:00 in Berlin.
const FROM = '2026-12-06T23:00:00.000Z';
const berlin = (iso: string) => {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return { day: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday!), min: Number(p.hour) * 60 + Number(p.minute) };
};

describe('AI: channel from a sentence', () => {
  let t: TestApi;
  let fake: FakeOpenAi;
  let lib: ReturnType<typeof addAiLibrary>;
  const logs: string[] = [];
  before(async () => {
    t = await startApi({ config: { timelineDays: 8 } });
    lib = addAiLibrary(t.engine.store);
    t.engine.events.on('log', (e) => logs.push(`${e.level} ${e.msg}`));
    fake = await startFakeOpenAi({ key: KEY, models: ['fake-model', 'other'] });
  });
  after(async () => {
    await fake.close();
    await t.close();
  });
  beforeEach(() => { fake.fixtures.length = 0; fake.requests.length = 0; });

  const propose = (body: Record<string, unknown>) => t.call('POST', '/api/ai/channel', { from: FROM, ...body });

  it('without a provider: says how to set one up (409), for the channel and the health check', async () => {
    const st = (await t.call('GET', '/api/ai')).body;
    assert.equal(st.configured, false);
    assert.match(st.howTo, /ollama/i);
    const res = await t.rejects('POST', '/api/ai/channel', { request: SENTENCE }, 409);
    assert.match(res.message, /exstreamtv ai setup --base-url http:\/\/127\.0\.0\.1:11434\/v1/);
    await t.rejects('GET', '/api/ai/health', undefined, 409);
  });

  it('settings: bad URL → 400 naming baseUrl; key stored 0600 and never shown; health lists the models', async () => {
    await t.rejects('PUT', '/api/ai/settings', { baseUrl: 'ftp://x', model: 'm' }, 400, 'body.baseUrl');
    const st = (await t.call('PUT', '/api/ai/settings', { baseUrl: fake.url, model: 'fake-model', apiKey: KEY, timeoutS: 5 })).body;
    assert.equal(st.configured, true);
    assert.equal(st.keySet, true);
    assert.ok(!JSON.stringify(st).includes(KEY));
    for (const f of ['ai.key', 'ai.json']) assert.equal((await stat(join(t.engine.config.dataDir, f))).mode & 0o777, 0o600, f);
    assert.ok(!(await readFile(join(t.engine.config.dataDir, 'ai.json'), 'utf8')).includes(KEY));
    const health = (await t.call('GET', '/api/ai/health')).body;
    assert.deepEqual([health.ok, health.models, health.modelFound], [true, ['fake-model', 'other'], true]);
    assert.equal(fake.auth.at(-1), `Bearer ${KEY}`);
    // Keeping the key when it is not given; a wrong one is reported as such.
    await t.call('PUT', '/api/ai/settings', { baseUrl: fake.url, model: 'fake-model', apiKey: 'wrong', timeoutS: 5 });
    const bad = (await t.call('GET', '/api/ai/health')).body;
    assert.equal(bad.ok, false);
    assert.match(bad.error, /refused the API key/);
    await t.call('PUT', '/api/ai/settings', { baseUrl: fake.url, model: 'fake-model', apiKey: KEY, timeoutS: 5 });
    assert.equal((await t.call('PUT', '/api/ai/settings', { baseUrl: fake.url, model: 'fake-model', timeoutS: 5 })).body.keySet, true);
    // A corrupt settings file reads as "not set up", not as a server error.
    const file = join(t.engine.config.dataDir, 'ai.json');
    const good = await readFile(file, 'utf8');
    await writeFile(file, '{ not json');
    assert.equal((await t.call('GET', '/api/ai')).body.configured, false);
    await writeFile(file, good);
  });

  it('sentence → tool calls → strict schema answer → preview; nothing saved; only titles/genres/years sent', async () => {
    fake.fixtures.push({ when: SENTENCE, reply: SEARCHES, times: 1 }, { when: '"shows"', reply: (req) => weekAnswer(req) });
    const before = dbSnapshot(t.engine.store);
    const res = await propose({ request: SENTENCE, hours: 24 * 7 });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(dbSnapshot(t.engine.store), before, 'nothing written');
    const a = res.body;
    assert.equal(a.saved, false);
    assert.equal(a.rounds, 2);
    assert.equal(a.repaired, false);
    assert.deepEqual(a.toolCalls.map((c: any) => c.results), [2, 1, 2]);
    assert.equal(a.definition.main.slots.length, 14);
    assert.ok(a.preview.rows.length > 20);
    // The request: strict JSON schema from the zod schema, the tools, the key only in the header.
    const first = fake.requests[0]!;
    assert.equal(first.response_format?.type, 'json_schema');
    assert.equal(first.response_format?.json_schema?.strict, true);
    const schema = JSON.stringify(first.response_format?.json_schema?.schema);
    assert.ok(schema.includes('"time_slots"') && !schema.includes('"oneOf"') && !schema.includes('"default"'));
    assert.deepEqual(first.tools?.map((x) => x.function.name), ['search_library', 'list_collections']);
    const sent = JSON.stringify(fake.requests);
    assert.ok(!sent.includes('/nonexistent/') && !sent.includes(KEY), 'no paths or keys sent to the model');
    assert.ok(sent.includes('Family Matters') && sent.includes('Sitcom') && sent.includes('1989'));
    assert.ok(!logs.some((l) => l.includes(KEY)), 'key never logged');
    assert.ok(logs.filter((l) => l.includes('ai request')).every((l) => l.startsWith('debug ')), 'prompts at debug level only');
  });

  it('saved, the timeline airs sitcoms weeknights at 8, cartoons Saturday morning, movies after 10', async () => {
    fake.fixtures.push({ when: SENTENCE, reply: SEARCHES, times: 1 }, { when: '"shows"', reply: (req) => weekAnswer(req) });
    const { definition } = (await propose({ request: SENTENCE })).body;
    assert.equal((await t.call('POST', '/api/channels', { number: 80, name: 'Eighties' })).status, 201);
    assert.equal((await t.call('PUT', '/api/channels/80/schedule', definition)).status, 200);
    const rows = (await t.call('GET', `/api/channels/80/timeline?hours=${24 * 8}&limit=10000`)).body.rows.filter((r: any) => r.kind === 'item');
    const kinds = { sitcom: new Set(lib.sitcoms), cartoon: new Set(lib.cartoons), movie: new Set(lib.movies) };
    const seen = { sitcom: 0, cartoon: 0, movie: 0 };
    for (const r of rows) {
      const { day, min } = berlin(r.start);
      const want = day >= 1 && day <= 5 && min >= 20 * 60 && min < 22 * 60 ? 'sitcom'
        : day === 6 && min >= 8 * 60 && min < 12 * 60 ? 'cartoon' : 'movie';
      assert.ok(kinds[want].has(r.itemId), `${r.start} (day ${day}, ${min} min): ${r.title} should be a ${want}`);
      seen[want]++;
    }
    assert.ok(seen.sitcom >= 4 * 4 && seen.cartoon >= 9 && seen.movie > 10, JSON.stringify(seen));
    await t.call('DELETE', '/api/channels/80');
  });

  it('malformed JSON, then an unknown show and overlapping slots: repaired in one round', async () => {
    fake.fixtures.push(
      { when: 'first junk', reply: SEARCHES, times: 1 },
      { when: '"shows"', reply: { content: '{"summary": "oops", "definition": {' }, times: 1 },
      { when: 'not valid JSON', reply: (req) => weekAnswer(req) },
    );
    const r1 = await propose({ request: 'first junk then fine' });
    assert.equal(r1.status, 200, JSON.stringify(r1.body));
    assert.equal(r1.body.repaired, true);
    assert.equal(r1.body.rounds, 3);

    fake.fixtures.length = 0;
    fake.fixtures.push(
      { when: 'wrong show', reply: SEARCHES, times: 1 },
      { when: '"shows"', reply: (req) => weekAnswer(req, (d) => {
        d.sources[0].content.push({ type: 'show', id: 9999 });
        d.main.slots.push({ day: 1, start: '20:00', source: 'movies', fill: { mode: 'flood' } });
      }), times: 1 },
      { when: 'Your answer is invalid', reply: (req) => {
        const problems = String(req.messages.at(-1)!.content);
        assert.match(problems, /show 9999/);
        assert.match(problems, /starts at the same time as slot 0 \(20:00 on day 1\)/);
        return weekAnswer(req);
      } },
    );
    const before = dbSnapshot(t.engine.store);
    const r2 = await propose({ request: 'wrong show first' });
    assert.equal(r2.status, 200, JSON.stringify(r2.body));
    assert.equal(r2.body.repaired, true);
    assert.deepEqual(dbSnapshot(t.engine.store), before);
  });

  it('an unplayable show and wrong answers twice: a clear 502, nothing written', async () => {
    const broken = t.engine.store.shows.findByTitle('Broken Show')[0]!.id;
    fake.fixtures.push({ when: 'always wrong', reply: SEARCHES, times: 1 },
      { when: /"shows"|Your answer is invalid/, reply: (req) => weekAnswer(req, (d) => d.sources[0].content.push({ type: 'show', id: broken })) });
    const body = await t.rejects('POST', '/api/ai/channel', { request: 'always wrong', from: FROM }, 502);
    assert.match(body.message, /still invalid after a repair round/);
    assert.match(body.message, new RegExp(`show ${broken} has no playable item`));
  });

  it('429: a short Retry-After is waited out once; a long one is a clear error', async () => {
    fake.fixtures.push({ when: 'rate', reply: { status: 429, error: 'Rate limit reached', headers: { 'retry-after': '0.2' } }, times: 1 },
      { when: 'rate', reply: SEARCHES, times: 1 }, { when: '"shows"', reply: (req) => weekAnswer(req) });
    assert.equal((await propose({ request: 'rate limited once' })).status, 200);
    fake.fixtures.length = 0;
    fake.fixtures.push({ when: 'rate', reply: { status: 429, error: 'Rate limit reached', headers: { 'retry-after': '120' } } });
    const body = await t.rejects('POST', '/api/ai/channel', { request: 'rate limited long', from: FROM }, 429);
    assert.match(body.message, /rate-limited .* try again in 120 s/);
  });

  it('a model that never answers: 504 after timeoutS', async () => {
    await t.call('PUT', '/api/ai/settings', { baseUrl: fake.url, model: 'fake-model', timeoutS: 1 });
    fake.fixtures.push({ when: 'hang', reply: { hang: true } });
    const t0 = Date.now();
    const body = await t.rejects('POST', '/api/ai/channel', { request: 'hang forever', from: FROM }, 504);
    assert.match(body.message, /no answer from .* within 1 s/);
    assert.ok(Date.now() - t0 < 5000);
    await t.call('PUT', '/api/ai/settings', { baseUrl: fake.url, model: 'fake-model', timeoutS: 5 });
  });

  it('edit this channel: the current definition goes to the model; the preview continues the channel', async () => {
    fake.fixtures.push({ when: SENTENCE, reply: SEARCHES, times: 1 }, { when: '"shows"', reply: (req) => weekAnswer(req) });
    const { definition } = (await propose({ request: SENTENCE })).body;
    await t.call('POST', '/api/channels', { number: 81, name: 'Edit me' });
    await t.call('PUT', '/api/channels/81/schedule', definition);
    const before = dbSnapshot(t.engine.store);
    fake.fixtures.length = 0;
    fake.requests.length = 0;
    fake.fixtures.push({ when: 'late-night movie block', reply: (req) => {
      const text = String(req.messages.at(-1)!.content);
      assert.match(text, /Edit the schedule of channel 81 "Edit me"/);
      assert.match(text, /show \d+ "Cheers"/);
      const current = JSON.parse(/current definition:\n(.*)\n/.exec(text)![1]!);
      current.main.slots.push({ day: 0, start: '02:00', source: 'sitcoms', fill: { mode: 'flood' } });
      return { content: JSON.stringify({ summary: 'added', definition: current }) };
    } });
    const res = await propose({ request: 'add a late-night movie block', channel: 81 });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.definition.main.slots.length, 15);
    assert.deepEqual(dbSnapshot(t.engine.store), before, 'the channel is not changed by the proposal');
    await t.rejects('POST', '/api/ai/channel', { request: 'add something', channel: 999 }, 404);
    // From an editor's draft instead of the saved schedule; a draft needs its channel.
    const draft = { ...definition, timezone: 'America/New_York' };
    fake.fixtures.push({ when: 'from the draft', reply: (req) => {
      const text = String(req.messages.at(-1)!.content);
      assert.match(text, /"timezone":"America\/New_York"/);
      return { content: JSON.stringify({ summary: 'same', definition: JSON.parse(/current definition:\n(.*)\n/.exec(text)![1]!) }) };
    } });
    const fromDraft = await propose({ request: 'change from the draft', channel: 81, definition: draft });
    assert.equal(fromDraft.status, 200, JSON.stringify(fromDraft.body));
    assert.equal(fromDraft.body.definition.timezone, 'America/New_York');
    await t.rejects('POST', '/api/ai/channel', { request: 'change from the draft', definition: draft }, 400, 'body.definition');
  });
});
