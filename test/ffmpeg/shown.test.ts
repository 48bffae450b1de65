// The argv shown to people (API, TUI, doctor) never carries request headers (tokens); the runnable
// form drops only the session's progress pipe.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HIDDEN_HEADERS, shownArgv } from '../../src/engine/ffmpeg/shown.js';

const argv = ['-hide_banner', '-progress', 'pipe:3', '-stats_period', '1', '-headers', 'X-Plex-Token: s3cret\r\n', '-i', 'http://127.0.0.1:32400/library/parts/1/file.mkv', '-c', 'copy', '-f', 'mpegts', 'pipe:1'];

test('shown: header values hidden, everything else kept in order', () => {
  const out = shownArgv(argv);
  assert.ok(!out.join(' ').includes('s3cret'));
  assert.deepEqual(out.slice(0, 7), ['-hide_banner', '-progress', 'pipe:3', '-stats_period', '1', '-headers', HIDDEN_HEADERS]);
  assert.equal(out.length, argv.length);
});

test('runnable: progress pipe dropped, headers kept when asked', () => {
  const out = shownArgv(argv, { dropProgress: true, hideHeaders: false });
  assert.deepEqual(out, ['-hide_banner', '-headers', 'X-Plex-Token: s3cret\r\n', '-i', 'http://127.0.0.1:32400/library/parts/1/file.mkv', '-c', 'copy', '-f', 'mpegts', 'pipe:1']);
});
