// Files the daemon may be pointed at: library folders are not system trees (unless allowed), images
// (watermarks, logos) lie under a library folder or <dataDir>/images, and a refused image path reads
// the same whether it exists or not.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi, type TestApi } from '../helpers/api.js';
import { systemFolderReason } from '../../src/engine/library/allowed-paths.js';

describe('library folders', () => {
  let t: TestApi;
  let outside: string;
  before(async () => {
    t = await startApi();
    outside = await mkdtemp(join(tmpdir(), 'exs-files-'));
  });
  after(async () => {
    await t?.close();
    await rm(outside, { recursive: true, force: true });
  });

  test('system trees, the data dir and its backups are refused (400 naming path, nothing stored)', async () => {
    const data = t.engine.config.dataDir;
    for (const path of ['/', '/etc', '/etc/ssl', '/proc', '/proc/self', '/sys', '/dev', '/root', '/boot', '/usr/share', '/var/lib', '/var/log', '/run', data, join(data, 'backups'), '/etc/../etc/./ssl', '/no/such/../../etc']) {
      const body = await t.rejects('POST', '/api/sources', { path }, 400, 'path');
      assert.match(body.message, /may not be system folders/, path);
    }
    // A refusal of a system tree does not depend on whether the folder exists.
    const a = await t.rejects('POST', '/api/sources', { path: '/etc/exstreamtv-no-such-folder' }, 400, 'path');
    assert.match(a.message, /system folder \(\/etc\)/);
  });

  test('a link that leads into a system tree is refused; folders inside the data dir (demo media) and elsewhere are fine', async () => {
    await symlink('/etc', join(outside, 'etc-link'));
    const body = await t.rejects('POST', '/api/sources', { path: join(outside, 'etc-link') }, 400, 'path');
    assert.match(body.message, /a link to a system folder/);
    await mkdir(join(t.engine.config.dataDir, 'demo'), { recursive: true });
    assert.equal((await t.call('POST', '/api/sources', { path: join(t.engine.config.dataDir, 'demo') })).status, 201);
    await mkdir(join(outside, 'media'));
    assert.equal((await t.call('POST', '/api/sources', { path: join(outside, 'media') })).status, 201);
  });

  test('a source that points into a system tree (stored before the rule) is not scanned', async () => {
    const src = t.engine.store.sources.create('local', 'old', { path: '/etc' });
    const r = await t.call('POST', `/api/sources/${src.id}/scan`);
    assert.equal(r.status, 409);
    assert.match(r.body.message, /may not be system folders/);
    t.engine.store.sources.remove(src.id);
  });

  test('the rule itself', () => {
    assert.equal(systemFolderReason('/srv/media', '/var/lib/exstreamtv'), null);
    assert.equal(systemFolderReason('/var/lib/exstreamtv/demo', '/var/lib/exstreamtv'), null);
    assert.equal(systemFolderReason('/var/lib/exstreamtv', '/var/lib/exstreamtv'), "exstreamtv's data directory");
    assert.equal(systemFolderReason('/var/lib/other', '/var/lib/exstreamtv'), 'a system folder (/var/lib)');
    assert.equal(systemFolderReason('/etcetera', '/d'), null);
  });
});

describe('system folders explicitly allowed', () => {
  let t: TestApi;
  before(async () => { t = await startApi({ config: { allowSystemFolders: true } }); });
  after(async () => { await t?.close(); });
  test('allowSystemFolders lets /etc be a library folder', async () => {
    assert.equal((await t.call('POST', '/api/sources', { path: '/etc' })).status, 201);
  });
});

describe('watermark and logo images', () => {
  let t: TestApi;
  let lib: string;
  let outside: string;
  before(async () => {
    t = await startApi();
    lib = await mkdtemp(join(tmpdir(), 'exs-lib-'));
    outside = await mkdtemp(join(tmpdir(), 'exs-private-'));
    await writeFile(join(outside, 'private.png'), 'secret');
    await writeFile(join(lib, 'logo.png'), 'png');
    await mkdir(join(t.engine.config.dataDir, 'images'));
    await writeFile(join(t.engine.config.dataDir, 'images', 'wm.png'), 'png');
    await symlink(join(outside, 'private.png'), join(t.engine.config.dataDir, 'images', 'sneaky.png'));
    assert.equal((await t.call('POST', '/api/sources', { path: lib })).status, 201);
    assert.equal((await t.call('POST', '/api/channels', { number: '4', name: 'Four' })).status, 201);
  });
  after(async () => {
    await t?.close();
    await rm(lib, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  const wm = (image: string) => ({ stream: { watermark: { image } } });

  test('outside the allowed folders, missing, a folder, a link out: one and the same refusal', async () => {
    const messages = new Set<string>();
    for (const image of [join(outside, 'private.png'), join(outside, 'missing.png'), '/etc/hostname', '/etc/no-such.png', '/proc/self/environ',
      join(t.engine.config.dataDir, 'images', 'sneaky.png'), join(t.engine.config.dataDir, 'images'), join(lib, 'missing.png'), join(t.engine.config.dataDir, 'exstreamtv.db')]) {
      const body = await t.rejects('PATCH', '/api/channels/4', wm(image), 400, 'stream.watermark.image');
      messages.add(body.message);
    }
    assert.equal(messages.size, 1, [...messages].join('\n'));
    assert.doesNotMatch([...messages][0]!, /exist|ENOENT|EACCES|not a file/);
  });

  test('under a library folder or <dataDir>/images: accepted', async () => {
    assert.equal((await t.call('PATCH', '/api/channels/4', wm(join(lib, 'logo.png')))).status, 200);
    assert.equal((await t.call('PATCH', '/api/channels/4', wm(join(t.engine.config.dataDir, 'images', 'wm.png')))).status, 200);
  });

  test('channel logos that are file paths follow the same rule; URLs are not files', async () => {
    for (const logo of [join(outside, 'private.png'), '/etc/passwd']) await t.rejects('PATCH', '/api/channels/4', { logo }, 400, 'logo');
    await t.rejects('POST', '/api/channels', { number: '5', name: 'Five', logo: '/etc/passwd' }, 400, 'logo');
    assert.equal((await t.call('PATCH', '/api/channels/4', { logo: join(lib, 'logo.png') })).status, 200);
    assert.equal((await t.call('PATCH', '/api/channels/4', { logo: 'https://example.com/logo.png' })).status, 200);
  });
});
