// The real terminal: TERM fixes for tmux/screen, the blessed screen, and the guarantees around it —
// nothing else writes to the terminal while the screen is up (console and stderr go to the log
// pane), and the terminal is restored however the process ends (quit, signal, crash).
import blessed, { type Widgets } from 'blessed';
import type { LogEvent } from '../engine/events.js';

/**
 * blessed 0.1.81 cannot parse the 32-bit terminfo entries that Debian 12 ships for tmux-256color
 * and screen-256color: it silently drops to 8 colours (screen-256color also prints an error
 * block). Their xterm equivalents describe the same capabilities for our purposes.
 */
export function terminalFor(term: string | undefined): string {
  const t = term ?? '';
  if (/^(tmux|screen)([.-]|$)/.test(t)) return /256/.test(t) ? 'xterm-256color' : 'xterm';
  if (!t) return 'xterm';
  return t;
}

export interface Terminal {
  screen: Widgets.Screen;
  /** Leaves the alternate screen, shows the cursor, stops mouse reporting, undoes the capture. Idempotent. */
  restore(): void;
}

/** Raw escape sequences that undo what a full-screen app does, for when blessed itself is broken. */
const RESET = '\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1049l\x1b[?25h\x1b[0m\r\n';

export function openTerminal(o: { mouse: boolean; env?: NodeJS.ProcessEnv; onLog(e: LogEvent): void }): Terminal {
  const env = o.env ?? process.env;
  const screen = blessed.screen({
    smartCSR: true,
    fullUnicode: true,
    autoPadding: true,
    warnings: false,
    terminal: terminalFor(env.TERM),
    title: 'EXStreamTV',
    // ctrl-c must reach our key handler (clean shutdown), not be eaten by a focused widget.
    ignoreLocked: ['C-c'],
  });
  if (!o.mouse) screen.program.disableMouse();

  // While the screen is up, anything printed would scribble over it: route it to the log pane.
  const saved = {
    log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug,
    stderrWrite: process.stderr.write.bind(process.stderr),
  };
  const toPane = (level: LogEvent['level']) => (...args: unknown[]) =>
    o.onLog({ level, at: new Date().toISOString(), msg: args.map((a) => (a instanceof Error ? a.stack ?? a.message : typeof a === 'string' ? a : safeJson(a))).join(' ') });
  console.log = toPane('info');
  console.info = toPane('info');
  console.debug = toPane('debug');
  console.warn = toPane('warn');
  console.error = toPane('error');
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    for (const line of text.split('\n')) if (line.trim()) o.onLog({ level: 'warn', at: new Date().toISOString(), msg: line });
    const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    cb?.();
    return true;
  }) as typeof process.stderr.write;

  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    Object.assign(console, { log: saved.log, info: saved.info, warn: saved.warn, error: saved.error, debug: saved.debug });
    process.stderr.write = saved.stderrWrite as typeof process.stderr.write;
    try {
      screen.destroy();
    } catch {
      try { process.stdout.write(RESET); } catch { /* nothing left to do */ }
    }
    try { if (process.stdin.isTTY) process.stdin.setRawMode(false); } catch { /* not a TTY any more */ }
  };
  return { screen, restore };
}

function safeJson(v: unknown): string {
  try { return JSON.stringify(v); } catch { return String(v); }
}
