// `exstreamtv ai` end to end: the real binary (in-process engine over a real SQLite file) against
// the fake OpenAI-compatible server: set-up help, setup with a key file, status, and a channel
// that is saved only with --yes.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { databaseFile, openStore } from '../../src/engine/store/store.js';
import { startFakeOpenAi, type FakeOpenAi } from '../fakes/openai.js';
import { cli } from '../helpers/cli.js';
import { addAiLibrary, SEARCHES, weekAnswer } from './ai-library.js';

const SENTENCE = '80s sitcoms weeknights at 8, cartoons Saturday morning, movies after 10';

describe('cli: exstreamtv ai', () => {
  let dir: string;
  let fake: FakeOpenAi;
  const run = (...args: string[]) => cli([...args, '--data-dir', dir], { EXSTREAMTV_SSDP: 'false', EXSTREAMTV_UDP_DISCOVERY: 'false', EXSTREAMTV_PORT: '1' });
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'exs-ai-cli-'));
    const store = openStore(databaseFile(dir));
    addAiLibrary(store);
    store.close();
    fake = await startFakeOpenAi({ key: 'sk-cli-secret', fixtures: [{ when: SENTENCE, reply: SEARCHES }, { when: '"shows"', reply: (req) => weekAnswer(req) }] });
  });
  after(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('status without a provider says how to set one up', async () => {
    const r = await run('ai', 'status');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /No AI provider is set up[\s\S]*ollama pull/);
    const c = await run('ai', 'channel', SENTENCE);
    assert.equal(c.code, 1);
    assert.match(c.stderr, /exstreamtv ai setup --base-url/);
  });

  it('setup with a key file, then status lists the models without showing the key', async () => {
    const keyFile = join(dir, 'key.txt');
    await writeFile(keyFile, 'sk-cli-secret\n');
    const r = await run('ai', 'setup', '--base-url', fake.url, '--model', 'fake-model', '--key-file', keyFile, '--timeout', '10');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /reachable: 1 models/);
    const s = await run('ai', 'status');
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stdout, /key\s+stored \(0600\)/);
    assert.match(s.stdout, /health\s+ok .* models: fake-model/);
    assert.ok(!(r.stdout + s.stdout + r.stderr + s.stderr).includes('sk-cli-secret'));
  });

  it('channel: previewed, not saved without a yes; saved with --yes', async () => {
    const r = await run('ai', 'channel', SENTENCE, '--number', '8', '--name', 'Eighties');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /80s sitcoms weeknights at 8/);
    assert.match(r.stdout, /START\s+END/);
    assert.match(r.stdout, /not saved \(no terminal to ask: add --yes\)/);
    assert.match((await run('channel', 'list')).stdout, /^(?![\s\S]*Eighties)/);
    const y = await run('ai', 'channel', SENTENCE, '--number', '8', '--name', 'Eighties', '--yes');
    assert.equal(y.code, 0, y.stderr);
    assert.match(y.stdout, /saved: channel 8 "Eighties"/);
    const show = await run('schedule', 'show', '8');
    assert.equal(JSON.parse(show.stdout).definition.main.mode, 'time_slots');
  });
});
