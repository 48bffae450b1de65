// The daemon's log lines as the API serves them (GET /api/logs, the `log` event of /api/events).
import { z } from 'zod';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const logEntry = z.object({
  level: z.enum(LOG_LEVELS),
  msg: z.string(),
  at: z.string().describe('ISO 8601 time'),
  channel: z.string().optional().describe('Channel number the line is about'),
  session: z.string().optional().describe('Live session id the line is about'),
});

export const logsQuery = z.object({
  level: z.enum(LOG_LEVELS).default('debug').describe('Lowest level shown (warn: warnings and errors)'),
  channel: z.string().trim().min(1).max(32).optional().describe('Only lines about this channel number'),
  limit: z.coerce.number().int().min(1).max(5000).default(200).describe('At most this many of the newest lines'),
}).strict();
export type LogsQuery = z.infer<typeof logsQuery>;

/** Whether a line passes a level floor and a channel filter (the same rule for the API and `logs -f`). */
export function logMatches(e: { level: LogLevel; channel?: string }, q: { level?: LogLevel; channel?: string }): boolean {
  if (q.level && LOG_LEVELS.indexOf(e.level) < LOG_LEVELS.indexOf(q.level)) return false;
  return q.channel === undefined || e.channel === q.channel;
}
