// blessed measures every character it draws with unicode.charWidth, which (with fullUnicode)
// walks a lookup object and ~60 range tests per call: a fifth of a dashboard frame's CPU. Almost
// everything we draw is printable ASCII, box drawing or block elements, all one cell wide and none
// combining or control characters, so those answer at once; everything else goes to blessed's
// own code, unchanged. Installed once, before any screen draws.
import blessed from 'blessed';

interface Unicode {
  charWidth(str: string | number, i?: number): number;
  strWidth(str: string): number;
  __fast?: boolean;
}

const ONE_CELL_TEXT = /^[\x20-\x7e\u2500-\u259f]*$/;

export function installFastWidths(): void {
  const u = (blessed as unknown as { unicode: Unicode }).unicode;
  if (!u || u.__fast) return;
  const charWidth = u.charWidth.bind(u);
  const strWidth = u.strWidth.bind(u);
  u.charWidth = (str, i) => {
    const c = typeof str === 'number' ? str : str.charCodeAt(i ?? 0);
    if ((c >= 0x20 && c < 0x7f) || (c >= 0x2500 && c <= 0x259f)) return 1;
    return charWidth(str, i);
  };
  u.strWidth = (str) => (ONE_CELL_TEXT.test(str) ? str.length : strWidth(str));
  u.__fast = true;
}
