// Tuner view against the real API: discovery status lines, and the Backups pane (b backs up now,
// R restores the selected backup after a [y/N] that says what it replaces, D deletes), with the
// editing keys refused under --readonly.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BackupList } from '../../src/schemas/backup.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { KEY, startTui } from './harness.js';

describe('tui: tuner', () => {
  let api: TestApi;
  const backups = async () => (await api.api.request<BackupList>('GET', '/api/backups')).backups;
  before(async () => { api = await startApi(); });
  after(async () => { await api.close(); });

  test('shows the tuner count, discovery status and an empty Backups pane', async () => {
    const t = await startTui({ api, initialView: 'tuner' });
    try {
      const text = await t.waitFor((x) => x.includes('UDP discovery') && x.includes('no backups yet'), 'discovery rows and the backups pane');
      assert.match(text, /Tuners\s+4 \(0 in use\)/);
      assert.match(text, /UDP discovery\s+off: only the daemon \(exstreamtv serve\) announces the tuner/);
      assert.match(text, /SSDP\s+off: only the daemon/);
      assert.match(text, /– off/);
      assert.match(text, /Backups \(keep 7\)/);
      assert.match(text, /b backup/, 'footer hint');
    } finally { await t.close(); }
  });

  test('b backs up now (listed); R restores after [y/N]; D deletes after [y/N]', async () => {
    await api.api.createChannel({ number: '5', name: 'Five' });
    const t = await startTui({ api, initialView: 'tuner' });
    try {
      await t.waitFor((x) => x.includes('no backups yet'), 'the backups pane');
      await t.keys('b');
      let text = await t.waitFor((x) => /backed up to exstreamtv-\d{8}T\d{6}Z-manual\.db/.test(x), 'the flash line');
      await t.waitFor((x) => /\d\d-\d\d \d\d:\d\d:\d\d\s+manual\s+\d+ KiB\s+✔/.test(x), 'the backup in the list');
      const [b] = await backups();
      assert.equal(b?.reason, 'manual');

      await api.api.createChannel({ number: '6', name: 'Six' });
      // Restore: the question says what it does; n keeps everything.
      await t.keys(KEY.tab, 'R');
      text = await t.waitFor((x) => x.includes('[y/N]'), 'the confirm');
      assert.match(text, /Restore the backup of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\? It replaces channels\/schedules and stops streams/);
      await t.keys('n');
      await t.waitFor((x) => x.includes('nothing restored'), 'kept');
      assert.equal((await api.api.channels()).length, 2);

      await t.keys('R');
      await t.waitFor((x) => x.includes('[y/N]'), 'the confirm');
      await t.keys('y');
      await t.waitFor((x) => /restored exstreamtv-\S+-manual\.db; the database before it is exstreamtv-\S+-pre-restore\.db/.test(x), 'restored');
      assert.deepEqual((await api.api.channels()).map((c) => c.number), ['5']);
      await t.waitFor((x) => /pre-restore/.test(x), 'the pre-restore backup listed');

      // Delete the selected (newest: the pre-restore one).
      await t.keys('g', 'D');
      text = await t.waitFor((x) => x.includes('[y/N]'), 'the delete confirm');
      assert.match(text, /Delete the backup of .* UTC \(pre-restore\)\?/);
      await t.keys('y');
      await t.waitFor((x) => /deleted backup exstreamtv-\S+-pre-restore\.db/.test(x), 'deleted');
      assert.deepEqual((await backups()).map((x) => x.reason), ['manual']);
    } finally { await t.close(); }
  });

  test('n changes the friendly name and DeviceID (the API and /discover.json agree); a bad DeviceID stays in the form', async () => {
    const t = await startTui({ api, initialView: 'tuner' });
    try {
      await t.waitFor((x) => x.includes('DeviceID') && x.includes('n name/id'), 'the identity rows and the footer hint');
      await t.keys('n');
      await t.waitFor((x) => x.includes('Tuner identity'), 'the form');
      await t.keys(KEY.ctrlU, 'Den TV', KEY.tab, KEY.ctrlU, '12345678', KEY.enter);
      await t.waitFor((x) => /not a valid HDHomeRun DeviceID/.test(x), 'the checksum error at the field');
      assert.ok(t.app.modal(), 'the form stays open');
      await t.keys(KEY.ctrlU, 'new', KEY.enter);
      const text = await t.waitFor((x) => /tuner: "Den TV", DeviceID [0-9A-F]{8}/.test(x), 'saved');
      const id = /DeviceID ([0-9A-F]{8})/.exec(text)![1]!;
      const d = (await api.app.inject({ method: 'GET', url: '/discover.json' })).json() as { FriendlyName: string; DeviceID: string };
      assert.deepEqual([d.FriendlyName, d.DeviceID], ['Den TV', id]);
      await t.waitFor((x) => /Friendly name\s+Den TV/.test(x) && new RegExp(`DeviceID\\s+${id}`).test(x), 'the rows show the new identity');
    } finally { await t.close(); }
  });

  test('--readonly hides and refuses b, R and D', async () => {
    const before = (await backups()).length;
    const t = await startTui({ api, initialView: 'tuner', readonly: true });
    try {
      await t.waitFor((x) => x.includes('Backups (keep 7)'), 'the backups pane');
      assert.doesNotMatch(t.s.text(), /b backup/);
      await t.keys('b');
      await t.waitFor((x) => x.includes('read-only: "back up the database now" is disabled'), 'refused');
      await t.keys('R');
      await t.waitFor((x) => x.includes('read-only: "restore the selected backup'), 'refused');
      assert.equal(t.app.modal(), undefined, 'no confirm opened');
      assert.equal((await backups()).length, before);
    } finally { await t.close(); }
  });
});
