// The TUI's pure polish parts: readable error reasons and the error detail, the footer's key
// priority at 80 columns, prompts whose pre-filled value is selected, and the Tuner view's paste
// text (URLs never split, loopback flagged).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SessionStats } from '../../src/schemas/session.js';
import { errorDetailLines, readableReason, shellLine } from '../../src/tui/errors.js';
import { footerHints, type Binding } from '../../src/tui/keymap.js';
import { width } from '../../src/tui/text.js';
import { isLoopback, loopbackWarning, pasteLines } from '../../src/tui/views/tuner-help.js';
import { LineEdit } from '../../src/tui/widgets/lineedit.js';

test('reasons come before the file they are about', () => {
  assert.equal(readableReason('/media/tv/Show (2001)/S01E01: part 1.mkv: No such file or directory'), 'No such file or directory (/media/tv/Show (2001)/S01E01: part 1.mkv)');
  assert.equal(readableReason('http://nas:8096/v/1.ts: Connection refused'), 'Connection refused (http://nas:8096/v/1.ts)');
  assert.equal(readableReason('file:/m/Colour Bars (1999).mkv: Invalid data found when processing input'), 'Invalid data found when processing input (file:/m/Colour Bars (1999).mkv)');
  assert.equal(readableReason('item ended 12 s early'), 'item ended 12 s early');
  assert.equal(readableReason('nvenc: Cannot load libcuda.so.1'), 'nvenc: Cannot load libcuda.so.1');
});

test('the error detail: whole reason, when, the ffmpeg command a shell reads back, the stderr tail, all within the width', () => {
  const s: SessionStats = {
    channelId: 1, number: '2.1', name: 'Movies', viewers: 1, hlsActive: false, startedAt: '2026-01-01T00:00:00Z', uptimeS: 9, nowPlaying: 'X',
    encoder: 'libx264 (software)', bitrateKbps: 0, restarts: 2, ffmpegPid: null, piece: null, pieces: [], lastError: '/m/a b.mkv: Invalid data found when processing input',
    lastFailure: { at: '2026-01-01T00:00:05Z', reason: '/m/a b.mkv: Invalid data found when processing input', command: ['/usr/bin/ffmpeg', '-i', '/m/a b.mkv', '-vf', "drawtext=text='x'"], stderr: ['[matroska @ 0x1] EBML header parsing failed', '/m/a b.mkv: Invalid data found when processing input'] },
  };
  const lines = errorDetailLines(s, 40, Date.parse('2026-01-01T00:00:35Z'));
  const text = lines.join('\n');
  assert.ok(lines.every((l) => width(l) <= 40), text);
  assert.match(text, /^Error: Invalid data found when/);
  assert.match(text, /\(30 s ago\) ·\s+restarts so far: 2/);
  assert.match(text, /ffmpeg command \(y copies it\):/);
  assert.match(text, /Last 2 stderr lines:\n {2}\[matroska @ 0x1\] EBML header/);
  assert.equal(shellLine(s.lastFailure!.command), `/usr/bin/ffmpeg -i '/m/a b.mkv' -vf 'drawtext=text='\\''x'\\'''`);
  assert.deepEqual(errorDetailLines({ ...s, lastError: null, lastFailure: null }, 40), ['No error on this channel since its session started.']);
  assert.match(errorDetailLines({ ...s, lastError: 'cannot render slate: boom', lastFailure: null }, 60).join('\n'), /no failed ffmpeg piece was recorded/i);
});

