// `library add` warns when the service's system user cannot read the folder (a 0700 home on the
// way, a 0700 folder), judged from the permission bits along the path for that account.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lookupAccount, unreadableFor, type Account } from '../../src/daemon/service-user.js';
import { cli } from '../helpers/cli.js';

describe('service user can read a library folder', () => {
  let root: string;
  // An account that owns nothing here and belongs to one group we hand folders to.
  const who: Account = { name: 'svc', uid: 64_999, gids: [64_998] };
  before(async () => { root = await mkdtemp(join(tmpdir(), 'exs-svcuser-')); await chmod(root, 0o755); });
  after(async () => { await rm(root, { recursive: true, force: true }); });

  test('the first directory on the way that stops it', async () => {
    const home = join(root, 'home'), media = join(home, 'media');
    await mkdir(media, { recursive: true });
    await chmod(home, 0o700);
    await chmod(media, 0o755);
    assert.match(unreadableFor(media, who) ?? '', new RegExp(`^${home} \\(mode 0700.*pass through`));
    await chmod(home, 0o711);
    assert.equal(unreadableFor(media, who), null, 'search permission on the parent is enough');
    await chmod(media, 0o700);
    assert.match(unreadableFor(media, who) ?? '', new RegExp(`^${media} \\(mode 0700.*list it`));
    await chmod(media, 0o750);
    if (process.getuid?.() === 0) {
      await chown(media, 0, 64_998);
      assert.equal(unreadableFor(media, who), null, 'through its group');
      assert.match(unreadableFor(media, { ...who, gids: [1] }) ?? '', /list it/);
    }
    assert.equal(unreadableFor(join(root, 'nope'), who), null, 'a missing path is not its business');
    assert.equal(unreadableFor(media, { ...who, uid: 0 }), null, 'root reads everything');
  });

  test('accounts from passwd and group files', async () => {
    const etc = join(root, 'etc');
    await mkdir(etc);
    await writeFile(join(etc, 'passwd'), 'root:x:0:0:root:/root:/bin/bash\nexstreamtv:x:998:997:EXStreamTV:/var/lib/exstreamtv:/usr/sbin/nologin\n');
    await writeFile(join(etc, 'group'), 'video:x:44:exstreamtv\nrender:x:105:pi,exstreamtv\nexstreamtv:x:997:\nusers:x:100:pi\n');
    assert.deepEqual(lookupAccount('exstreamtv', etc), { name: 'exstreamtv', uid: 998, gids: [997, 44, 105] });
    assert.equal(lookupAccount('nobody-here', etc), null);
  });

  test('library add prints the warning and still adds the folder', { skip: lookupAccount('nobody') ? false : 'no account "nobody" here' }, async () => {
    const media = join(root, 'private-media');
    await mkdir(media);
    await chmod(media, 0o700);
    const data = join(root, 'data');
    const r = await cli(['library', 'add', media, '--no-scan', '--data-dir', data, '--json'], { EXSTREAMTV_SERVICE_USER: 'nobody' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`warning: the service user nobody cannot read ${media}: ${media} \\(mode 0700`));
    assert.equal(JSON.parse(r.stdout).config.path, media);

    await chmod(media, 0o755);
    const ok = await cli(['library', 'add', media, '--no-scan', '--name', 'again', '--data-dir', data, '--json'], { EXSTREAMTV_SERVICE_USER: 'nobody' });
    assert.doesNotMatch(ok.stderr, /warning/);
  });
});
