import { Command } from 'commander';
import type { Channel, ContentRef } from '../../schemas/channel.js';
import type { Show } from '../../schemas/library.js';
import type { ApiClient } from '../../client/api-client.js';
import { printJson, table } from '../format.js';
import { UsageError, withApi } from '../run.js';
import { contentText, loadNames } from '../names.js';
import { findCollection } from './collection.js';
import { findSource } from './library.js';

interface ContentOpts { collection?: string[]; show?: string[]; item?: string[] }
interface StreamOpts { alwaysOn?: string; profile?: string; audioLang?: string; subtitles?: string; subtitleLang?: string; watermark?: string; watermarkPosition?: string }
interface ChannelOpts extends ContentOpts, StreamOpts { number?: string; name?: string; group?: string; logo?: string; order?: string; enable?: boolean; json?: boolean }

const langs = (v: string) => v.split(/[\s,]+/).filter(Boolean);
function yesNo(flag: string, v: string): boolean {
  if (/^(yes|on|true)$/i.test(v)) return true;
  if (/^(no|off|false)$/i.test(v)) return false;
  throw new UsageError(`${flag}: say yes or no, not "${v}"`);
}

/** The stream settings the flags set (what the TUI's channel form edits), or undefined when none is given. */
function streamFrom(o: StreamOpts): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  if (o.alwaysOn !== undefined) out.alwaysOn = yesNo('--always-on', o.alwaysOn);
  if (o.profile !== undefined) out.profile = o.profile === '' || o.profile === 'default' ? null : o.profile;
  if (o.audioLang !== undefined) out.audio = { languages: langs(o.audioLang) };
  if (o.subtitles !== undefined || o.subtitleLang !== undefined) out.subtitles = { mode: o.subtitles ?? 'burn', languages: langs(o.subtitleLang ?? '') };
  if (o.watermark !== undefined) out.watermark = o.watermark === '' || o.watermark === 'none' ? null : { image: o.watermark, ...(o.watermarkPosition ? { position: o.watermarkPosition } : {}) };
  else if (o.watermarkPosition !== undefined) throw new UsageError('--watermark-position needs --watermark <image>');
  return Object.keys(out).length ? out : undefined;
}

async function contentFrom(api: ApiClient, o: ContentOpts): Promise<ContentRef[] | undefined> {
  if (!o.collection && !o.show && !o.item) return undefined;
  const refs: ContentRef[] = [];
  for (const c of o.collection ?? []) refs.push({ type: 'collection', id: (await findCollection(api, c)).id });
  if (o.show?.length) {
    const shows = await api.request<Show[]>('GET', '/api/shows');
    for (const s of o.show) {
      const hit = shows.find((x) => x.title.toLowerCase() === s.toLowerCase()) ?? shows.find((x) => String(x.id) === s);
      if (!hit) throw new UsageError(`no show "${s}" (see: exstreamtv library items)`);
      refs.push({ type: 'show', id: hit.id });
    }
  }
  for (const i of o.item ?? []) {
    const id = Number(i);
    if (!Number.isInteger(id) || id <= 0) throw new UsageError(`"${i}" is not an item id`);
    refs.push({ type: 'item', id });
  }
  return refs;
}

const order = (v?: string) => (v === undefined ? undefined : v.replace('-', '_'));

function withChannelOptions(cmd: Command): Command {
  return cmd
    .option('--name <name>', 'channel name')
    .option('--group <group>', 'group (category) shown in players')
    .option('--logo <url-or-path>', 'logo: http(s) URL, or an image file under a library folder or <data-dir>/images (served to DVRs as /images/channels/{id})')
    .option('--collection <name...>', 'air this collection (repeatable)')
    .option('--show <title...>', 'air this show (repeatable)')
    .option('--item <id...>', 'air this item (repeatable)')
    .option('--order <order>', 'in-order | shuffle')
    .option('--always-on <yes|no>', 'keep streaming with no viewer (no tune-in wait)')
    .option('--profile <name>', 'encoder profile (see: exstreamtv profile list; "default" for the default)')
    .option('--audio-lang <codes>', 'preferred audio languages in order, e.g. "eng,fre" ("" for any)')
    .option('--subtitles <off|burn>', 'burn subtitles into the picture, or not')
    .option('--subtitle-lang <codes>', 'preferred subtitle languages in order, e.g. "eng"')
    .option('--watermark <image>', 'watermark image (absolute path; "none" removes it)')
    .option('--watermark-position <pos>', 'top-left … bottom-right, center (with --watermark)')
    .option('--json', 'print the channel as JSON');
}

