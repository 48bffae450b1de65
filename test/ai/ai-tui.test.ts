// The schedule editor's AI key: `I` sends the draft and a sentence to the model (the fake
// provider) and puts the answer in the draft, unsaved.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startFakeOpenAi, type FakeOpenAi } from '../fakes/openai.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { KEY, startTui } from '../tui/harness.js';
import { addAiLibrary } from './ai-library.js';

let api: TestApi;
let fake: FakeOpenAi;
before(async () => {
  api = await startApi();
  const lib = addAiLibrary(api.engine.store);
  await api.api.createChannel({ number: '8', name: 'Eight', content: [{ type: 'item', id: lib.movies[0]! }] });
  fake = await startFakeOpenAi({ fixtures: [{ when: 'Berlin time', reply: (req) => {
    const text = String(req.messages.at(-1)!.content);
    const def = JSON.parse(/current definition:\n(.*)\n/.exec(text)![1]!);
    return { content: JSON.stringify({ summary: 'Now on Berlin time.', definition: { ...def, timezone: 'Europe/Berlin' } }) };
  } }] });
  await api.call('PUT', '/api/ai/settings', { baseUrl: fake.url, model: 'fake-model', timeoutS: 10 });
});
after(async () => { await fake.close(); await api.close(); });

test('schedules view: I changes the draft from a sentence, nothing saved', async () => {
  const t = await startTui({ api, initialView: 'schedules' });
  try {
    await t.waitFor((x) => x.includes('Schedule — 8 Eight'), 'outline');
    await t.keys('I');
    await t.waitFor((x) => x.includes("what should change in channel 8's schedule?"), 'the prompt');
    await t.keys('use Berlin time', KEY.enter);
    const text = await t.waitFor((x) => x.includes('● unsaved') && x.includes('Europe/Berlin'), 'the draft changed');
    assert.match(text, /AI: Now on Berlin time\./);
    const saved = await api.api.request<{ custom: boolean }>('GET', '/api/channels/8/schedule');
    assert.equal(saved.custom, false, 'nothing saved');
    assert.equal(fake.requests.length, 1);
  } finally { await t.close(); }
});
