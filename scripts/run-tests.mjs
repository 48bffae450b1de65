#!/usr/bin/env node
// Runs every compiled test file under dist/test with node's test runner and prints
// a closing "N passed, N failed" line that CI can read. Extra args filter by path substring.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';

const root = 'dist/test';
const filters = process.argv.slice(2);
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.js') && (filters.length === 0 || filters.some((f) => p.includes(f)))) files.push(p);
  }
})(root);
if (files.length === 0) {
  console.error(`no test files matched under ${root}`);
  process.exit(1);
}
// Tests talk to loopback and their own network namespaces only: no daemon they start may announce
// itself on the machine's LAN (SSDP multicast, UDP 65001). Discovery tests opt back in explicitly.
// Nor may it publish itself as the box's service (/run/exstreamtv/daemon.json): a private runtime dir.
const runtimeDir = mkdtempSync(join(tmpdir(), 'exs-test-run-'));
const env = { ...process.env, EXSTREAMTV_SSDP: process.env.EXSTREAMTV_SSDP ?? 'false', EXSTREAMTV_UDP_DISCOVERY: process.env.EXSTREAMTV_UDP_DISCOVERY ?? 'false',
  EXSTREAMTV_RUNTIME_DIR: runtimeDir };
// How many test files run at once: EXSTREAMTV_TEST_CONCURRENCY (CI sets 2), else node's default
// (one less than the CPUs). Every file has its own temp data dir, ports and processes.
const concurrency = process.env.EXSTREAMTV_TEST_CONCURRENCY;
if (concurrency !== undefined && !/^[1-9][0-9]*$/.test(concurrency)) {
  console.error(`EXSTREAMTV_TEST_CONCURRENCY=${concurrency}: a number of test files, 1 or more`);
  process.exit(2);
}
const child = spawn(process.execPath, ['--test', ...(concurrency ? [`--test-concurrency=${concurrency}`] : []), '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=tap', '--test-reporter-destination=dist/test-results.tap', ...files], { stdio: ['ignore', 'pipe', 'inherit'], env });
// The reporter's closing "ℹ pass N" lines come before its list of failures, which can be long:
// read them line by line as they pass rather than from the end of the output.
const totals = {};
let partial = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  const lines = (partial + chunk.toString()).split('\n');
  partial = lines.pop() ?? '';
  for (const line of lines) {
    const m = /^ℹ (pass|fail|skipped|todo|cancelled) (\d+)\s*$/.exec(line);
    if (m) totals[m[1]] = Number(m[2]);
  }
});
child.on('close', (code) => {
  rmSync(runtimeDir, { recursive: true, force: true });
  const num = (k) => totals[k] ?? 0;
  const pass = num('pass'), fail = num('fail'), skipped = num('skipped') + num('todo');
  const cancelled = num('cancelled');
  console.log(`\n${pass} passed, ${fail + cancelled} failed, ${skipped} skipped`);
  process.exit(code === 0 && fail + cancelled === 0 ? 0 : 1);
});
