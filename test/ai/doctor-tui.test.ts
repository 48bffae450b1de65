// The TUI's doctor pop-up text: findings with their fix and evidence, the piece's command, braces
// escaped for blessed tags.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { THEMES } from '../../src/tui/theme.js';
import { diagnosisLines } from '../../src/tui/views/doctor.js';

test('doctor pop-up lines', () => {
  const lines = diagnosisLines({
    number: '5', name: 'Five', explanation: null,
    findings: [{ cause: 'missing_file', title: 'The media file is missing', fix: 'put it back {or rescan}', evidence: ['file:/m/a.mkv: No such file or directory'] }],
    piece: { title: 'A', command: ['ffmpeg', '-i', 'file:/m/a.mkv'], shell: 'ffmpeg -i file:/m/a.mkv > /dev/null', exitCode: 1, stderr: [] },
  }, THEMES.mono);
  const text = lines.join('\n');
  assert.match(text, /✗ The media file is missing/);
  assert.match(text, /fix.* put it back \{open\}or rescan\{close\}/);
  assert.match(text, /\| file:\/m\/a\.mkv: No such file or directory/);
  assert.match(text, /ffmpeg -i file:\/m\/a\.mkv > \/dev\/null/);
  assert.deepEqual(diagnosisLines({ number: '5', name: 'Five', explanation: null, findings: [], piece: null }, THEMES.mono), ['✓ no problem found']);
});
