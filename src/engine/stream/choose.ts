// Which ffmpeg piece plays a media row: copied (direct) when the channel's mode allows it and the
// item's probed streams match the output, read as a live input, or transcoded (the default).
import { audioMismatch, directArgs, videoMismatch } from '../ffmpeg/direct.js';
import { normaliseArgs, type EncoderChoice } from '../ffmpeg/normalise.js';
import { stillArgs } from '../ffmpeg/still.js';
import type { OutputProfile } from '../ffmpeg/profile.js';
import type { OutputMode } from '../../schemas/output-mode.js';
import type { MediaPlan } from './planner.js';
import type { Prepared } from './prefetch.js';

export type PieceMode = OutputMode;

export interface PieceChoice { kind: 'transcode' | 'direct' | 'live'; args: string[]; why: string | null }

export function choosePiece(mode: PieceMode, plan: MediaPlan, prepared: Extract<Prepared, { ok: true }>, p: OutputProfile, enc: EncoderChoice): PieceChoice {
  const input = prepared.input;
  const playMs = plan.endsAt - plan.startsAt;
  if (!plan.video) {
    // Audio only: over its cover art, or a plain card (the planner never plans one without sound).
    const cover = plan.cover ?? null;
    const args = stillArgs({ input, seekMs: plan.seekMs, playMs, audio: plan.audio!, coverIndex: cover, progressFd: 3 }, p);
    return { kind: input.live ? 'live' : 'transcode', args, why: `audio only: ${cover === null ? 'plain card' : 'cover art'}` };
  }
  const video = plan.video;
  let why: string | null = null;
  if (mode !== 'transcode') {
    // Burnt-in subtitles and watermarks change the picture: those pieces are transcoded.
    const picture = plan.subtitle ? 'burnt-in subtitles' : plan.watermark ? 'watermark' : null;
    const v = picture ?? videoMismatch(video, p);
    const a = audioMismatch(plan.audioFacts ?? null, p);
    if (!v && (!a || mode === 'auto')) {
      const args = directArgs({ input, seekMs: plan.seekMs, playMs, video, audio: plan.audio, copyAudio: !a, progressFd: 3 }, p);
      return { kind: 'direct', args, why: a ? `audio encoded: ${a}` : null };
    }
    why = `transcoded: ${v ?? a}`;
  }
  const args = normaliseArgs({ input, seekMs: plan.seekMs, playMs, video, audio: plan.audio, progressFd: 3,
    subtitle: plan.subtitle ?? null, subtitleFile: prepared.subtitle, watermark: plan.watermark ?? null, startsAtMs: plan.startsAt }, p, enc);
  return { kind: input.live ? 'live' : 'transcode', args, why };
}
