// The Profiles view's pure parts: encoder and profile state as words, the profile form's fields
// and the API body made from them. Tested through the view (test/tui/profiles.test.ts).
import { HW_KINDS, VIDEO_CODECS } from '../../schemas/encoders.js';
import type { DeviceNode, HwReport, KindReport } from '../../schemas/hw.js';
import { OUTPUT_MODES } from '../../schemas/output-mode.js';
import type { ProfileView, TestEncodeResult } from '../../schemas/profile.js';
import type { FormField, FormValues } from '../view.js';

/** Local "14:05:09". */
export const clock = (iso: string) => {
  const d = new Date(iso);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
};

/** ● verified / ✖ failed (compiled in, the real encode failed) / – unavailable (not in this ffmpeg) / ▲ unhealthy: never colour-only. */
export function kindState(k: KindReport): string {
  if (k.status === 'verified') return '● verified';
  if (k.status === 'unhealthy') return '▲ unhealthy';
  return k.codecs.some((c) => c.compiled) ? '✖ failed' : '– unavailable';
}

function nodeText(n: DeviceNode): string {
  if (!n.exists) return '';
  return n.readable && n.writable ? n.path : `${n.path} (no access)`;
}

/** The device a kind encodes on, as the probe's device checks found it. */
export function kindDevice(k: KindReport, r: HwReport): string {
  const nodes = (list: DeviceNode[]) => {
    const found = list.filter((n) => n.exists);
    if (!found.length) return 'none found';
    return `${nodeText(found[0]!)}${found.length > 1 ? ` +${found.length - 1}` : ''}`;
  };
  switch (k.kind) {
    case 'software': return 'CPU';
    case 'nvenc': {
      const gpu = r.nvidiaSmi?.gpus[0];
      if (gpu) return gpu.name;
      return r.devices.nvidia.exists ? nodeText(r.devices.nvidia) : 'none found';
    }
    case 'vaapi': {
      const d = nodes(r.devices.render);
      const drv = r.vaapi.find((v) => v.driver)?.driver;
      return drv && d !== 'none found' ? `${d} ${drv}` : d;
    }
    case 'qsv': return nodes(r.devices.render);
    case 'v4l2m2m': return nodes(r.devices.v4l2m2m);
    default: return '—';
  }
}

export function usableText(p: ProfileView): string {
  if (p.status.usable) return '● verified';
  return p.status.reason?.includes('unhealthy') ? '▲ unhealthy' : '✖ unverified';
}

/** "test p (libx264): ✔ ok — 60 frames in 0.45 s, 133 fps, 4.4x real time" (no symbol for the flash line, which has its own). */
export function testText(r: TestEncodeResult, symbol = true): string {
  return r.ok
    ? `test ${r.profile} (${r.encoder}): ${symbol ? '✔ ' : ''}ok — ${r.frames} frames in ${(r.wallMs / 1000).toFixed(2)} s, ${r.fps ?? '?'} fps, ${r.speed ?? '?'}x real time`
    : `test ${r.profile} (${r.encoder}): ${symbol ? '✖ ' : ''}failed — ${r.reason ?? 'no reason given'}`;
}

const opts = (values: readonly (string | number)[]) => values.map((v) => ({ value: String(v), label: String(v) }));

/** Text fields that are numbers in the API: a number when it parses, else the text itself (the API says what is wrong). */
const NUMERIC = ['width', 'height', 'fps', 'videoBitrateK', 'videoBufferK', 'gopSeconds', 'audioBitrateK', 'loudnessTarget'] as const;
const CHOICE_NUMERIC = ['audioChannels', 'audioRate'] as const;

