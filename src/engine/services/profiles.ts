// Encoder profiles: built-in + user (SQLite), their usability on this machine, per-channel
// resolution (with the software fallback), and a real test encode.
import type { EventBus } from '../events.js';
import { ConflictError, InvalidError, NotFoundError } from '../errors.js';
import { KIND_LABEL, codecLabel, type HwKind } from '../../schemas/encoders.js';
import { normaliseArgs } from '../ffmpeg/normalise.js';
import { FfmpegProcess } from '../ffmpeg/process.js';
import { probeReason } from '../ffmpeg/reason.js';
import type { Store } from '../store/store.js';
import type { EncoderResolver } from '../stream/manager.js';
import type { StreamSettings } from '../../schemas/channel.js';
import { profileProblems, type EncoderProfile, type ProfileInput, type ProfilePatch, type ProfileView, type TestEncodeResult } from '../../schemas/profile.js';
import { BUILTIN_PROFILES, DEFAULT_PROFILE_NAME } from './builtin-profiles.js';
import type { EncoderHardware } from '../hardware.js';

/** What a channel session encodes with right now. */
export interface ResolvedEncoder {
  /** The profile as configured (its kind may differ from `kind` below after a fallback). */
  profile: EncoderProfile;
  kind: HwKind;
  /** Why this is not what the channel asked for (missing profile, unverified or unhealthy encoder), or null. */
  note: string | null;
}

const lower = (s: string) => s.toLowerCase();

export class ProfileService {
  constructor(private readonly store: Store, private readonly hw: EncoderHardware, private readonly events?: EventBus) {}

  private user(): EncoderProfile[] {
    return this.store.profiles.list().map((p) => ({ ...p, builtIn: false }));
  }

  all(): EncoderProfile[] {
    return [...BUILTIN_PROFILES, ...this.user()];
  }

  find(name: string): EncoderProfile | undefined {
    const b = BUILTIN_PROFILES.find((p) => lower(p.name) === lower(name));
    if (b) return b;
    const u = this.store.profiles.find(name);
    return u && { ...u, builtIn: false };
  }

  get(name: string): EncoderProfile {
    const p = this.find(name);
    if (!p) throw new NotFoundError(`profile "${name}"`);
    return p;
  }

  /** Usable here? (the kind's probe for this codec verified, and the kind healthy) */
  usability(p: EncoderProfile): { usable: boolean; encoder: string; reason: string | null } {
    const u = this.hw.usability(p.kind, p.codec);
    return { usable: u.usable, encoder: u.encoder, reason: u.usable ? null : `${KIND_LABEL[p.kind]} (${u.encoder}) is ${u.status === 'unhealthy' ? 'unhealthy' : 'unavailable'} here: ${u.reason ?? 'no reason given'}` };
  }

  view(p: EncoderProfile): ProfileView {
    return { ...p, status: { ...this.usability(p), channels: this.store.profiles.channelsUsing(p.name) } };
  }

  list(): ProfileView[] { return this.all().map((p) => this.view(p)); }

  create(input: ProfileInput): ProfileView {
    if (this.find(input.name)) throw new ConflictError(`a profile named "${input.name}" already exists`, 'name');
    const p: EncoderProfile = { ...input, builtIn: false, videoBufferK: input.videoBufferK ?? input.videoBitrateK * 2 };
    const { builtIn: _b, ...stored } = p;
    this.store.profiles.insert(stored);
    // A channel may name a profile that did not exist yet (it streamed the default meanwhile).
    this.events?.emit('encoding.changed', { channelId: null, profile: p.name });
    return this.view(this.get(p.name));
  }

  update(name: string, patch: ProfilePatch): ProfileView {
    const cur = this.get(name);
    if (cur.builtIn) throw new ConflictError(`"${cur.name}" is a built-in profile and cannot be changed; add a copy under another name`);
    const next: EncoderProfile = { ...cur, ...patch };
    if (patch.videoBitrateK !== undefined && patch.videoBufferK === undefined && cur.videoBufferK === cur.videoBitrateK * 2) next.videoBufferK = next.videoBitrateK * 2;
    if (patch.kind !== undefined && patch.preset === undefined && cur.kind !== patch.kind) next.preset = null;
    const problem = profileProblems(next)[0];
    if (problem) throw new InvalidError(problem.path, problem.message);
    const users = this.store.profiles.channelsUsing(cur.name);
    if (users.length && (next.kind !== cur.kind || next.codec !== cur.codec)) {
      const u = this.usability(next);
      if (!u.usable) throw new ConflictError(`kind: channel${users.length > 1 ? 's' : ''} ${users.join(', ')} use${users.length > 1 ? '' : 's'} "${cur.name}", and ${u.reason}`, 'kind');
    }
    const { builtIn: _b, ...stored } = next;
    this.store.profiles.update(stored);
    this.events?.emit('encoding.changed', { channelId: null, profile: cur.name });
    return this.view(this.get(cur.name));
  }

  remove(name: string): void {
    const cur = this.get(name);
    if (cur.builtIn) throw new ConflictError(`"${cur.name}" is a built-in profile and cannot be deleted`);
    const users = this.store.profiles.channelsUsing(cur.name);
    if (users.length) throw new ConflictError(`profile "${cur.name}" is used by channel${users.length > 1 ? 's' : ''} ${users.join(', ')}; assign them another profile first`);
    this.store.profiles.remove(cur.name);
    this.events?.emit('encoding.changed', { channelId: null, profile: cur.name });
  }

