// The width fast path must answer exactly what blessed's own unicode functions answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import blessed from 'blessed';
import { installFastWidths } from '../../src/tui/unicode-fast.js';

interface Unicode { charWidth(s: string | number, i?: number): number; strWidth(s: string): number }

test('charWidth and strWidth agree with blessed for every character of the fast ranges and mixed text', () => {
  const u = (blessed as unknown as { unicode: Unicode }).unicode;
  const charWidth = u.charWidth.bind(u), strWidth = u.strWidth.bind(u);
  const samples = ['', 'plain ASCII ~!', '│─┌┐└┘ ▁▂▃▄▅▆▇█ ░▒▓', 'é à ü', '日本語', 'tab\there', 'a\u0301', '😀 emoji', '\x1b[1m', 'mixed ─ 日 x'];
  const before = {
    chars: [] as number[],
    strs: samples.map((s) => strWidth(s)),
  };
  const points: number[] = [];
  for (let c = 0; c < 0x3000; c++) points.push(c);
  for (const c of points) before.chars.push(charWidth(String.fromCharCode(c), 0));
  installFastWidths();
  assert.notEqual(u.charWidth, charWidth, 'installed');
  points.forEach((c, i) => assert.equal(u.charWidth(String.fromCharCode(c), 0), before.chars[i], `U+${c.toString(16)}`));
  points.forEach((c, i) => assert.equal(u.charWidth(c), before.chars[i], `U+${c.toString(16)} as a number`));
  samples.forEach((s, i) => assert.equal(u.strWidth(s), before.strs[i], JSON.stringify(s)));
  installFastWidths(); // idempotent
});
