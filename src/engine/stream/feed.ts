// What an ffmpeg piece's packets go through on their way into the broadcaster:
// - re-entry at a keyframe: when someone else fed the output meanwhile (the stand-by bridge
//   while this piece was late or stalled), the piece is spliced in again at its next keyframe,
//   after the latest PAT and PMT — never mid-GOP;
// - a picture that ends early: sound is held while it runs more than AUDIO_LEAD ahead of the
//   picture; held sound spanning VIDEO_END means the picture has ended (a truncated file whose
//   sound is padded to the slot): the piece stops there, before any stretch without video goes out;
// - the row's end: a piece that started late (bridged) is cut where its row ends, so the next
//   row still starts on time.
import { AUDIO_PID, VIDEO_PID } from '../ffmpeg/profile.js';
import type { Broadcaster } from './broadcaster.js';
import { PAT_PID, isPayloadStart, isRandomAccess, pidOf, readPesTimes, unwrap } from './ts.js';

const PMT_PID = 0x1000;
/** Sound may run this far (90 kHz) ahead of the picture before it is held back. */
const AUDIO_LEAD = 27_000;
/** Held sound spanning this much past the last picture: the picture has ended. */
const VIDEO_END = 90_000;
/** Before the first picture (a copied source's video may start a GOP after its sound): this much sound without one. */
const VIDEO_NEVER = 450_000;
/** A piece is cut once the output passes its row's end by this much (a normal piece ends there, give or take a frame and its sound's lead). */
const CUT_SLACK_MS = 100;

export type FeedStop = 'cut' | 'video-ended' | null;

export class PieceFeed {
  /** Why the piece should stop now (its ffmpeg is killed), or null. */
  stopped: FeedStop = null;
  /** Input DTS (90 kHz) where the picture ended, when it ended early. */
  videoEndedAt: number | null = null;
  private producedTicks = 0;
  private segStart: number | null = null;
  private lastOwn = 0;
  private lastVideo: number | undefined;
  private readonly pesDts = new Map<number, number>();
  private held: { p: Buffer; dts: number }[] = [];
  private psi = new Map<number, Buffer>();

  /** `videoClock`: false for a copied (direct) piece (see TsSplicer.beginPiece). */
  constructor(private readonly out: Broadcaster, private readonly endsAt?: number, private readonly videoClock = true) {}

  /** Ticks of this piece that went out (all its segments). */
  get producedMs(): number {
    return (this.producedTicks + (this.segStart !== null ? this.lastOwn - this.segStart : 0)) / 90;
  }

  /** One packet of the piece's output. Returns false once the piece should stop. */
  packet(p: Buffer): boolean {
    if (this.stopped) return false;
    const pid = pidOf(p);
    const t = readPesTimes(p);
    const ts = t ? (t.dts ?? t.pts) : undefined;
    if (ts !== undefined) this.pesDts.set(pid, unwrap(ts, this.pesDts.get(pid) ?? ts));
    if (pid === VIDEO_PID) {
      if (ts !== undefined) this.lastVideo = this.pesDts.get(pid);
      const entering = !this.out.isFeeding(this);
      this.forward(p);
      // Entered at this keyframe: sound from before it is dropped, so both streams start together.
      if (entering && this.out.isFeeding(this)) this.held = this.held.filter((h) => h.dts >= this.lastVideo!);
      this.release();
    } else if (pid === AUDIO_PID && this.holds(this.pesDts.get(pid))) {
      this.held.push({ p, dts: this.pesDts.get(pid) ?? 0 });
      const from = this.lastVideo ?? this.held[0]!.dts;
      if (this.held.at(-1)!.dts - from > (this.lastVideo === undefined ? VIDEO_NEVER : VIDEO_END)) {
        this.stopped = 'video-ended';
        this.videoEndedAt = this.lastVideo ?? null;
        this.held = [];
      }
    } else {
      this.forward(p);
    }
    return !this.stopped;
  }

  /** The process ended: close this piece's part of the output (held sound past the picture is dropped). */
  end(): void {
    this.held = [];
    if (this.out.isFeeding(this)) {
      this.out.endPiece();
      this.lastOwn = this.out.position;
    }
    this.closeSegment();
  }

  private holds(dts: number | undefined): boolean {
    if (this.held.length) return true;
    return dts !== undefined && (this.lastVideo === undefined || dts > this.lastVideo + AUDIO_LEAD);
  }

  private release(): void {
    while (this.held.length && this.lastVideo !== undefined && this.held[0]!.dts <= this.lastVideo + AUDIO_LEAD) this.forward(this.held.shift()!.p);
  }

  private forward(p: Buffer): void {
    const pid = pidOf(p);
    if (!this.out.isFeeding(this)) {
      if (pid === PAT_PID || pid === PMT_PID) this.psi.set(pid, p);
      if (!(pid === VIDEO_PID && isPayloadStart(p) && isRandomAccess(p))) return;
      this.closeSegment();
      this.out.beginPiece(this, this.videoClock);
      this.segStart = this.lastOwn = this.out.position;
      for (const id of [PAT_PID, PMT_PID]) { const q = this.psi.get(id); if (q) this.out.push(q); }
      this.psi.clear();
    }
    if (this.endsAt !== undefined && pid === VIDEO_PID && isPayloadStart(p) && this.out.scheduleTime() > this.endsAt + CUT_SLACK_MS) {
      this.stopped = 'cut';
      return;
    }
    this.out.push(p);
    this.lastOwn = this.out.position;
  }

  private closeSegment(): void {
    if (this.segStart === null) return;
    this.producedTicks += this.lastOwn - this.segStart;
    this.segStart = null;
  }
}