  /**
   * A channel may be assigned this profile: it exists (else 400) and its encoder is verified here
   * (else 409 with the probe's reason). Null (the default profile) is always fine.
   */
  assertAssignable(name: string | null | undefined): void {
    if (name == null) return;
    const p = this.find(name);
    if (!p) throw new InvalidError('stream.profile', `no profile named "${name}" (see GET /api/profiles)`);
    const u = this.usability(p);
    if (!u.usable) throw new ConflictError(`stream.profile: profile "${p.name}" cannot be used: ${u.reason}`, 'stream.profile');
  }

  /** The encoder a channel's session uses now: its profile when usable, else the same profile in software. */
  resolve(name: string | null | undefined): ResolvedEncoder {
    const { profile, note } = this.profileNamed(name);
    const k = this.kindFor(profile);
    return { profile, kind: k.kind, note: [note, k.note].filter(Boolean).join('; ') || null };
  }

  /** The profile a channel asked for, or the default one (with a note) when it no longer exists. */
  profileNamed(name: string | null | undefined): { profile: EncoderProfile; note: string | null } {
    const profile = this.find(name ?? DEFAULT_PROFILE_NAME);
    if (profile) return { profile, note: null };
    return { profile: this.get(DEFAULT_PROFILE_NAME), note: `profile "${name}" no longer exists; using ${DEFAULT_PROFILE_NAME}` };
  }

  /** The kind to encode a profile with now: its own when verified and healthy, else software (and why). */
  kindFor(profile: Pick<EncoderProfile, 'kind' | 'codec' | 'name'>): { kind: HwKind; note: string | null; vaapiDevice?: string } {
    if (profile.kind === 'software') return { kind: 'software', note: null };
    const u = this.usability(profile as EncoderProfile);
    if (u.usable) return { kind: profile.kind, note: null, ...(profile.kind === 'vaapi' ? { vaapiDevice: this.hw.vaapiDevice() } : {}) };
    return { kind: 'software', note: `${profile.name}: ${u.reason}; encoding ${codecLabel(profile.codec)} in software instead` };
  }

  /** For the session manager: per-channel profile, per-piece kind, and failure reports to the hardware health. */
  resolver(): EncoderResolver {
    return {
      profileFor: (channel) => this.profileNamed(channel.stream.profile),
      kindFor: (p) => this.kindFor({ kind: p.kind ?? 'software', codec: p.codec ?? 'h264', name: (p as Partial<EncoderProfile>).name ?? 'profile' }),
      failed: (kind, reason) => this.hw.recordFailure(kind, reason),
      succeeded: (kind) => this.hw.recordSuccess(kind),
    };
  }

  /** Vets a channel's new stream settings: a changed profile must be usable (the watermark image: engine/library/allowed-paths.ts). */
  checkStream(next: StreamSettings, cur: StreamSettings | null): void {
    if (next.profile != null && (cur?.profile == null || lower(next.profile) !== lower(cur.profile))) this.assertAssignable(next.profile);
  }

  /** A real short encode with the profile (test picture, its exact pipeline): did it work, and how fast. */
  async testEncode(name: string, ffmpeg: string, seconds = 5): Promise<TestEncodeResult> {
    const p = this.get(name);
    const u = this.hw.usability(p.kind, p.codec);
    const fps = p.fps;
    const frames = Math.round(seconds * fps);
    const args = normaliseArgs({
      input: `testsrc2=size=1280x720:rate=${fps}`, inputFormat: 'lavfi', seekMs: 0, playMs: seconds * 1000,
      video: { index: 0, fieldOrder: 'progressive', sar: '1:1', width: 1280, height: 720, codec: 'rawvideo', pixFmt: 'yuv420p' },
      audio: null, progressFd: 3,
    }, p, { kind: p.kind });
    const t0 = performance.now();
    const proc = new FfmpegProcess(ffmpeg, args);
    let bytes = 0;
    proc.stdout.on('data', (d: Buffer) => { bytes += d.length; });
    const limit = setTimeout(() => void proc.kill(), Math.max(15_000, seconds * 6000));
    const exit = await proc.exited;
    clearTimeout(limit);
    const wallMs = Math.round(performance.now() - t0);
    const done = exit.progress?.frame ?? 0;
    const ok = exit.code === 0 && bytes > 0 && done > 0;
    const reason = ok ? null : exit.killed ? `test encode did not finish within ${Math.round(Math.max(15_000, seconds * 6000) / 1000)} s` : (probeReason(exit.stderr) ?? FfmpegProcess.reason(exit));
    const wall = wallMs / 1000;
    const result: TestEncodeResult = {
      ok, profile: p.name, kind: p.kind, encoder: u.encoder, reason, seconds, frames: done || (ok ? frames : 0),
      fps: ok && wall > 0 ? Math.round((done / wall) * 10) / 10 : null,
      speed: ok && wall > 0 ? Math.round(((exit.progress?.outTimeMs ?? seconds * 1000) / 1000 / wall) * 100) / 100 : null,
      wallMs, bytes,
    };
    this.events?.log(ok ? 'info' : 'warn', `test encode ${p.name} (${u.encoder}): ${ok ? `${result.fps} fps, ${result.speed}x` : reason}`);
    return result;
  }
}
