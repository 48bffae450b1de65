// `exstreamtv hw` (which encoders work here, and why the others don't) and `exstreamtv profile …`.
import { Command } from 'commander';
import type { Channel } from '../../schemas/channel.js';
import type { HwReport } from '../../schemas/hw.js';
import type { ProfileView, TestEncodeResult } from '../../schemas/profile.js';
import { printJson, table } from '../format.js';
import { UsageError, withApi } from '../run.js';

const MARK: Record<string, string> = { verified: 'verified', unavailable: 'unavailable', unhealthy: 'UNHEALTHY' };

export function formatHw(r: HwReport): string {
  const lines = [`ffmpeg ${r.ffmpeg.version ?? '?'} (${r.ffmpeg.resolved ?? r.ffmpeg.path}); probed ${r.probedAt} in ${r.durationMs} ms${r.cached ? ' (cached)' : ''}`, ''];
  lines.push(table(['KIND', 'STATUS', 'CODECS', 'REASON'], r.kinds.map((k) => [
    k.kind, MARK[k.status] ?? k.status,
    k.codecs.map((c) => `${c.codec}${c.status === 'verified' ? '✓' : '✗'}`).join(' '),
    k.status === 'verified' ? (k.failures ? `${k.failures} failure(s) in use, ${k.fallbacks} software fallback(s)` : '') : (k.reason ?? ''),
  ])));
  const hints = r.kinds.filter((k) => k.status !== 'verified' && k.hints.length);
  if (hints.length) {
    lines.push('', 'Hints:');
    for (const k of hints) for (const h of k.hints) lines.push(`  ${k.kind}: ${h}`);
  }
  if (r.nvidiaSmi?.gpus.length) lines.push('', ...r.nvidiaSmi.gpus.map((g) => `GPU ${g.index}: ${g.name}, driver ${g.driverVersion}`));
  for (const v of r.vaapi) lines.push(`VA-API ${v.device}: ${v.error ?? `${v.driver ?? 'driver ?'}; encodes ${Object.entries(v.canEncode).filter(([, ok]) => ok).map(([c]) => c).join(', ') || 'nothing'}`}`);
  return lines.join('\n');
}

export function hwCommand(): Command {
  return new Command('hw')
    .description('hardware encoders: each kind verified by a real 2-frame encode, or unavailable with ffmpeg\'s reason')
    .option('--refresh', 'probe again now (after installing a driver or adding a device)')
    .option('--json', 'print JSON')
    .addHelpText('after', `
Kinds: software, nvenc (NVIDIA), qsv (Intel Quick Sync), vaapi (Intel/AMD on Linux), videotoolbox (macOS),
amf (AMD, Windows), v4l2m2m (Raspberry Pi 4). "Listed by ffmpeg -encoders" is not enough: only an encode
that really ran counts as verified. Results are cached per ffmpeg binary and device set.`)
    .action(withApi<{ refresh?: boolean; json?: boolean }>(async ({ api }, o) => {
      const r = await api.request<HwReport>(o.refresh ? 'POST' : 'GET', o.refresh ? '/api/hw/probe' : '/api/hw');
      if (o.json) return printJson(r);
      console.log(formatHw(r));
    }));
}

const size = (p: ProfileView) => `${p.width}x${p.height}`;

function describeProfile(p: ProfileView): string {
  const rows: [string, string][] = [
    ['name', `${p.name}${p.builtIn ? ' (built-in)' : ''}`],
    ['usable', p.status.usable ? `yes (${p.status.encoder})` : `no: ${p.status.reason}`],
    ['kind', p.kind], ['codec', p.codec], ['size', size(p)], ['fps', String(p.fps)],
    ['video', `${p.videoBitrateK} kbit/s, buffer ${p.videoBufferK} kbit, GOP ${p.gopSeconds} s, preset ${p.preset ?? 'default'}`],
    ['scaling', p.scaling], ['deinterlace', p.deinterlace],
    ['audio', `${p.audioCodec} ${p.audioBitrateK} kbit/s, ${p.audioChannels} ch, ${p.audioRate} Hz`],
    ['loudness', p.loudness === 'loudnorm' ? `loudnorm to ${p.loudnessTarget} LUFS` : p.loudness],
    ['mode', p.mode],
    ['channels', p.status.channels.join(', ') || '-'],
  ];
  return rows.map(([k, v]) => `${k.padEnd(12)}${v}`).join('\n');
}

