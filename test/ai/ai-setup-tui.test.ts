// AI provider set-up in the TUI: the form's fields and body (pure), and in the app against the
// real API and the fake provider: `I` with no provider opens the set-up, the key is masked on
// screen and stored 0600, the health check lists the models, a wrong key says so.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AiStatus } from '../../src/schemas/ai.js';
import { aiSettingsBody, aiSetupFields, healthLines } from '../../src/tui/views/ai-setup.js';
import { startFakeOpenAi, type FakeOpenAi } from '../fakes/openai.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { KEY, startTui } from '../tui/harness.js';

const NONE: AiStatus = { configured: false, settings: null, keySet: false, howTo: 'set one up' };
const SET: AiStatus = { configured: true, settings: { baseUrl: 'http://h/v1', model: 'm1', timeoutS: 30, maxRounds: 5, maxTokens: 2048 }, keySet: true, howTo: null };

test('fields: Ollama defaults when none is set up; the stored key is never a value, only keep/remove', () => {
  assert.deepEqual(aiSetupFields(NONE).map((f) => [f.name, f.value]), [['baseUrl', 'http://127.0.0.1:11434/v1'], ['model', ''], ['apiKey', ''], ['timeoutS', '60']]);
  const f = aiSetupFields(SET);
  assert.deepEqual(f.map((x) => x.name), ['baseUrl', 'model', 'apiKey', 'keyAction', 'timeoutS']);
  assert.equal(f.find((x) => x.name === 'apiKey')!.secret, true);
  assert.equal(f.find((x) => x.name === 'apiKey')!.value, '');
});

test('body: a typed key replaces, "remove" forgets, else the key is kept; limits kept', () => {
  const v = { baseUrl: ' http://h/v1 ', model: 'm2', apiKey: '', keyAction: 'keep', timeoutS: '45' };
  assert.deepEqual(aiSettingsBody(v, SET), { baseUrl: 'http://h/v1', model: 'm2', timeoutS: 45, maxRounds: 5, maxTokens: 2048 });
  assert.equal(aiSettingsBody({ ...v, apiKey: 'sk-1' }, SET).apiKey, 'sk-1');
  assert.equal(aiSettingsBody({ ...v, keyAction: 'remove' }, SET).apiKey, null);
  assert.equal(aiSettingsBody({ ...v, timeoutS: 'soon' }, SET).timeoutS as unknown, 'soon', 'left for the API to refuse, naming the field');
});

test('health lines: the models with the configured one marked, or why it is not reachable', () => {
  const ok = healthLines({ ok: true, models: ['m1', 'm0'], modelFound: true, latencyMs: 12, error: null }, SET, 60);
  assert.ok(ok.includes('✔ reachable in 12 ms: 2 models'));
  assert.ok(ok.includes('  ● m1') && ok.includes('  · m0'));
  const missing = healthLines({ ok: true, models: ['m0'], modelFound: false, latencyMs: 3, error: null }, SET, 60);
  assert.ok(missing.includes('✖ "m1" is not among them: pick one of these'));
  const down = healthLines({ ok: false, models: [], modelFound: false, latencyMs: 0, error: 'ECONNREFUSED' }, SET, 60);
  assert.ok(down.includes('✖ not reachable: ECONNREFUSED'));
});

describe('tui: AI provider set-up', () => {
  let api: TestApi;
  let fake: FakeOpenAi;
  before(async () => {
    api = await startApi();
    await api.api.createChannel({ number: '8', name: 'Eight' });
    fake = await startFakeOpenAi({ key: 'sk-secret-123', models: ['fake-model', 'other-model'] });
  });
  after(async () => { await fake.close(); await api.close(); });

  test('I with no provider opens the set-up; the key is masked, stored 0600; the health pop-up lists the models', async () => {
    const t = await startTui({ api, initialView: 'schedules' });
    try {
      await t.waitFor((x) => x.includes('Schedule — 8 Eight'), 'the outline');
      await t.keys('I');
      await t.waitFor((x) => x.includes('Set up an AI provider') && x.includes('no AI provider set up yet'), 'the set-up form, not the prompt');
      await t.keys(KEY.ctrlU, fake.url, KEY.tab, 'fake-model', KEY.tab, 'sk-wrong', KEY.enter);
      let text = await t.waitFor((x) => x.includes('AI provider: not reachable'), 'the health pop-up');
      assert.match(text, /refused the API key/);
      assert.ok(!text.includes('sk-wrong'), 'a key never shows');
      await t.keys(KEY.esc, 'A');
      text = await t.waitFor((x) => x.includes('AI provider (exstreamtv ai setup)') && x.includes('keep the stored key'), 'the form again, a key stored');
      await t.keys(KEY.tab, KEY.tab, 'sk-secret-123');
      text = await t.waitFor((x) => x.includes('•••••••••••••'), 'the key masked while typed');
      assert.ok(!text.includes('sk-secret'), 'never in clear on screen');
      await t.keys(KEY.enter);
      text = await t.waitFor((x) => x.includes('AI provider: ready'), 'the health pop-up');
      assert.match(text, /✔ reachable in \d+ ms: 2 models/);
      assert.match(text, /● fake-model/);
      assert.match(text, /· other-model/);
      const keyFile = join(api.engine.config.dataDir, 'ai.key');
      assert.equal(readFileSync(keyFile, 'utf8').trim(), 'sk-secret-123');
      assert.equal(statSync(keyFile).mode & 0o777, 0o600);
      assert.equal(fake.auth.at(-1), 'Bearer sk-secret-123', 'the health check used the stored key');
      await t.keys(KEY.esc);
      await t.waitFor((x) => x.includes('AI provider saved: 2 models, "fake-model" ready'), 'the flash line');
      const saved = await api.api.request<{ custom: boolean }>('GET', '/api/channels/8/schedule');
      assert.equal(saved.custom, false, 'the schedule is untouched');
    } finally { await t.close(); }
  });

  test('a wrong base URL is refused in the form, naming its field', async () => {
    const t = await startTui({ api, initialView: 'schedules' });
    try {
      await t.waitFor((x) => x.includes('Schedule — 8 Eight'), 'the outline');
      await t.keys('A');
      await t.waitFor((x) => x.includes('AI provider (exstreamtv ai setup)'), 'the form');
      await t.keys(KEY.ctrlU, 'ftp://nowhere', KEY.enter);
      await t.waitFor((x) => x.includes('must be an http(s) URL'), 'the field error');
      assert.ok(t.app.modal(), 'the form stays open');
      assert.equal(t.app.modal() && (t.app.modal() as unknown as { errors(): { fields: Record<string, string> } }).errors().fields.baseUrl !== undefined, true);
    } finally { await t.close(); }
  });
});
