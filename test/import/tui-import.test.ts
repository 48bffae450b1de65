// The TUI's import action (the `:` palette): the form runs a dry run of a dizqueTV folder and
// shows the report; a bad path is shown in the form, nothing written.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { copyFixture } from '../helpers/import-fixtures.js';
import { dbSnapshot } from '../helpers/db-snapshot.js';
import { KEY, startTui, type Tui } from '../tui/harness.js';

describe('TUI: import', () => {
  let tmp: string;
  let dir: string;
  let t: Tui;

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'exstreamtv-tui-import-'));
    dir = join(tmp, '.dizquetv');
    const anyKey = new Proxy({}, { get: () => '4242' }) as Record<string, string>;
    copyFixture('dizquetv', dir, { PLEX_URL: 'http://127.0.0.1:9', PLEX_TOKEN: 'x' }, anyKey);
    t = await startTui({});
  });
  after(async () => {
    await t.close();
    await rm(tmp, { recursive: true, force: true });
  });

  test('palette → form → dry-run report; a wrong path is shown in the form', async () => {
    await t.waitFor((x) => x.includes('Live sessions'), 'dashboard');
    const before = dbSnapshot(t.api!.engine.store);
    await t.keys(':', 'import from');
    await t.waitFor((x) => x.includes('import from dizqueTV, Tunarr or ErsatzTV'), 'palette narrowed');
    await t.keys(KEY.enter);
    await t.waitFor((x) => x.includes('Import from dizqueTV, Tunarr or ErsatzTV') && x.includes('dry run: report only'), 'form');
    await t.keys(KEY.tab, '/nowhere', KEY.enter);
    await t.waitFor((x) => /\/nowhere is not a folder/.test(x), 'the error in the form');
    await t.keys(KEY.ctrlU, dir, KEY.enter);
    const text = await t.waitFor((x) => x.includes('Import — dry run (nothing written)'), 'report');
    assert.match(text, /would import 3 channel\(s\), 2 collection\(s\)/);
    assert.match(text, /basement-plex .*would-add/);
    assert.deepEqual(dbSnapshot(t.api!.engine.store), before, 'a dry run writes nothing');
  });
});