test('footer: the focused pane\'s keys stay, global keys are cut first, order kept', () => {
  const view: Binding[] = [
    { keys: ['enter'], desc: 'open', hint: 'channel', panes: [0] },
    { keys: ['f'], desc: 'follow', hint: 'follow' },
    { keys: ['c'], desc: 'by channel', hint: 'log by channel' },
    { keys: ['X'], desc: 'stop', hint: 'stop', mutates: true, panes: [0] },
    { keys: ['w'], desc: 'wrap', hint: 'wrap', panes: [1] },
  ];
  const global: Binding[] = [{ keys: ['?'], desc: 'help', hint: 'help' }, { keys: [':'], desc: 'cmd', hint: 'cmd' }, { keys: ['q'], desc: 'back', hint: 'back' }];
  const labels = (h: { key: string; label: string }[]) => h.map((x) => `${x.key} ${x.label}`);
  assert.deepEqual(labels(footerHints(view, false, 200, 0, global)), ['enter channel', 'f follow', 'c log by channel', 'X stop', '? help', ': cmd', 'q back']);
  assert.deepEqual(labels(footerHints(view, false, 50, 0, global)), ['enter channel', 'f follow', 'X stop', '? help', ': cmd'], 'the view\'s keys first, then what still fits');
  assert.deepEqual(labels(footerHints(view, false, 42, 0, global)), ['enter channel', 'f follow', 'X stop', '? help'], 'global ones go first');
  assert.deepEqual(labels(footerHints(view, false, 24, 0, global)), ['enter channel', 'X stop'], 'the pane\'s own keys stay longest');
  assert.deepEqual(labels(footerHints(view, true, 24, 1, global)), ['f follow', 'w wrap'], 'read-only hides X; pane 1 has w');
});

test('a prompt\'s pre-filled value is selected: typing replaces it, backspace clears it, a moving key keeps it', () => {
  const typed = new LineEdit('Demo', true);
  assert.equal(typed.selected, true);
  typed.handle('M', { name: 'm' });
  typed.handle('o', { name: 'o' });
  assert.equal(typed.value, 'Mo');
  const cleared = new LineEdit('Demo', true);
  cleared.handle(undefined, { name: 'backspace', full: 'backspace' });
  assert.equal(cleared.value, '');
  const kept = new LineEdit('Demo', true);
  kept.handle(undefined, { name: 'left', full: 'left' });
  kept.handle('s', { name: 's' });
  assert.equal(kept.value, 'Demso');
  assert.match(new LineEdit('Demo', true).render(10, true), /^\{inverse\}D\{\/inverse\}\{inverse\}e/);
  assert.equal(new LineEdit('', true).selected, false);
  const plain = new LineEdit('Demo');
  plain.handle('x', { name: 'x' });
  assert.equal(plain.value, 'Demox', 'a form field is not selected');
});

test('Tuner paste text: lines break between words, URLs never inside; loopback is flagged', () => {
  const lines = pasteLines([
    { app: 'Channels', text: 'Sources → + HDHomeRun: 192.168.1.20:8410' },
    { app: '', text: 'or Custom Channels, M3U: http://192.168.1.20:8410/iptv/channels.m3u' },
  ], 45);
  const url = 'http://192.168.1.20:8410/iptv/channels.m3u';
  assert.ok(lines.some((l) => l.text === url && l.wide), JSON.stringify(lines));
  assert.ok(lines.every((l) => (l.wide ? 0 : 11) + width(l.text) <= 45), JSON.stringify(lines));
  assert.equal(lines[0]!.app, 'Channels');
  assert.ok(lines.some((l) => l.text.endsWith('192.168.1.20:8410') && !l.wide));
  const cut = pasteLines([{ app: 'Plex', text: `enter ${url}` }], 20);
  assert.ok(cut.some((l) => l.wide && l.text.endsWith('…') && width(l.text) === 20));
  assert.deepEqual(['http://127.0.0.1:8410', 'http://localhost:8410', 'http://[::1]:8410', 'http://192.168.1.2:8410'].map(isLoopback), [true, true, true, false]);
  assert.match(loopbackWarning('http://127.0.0.1:8410')!, /127\.0\.0\.1:8410 is this machine only: a DVR on another machine cannot reach it/);
  assert.equal(loopbackWarning('http://10.0.0.5:8410'), null);
});
