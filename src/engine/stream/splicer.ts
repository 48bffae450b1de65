// Joins the MPEG-TS outputs of successive ffmpeg processes (items, restarts, slates) into one
// continuous stream: every PES/PCR timestamp is shifted so each piece starts right after the
// previous one ended, and continuity counters run on per PID. Viewers see one endless program.
// Video is the clock: a piece's first frame follows the previous piece's last frame by exactly one
// frame duration (a constant cadence), and the audio keeps its place against its own video; an
// audio frame of the new piece that would start before the previous piece's audio ended (the
// encoder's priming frame, usually) is dropped whole, so audio timestamps never overlap.
import {
  ccOf, clearDiscontinuity, hasPayload, isPayloadStart, isRandomAccess, pidOf, readPcr, readPesTimes, setCc, shiftPesTimes,
  unwrap, writePcr, type PesTimes,
} from './ts.js';

export interface SplicedPacket {
  packet: Buffer;
  pid: number;
  /** Output DTS (90 kHz, unwrapped) of the latest PES on this PID. */
  dts: number | undefined;
  /** A PES starting a video keyframe. */
  keyframe: boolean;
  /** Starts a PES of the video PID. */
  videoStart: boolean;
}

const DEFAULT_FRAME = { video: 3000, audio: 1920 } as const;
/** Packets held at the start of a piece until every stream's first timestamp is known. */
const MAX_HOLD = 400;
/**
 * Audio may run on past the video's end by this much (90 kHz; ~2 AAC frames) and the next piece
 * still starts at the video's end; beyond it (a video that stopped early) it starts after both.
 */
const MAX_AUDIO_OVERHANG = 3840;

interface StreamState { lastDts: number; lastDuration: number }

export class TsSplicer {
  private readonly cc = new Map<number, number>();
  private readonly streams = new Map<number, StreamState>();
  private offset = 0;
  private pieceFirst = new Map<number, number>();
  private held: { p: Buffer; t?: PesTimes }[] = [];
  private holding = false;
  private readonly expected: Set<number>;
  /** Input timestamp reference used to unwrap 33-bit input values within one piece. */
  private inputRef = 0;
  /** Non-video PIDs that kept a PES in this piece (only a piece's first PES may be dropped), and those dropping one now. */
  private readonly kept = new Set<number>();
  private readonly dropping = new Set<number>();
  private lastPcr = -1;
  private videoClock = true;
  pieces = 0;

  constructor(private readonly videoPid = 0x100, audioPid = 0x101) {
    this.expected = new Set([videoPid, audioPid]);
  }

  /** Where the next piece will start (90 kHz): right after the last video frame (see MAX_AUDIO_OVERHANG), else after the latest stream end. */
  get nextStart(): number {
    const end = this.streamsEnd;
    const v = this.streams.get(this.videoPid);
    if (!v) return end;
    const videoEnd = v.lastDts + v.lastDuration;
    return end - videoEnd <= MAX_AUDIO_OVERHANG ? videoEnd : end;
  }

  /** Just after the latest end of any stream (90 kHz). */
  private get streamsEnd(): number {
    let end = 0;
    for (const s of this.streams.values()) end = Math.max(end, s.lastDts + s.lastDuration);
    return end;
  }

  /** Output position (90 kHz) of the most recent video frame. */
  get position(): number {
    return this.streams.get(this.videoPid)?.lastDts ?? this.nextStart;
  }

  /** Call before feeding the packets of a new ffmpeg process. */
  /**
   * Starts a piece. `videoClock` (transcoded pieces and slates: whole frames at the session's rate)
   * lands its first frame one frame after the last one; a copied (direct) piece carries its source's
   * own audio/video layout (AAC packed several frames to a PES, audio well before a keyframe), so it
   * starts after every stream has ended, as a whole, and keeps all its audio.
   */
  beginPiece(videoClock = true): void {
    this.flushHeld(() => undefined);
    this.videoClock = videoClock;
    this.pieceFirst = new Map();
    this.kept.clear();
    this.dropping.clear();
    this.holding = true;
    this.pieces++;
  }

  /** Call after the last packet of a piece (emits what a short piece still holds). */
  endPiece(emit: (o: SplicedPacket) => void): void {
    if (this.holding) this.startPiece(emit);
  }