export function profileFields(p: ProfileView | null, nameValue: string | null): FormField[] {
  const v = (k: keyof ProfileView, dflt: string) => (p ? String(p[k] ?? '') : dflt);
  return [
    ...(nameValue !== null ? [{ name: 'name', label: 'Name', kind: 'text', value: nameValue, hint: 'letters, digits, . _ -' } satisfies FormField] : []),
    { name: 'kind', label: 'Encoder', kind: 'choice', value: v('kind', 'software'), options: opts(HW_KINDS) },
    { name: 'codec', label: 'Codec', kind: 'choice', value: v('codec', 'h264'), options: opts(VIDEO_CODECS) },
    { name: 'width', size: 8, label: 'Width', kind: 'text', value: v('width', '1280'), hint: 'even, 128–3840' },
    { name: 'height', size: 8, label: 'Height', kind: 'text', value: v('height', '720'), hint: 'even, 96–2160' },
    { name: 'fps', size: 8, label: 'FPS', kind: 'text', value: v('fps', '30'), hint: 'e.g. 25, 29.97, 30' },
    { name: 'videoBitrateK', size: 8, label: 'Bitrate k', kind: 'text', value: v('videoBitrateK', '2500'), hint: 'video kbit/s' },
    { name: 'videoBufferK', size: 8, label: 'Buffer k', kind: 'text', value: p ? String(p.videoBufferK) : '', hint: 'VBV kbit (empty: 2× bitrate)' },
    { name: 'gopSeconds', size: 8, label: 'GOP s', kind: 'text', value: v('gopSeconds', '2'), hint: 'keyframe interval' },
    { name: 'preset', label: 'Preset', kind: 'text', value: p?.preset ?? '', hint: 'empty: the encoder\'s default' },
    { name: 'scaling', label: 'Scaling', kind: 'choice', value: v('scaling', 'fit'), options: opts(['fit', 'stretch', 'crop']) },
    { name: 'deinterlace', label: 'Deinterlace', kind: 'choice', value: v('deinterlace', 'auto'), options: opts(['auto', 'off', 'always']) },
    { name: 'audioCodec', label: 'Audio', kind: 'choice', value: v('audioCodec', 'aac'), options: opts(['aac', 'ac3', 'mp2']) },
    { name: 'audioBitrateK', size: 8, label: 'Audio k', kind: 'text', value: v('audioBitrateK', '160'), hint: 'audio kbit/s' },
    { name: 'audioChannels', label: 'Audio ch', kind: 'choice', value: v('audioChannels', '2'), options: opts([1, 2, 6]) },
    { name: 'audioRate', label: 'Audio Hz', kind: 'choice', value: v('audioRate', '48000'), options: opts([44100, 48000]) },
    { name: 'loudness', label: 'Loudness', kind: 'choice', value: v('loudness', 'off'), options: opts(['off', 'loudnorm', 'dynaudnorm']) },
    { name: 'loudnessTarget', size: 8, label: 'Target LUFS', kind: 'text', value: v('loudnessTarget', '-23'), hint: 'loudnorm target' },
    { name: 'mode', label: 'Mode', kind: 'choice', value: v('mode', 'transcode'), options: opts(OUTPUT_MODES) },
  ];
}

/** Form values → API fields (empty optional fields left out). */
export function bodyFrom(v: FormValues): Record<string, unknown> {
  const str = (k: string) => String(v[k] ?? '').trim();
  const out: Record<string, unknown> = {};
  for (const k of ['kind', 'codec', 'scaling', 'deinterlace', 'audioCodec', 'loudness', 'mode']) out[k] = str(k);
  for (const k of NUMERIC) {
    const s = str(k);
    if (s === '') continue;
    const n = Number(s);
    out[k] = Number.isFinite(n) ? n : s;
  }
  for (const k of CHOICE_NUMERIC) out[k] = Number(str(k));
  // An empty buffer means twice the bitrate (what the hint says), on edit as on add.
  if (str('videoBufferK') === '' && typeof out.videoBitrateK === 'number') out.videoBufferK = out.videoBitrateK * 2;
  out.preset = str('preset') || null;
  return out;
}
