// `exstreamtv token show|rotate`: the admin token (remote CLI/TUI, scripts) and the stream token
// (?token= on tuner URLs when tunerToken is on). Works from the box itself (loopback needs no token).
import { Command } from 'commander';
import { printJson } from '../format.js';
import { withApi } from '../run.js';

interface TokenInfo { token: string; streamToken: string; file: string; tunerToken: boolean }

function print(t: TokenInfo, o: { json?: boolean; stream?: boolean }): void {
  if (o.json) return printJson(t);
  if (o.stream) return console.log(t.streamToken);
  console.log(t.token);
}

export function tokenCommand(): Command {
  const c = new Command('token').description('the admin token that other hosts need for the API (kept in <data-dir>/admin.token, mode 0600)');
  c.command('show', { isDefault: true })
    .description('print the admin token (or, with --stream, the stream token for ?token= on tuner and stream URLs)')
    .option('--stream', 'print the stream token instead')
    .option('--json', 'print JSON: token, streamToken, file, tunerToken')
    .addHelpText('after', '\nExamples:\n  exstreamtv token show\n  EXSTREAMTV_TOKEN=$(ssh box exstreamtv token show) exstreamtv --url http://box:8410 status')
    .action(withApi<{ json?: boolean; stream?: boolean }>(async ({ api }, o) => {
      print(await api.request<TokenInfo>('GET', '/api/token'), o);
    }));
  c.command('rotate')
    .description('replace the token with a new random one: the old admin and stream tokens stop working at once (update remote CLIs and DVR URLs)')
    .option('--stream', 'print the new stream token instead')
    .option('--json', 'print JSON')
    .action(withApi<{ json?: boolean; stream?: boolean }>(async ({ api, mode }, o) => {
      const t = await api.request<TokenInfo>('POST', '/api/token/rotate');
      print(t, o);
      if (!o.json) console.error(mode === 'in-process' ? `token replaced in ${t.file}; the daemon uses it from its next start` : 'token replaced: the daemon accepts only the new one');
    }));
  return c;
}
