// End to end at 80×24 in a real terminal (tmux), attached to `exstreamtv serve`: the AI provider
// set-up found through the `:` palette (form, masked key, health check listing the fake provider's
// models, the key stored 0600), and the Tuner view's `n` renaming the tuner as DVRs see it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeOpenAi, type FakeOpenAi } from '../fakes/openai.js';
import { BIN, freePort, startServe } from '../helpers/cli.js';
import { haveTools, TOOLS } from '../helpers/tools.js';
import { tmuxServer } from './tmux-server.js';
const ENV = 'env NCURSES_NO_UTF8_ACS=1 LANG=C.UTF-8';

describe('tui: set-up forms at 80×24 in tmux', { timeout: 120_000 }, () => {
  let dir: string;
  let fake: FakeOpenAi;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'exs-tui-setup-'));
    fake = await startFakeOpenAi({ key: 'sk-tmux-42', models: ['llama3.1:8b', 'qwen2.5:7b'] });
  });
  after(async () => { await fake.close(); await rm(dir, { recursive: true, force: true }); });

  test('AI provider from the palette; tuner name from the Tuner view', async (ctx) => {
    if (!haveTools(ctx, [TOOLS.tmux])) return;
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const serve = await startServe(['--data-dir', dir, '--port', String(port), '--bind', '127.0.0.1'], url);
    const t = tmuxServer();
    const { keys, text, waitFor } = t;
    try {
      await t.open(`${ENV} ${process.execPath} ${BIN} --url ${url}`, 80, 24);
      await waitFor((x) => x.includes('Live sessions'), 'the dashboard');
      await keys(':');
      await waitFor((x) => x.includes('Command'), 'the palette');
      await text('AI provider');
      await waitFor((x) => x.includes('Schedules: AI provider set-up'), 'the set-up found from the Dashboard');
      await keys('Enter');
      await waitFor((x) => x.includes('Set up an AI provider') && x.includes('127.0.0.1:11434/v1'), 'the form with the Ollama default');
      await keys('C-u');
      await text(fake.url);
      await keys('Tab');
      await text('llama3.1:8b');
      await keys('Tab');
      await text('sk-tmux-42');
      let pane = await waitFor((x) => x.includes('••••••••••'), 'the masked key');
      assert.ok(!pane.includes('sk-tmux'), 'the key never shows');
      await keys('Enter');
      pane = await waitFor((x) => x.includes('AI provider: ready'), 'the health pop-up');
      assert.match(pane, /reachable in \d+ ms: 2 models/);
      assert.match(pane, /● llama3\.1:8b/);
      assert.match(pane, /· qwen2\.5:7b/);
      assert.ok(pane.split('\n').every((l) => [...l].length <= 80));
      assert.equal((await readFile(join(dir, 'ai.key'), 'utf8')).trim(), 'sk-tmux-42');
      assert.equal((await stat(join(dir, 'ai.key'))).mode & 0o777, 0o600);
      await keys('Escape');
      await waitFor((x) => x.includes('[3 Schedules]') && x.includes('AI provider saved'), 'back in Schedules with the result');

      await keys('6');
      pane = await waitFor((x) => x.includes('Friendly name') && x.includes('n name/id'), 'the Tuner view with its key');
      await keys('n');
      await waitFor((x) => x.includes('Tuner identity'), 'the identity form');
      await keys('C-u');
      await text('Den TV');
      await keys('Enter');
      await waitFor((x) => x.includes('tuner: "Den TV"') && /Friendly name\s+Den TV/.test(x), 'renamed');
      const d = await (await fetch(`${url}/discover.json`)).json() as { FriendlyName: string };
      assert.equal(d.FriendlyName, 'Den TV');
    } finally {
      await t.kill();
      const code = await serve.stop();
      assert.equal(code, 0, serve.output());
    }
  });
});
