// The Profiles view's state and text without a screen: the encoder report and profile list, the
// last test encode per profile, which pane has the focus, the two-line detail under the encoders,
// the pop-ups' rows, the edit patch, the assign prompt's channel numbers.
import type { HwReport, KindReport } from '../../schemas/hw.js';
import type { ProfileView, TestEncodeResult } from '../../schemas/profile.js';
import { truncate, wrap } from '../text.js';
import { clock, kindDevice, kindState, testText } from './profile-parts.js';

export const DETAIL_LINES = 2;

/** One pop-up row: a label and its text (wrapped by the view). A null label: a section title; '' an empty line. */
export type PopupRow = [label: string | null, text: string];

export class ProfilesModel {
  report: HwReport | null = null;
  loadError = '';
  readonly tests = new Map<string, TestEncodeResult>();
  focus: 'encoders' | 'profiles' = 'encoders';

  /** Takes a new report; returns the Encoders pane's title. */
  setReport(r: HwReport): string {
    this.report = r;
    return `Encoders · probed ${clock(r.probedAt)}${r.cached ? ' (cached)' : ''} · ffmpeg ${r.ffmpeg.version ?? '?'}`;
  }

  encoderSummary(k: KindReport): string {
    const state = kindState(k);
    if (k.status === 'verified') {
      const ms = k.codecs.filter((c) => c.status === 'verified').map((c) => `${c.encoder}${c.probeMs !== null ? ` ${c.probeMs} ms` : ''}`).join(', ');
      return `${k.label}: ${state} by a real encode (${ms})${k.failures ? ` · ${k.failures} failure(s) in use, ${k.fallbacks} software fallback(s)` : ''}`;
    }
    const hints = k.hints.length ? ` · ${k.hints.join(' · ')}` : '';
    return `${k.label}: ${state} — ${k.reason ?? 'no reason given'}${hints}`;
  }

  profileSummary(p: ProfileView): [string, string] {
    const audio = `${p.audioCodec} ${p.audioBitrateK}k ${p.audioChannels}ch ${p.audioRate} Hz`;
    const first = `${p.name} (${p.builtIn ? 'built-in, read-only' : 'user'}): ${p.status.encoder} ${p.width}x${p.height}@${p.fps} ${p.videoBitrateK}k/${p.videoBufferK}k · GOP ${p.gopSeconds} s · preset ${p.preset ?? 'default'} · ${p.scaling} · deinterlace ${p.deinterlace} · ${audio} · loudness ${p.loudness}`;
    const test = this.tests.get(p.name);
    const second = test ? testText(test)
      : p.status.usable ? `● usable here${p.status.channels.length ? ` · channels ${p.status.channels.join(', ')}` : ''} · t runs a test encode`
      : `✖ not usable: ${p.status.reason ?? 'no reason given'}`;
    return [first, second];
  }

  /** The lines under the encoders (at most DETAIL_LINES of `w` cells) for the focused pane's row. */
  detail(w: number, encoder: KindReport | undefined, profile: ProfileView | undefined): string[] {
    let lines: string[];
    if (this.loadError && !this.report) lines = [`✖ ${this.loadError}`];
    else if (this.focus === 'encoders') lines = encoder ? wrap(this.encoderSummary(encoder), w) : ['probing…'];
    else lines = profile ? this.profileSummary(profile).map((l) => truncate(l, w)) : [''];
    if (lines.length > DETAIL_LINES) lines = [...lines.slice(0, DETAIL_LINES - 1), truncate(`${lines[DETAIL_LINES - 1]!} ${lines.slice(DETAIL_LINES).join(' ')}`, w)];
    return lines;
  }

