// `exstreamtv session`: the channels streaming now (the daemon's live sessions), and stopping one.
import { Command } from 'commander';
import type { SessionStats, SessionStopped } from '../../schemas/session.js';
import { duration, printJson, table } from '../format.js';
import { withApi } from '../run.js';

const noDaemon = (notRunning: string | null) => `the daemon is not running, so nothing is streaming (start it with \`exstreamtv serve\`): ${notRunning ?? ''}`;

export function sessionCommand(): Command {
  const c = new Command('session').description("the daemon's live channel sessions: who watches what, and stopping one");

  c.command('list', { isDefault: true })
    .description('live sessions: viewers, uptime, now playing, encoder, bitrate, restarts, last error')
    .option('--json', 'print JSON')
    .action(withApi<{ json?: boolean }>(async ({ api, mode, notRunning }, o) => {
      const rows = await api.request<SessionStats[]>('GET', '/api/sessions');
      if (o.json) return printJson(rows);
      if (mode === 'in-process') return console.log(noDaemon(notRunning));
      if (!rows.length) return console.log('no live sessions: nobody is watching and no channel is always-on');
      console.log(table(['CHANNEL', 'VIEWERS', 'UPTIME', 'KBPS', 'RESTARTS', 'ENCODER', 'NOW PLAYING', 'LAST ERROR'], rows.map((s) => [
        `${s.number} ${s.name}`, `${s.viewers}${s.hlsActive ? ' +hls' : ''}`, duration(s.uptimeS * 1000), s.bitrateKbps, s.restarts,
        s.encoder, s.nowPlaying ?? '', s.lastError ?? '',
      ])));
    }));

  c.command('stop')
    .description("stop a channel's session: its ffmpeg ends and its viewers are disconnected (they may tune again); an always-on channel starts afresh")
    .argument('<channel>', 'channel number')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  exstreamtv session stop 5.1')
    .action(withApi<{ json?: boolean }>(async ({ api, mode, notRunning }, o, [number]) => {
      if (mode === 'in-process') { console.error(`error: ${noDaemon(notRunning)}`); process.exitCode = 1; return; }
      const r = await api.request<SessionStopped>('DELETE', `/api/sessions/${encodeURIComponent(String(number))}`);
      if (o.json) return printJson(r);
      console.log(`stopped channel ${r.number}: ${r.viewersDisconnected} viewer(s) disconnected${r.restarted ? '; always-on, so a fresh session started' : ''}`);
    }));
  return c;
}
