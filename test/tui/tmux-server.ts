// A private tmux server for end-to-end TUI tests: its own socket, a session of a given size,
// screen captures, keys, waiting for a screen, the pane's exit status; killed (socket removed) after.
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type TmuxServer = ReturnType<typeof tmuxServer>;

/** One private tmux server per test (its own socket): nothing leaks into the user's tmux. */
export function tmuxServer() {
  const socket = `exs-tui-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const session = `tui-${Math.random().toString(36).slice(2, 8)}`;
  const tmux = async (...args: string[]) => (await run('tmux', ['-L', socket, '-f', '/dev/null', ...args])).stdout;
  return {
    session,
    tmux,
    async open(command: string, cols = 120, rows = 40) {
      // remain-on-exit keeps the pane (and its exit status) after the command ends.
      await tmux('new-session', '-d', '-s', session, '-x', String(cols), '-y', String(rows), `sleep 0.3; ${command}`, ';', 'set-option', '-t', session, 'remain-on-exit', 'on');
    },
    capture: () => tmux('capture-pane', '-p', '-t', session),
    keys: (...k: string[]) => tmux('send-keys', '-t', session, ...k),
    text: (s: string) => tmux('send-keys', '-t', session, '-l', s),
    async waitFor(pred: (text: string) => boolean, what: string, ms = 20_000) {
      const end = Date.now() + ms;
      for (;;) {
        const text = await tmux('capture-pane', '-p', '-t', session).catch(() => '');
        if (pred(text)) return text;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}; pane:\n${text}`);
        await sleep(150);
      }
    },
    async dead(): Promise<{ dead: boolean; status: number | null; signal: string | null; alt: boolean }> {
      const [dead, status, signal, alt] = (await tmux('display-message', '-p', '-t', session, '#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}|#{alternate_on}')).trim().split('|');
      return { dead: dead === '1', status: status ? Number(status) : null, signal: signal || null, alt: alt === '1' };
    },
    async kill() {
      await tmux('kill-server').catch(() => {});
      // tmux leaves its socket file behind when the server ends.
      await rm(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket), { force: true });
    },
  };
}

