// The Tuner view's "Where to paste" text, laid out for its width: lines break between words, a URL
// never breaks inside (too long for the line, it gets a line of its own, cut with … — y copies it
// whole from the table), and a loopback address is flagged: a DVR on another machine cannot reach it.
import type { PasteEntry } from '../../client/tuner-urls.js';
import { truncate, width } from '../text.js';

export { isLoopback, loopbackWarning, type PasteEntry } from '../../client/tuner-urls.js';

/** One laid-out line: the app name (first line of an entry) and the text; `wide` = a long URL given the whole width. */
export interface PasteLine { app: string; text: string; wide?: boolean }

/**
 * Entries as lines of at most `w` cells: the app name in a column of `keyW`, the text wrapped
 * after it. A word longer than that column gets a line of the whole width (cut with … if still too long).
 */
export function pasteLines(entries: readonly PasteEntry[], w: number, keyW = 10): PasteLine[] {
  const out: PasteLine[] = [];
  const room = Math.max(8, w - keyW - 1);
  for (const e of entries) {
    let line = '';
    let first = true;
    const push = (text: string, wide = false) => { out.push(wide ? { app: '', text, wide } : { app: first ? e.app : '', text }); first = false; };
    for (const word of e.text.split(' ')) {
      if (line && width(line) + 1 + width(word) <= room) { line += ` ${word}`; continue; }
      if (line) push(line);
      line = '';
      if (width(word) <= room) line = word;
      else {
        if (first) push('');
        push(truncate(word, w), true);
      }
    }
    if (line || first) push(line);
  }
  return out;
}
