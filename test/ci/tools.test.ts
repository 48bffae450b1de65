// The one rule for tests that need an outside tool: skip with the reason on a laptop, fail under CI=true.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { haveTools, missingTools, type Tool } from '../helpers/tools.js';

const SH: Tool = { cmd: 'sh', pkg: 'dash' };
const GONE: Tool = { cmd: 'exstreamtv-no-such-tool', pkg: 'no-such-package' };
const GONE_PATH: Tool = { cmd: '/nonexistent/bin/tool', pkg: 'other-package' };

function recorder() {
  const skips: string[] = [];
  return { skips, t: { skip: (why?: string) => { skips.push(why ?? ''); } } };
}

describe('test tools: skip locally, fail under CI=true', () => {
  test('present tools (on PATH or by absolute path): no reason, the test runs', () => {
    assert.equal(missingTools([SH, { cmd: process.execPath, pkg: 'nodejs' }]), null);
    const r = recorder();
    assert.equal(haveTools(r.t, [SH], { ...process.env, CI: 'true' }), true);
    assert.deepEqual(r.skips, []);
  });

  test('a missing tool without CI: skipped, naming the tool, its package and install.sh --dev', () => {
    const r = recorder();
    assert.equal(haveTools(r.t, [SH, GONE, GONE_PATH], { PATH: process.env.PATH }), false);
    assert.equal(r.skips.length, 1);
    assert.equal(r.skips[0], 'exstreamtv-no-such-tool (Debian package no-such-package), /nonexistent/bin/tool (Debian package other-package) are not installed; ./install.sh --dev installs them');
  });

  test('a missing tool under CI=true (or CI=1): the test fails instead of skipping', () => {
    for (const CI of ['true', '1']) {
      const r = recorder();
      assert.throws(() => haveTools(r.t, [GONE], { PATH: process.env.PATH, CI }), /^Error: CI=true: exstreamtv-no-such-tool \(Debian package no-such-package\) is not installed/);
      assert.deepEqual(r.skips, []);
    }
  });

  test('PATH decides: the same command is missing on an empty PATH', () => {
    assert.match(missingTools([SH], { PATH: '' }) ?? '', /^sh \(Debian package dash\) is not installed/);
  });
});
