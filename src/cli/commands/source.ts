// `exstreamtv source`: Jellyfin/Emby/Plex libraries as media sources — list a server's libraries, add
// them (token or user + password exchanged once; secrets from stdin or the environment, never argv),
// check health, set path replacement; Plex also by signing in at plex.tv (--sign-in) — and IPTV playlists (`source add iptv <playlist>`), imported in
// one step; rescans of either go through `exstreamtv library scan`.
import { Command } from 'commander';
import type { ApiClient } from '../../client/api-client.js';
import type { Channel } from '../../schemas/channel.js';
import type { MediaSource } from '../../schemas/library.js';
import type { ServerHealth } from '../../schemas/servers.js';
import { plexSignIn } from './plex-sign-in.js';
import { printJson, table } from '../format.js';
import { UsageError, withApi } from '../run.js';
import { resolve } from 'node:path';
import { findSource, scanAndWait } from './library.js';
import { addArchive, addYoutube, onlineAddOptions, ytDlpCommand, type OnlineAddOptions } from './source-online.js';

interface Credentials { user?: string; passwordStdin?: boolean; tokenStdin?: boolean; signIn?: boolean }

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Token or user + password, from stdin or EXSTREAMTV_SERVER_TOKEN / EXSTREAMTV_SERVER_PASSWORD (never from argv). */
async function credentials(o: Credentials): Promise<Record<string, string>> {
  if (o.passwordStdin && o.tokenStdin) throw new UsageError('give --password-stdin or --token-stdin, not both');
  if (o.user) {
    const password = o.passwordStdin ? await readStdin() : process.env.EXSTREAMTV_SERVER_PASSWORD;
    if (password === undefined) throw new UsageError('--user needs the password on stdin (--password-stdin) or in EXSTREAMTV_SERVER_PASSWORD');
    return { username: o.user, password };
  }
  const token = o.tokenStdin ? await readStdin() : process.env.EXSTREAMTV_SERVER_TOKEN;
  if (!token) throw new UsageError('give --user NAME (password on stdin or in EXSTREAMTV_SERVER_PASSWORD), or a token on stdin (--token-stdin) or in EXSTREAMTV_SERVER_TOKEN');
  return { token };
}

function pathMap(pairs: string[]): { from: string; to: string }[] {
  return pairs.map((p) => {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`--path-map wants SERVER_PATH=LOCAL_PATH, got "${p}"`);
    return { from: p.slice(0, eq), to: p.slice(eq + 1) };
  });
}

const collect = (v: string, prev: string[] = []) => [...prev, v];
const kindArg = () => new Command().createArgument('<kind>', 'jellyfin | emby | plex').choices(['jellyfin', 'emby', 'plex']);
const addKindArg = () => new Command().createArgument('<kind>', 'jellyfin | emby | plex | iptv | archive | youtube').choices(['jellyfin', 'emby', 'plex', 'iptv', 'archive', 'youtube']);

