// How the daemon writes its log lines to stdout. On a terminal or into a file: ISO time, level,
// [channel/session], message. Under systemd with stdout connected to the journal: journald's
// own form — a `<priority>` prefix per line (journalctl -p err finds errors) and no timestamp
// of our own (the journal stamps every line).
import { fstatSync } from 'node:fs';
import type { LogEvent } from '../engine/events.js';
import { LOG_LEVELS } from '../schemas/logs.js';

export type LogFormat = 'text' | 'journald';

/** syslog priorities: err 3, warning 4, info 6, debug 7. */
const PRIORITY: Record<LogEvent['level'], number> = { error: 3, warn: 4, info: 6, debug: 7 };

/**
 * journald when JOURNAL_STREAM (set by systemd for a unit whose output goes to the journal) names
 * the very stream of `fd` (its device:inode), as sd_journal_stream_fd(3) advises: a unit may
 * still redirect stdout elsewhere. `configured` (logFormat) overrides unless it is `auto`.
 */
export function detectLogFormat(configured: 'auto' | LogFormat, env: NodeJS.ProcessEnv = process.env, fd = 1): LogFormat {
  if (configured !== 'auto') return configured;
  const m = /^(\d+):(\d+)$/.exec(env.JOURNAL_STREAM ?? '');
  if (!m) return 'text';
  try {
    const st = fstatSync(fd, { bigint: true });
    return st.dev === BigInt(m[1]!) && st.ino === BigInt(m[2]!) ? 'journald' : 'text';
  } catch {
    return 'text';
  }
}

function subject(e: LogEvent): string {
  if (!e.channel && !e.session) return '';
  return `[${[e.channel, e.session].filter(Boolean).join('/')}] `;
}

/** One entry as written (newline-terminated; a multi-line message keeps its priority on each line). */
export function formatLogLine(e: LogEvent, format: LogFormat): string {
  if (format === 'journald') {
    const p = `<${PRIORITY[e.level]}>`;
    return `${p}${subject(e)}${e.msg.replace(/\n/g, `\n${p}`)}\n`;
  }
  return `${e.at} ${e.level.toUpperCase().padEnd(5)} ${subject(e)}${e.msg}\n`;
}

/** Whether a line at `level` passes the configured logLevel (fatal/trace map to error/debug). */
export function passesLevel(level: LogEvent['level'], min: string): boolean {
  if (min === 'silent') return false;
  const floor = LOG_LEVELS.indexOf((min === 'fatal' ? 'error' : min === 'trace' ? 'debug' : min) as LogEvent['level']);
  return LOG_LEVELS.indexOf(level) >= (floor < 0 ? 1 : floor);
}