interface ProfileOpts {
  from?: string; kind?: string; codec?: string; size?: string; fps?: string; bitrate?: string; buffer?: string; gop?: string; preset?: string;
  scaling?: string; deinterlace?: string; audioCodec?: string; audioBitrate?: string; audioChannels?: string; audioRate?: string;
  loudness?: string; loudnessTarget?: string; mode?: string; json?: boolean;
}

function num(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`${flag} must be a number, got "${v}"`);
  return n;
}

/** Flags → profile fields (only those given). */
function fieldsFrom(o: ProfileOpts): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  if (o.size !== undefined) {
    const m = /^(\d+)x(\d+)$/.exec(o.size);
    if (!m) throw new UsageError(`--size must look like 1280x720, got "${o.size}"`);
    f.width = Number(m[1]);
    f.height = Number(m[2]);
  }
  const set = (key: string, v: unknown) => { if (v !== undefined) f[key] = v; };
  set('kind', o.kind); set('codec', o.codec); set('fps', num('--fps', o.fps)); set('videoBitrateK', num('--bitrate', o.bitrate));
  set('videoBufferK', num('--buffer', o.buffer)); set('gopSeconds', num('--gop', o.gop));
  if (o.preset !== undefined) f.preset = o.preset === 'default' ? null : o.preset;
  set('scaling', o.scaling); set('deinterlace', o.deinterlace); set('audioCodec', o.audioCodec);
  set('audioBitrateK', num('--audio-bitrate', o.audioBitrate)); set('audioChannels', num('--audio-channels', o.audioChannels));
  set('audioRate', num('--audio-rate', o.audioRate)); set('loudness', o.loudness); set('loudnessTarget', num('--loudness-target', o.loudnessTarget));
  set('mode', o.mode);
  return f;
}

function withProfileOptions(cmd: Command): Command {
  return cmd
    .option('--kind <kind>', 'software | nvenc | qsv | vaapi | videotoolbox | amf | v4l2m2m')
    .option('--codec <codec>', 'h264 | hevc | mpeg2')
    .option('--size <WxH>', 'output size, e.g. 1280x720')
    .option('--fps <n>', 'frames per second, e.g. 25, 29.97, 30')
    .option('--bitrate <kbit>', 'video bitrate, kbit/s')
    .option('--buffer <kbit>', 'VBV buffer, kbit (default twice the bitrate)')
    .option('--gop <seconds>', 'keyframe interval, seconds (default 2)')
    .option('--preset <name>', 'encoder preset (software: veryfast…; nvenc: p1…p7; "default")')
    .option('--scaling <mode>', 'fit (bars) | stretch | crop')
    .option('--deinterlace <mode>', 'auto | off | always')
    .option('--audio-codec <codec>', 'aac | ac3 | mp2')
    .option('--audio-bitrate <kbit>', 'audio bitrate, kbit/s')
    .option('--audio-channels <n>', '1 | 2 | 6')
    .option('--audio-rate <hz>', '44100 | 48000')
    .option('--loudness <mode>', 'off | loudnorm | dynaudnorm')
    .option('--loudness-target <lufs>', 'loudnorm target, LUFS (default -23)')
    .option('--mode <mode>', 'transcode | direct (copy items that already match) | auto (also copy the picture alone)')
    .option('--json', 'print JSON');
}

const enc = encodeURIComponent;