  /** Feeds one input packet; emits zero or more output packets. */
  push(p: Buffer, emit: (o: SplicedPacket) => void): void {
    const t = readPesTimes(p);
    if (this.holding) {
      const pid = pidOf(p);
      if (t && (t.dts ?? t.pts) !== undefined && this.expected.has(pid) && !this.pieceFirst.has(pid)) {
        this.pieceFirst.set(pid, (t.dts ?? t.pts)!);
      }
      this.held.push({ p, ...(t ? { t } : {}) });
      if (this.pieceFirst.size === this.expected.size || this.held.length >= MAX_HOLD) this.startPiece(emit);
      return;
    }
    this.rewrite(p, t, emit);
  }

  private startPiece(emit: (o: SplicedPacket) => void): void {
    this.holding = false;
    const firsts = [...this.pieceFirst.values()];
    const earliest = firsts.length ? Math.min(...firsts) : 0;
    // The first frame of video lands on nextStart (once there is a clock to follow; the very first
    // piece starts at 0 with its earliest stream so no timestamp is negative).
    const videoFirst = this.streams.has(this.videoPid) ? this.pieceFirst.get(this.videoPid) : undefined;
    this.inputRef = earliest;
    this.offset = this.videoClock ? this.nextStart - (videoFirst ?? earliest) : this.streamsEnd - earliest;
    this.flushHeld(emit);
  }

  private flushHeld(emit: (o: SplicedPacket) => void): void {
    const held = this.held;
    this.held = [];
    this.holding = false;
    for (const h of held) this.rewrite(h.p, h.t, emit);
  }

  /** Drops the new piece's first audio PES (every packet of it) when it would start before the previous piece's audio ended. */
  private drops(p: Buffer, pid: number, t: PesTimes | undefined): boolean {
    if (!this.videoClock || pid === this.videoPid || !this.expected.has(pid) || this.kept.has(pid)) return false;
    if (!isPayloadStart(p)) return this.dropping.has(pid);
    const s = this.streams.get(pid);
    const ts = t ? (t.dts ?? t.pts) : undefined;
    if (s && ts !== undefined && unwrap(ts, this.inputRef) + this.offset < s.lastDts + s.lastDuration / 2) {
      this.dropping.add(pid);
      return true;
    }
    this.dropping.delete(pid);
    this.kept.add(pid);
    return false;
  }

  private rewrite(p: Buffer, t: PesTimes | undefined, emit: (o: SplicedPacket) => void): void {
    const pid = pidOf(p);
    if (this.drops(p, pid, t)) return;
    if (hasPayload(p)) {
      const next = ((this.cc.get(pid) ?? ccOf(p) - 1) + 1) & 0x0f;
      this.cc.set(pid, next);
      setCc(p, next);
    }
    clearDiscontinuity(p);
    const pcr = readPcr(p);
    if (pcr !== undefined) {
      // A new piece's first PCR may sit a few ms before the last one (its audio starts before its video): never step back.
      this.lastPcr = Math.max(unwrap(pcr, this.inputRef) + this.offset, this.lastPcr + 1);
      writePcr(p, this.lastPcr);
    }
    let dts: number | undefined;
    if (t && (t.dts ?? t.pts) !== undefined) {
      const inDts = unwrap((t.dts ?? t.pts)!, this.inputRef);
      this.inputRef = inDts;
      dts = inDts + this.offset;
      const s = this.streams.get(pid);
      const kind = pid === this.videoPid ? 'video' : 'audio';
      if (s && dts <= s.lastDts) {
        // Never go backwards: a piece whose streams start unevenly nudges the late one forward.
        const nudge = s.lastDts + 1 - dts;
        dts += nudge;
        shiftPesTimes(p, t, this.offset + nudge);
      } else {
        shiftPesTimes(p, t, this.offset);
      }
      const duration = s && dts - s.lastDts < 90_000 ? dts - s.lastDts : (s?.lastDuration ?? DEFAULT_FRAME[kind]);
      this.streams.set(pid, { lastDts: dts, lastDuration: duration });
    } else {
      dts = this.streams.get(pid)?.lastDts;
    }
    const videoStart = pid === this.videoPid && isPayloadStart(p);
    emit({ packet: p, pid, dts, keyframe: videoStart && isRandomAccess(p), videoStart });
  }
}
