// What a channel session plays at wall-clock t: read straight from the timeline rows, so the
// stream airs exactly what the guide says. Unplayable rows become error slates, gaps offline slates.
import type { StreamSettings } from '../../schemas/channel.js';
import type { Locator, MediaItemDetail, MediaStream } from '../../schemas/library.js';
import type { WatermarkSettings } from '../../schemas/picture.js';
import type { VideoFacts } from '../ffmpeg/filters.js';
import { pickAudio, pickSubtitle, type SubtitlePick } from '../ffmpeg/select.js';
import type { Store } from '../store/store.js';
import type { TimelineService } from '../timeline/service.js';
import type { SlateText } from './slate.js';

interface PlanBase {
  /** Timeline row id (null in a gap; "redirect>target" through a redirect). */
  rowId: number | string | null;
  title: string;
  /** Wall-clock ms the piece starts and must end. */
  startsAt: number;
  endsAt: number;
}
export interface MediaPlan extends PlanBase {
  kind: 'media';
  itemId: number;
  /** Where the item is: resolved to a MediaInput ahead of air by the session's resolvers. */
  locator: Locator;
  /** The picture; null for an audio-only item (it airs over `cover`, its attached picture, or a plain card). */
  video: (VideoFacts & Pick<MediaStream, 'fps'>) | null;
  cover?: number | null;
  audio: Pick<MediaStream, 'index'> | null;
  /** The audio stream's probed facts (codec, rate, channels): may it be copied? */
  audioFacts?: Pick<MediaStream, 'codec' | 'sampleRate' | 'channels'> | null;
  seekMs: number;
  /** Subtitles to burn in (channel setting), watermark (null while hidden), and whether the row is filler. */
  subtitle?: SubtitlePick | null;
  watermark?: WatermarkSettings | null;
  filler?: boolean;
}
export interface SlatePlan extends PlanBase { kind: 'slate'; reason: 'offline' | 'error'; text: SlateText }
export type Plan = MediaPlan | SlatePlan;

export const playMs = (p: Plan): number => p.endsAt - p.startsAt;

/** Gaps without rows are filled at most this long before looking again. */
const GAP_MS = 60_000;

/**
 * The first real video stream (cover art is not video) and the audio to play: the channel's
 * preferred languages in order, then the default track, then the one with most channels.
 */
export function pickStreams(streams: MediaStream[], audioLanguages: readonly string[] = []): { video: MediaStream | null; audio: MediaStream | null } {
  const video = streams.find((s) => s.type === 'video') ?? null;
  return { video, audio: pickAudio(streams, audioLanguages) };
}

/** Picture and sound choices of a channel's stream settings for one item. */
/** Codecs of an attached picture (cover art) that can be shown. */
const COVER_CODECS = new Set(['mjpeg', 'png', 'bmp', 'gif', 'webp', 'tiff']);

/** Stream index of an item's cover art (an attached picture), or null. */
export function coverOf(streams: MediaStream[]): number | null {
  return streams.find((s) => s.type === 'attachment' && COVER_CODECS.has(s.codec ?? ''))?.index ?? null;
}

export function pictureFor(stream: StreamSettings | undefined, streams: MediaStream[], filler: boolean): Pick<MediaPlan, 'subtitle' | 'watermark'> {
  const subs = stream?.subtitles;
  const wm = stream?.watermark ?? null;
  return {
    subtitle: subs && subs.mode === 'burn' ? pickSubtitle(streams, subs.languages, subs.which) : null,
    watermark: wm && !(filler && wm.hideDuringFiller) ? wm : null,
  };
}

export function errorText(channelName: string, detail: string): SlateText {
  return { headline: channelName, detail: `We'll be right back — ${detail}` };
}

export function offlineText(channelName: string): SlateText {
  return { headline: channelName, detail: 'Off the air — programming resumes soon' };
}

/** A live stream (IPTV): read as it comes, so back-to-back rows of it are one endless piece. */
export const isLiveLocator = (l: Locator): boolean => l.type === 'url' && l.live === true;
/** How far ahead back-to-back rows of one live item are joined into one piece. */
const LIVE_RUN_MS = 24 * 3_600_000;

export class Planner {
  constructor(private readonly store: Store, private readonly timeline: TimelineService, private readonly channelId: number, private readonly channelName: string) {}

  /**
   * The end of the run of back-to-back rows airing the same live item from `endMs` on (a live
   * channel is one such run): its ffmpeg keeps reading across the row seams instead of rejoining.
   */
  private liveRunEnd(itemId: number, kind: string, endMs: number): number {
    const limit = endMs + LIVE_RUN_MS;
    let end = endMs;
    for (let next = this.store.timeline.next(this.channelId, end); next && end < limit; next = this.store.timeline.next(this.channelId, end)) {
      if (next.startMs !== end || next.itemId !== itemId || next.kind !== kind || next.endMs <= end) break;
      end = next.endMs;
    }
    return end;
  }

  at(t: number, depth = 0): Plan {
    const on = this.timeline.whatIsOn(this.channelId, t);
    if (on?.row.kind === 'redirect' && on.row.target && depth < 3) {
      // A redirect airs whatever the other channel airs now, until the redirect ends.
      const target = this.store.channels.findByNumber(on.row.target);
      if (target) {
        this.timeline.extend(target.id, t);
        const p = new Planner(this.store, this.timeline, target.id, this.channelName).at(t, depth + 1);
        return { ...p, rowId: `${on.row.id}>${p.rowId ?? 'gap'}`, endsAt: Math.min(p.endsAt, on.row.endMs) };
      }
    }
    if (!on) {
      const next = this.store.timeline.next(this.channelId, t);
      const endsAt = Math.min(next ? next.startMs : t + GAP_MS, t + GAP_MS);
      return { kind: 'slate', reason: 'offline', rowId: null, title: 'Offline', startsAt: t, endsAt, text: offlineText(this.channelName) };
    }
    const { row } = on;
    const base = { rowId: row.id, startsAt: t, endsAt: row.endMs };
    if (row.kind === 'slate' || row.itemId === null) {
      const title = row.title ?? 'Offline';
      return { ...base, kind: 'slate', reason: row.itemId === null && row.kind === 'item' ? 'error' : 'offline', title,
        text: row.kind === 'item' ? errorText(this.channelName, 'this programme was removed from the library') : offlineText(this.channelName) };
    }
    let item: MediaItemDetail;
    try {
      item = this.store.items.get(row.itemId);
    } catch {
      return { ...base, kind: 'slate', reason: 'error', title: 'Unavailable', text: errorText(this.channelName, 'this programme is unavailable') };
    }
    const fail = (why: string): SlatePlan => ({ ...base, kind: 'slate', reason: 'error', title: item.title, text: errorText(this.channelName, why) });
    if (item.status !== 'ok') return fail(item.status === 'missing' ? 'the file of this programme is missing' : 'this programme cannot be read');
    const stream = this.store.channels.find(this.channelId)?.stream;
    const { video, audio } = pickStreams(item.streams, stream?.audio?.languages);
    if (!video && !audio) return fail('this programme has neither picture nor sound');
    const filler = row.kind === 'filler';
    if (isLiveLocator(item.locator)) base.endsAt = this.liveRunEnd(row.itemId, row.kind, row.endMs);
    return { ...base, kind: 'media', itemId: item.id, title: item.title, locator: item.locator, video, cover: video ? null : coverOf(item.streams),
      audioFacts: audio, audio, seekMs: on.seekMs, filler, ...pictureFor(stream, item.streams, filler) };
  }
}
