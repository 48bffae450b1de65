import { Command } from 'commander';
import type { ServerStatus } from '../../schemas/status.js';
import type { TimelineRowOut } from '../../schemas/timeline.js';
import { configFrom, type GlobalOptions } from '../../client/locate.js';
import { duration, printJson } from '../format.js';
import { fromArg, limitArg, printRows, rowsNotice } from '../rows.js';
import { reportError, withApi } from '../run.js';

export function timelineCommand(): Command {
  return new Command('timeline')
    .description("show a channel's timeline: what airs when (the same rows the guide and the stream use)")
    .argument('<channel>', 'channel number')
    .option('--hours <n>', 'how far ahead', '6')
    .option('--from <time>', 'jump to a time: 20:30 (the next 20:30 local) or ISO 8601 (default now)')
    .option('--limit <n>', 'at most this many rows (a cut list says how many the window holds and where to go on)', '1000')
    .option('--json', 'print JSON')
    .action(withApi<{ hours: string; from?: string; limit: string; json?: boolean }>(async ({ api }, o, [number]) => {
      const q = new URLSearchParams({ hours: o.hours, limit: String(limitArg(o.limit, 10_000)) });
      if (o.from) q.set('from', fromArg(o.from));
      const res = await api.request<{ channel: { number: string; name: string }; rows: TimelineRowOut[]; total: number; nextFrom: string | null }>('GET',
        `/api/channels/${encodeURIComponent(String(number))}/timeline?${q}`);
      if (o.json) return printJson(res);
      console.log(`${res.channel.number} ${res.channel.name}`);
      printRows(res.rows);
      console.log(rowsNotice(res, ` in ${o.hours} h`));
    }));
}


export function statusCommand(): Command {
  return new Command('status')
    .description('is the daemon running, and what does the library hold')
    .option('--json', 'print JSON')
    .action(withApi<{ json?: boolean }>(async ({ api, mode, notRunning }, o) => {
      const s = await api.request<ServerStatus>('GET', '/api/status');
      if (o.json) return printJson({ ...s, mode, ...(notRunning ? { notRunning } : {}) });
      console.log(`exstreamtv ${s.version} — ${mode === 'daemon' ? `daemon up ${duration(s.uptimeS * 1000)}` : 'daemon not running (read the data directly)'}`);
      if (notRunning) console.log(`          ${notRunning}`);
      console.log(`data:     ${s.dataDir}`);
      console.log(`channels: ${s.channels}`);
      console.log(`sources:  ${s.sources}; items: ${s.items.ok ?? 0} ok, ${s.items.missing ?? 0} missing, ${s.items.unreadable ?? 0} unreadable`);
      if (s.scansRunning) console.log(`scanning: ${s.scansRunning} source(s)`);
      const d = s.discovery;
      if (d && !d.udp.on && !d.ssdp.on && d.udp.reason === d.ssdp.reason) console.log(`discovery: ${d.udp.reason ?? 'off'}`);
      else if (d) {
        console.log(`discovery: UDP ${d.udp.on ? `on port ${d.udp.port}` : d.udp.reason ?? 'off'}`);
        console.log(`           SSDP ${d.ssdp.on ? `on ${d.ssdp.addresses.join(', ')}` : d.ssdp.reason ?? 'off'}`);
      }
    }));
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('run the daemon: API, timelines (what systemd runs)')
    .action(async (_o: unknown, cmd: Command) => {
      try {
        const { runDaemon } = await import('../../main.js');
        process.exitCode = await runDaemon(configFrom(cmd.optsWithGlobals() as GlobalOptions));
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'EADDRINUSE') {
          console.error(`error: port already in use (${e.message}); is exstreamtv already running? Choose another with --port or EXSTREAMTV_PORT`);
          process.exitCode = 1;
        } else process.exitCode = reportError(err);
      }
    });
}
