// `exstreamtv logs`: the running daemon's recent log lines (its memory ring, GET /api/logs) and,
// with -f, new ones as they come (the `log` events of /api/events), filtered by level and channel.
import { Command, Option } from 'commander';
import type { LogEvent } from '../../engine/events.js';
import { LOG_LEVELS, logMatches, type LogLevel } from '../../schemas/logs.js';
import { followEvents } from '../../client/api-client.js';
import { printJson } from '../format.js';
import { withApi } from '../run.js';

interface LogsOptions { follow?: boolean; channel?: string; level: LogLevel; lines: string; json?: boolean }

function show(e: LogEvent, json: boolean | undefined): void {
  if (json) return console.log(JSON.stringify(e));
  const subject = e.channel || e.session ? `[${[e.channel, e.session].filter(Boolean).join('/')}] ` : '';
  console.log(`${e.at} ${e.level.toUpperCase().padEnd(5)} ${subject}${e.msg}`);
}

export function logsCommand(): Command {
  return new Command('logs')
    .description("the running daemon's log: its recent lines (kept in memory), -f to follow")
    .option('-f, --follow', 'keep printing new lines until interrupted')
    .option('--channel <number>', 'only lines about this channel')
    .addOption(new Option('--level <level>', 'lowest level shown').choices(LOG_LEVELS).default('info'))
    .option('-n, --lines <n>', 'how many recent lines', '100')
    .option('--json', 'one JSON object per line')
    .addHelpText('after', `
Under systemd the full history is in the journal:
  journalctl -u exstreamtv -p warning     warnings and errors
  journalctl -u exstreamtv -f             follow

Examples:
  exstreamtv logs --level warn
  exstreamtv logs -f --channel 5.1`)
    .action(withApi<LogsOptions>(async ({ api, mode, url, notRunning }, o) => {
      if (mode === 'in-process' || !url) {
        console.error(`error: the log is the daemon's, and none is running: ${notRunning ?? ''}`);
        process.exitCode = 1;
        return;
      }
      const q = new URLSearchParams({ level: o.level, limit: o.lines, ...(o.channel ? { channel: o.channel } : {}) });
      const recent = await api.request<LogEvent[]>('GET', `/api/logs?${q}`);
      if (o.json && !o.follow) return printJson(recent);
      for (const e of recent) show(e, o.json);
      if (!o.follow) return;
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await followEvents(url, (ev) => {
          const e = ev.data as LogEvent;
          if (logMatches(e, { level: o.level, channel: o.channel })) show(e, o.json);
        }, { signal: stop.signal, types: ['log'] });
        if (!stop.signal.aborted) { console.error(`error: the daemon at ${url} ended the log stream`); process.exitCode = 1; }
      } catch (err) {
        if (!stop.signal.aborted) throw err;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    }));
}
