// scripts/node-from-registry.py (install.sh's way to a supported Node) against a fake registry:
// the newest release of the wanted major (numerically), the matching npm, sha512 checked, the
// prefix laid out for install.sh (bin/node, bin/npm running npm on that node with bin/ first on
// PATH, include/node) and replaced atomically; a corrupt download leaves the old prefix alone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeRegistry, type FakePackageVersion, type FakeRegistry } from '../fakes/npm-registry.js';

const SCRIPT = fileURLToPath(new URL('../../../scripts/node-from-registry.py', import.meta.url));
const ARCH = process.arch === 'arm64' ? 'arm64' : 'x64';

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('python3', [SCRIPT, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** A "node" that is a shell script running the real one, and reporting which release it is. */
const nodePkg = (version: string): FakePackageVersion => ({
  version,
  files: {
    'bin/node': { text: `#!/bin/sh\n[ "$1" = --fake-version ] && { echo v${version}; exit 0; }\nexec "${process.execPath}" "$@"\n`, mode: 0o755 },
    'include/node/node_version.h': { text: `#define NODE_MAJOR_VERSION ${version.split('.')[0]}\n` },
    'package.json': { text: JSON.stringify({ name: `node-linux-${ARCH}`, version }) },
  },
});
const npmPkg = (version: string): FakePackageVersion => ({
  version,
  files: {
    'bin/npm-cli.js': { text: `console.log(JSON.stringify({ npm: '${version}', args: process.argv.slice(2), node: process.execPath, path0: process.env.PATH.split(':')[0] }));\n` },
    'bin/npx-cli.js': { text: `console.log('npx ${version}');\n` },
    'package.json': { text: JSON.stringify({ name: 'npm', version }) },
  },
});

describe('node-from-registry.py', () => {
  let work: string, reg: FakeRegistry;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'exs-noderef-'));
    reg = await startFakeRegistry(join(work, 'pkgs'), {
      [`node-linux-${ARCH}`]: ['22.1.0', '22.10.0', '22.9.3', '24.0.1', '23.11.0'].map(nodePkg),
      npm: ['10.2.0', '10.9.1', '11.4.2', '9.9.9'].map(npmPkg),
    });
  });
  after(async () => {
    await reg.close();
    await rm(work, { recursive: true, force: true });
  });

  test('the newest 22.x and npm 10.x, laid out for install.sh', async () => {
    const prefix = join(work, 'node22');
    const r = await run(['22', prefix, '--registry', reg.url]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`node-linux-${ARCH}@22\\.10\\.0 and npm@10\\.9\\.1`));
    assert.ok(statSync(join(prefix, 'bin/node')).mode & 0o100, 'bin/node executable');
    assert.ok(existsSync(join(prefix, 'include/node/node_version.h')), 'headers for node-gyp');
    assert.equal(execFileSync(join(prefix, 'bin/node'), ['--fake-version'], { encoding: 'utf8' }).trim(), 'v22.10.0');
    // The npm wrapper: that node, that npm, bin/ first on PATH for npm's scripts.
    const out = JSON.parse(execFileSync(join(prefix, 'bin/npm'), ['test', '--x'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } })) as Record<string, unknown>;
    assert.deepEqual(out.args, ['test', '--x']);
    assert.equal(out.npm, '10.9.1');
    assert.equal(out.path0, join(prefix, 'bin'));
    assert.equal(execFileSync(join(prefix, 'bin/npx'), [], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } }).trim(), 'npx 10.9.1');
  });

  test('24 takes npm 11; a second run replaces the prefix', async () => {
    const prefix = join(work, 'node22');
    const r = await run(['24', prefix, '--registry', reg.url]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /@24\.0\.1 and npm@11\.4\.2/);
    assert.match(readFileSync(join(prefix, 'lib/node_modules/npm/package.json'), 'utf8'), /11\.4\.2/);
  });

  test('a download that does not match its sha512 is refused and the prefix kept', async () => {
    const prefix = join(work, 'node22');
    reg.corrupt(`node-linux-${ARCH}`, '22.10.0');
    const r = await run(['22', prefix, '--registry', reg.url]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /does not match its sha512/);
    assert.match(readFileSync(join(prefix, 'lib/node_modules/npm/package.json'), 'utf8'), /11\.4\.2/, 'the earlier install untouched');
  });

  test('a major without releases, and an unsupported major', async () => {
    const empty = await startFakeRegistry(join(work, 'empty'), { [`node-linux-${ARCH}`]: [nodePkg('20.1.0')], npm: [npmPkg('10.0.0')] });
    try {
      const r = await run(['22', join(work, 'none'), '--registry', empty.url]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, new RegExp(`no node-linux-${ARCH}@22`));
      assert.equal(existsSync(join(work, 'none')), false);
    } finally { await empty.close(); }
    const bad = await run(['20', join(work, 'none'), '--registry', reg.url]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /invalid choice/);
  });
});