/** `channel add N --iptv SOURCE:STREAM`: one stream of an IPTV source as a live channel. */
async function addIptvChannel(api: ApiClient, number: string, ref: string, o: ChannelOpts): Promise<void> {
  const colon = ref.indexOf(':');
  if (colon <= 0 || colon === ref.length - 1) throw new UsageError(`--iptv wants SOURCE:STREAM (e.g. "Provider:news.uk"), got "${ref}"`);
  if (o.collection || o.show || o.item) throw new UsageError('--iptv airs one stream: leave out --collection, --show and --item');
  const source = await findSource(api, ref.slice(0, colon));
  const body = { entries: [ref.slice(colon + 1)], number, ...(o.name ? { name: o.name } : {}), ...(o.profile && o.profile !== 'default' ? { profile: o.profile } : {}) };
  const [c] = await api.request<Channel[]>('POST', `/api/sources/${source.id}/channels`, body);
  if (o.json) printJson(c); else console.log(`created live channel ${c!.number} "${c!.name}" from ${source.name}`);
}

const describe = (c: Channel) => `channel ${c.number} "${c.name}" (${c.content.length} content source${c.content.length === 1 ? '' : 's'}, ${c.order.replace('_', '-')})`;

export function channelCommand(): Command {
  const ch = new Command('channel').description('channels: numbers, names, what they air');

  withChannelOptions(ch.command('add').description('create a channel').argument('<number>', 'channel number, e.g. 5 or 5.1'))
    .option('--iptv <source:stream>', 'a live channel airing one IPTV stream (source id or name, then the stream\'s tvg-id, name or item id), e.g. "Provider:news.uk"')
    .action(withApi<ChannelOpts & { iptv?: string }>(async ({ api }, o, [number]) => {
      if (o.iptv) return addIptvChannel(api, String(number), o.iptv, o);
      if (!o.name) throw new UsageError('--name is required');
      const content = await contentFrom(api, o);
      const stream = streamFrom(o);
      const body = { number: String(number), name: o.name, ...(o.group ? { group: o.group } : {}), ...(o.logo ? { logo: o.logo } : {}),
        ...(content ? { content } : {}), ...(o.order ? { order: order(o.order) } : {}), ...(stream ? { stream } : {}) };
      const c = await api.request<Channel>('POST', '/api/channels', body);
      if (o.json) printJson(c); else console.log(`created ${describe(c)}`);
    }));

  withChannelOptions(ch.command('edit').description('change a channel (the programme on air is never cut)').argument('<number>', 'channel number'))
    .option('--number <new>', 'renumber the channel')
    .option('--enable', 'enable the channel')
    .option('--disable', 'disable the channel')
    .action(withApi<ChannelOpts & { disable?: boolean }>(async ({ api }, o, [number]) => {
      const content = await contentFrom(api, o);
      const body: Record<string, unknown> = {};
      if (o.number) body.number = o.number;
      if (o.name) body.name = o.name;
      if (o.group !== undefined) body.group = o.group || null;
      if (o.logo !== undefined) body.logo = o.logo || null;
      if (content) body.content = content;
      if (o.order) body.order = order(o.order);
      if (o.enable) body.enabled = true;
      if (o.disable) body.enabled = false;
      const stream = streamFrom(o);
      if (stream) body.stream = stream;
      if (!Object.keys(body).length) throw new UsageError('nothing to change (see: exstreamtv channel edit --help)');
      const c = await api.request<Channel>('PATCH', `/api/channels/${encodeURIComponent(String(number))}`, body);
      if (o.json) printJson(c); else console.log(`updated ${describe(c)}`);
    }));

  ch.command('rm').description('delete a channel').argument('<number>', 'channel number')
    .option('-y, --yes', 'do not ask (required when not on a terminal)')
    .action(withApi<{ yes?: boolean }>(async ({ api }, o, [number]) => {
      const c = await api.request<Channel>('GET', `/api/channels/${encodeURIComponent(String(number))}`);
      if (!o.yes) throw new UsageError(`this deletes channel ${c.number} "${c.name}"; repeat with --yes`);
      await api.request('DELETE', `/api/channels/${encodeURIComponent(c.number)}`);
      console.log(`deleted channel ${c.number} "${c.name}"`);
    }));

  ch.command('list').description('list channels').option('--json', 'print JSON')
    .action(withApi<{ json?: boolean }>(async ({ api }, o) => {
      const all = await api.request<Channel[]>('GET', '/api/channels');
      if (o.json) return printJson(all);
      if (!all.length) return console.log('no channels yet; try: exstreamtv demo');
      const names = await loadNames(api);
      // A custom schedule's kind is its main mode (time slots, …); a simple channel's is its order.
      const kinds = await Promise.all(all.map(async (c) => (c.customSchedule
        ? (await api.request<{ definition: { main: { mode: string } } }>('GET', `/api/channels/${encodeURIComponent(c.number)}/schedule`)).definition.main.mode.replace('_', ' ')
        : c.order.replace('_', '-'))));
      console.log(table(['NUMBER', 'NAME', 'GROUP', 'SCHEDULE', 'CONTENT', 'ENABLED'],
        all.map((c, i) => [c.number, c.name, c.group, kinds[i], c.customSchedule ? 'see: schedule show' : contentText(names, c), c.enabled ? 'yes' : 'no'])));
    }));
  return ch;
}