  encoderPopup(k: KindReport): PopupRow[] {
    const r = this.report;
    const how = k.status === 'verified' ? ' (a real 2-frame encode worked)' : k.codecs.some((c) => c.compiled) ? ' (compiled into ffmpeg; the real encode failed)' : ' (not built into this ffmpeg)';
    return [
      ['Kind', `${k.kind} — ${k.label}`],
      ['State', `${kindState(k)}${how}`],
      ...(k.reason ? [['Reason', k.reason] satisfies PopupRow] : []),
      ...(r ? [['Device', kindDevice(k, r)] satisfies PopupRow] : []),
      ...(k.status === 'unhealthy' ? [['Unhealthy', `since ${k.unhealthySince ?? '?'}`] satisfies PopupRow] : []),
      ['In use', `${k.failures} failure(s), ${k.fallbacks} software fallback(s) since the last probe`],
      ['', ''], [null, 'Codecs'],
      ...k.codecs.map((c): PopupRow => [`  ${c.codec}`, `${c.encoder}: ${c.status === 'verified' ? '✔ verified' : `✖ ${c.status}`}${c.compiled ? '' : ' (not compiled in)'}${c.probeMs !== null ? `, probe ${c.probeMs} ms` : ''}${c.reason && c.reason !== k.reason ? ` — ${c.reason}` : ''}`]),
      ...(k.hints.length ? [['', ''] satisfies PopupRow, [null, 'Hints'] satisfies PopupRow, ...k.hints.map((h): PopupRow => ['  •', h])] : []),
    ];
  }

  /** The dim last line of the encoder pop-up: when and how the probe ran. */
  probeNote(): string | null {
    const r = this.report;
    return r ? `probed ${r.probedAt} in ${r.durationMs} ms${r.cached ? ' (cached)' : ''} · ffmpeg ${r.ffmpeg.version ?? '?'} (${r.ffmpeg.resolved ?? r.ffmpeg.path}) · p probes again` : null;
  }

  profilePopup(p: ProfileView): PopupRow[] {
    const test = this.tests.get(p.name);
    return [
      ['Name', `${p.name} (${p.builtIn ? 'built-in: read-only; c copies it as a new profile' : 'user profile'})`],
      ['Usable', p.status.usable ? `● yes: ${p.status.encoder} is verified here` : `✖ no: ${p.status.reason ?? 'no reason given'}`],
      ['Encoder', `${p.kind} ${p.codec} (${p.status.encoder})`],
      ['Picture', `${p.width}x${p.height} @ ${p.fps} fps, scaling ${p.scaling}, deinterlace ${p.deinterlace}`],
      ['Video', `${p.videoBitrateK} kbit/s, buffer ${p.videoBufferK} kbit, GOP ${p.gopSeconds} s, preset ${p.preset ?? 'default'}`],
      ['Audio', `${p.audioCodec} ${p.audioBitrateK} kbit/s, ${p.audioChannels} ch, ${p.audioRate} Hz`],
      ['Loudness', p.loudness === 'loudnorm' ? `loudnorm to ${p.loudnessTarget} LUFS` : p.loudness],
      ['Channels', p.status.channels.join(', ') || '—'],
      ...(test ? [['', ''] satisfies PopupRow, ['Last test', testText(test)] satisfies PopupRow] : []),
    ];
  }
}

/** The fields of an edit that differ from the profile (an empty buffer stays out). */
export function editPatch(body: Record<string, unknown>, p: ProfileView): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(body)) {
    const cur = (p as unknown as Record<string, unknown>)[k];
    if (val !== cur && !(k === 'videoBufferK' && val === undefined)) patch[k] = val;
  }
  return patch;
}

/** "5, 7.1 9" → ['5', '7.1', '9']. */
export const channelNumbers = (input: string | null): string[] => (input ?? '').split(/[\s,]+/).filter(Boolean);

/** The probe's flash line: how many kinds were verified, which. */
export function probeText(r: HwReport): string {
  const ok = r.kinds.filter((k) => k.status === 'verified').map((k) => k.kind);
  return `probed in ${r.durationMs} ms: ${ok.length} verified (${ok.join(', ') || 'none'}), ${r.kinds.length - ok.length} not usable`;
}
