// Log lines: the journald form under systemd (priority prefix per line, no timestamp of our own,
// chosen when JOURNAL_STREAM names stdout), the text form elsewhere, and `exstreamtv logs`
// (recent lines by level and channel, -f following new ones) against a real daemon API.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectLogFormat, formatLogLine } from '../../src/daemon/log-format.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { BIN, cli, freePort } from '../helpers/cli.js';

const AT = '2026-03-01T12:00:00.000Z';
const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d/;

describe('log line formats', () => {
  test('journald: syslog priority per line, channel and session, no timestamp', () => {
    assert.equal(formatLogLine({ level: 'error', msg: 'ffmpeg failed', at: AT, channel: '5.1', session: 'k3' }, 'journald'), '<3>[5.1/k3] ffmpeg failed\n');
    assert.equal(formatLogLine({ level: 'warn', msg: 'slow', at: AT }, 'journald'), '<4>slow\n');
    assert.equal(formatLogLine({ level: 'info', msg: 'up', at: AT }, 'journald'), '<6>up\n');
    assert.equal(formatLogLine({ level: 'debug', msg: 'a\nb', at: AT, channel: '2' }, 'journald'), '<7>[2] a\n<7>b\n');
  });

  test('text: ISO time, level, subject', () => {
    assert.equal(formatLogLine({ level: 'warn', msg: 'slow', at: AT, channel: '5.1' }, 'text'), `${AT} WARN  [5.1] slow\n`);
  });

  test('detection: JOURNAL_STREAM must name the stream itself', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'exs-journal-'));
    const fd = openSync(join(dir, 'out'), 'w');
    try {
      const st = fstatSync(fd);
      assert.equal(detectLogFormat('auto', { JOURNAL_STREAM: `${st.dev}:${st.ino}` }, fd), 'journald');
      assert.equal(detectLogFormat('auto', { JOURNAL_STREAM: `${st.dev}:${st.ino + 1}` }, fd), 'text', 'stdout redirected elsewhere');
      assert.equal(detectLogFormat('auto', { INVOCATION_ID: 'abc' }, fd), 'text');
      assert.equal(detectLogFormat('journald', {}, fd), 'journald');
      assert.equal(detectLogFormat('text', { JOURNAL_STREAM: `${st.dev}:${st.ino}` }, fd), 'text');
    } finally {
      closeSync(fd);
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('the daemon under a journal stream writes journald lines', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'exs-journal-'));
    const out = join(dir, 'journal');
    const fd = openSync(out, 'w');
    const st = fstatSync(fd);
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, 'serve', '--data-dir', join(dir, 'data'), '--port', String(port), '--bind', '127.0.0.1'], {
      stdio: ['ignore', fd, fd], env: { ...process.env, JOURNAL_STREAM: `${st.dev}:${st.ino}`, INVOCATION_ID: '0123', EXSTREAMTV_LOG_FORMAT: '' },
    });
    closeSync(fd);
    const exited = new Promise<number | null>((r) => child.on('close', r));
    try {
      const deadline = Date.now() + 30_000;
      while (!/listening on/.test(readFileSync(out, 'utf8'))) {
        assert.ok(Date.now() < deadline && child.exitCode === null, readFileSync(out, 'utf8'));
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    try {
      assert.ok(lines.length >= 2, lines.join('\n'));
      for (const l of lines) {
        assert.match(l, /^<[3-7]>/, l);
        assert.doesNotMatch(l, ISO, `no second timestamp: ${l}`);
      }
      assert.ok(lines.some((l) => l.startsWith('<6>SIGTERM: shutting down')), lines.join('\n'));
    } finally { await rm(dir, { recursive: true, force: true }); }
  });
});

describe('exstreamtv logs', () => {
  let api: TestApi;
  before(async () => {
    api = await startApi({ listen: true });
    const log = api.engine.events;
    log.log('info', 'scan finished');
    log.log('warn', 'ffmpeg slow', '5.1', 'k3');
    log.log('error', 'ffmpeg failed', '5.1');
    log.log('error', 'disk full');
    log.log('debug', 'probe detail', '5.1');
  });
  after(async () => { await api.close(); });

  test('recent lines, by level and channel; JSON', async () => {
    let r = await cli(['logs', '--url', api.url]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.replace(/^\S+ /, '')), [
      'INFO  scan finished', 'WARN  [5.1/k3] ffmpeg slow', 'ERROR [5.1] ffmpeg failed', 'ERROR disk full',
    ], 'info and above by default');

    r = await cli(['logs', '--url', api.url, '--level', 'warn', '--channel', '5.1']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.replace(/^\S+ /, '')), ['WARN  [5.1/k3] ffmpeg slow', 'ERROR [5.1] ffmpeg failed']);

    r = await cli(['logs', '--url', api.url, '--level', 'debug', '-n', '2', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { msg: string }[]).map((e) => e.msg), ['disk full', 'probe detail']);
  });

  test('a bad level is a usage error; the API names the field', async () => {
    const r = await cli(['logs', '--url', api.url, '--level', 'loud']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--level/);
    const res = await api.call('GET', '/api/logs?level=loud');
    assert.equal(res.status, 400);
    assert.match(res.body.message, /level/);
  });

  test('-f follows new lines that pass the filters', async () => {
    const child = spawn(process.execPath, [BIN, 'logs', '-f', '--url', api.url, '--level', 'warn', '--channel', '7'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('close', r));
    try {
      // The follower is subscribed once the SSE stream is open: keep logging until a line arrives.
      const deadline = Date.now() + 30_000;
      while (!out.includes('tuner lost')) {
        assert.ok(Date.now() < deadline && child.exitCode === null, `no line followed: ${out}`);
        api.engine.events.log('info', 'not shown: info', '7');
        api.engine.events.log('error', 'not shown: other channel', '8');
        api.engine.events.log('error', 'tuner lost', '7');
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      child.kill('SIGINT');
    }
    assert.equal(await exited, 0, 'SIGINT ends it cleanly');
    assert.doesNotMatch(out, /not shown/);
    assert.match(out, /ERROR \[7\] tuner lost/);
  });

  test('no daemon: says so, where it looked, and exits 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'exs-logs-'));
    try {
      const r = await cli(['logs', '--data-dir', dir]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /none is running/);
      assert.ok(r.stderr.includes(join(dir, 'daemon.json')), r.stderr);
      assert.match(r.stderr, /--url/);
    } finally { await rm(dir, { recursive: true, force: true }); }
  });
});