/** `source add iptv <playlist>`: each stream of the playlist becomes a live item; a bad playlist imports nothing. */
async function addIptv(api: ApiClient, playlist: string, o: { name?: string; slot: string; channels?: boolean; guide?: string; json?: boolean }): Promise<void> {
  const location = /^https?:\/\//i.test(playlist) ? playlist : resolve(playlist);
  const guide = o.guide === undefined ? {} : { guide: /^https?:\/\//i.test(o.guide) ? o.guide : resolve(o.guide) };
  const body = { playlist: location, slotMinutes: Number(o.slot), ...(o.name ? { name: o.name } : {}), ...guide };
  const added = await api.request<MediaSource>('POST', '/api/sources/iptv', body);
  const channels = o.channels ? await api.request<Channel[]>('POST', `/api/sources/${added.id}/channels`, {}) : [];
  if (o.json) return printJson(o.channels ? { source: added, channels } : added);
  const tvg = added.config.guide ?? added.config.tvgUrl;
  console.log(`added IPTV source ${added.id} "${added.name}": ${added.items} streams${tvg ? ` (guide: ${String(tvg)})` : ''}`);
  for (const c of channels) console.log(`  live channel ${c.number} "${c.name}"`);
}
/** The server's URL and its credentials: --sign-in (Plex, PIN at plex.tv), else a token or user + password. */
async function connection(api: ApiClient, kind: string, url: string | undefined, o: Credentials): Promise<{ url: string; creds: Record<string, string | number> }> {
  if (o.signIn) {
    if (kind !== 'plex') throw new UsageError('--sign-in is for plex (Jellyfin/Emby: --user NAME, or a token)');
    if (o.user || o.tokenStdin || o.passwordStdin) throw new UsageError('--sign-in takes no --user, --token-stdin or --password-stdin');
    const signed = await plexSignIn(api, url);
    return { url: signed.url, creds: { plexPin: signed.plexPin } };
  }
  if (!url) throw new UsageError(`give the server's URL${kind === 'plex' ? ', or --sign-in to find your servers through plex.tv' : ''}`);
  return { url, creds: await credentials(o) };
}

const credentialOptions = (c: Command) => c
  .option('--sign-in', 'Plex: sign in with plex.tv (shows a code and a link; the URL may then be left out: the first server that answers is used)')
  .option('--user <name>', 'Jellyfin/Emby: sign in with this user (the password is exchanged once for a token and never stored)')
  .option('--password-stdin', 'read the password from stdin (else EXSTREAMTV_SERVER_PASSWORD)')
  .option('--token-stdin', 'read an API key/access token (Plex: X-Plex-Token) from stdin (else EXSTREAMTV_SERVER_TOKEN)');

const healthLine = (h: ServerHealth) => (h.ok ? `ok: ${h.serverName} ${h.version} at ${h.url}` : `not ok: ${h.reason}`);

export function sourceCommand(): Command {
  const src = new Command('source').description('media servers (Jellyfin, Emby, Plex), IPTV playlists, Archive.org and YouTube as sources: libraries, add, check, path replacement');

  credentialOptions(src.command('libraries')
    .description("connect to a server and list its libraries (stores nothing)")
    .addArgument(kindArg())
    .argument('[url]', "the server's address, e.g. http://192.168.1.10:8096 (Plex with --sign-in: optional)"))
    .option('--json', 'print JSON')
    .action(withApi<Credentials & { json?: boolean }>(async ({ api }, o, [kind, url]) => {
      const c = await connection(api, String(kind), url as string | undefined, o);
      const h = await api.request<ServerHealth>('POST', '/api/servers/check', { kind, url: c.url, ...c.creds });
      if (o.json) return printJson(h);
      console.log(healthLine(h));
      console.log(table(['ID', 'NAME', 'TYPE', 'FOLDERS'], h.libraries.map((l) => [l.id, l.name, l.type ?? '', l.locations.join(', ')])));
    }));

  onlineAddOptions(credentialOptions(src.command('add')
    .description('add libraries of a server as sources (one source each) and scan them; or import an IPTV playlist (M3U/M3U8 file or http(s) URL: each stream a live item, Kodi "URL|User-Agent=…" suffixes and #EXTVLCOPT headers honoured); '
      + 'or an Archive.org search/collection/items, or a YouTube video/playlist/channel URL (through your yt-dlp; personal use)')
    .addArgument(addKindArg())
    .argument('[url]', "the server's address, e.g. http://192.168.1.10:8096 (Plex with --sign-in: optional); for iptv the playlist's file path or URL; for archive a Lucene search "
      + '(e.g. "collection:classic_tv AND year:[1950 TO 1959]"), a collection (--collection) or identifiers (--items); for youtube the URL')))
    .option('--library <name|id>', 'servers: a library to add (repeatable; see "source libraries")', collect)
    .option('--name <name>', 'source name (one library only; default "<server> – <library>"; iptv: the playlist file name)')
    .option('--slot <minutes>', 'iptv: how long a stream airs when scheduled as an item (it joins live, never seeks)', '60')
    .option('--channels', 'iptv: also make every stream a live channel of its own (numbered from tvg-chno, logo from tvg-logo)')
    .option('--guide <url-or-file>', "iptv: XMLTV guide for the live channels (default: the playlist's x-tvg-url)")
    .option('--path-map <server=local>', 'read files locally: server path prefix = local path prefix (repeatable)', collect)
    .option('--guide-reload', "plex: reload the server's DVR guide after ours changes (see \"source guide-reload\")")
    .option('--no-scan', 'only add; scan later with "library scan"')
    .option('--json', 'print the sources as JSON')
    .action(withApi<Credentials & OnlineAddOptions & { library?: string[]; name?: string; slot: string; channels?: boolean; guide?: string; pathMap?: string[]; guideReload?: boolean; scan: boolean; json?: boolean }>(async ({ api }, o, [kind, url]) => {
      if ((kind === 'iptv' || kind === 'archive' || kind === 'youtube') && !url) {
        throw new UsageError(kind === 'iptv' ? "give the playlist's file path or URL" : kind === 'archive' ? 'give a search, a collection (--collection) or identifiers (--items)' : 'give the video, playlist or channel URL');
      }
      if (kind === 'iptv') return addIptv(api, String(url), o);
      if (kind === 'archive') return addArchive(api, String(url), o);
      if (kind === 'youtube') return addYoutube(api, String(url), o);
      if (!o.library?.length) throw new UsageError('give --library NAME (repeatable; see "source libraries")');
      if (o.name && o.library.length > 1) throw new UsageError('--name works with one --library only');
      const c = await connection(api, String(kind), url as string | undefined, o);
      const added: MediaSource[] = [];
      for (const library of o.library) {
        const s = await api.request<MediaSource>('POST', '/api/servers/sources', {
          kind, url: c.url, ...c.creds, library, ...(o.name ? { name: o.name } : {}), ...(o.pathMap ? { pathMap: pathMap(o.pathMap) } : {}), ...(o.guideReload ? { guideReload: true } : {}),
        });
        if (o.scan) await scanAndWait(api, s, o.json);
        added.push(await api.request<MediaSource>('GET', `/api/sources/${s.id}`));
      }
      if (o.json) return printJson(added);
      for (const s of added) console.log(`added source ${s.id} "${s.name}": ${s.items} items`);
    }));

  src.command('check')
    .description("a server source's health now: reachable, token valid, server name and version (exit 1 when not ok)")
    .argument('<source>', 'source id or name')
    .option('--json', 'print JSON')
    .action(withApi<{ json?: boolean }>(async ({ api }, o, [ref]) => {
      const s = await findSource(api, String(ref));
      const h = await api.request<ServerHealth>('GET', `/api/sources/${s.id}/health`);
      if (o.json) printJson(h); else console.log(`${s.name}: ${healthLine(h)}`);
      if (!h.ok) process.exitCode = 1;
    }));

  ytDlpCommand(src);

  src.command('path-map')
    .description('set path replacement of a server source (no pairs: clear it); applies from the next item that airs')
    .argument('<source>', 'source id or name')
    .argument('[pairs...]', 'SERVER_PATH=LOCAL_PATH')
    .action(withApi<object>(async ({ api }, _o, [ref, pairs]) => {
      const s = await findSource(api, String(ref));
      await api.request('PUT', `/api/sources/${s.id}/path-map`, { pathMap: pathMap((pairs as string[] | undefined) ?? []) });
      console.log(`${s.name}: path replacement ${(pairs as string[] | undefined)?.length ? 'set' : 'cleared'}`);
    }));
  src.command('guide-reload')
    .description("Plex source: reload the server's DVR guide (DVRs that use this tuner) a minute after our guide changes — best-effort, never fatal")
    .argument('<source>', 'source id or name')
    .addArgument(new Command().createArgument('<on|off>', 'on | off').choices(['on', 'off']))
    .action(withApi<object>(async ({ api }, _o, [ref, onOff]) => {
      const s = await findSource(api, String(ref));
      await api.request('PUT', `/api/sources/${s.id}/guide-reload`, { enabled: onOff === 'on' });
      console.log(`${s.name}: Plex guide reload ${onOff === 'on' ? 'on' : 'off'}`);
    }));
  return src;
}
