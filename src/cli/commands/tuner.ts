// `exstreamtv tuner`: how DVRs see this box — DeviceID, friendly name, tuner count and the URLs to
// paste into Plex, Channels DVR and Jellyfin (the TUI's Tuner view, as text) — and `tuner set` to
// change the DeviceID or the friendly name, as the TUI's `n` does.
import { Command } from 'commander';
import { loopbackWarning, pasteEntries, tunerUrls } from '../../client/tuner-urls.js';
import type { TunerInfo, TunerPatch } from '../../schemas/tuner.js';
import { printJson } from '../format.js';
import { UsageError, withApi } from '../run.js';

interface Discover { FriendlyName: string; DeviceID: string; TunerCount: number; BaseURL: string }

const line = (k: string, v: string) => console.log(`${k.padEnd(14)}${v}`);

export function tunerCommand(): Command {
  const c = new Command('tuner').description('the HDHomeRun tuner DVRs see: DeviceID, friendly name, the URLs to paste (show), and changing them (set)');
  c.command('show', { isDefault: true })
    .description('DeviceID, friendly name, tuner count and the tune URLs for Plex, Channels DVR and Jellyfin')
    .option('--json', 'print JSON: the identity and the URLs')
    .addHelpText('after', '\nExamples:\n  exstreamtv tuner\n  exstreamtv tuner show --json | jq -r .urls.m3u')
    .action(withApi<{ json?: boolean }>(async ({ api }, o) => {
      const [t, d] = await Promise.all([api.request<TunerInfo>('GET', '/api/tuner'), api.request<Discover>('GET', '/discover.json')]);
      const base = d.BaseURL.replace(/\/+$/, '');
      const urls = tunerUrls(base);
      if (o.json) return printJson({ ...t, baseUrl: base, urls });
      line('Friendly name', t.friendlyName);
      line('DeviceID', t.deviceId);
      line('Tuners', String(t.tunerCount));
      line('Base URL', base);
      line('Discover', urls.discover);
      line('Lineup', urls.lineup);
      line('M3U playlist', urls.m3u);
      line('XMLTV guide', urls.xmltv);
      const warning = loopbackWarning(base);
      if (warning) console.log(`\n${warning}`);
      console.log('\nWhere to paste:');
      for (const e of pasteEntries(base, true)) line(`  ${e.app}`, e.text);
    }));
  c.command('set')
    .description('change the DeviceID and/or the friendly name (DVRs see them at their next discovery)')
    .option('--device-id <id>', 'a new DeviceID: 8 hex digits with a valid checksum, or "new" for a generated one')
    .option('--friendly-name <name>', 'the name DVRs show ("" goes back to the configured one)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  exstreamtv tuner set --friendly-name "Living room TV"\n  exstreamtv tuner set --device-id new')
    .action(withApi<{ deviceId?: string; friendlyName?: string; json?: boolean }>(async ({ api }, o) => {
      if (o.deviceId === undefined && o.friendlyName === undefined) throw new UsageError('nothing to set: give --device-id and/or --friendly-name');
      const body: TunerPatch = {
        ...(o.deviceId === undefined ? {} : o.deviceId.toLowerCase() === 'new' ? { newDeviceId: true } : { deviceId: o.deviceId }),
        ...(o.friendlyName === undefined ? {} : { friendlyName: o.friendlyName.trim() || null }),
      };
      const t = await api.request<TunerInfo>('PATCH', '/api/tuner', body);
      if (o.json) return printJson(t);
      console.log(`tuner: DeviceID ${t.deviceId}, friendly name "${t.friendlyName}" (DVRs see the change at their next discovery; a new DeviceID is a new tuner to them)`);
    }));
  return c;
}
