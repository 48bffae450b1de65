// How `exstreamtv` (the TUI) attaches: --url → that instance; else the daemon of this data dir
// when one answers on the configured port; else the API served in-process on 127.0.0.1
// (the configured port, or a free one when something else holds it), stopped on close.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attach } from '../../src/tui/attach.js';
import { startApi } from '../helpers/api.js';
import { freePort } from '../helpers/cli.js';

describe('tui: attach', () => {
  test('--url: a remote instance', async () => {
    const api = await startApi({ listen: true });
    try {
      const a = await attach({ url: `${api.url}/` });
      assert.equal(a.info.mode, 'remote');
      assert.equal(a.info.apiUrl, api.url);
      assert.equal(a.info.host, '127.0.0.1');
      assert.equal((await a.client.status()).name, 'exstreamtv');
      assert.equal(await a.info.probe('/discover.json'), 200);
      await a.close();
    } finally { await api.close(); }
  });

  test('the running daemon of this data dir', async () => {
    const api = await startApi({ listen: true });
    try {
      const port = new URL(api.url).port;
      const a = await attach({ dataDir: api.engine.config.dataDir, port });
      assert.equal(a.info.mode, 'daemon');
      assert.equal(a.info.apiUrl, `http://127.0.0.1:${port}`);
      assert.equal((await a.client.status()).dataDir, api.engine.config.dataDir);
      await a.close();
    } finally { await api.close(); }
  });

  test('no daemon: serves in-process on 127.0.0.1 (a free port when the configured one is taken), stops on close', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'exs-tui-attach-'));
    const port = await freePort();
    try {
      let a = await attach({ dataDir: dir, port: String(port) });
      assert.equal(a.info.mode, 'in-process');
      assert.equal(a.info.apiUrl, `http://127.0.0.1:${port}`);
      assert.equal((await a.client.status()).dataDir, dir);
      await a.close();
      await assert.rejects(fetch(`http://127.0.0.1:${port}/api/status`), 'closed with the TUI');

      // Another program on the port: a free one instead, said in the note.
      const squatter = createServer().listen(port, '127.0.0.1');
      await new Promise((r) => squatter.once('listening', r));
      try {
        a = await attach({ dataDir: dir, port: String(port) });
        assert.equal(a.info.mode, 'in-process');
        assert.notEqual(a.info.apiUrl, `http://127.0.0.1:${port}`);
        assert.match(a.info.note ?? '', new RegExp(`port ${port} is taken`));
        assert.equal((await a.client.status()).name, 'exstreamtv');
        await a.close();
      } finally { squatter.close(); }
    } finally { await rm(dir, { recursive: true, force: true }); }
  });
});
