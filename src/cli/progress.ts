// A scan progress bar on a terminal; periodic plain lines when output is piped.
import type { ScanState } from '../schemas/library.js';

export function progressReporter(label: string, out: NodeJS.WriteStream = process.stderr): { update(s: ScanState): void; done(): void } {
  let lastLine = 0;
  let drawn = false;
  return {
    update(s) {
      const total = s.total || s.found;
      const doneCount = s.phase === 'walking' ? 0 : s.unchanged + s.probed;
      const frac = total ? Math.min(1, doneCount / total) : 0;
      const text = s.phase === 'walking'
        ? `${label}: looking for files… ${s.found} found`
        : `${label}: ${s.phase} ${doneCount}/${total} (${s.added} new, ${s.changed} changed, ${s.unreadable} unreadable)`;
      if (out.isTTY) {
        const width = Math.max(10, Math.min(30, (out.columns ?? 80) - text.length - 10));
        const fill = Math.round(frac * width);
        out.write(`\r\x1b[K[${'█'.repeat(fill)}${'░'.repeat(width - fill)}] ${String(Math.round(frac * 100)).padStart(3)}% ${text}`.slice(0, (out.columns ?? 200) + 8));
        drawn = true;
      } else if (Date.now() - lastLine > 2000) {
        out.write(`${text}\n`);
        lastLine = Date.now();
      }
    },
    done() {
      if (drawn) out.write('\r\x1b[K');
    },
  };
}