export function profileCommand(): Command {
  const pc = new Command('profile').description('encoder profiles: hardware kind, codec, size, rates, scaling, deinterlace, audio, loudness')
    .addHelpText('after', `
Built-in: software-480p, software-720p (the default), software-1080p, nvenc-1080p, vaapi-1080p, qsv-1080p,
rpi4-v4l2-720p. A profile whose encoder is not verified on this machine (see: exstreamtv hw) cannot be
assigned; a channel whose profile stops working falls back to software and says so.`);

  pc.command('list').description('list profiles and whether each is usable here')
    .option('--json', 'print JSON')
    .action(withApi<{ json?: boolean }>(async ({ api }, o) => {
      const list = await api.request<ProfileView[]>('GET', '/api/profiles');
      if (o.json) return printJson(list);
      console.log(table(['NAME', 'KIND', 'CODEC', 'SIZE', 'FPS', 'VIDEO', 'AUDIO', 'USABLE', 'CHANNELS'], list.map((p) => [
        `${p.name}${p.builtIn ? '' : ' *'}`, p.kind, p.codec, size(p), p.fps, `${p.videoBitrateK}k`, `${p.audioCodec} ${p.audioBitrateK}k`,
        p.status.usable ? 'yes' : `no: ${p.status.reason}`, p.status.channels.join(',') || '-',
      ])));
      console.log('\n* user profile');
    }));

  pc.command('show').description('one profile in full').argument('<name>')
    .option('--json', 'print JSON')
    .action(withApi<{ json?: boolean }>(async ({ api }, o, [name]) => {
      const p = await api.request<ProfileView>('GET', `/api/profiles/${enc(String(name))}`);
      if (o.json) return printJson(p);
      console.log(describeProfile(p));
    }));

  withProfileOptions(pc.command('add').description('add a user profile (start from another with --from)').argument('<name>'))
    .option('--from <profile>', 'copy this profile\'s settings, then apply the other options')
    .action(withApi<ProfileOpts>(async ({ api }, o, [name]) => {
      let body: Record<string, unknown> = {};
      if (o.from) {
        const { name: _n, builtIn: _b, status: _s, ...rest } = await api.request<ProfileView>('GET', `/api/profiles/${enc(o.from)}`);
        body = rest;
      }
      body = { ...body, ...fieldsFrom(o), name: String(name) };
      if (body.width === undefined || body.videoBitrateK === undefined) throw new UsageError('--size and --bitrate are required (or start from a profile with --from)');
      const p = await api.request<ProfileView>('POST', '/api/profiles', body);
      if (o.json) return printJson(p);
      console.log(`added profile ${p.name}: ${p.kind} ${p.codec} ${size(p)}@${p.fps}${p.status.usable ? '' : ` (not usable here: ${p.status.reason})`}`);
    }));

  withProfileOptions(pc.command('edit').description('change a user profile').argument('<name>'))
    .action(withApi<ProfileOpts>(async ({ api }, o, [name]) => {
      const body = fieldsFrom(o);
      if (!Object.keys(body).length) throw new UsageError('nothing to change (see: exstreamtv profile edit --help)');
      const p = await api.request<ProfileView>('PATCH', `/api/profiles/${enc(String(name))}`, body);
      if (o.json) return printJson(p);
      console.log(`updated profile ${p.name}`);
    }));

  pc.command('rm').description('delete a user profile no channel uses').argument('<name>')
    .option('-y, --yes', 'do not ask (required when not on a terminal)')
    .action(withApi<{ yes?: boolean }>(async ({ api }, o, [name]) => {
      if (!o.yes) throw new UsageError(`this deletes profile ${String(name)}; repeat with --yes`);
      await api.request('DELETE', `/api/profiles/${enc(String(name))}`);
      console.log(`deleted profile ${String(name)}`);
    }));

  pc.command('test').description('a real short test encode with the profile: works? how fast?').argument('<name>')
    .option('--seconds <n>', 'seconds of test picture to encode', '5')
    .option('--json', 'print JSON')
    .action(withApi<{ seconds: string; json?: boolean }>(async ({ api }, o, [name]) => {
      const r = await api.request<TestEncodeResult>('POST', `/api/profiles/${enc(String(name))}/test?seconds=${enc(o.seconds)}`);
      if (o.json) printJson(r);
      else if (r.ok) console.log(`${r.profile} (${r.encoder}): ok — ${r.frames} frames in ${(r.wallMs / 1000).toFixed(2)} s, ${r.fps} fps, ${r.speed}x real time`);
      else console.error(`${r.profile} (${r.encoder}): failed — ${r.reason}`);
      if (!r.ok) process.exitCode = 1;
    }));

  pc.command('assign').description('make channels stream with this profile ("default" for software-720p)').argument('<name>').argument('<channel...>')
    .action(withApi<object>(async ({ api }, _o, [name, channels]) => {
      // The check needs the probe's verdicts: make sure there are some.
      await api.request('GET', '/api/hw');
      const profile = String(name) === 'default' ? null : String(name);
      for (const number of channels as string[]) {
        const c = await api.request<Channel>('PATCH', `/api/channels/${enc(number)}`, { stream: { profile } });
        console.log(`channel ${c.number} "${c.name}" now uses ${c.stream.profile ?? 'the default profile (software-720p)'}`);
      }
    }));
  return pc;
}
