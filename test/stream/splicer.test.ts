// The splicer's boundary rules on real ffmpeg pieces (tiny, made at test time): video is the clock
// (the next piece's first frame one frame after the last), a new piece's audio frame that would
// overlap the previous sound is dropped whole, PCR never steps back; and when a piece's video
// stopped early (audio ran on for seconds), the next piece starts after both — no sound is dropped.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { normaliseArgs } from '../../src/engine/ffmpeg/normalise.js';
import { MPEGTS_OUT, type OutputProfile, DEFAULT_PROFILE } from '../../src/engine/ffmpeg/profile.js';
import { TsSplicer } from '../../src/engine/stream/splicer.js';
import { PacketReader } from '../../src/engine/stream/ts.js';
import { esTiming } from '../helpers/es-timing.js';
import { FFMPEG } from '../helpers/media.js';
import { analyzeTs, avStreams, summary } from '../helpers/ts-analyze.js';

const run = promisify(execFile);
const P: OutputProfile = { ...DEFAULT_PROFILE, width: 160, height: 90, videoBitrateK: 200 };
const lavfi = (video: string, audio: string) => ['-f', 'lavfi', '-i', video, '-f', 'lavfi', '-i', audio];

/** One transcoded piece of `playMs` from a lavfi source at `rate` fps (the channel's own argv builder). */
async function piece(rate: string, playMs: number): Promise<Buffer> {
  const args = normaliseArgs({ input: `testsrc2=size=320x240:rate=${rate}`, inputFormat: 'lavfi', seekMs: 0, playMs,
    video: { index: 0, fieldOrder: null, sar: null }, audio: null }, P);
  return (await run(FFMPEG, args, { encoding: 'buffer', maxBuffer: 64e6 })).stdout;
}

function splice(pieces: Buffer[]): Buffer {
  const s = new TsSplicer();
  const out: Buffer[] = [];
  for (const buf of pieces) {
    s.beginPiece();
    new PacketReader().push(buf, (p) => s.push(p, (o) => out.push(o.packet)));
    s.endPiece((o) => out.push(o.packet));
  }
  return Buffer.concat(out);
}

describe('splicer: boundaries on real pieces', () => {
  let pieces: Buffer[];
  before(async () => {
    pieces = await Promise.all([piece('25', 1517), piece('30000/1001', 1033), piece('24', 1250)]);
  });

  it('video is the clock: every frame one step; audio never overlaps and meets the picture within a frame', () => {
    const out = splice(pieces);
    const r = analyzeTs(out);
    const { video, audio } = avStreams(r);
    const es = esTiming(out, video.pid);
    const v = es.dts.get(video.pid)!, a = es.dts.get(audio.pid)!;
    assert.equal(v.length, 46 + 31 + 38, 'whole frames per piece');
    assert.deepEqual([...new Set(v.slice(1).map((d, i) => d - v[i]!))], [3000], 'one frame per step across both boundaries');
    assert.equal(audio.nonMonotonic, 0, summary(r));
    assert.equal(r.pcrNonMonotonic, 0, 'PCR never steps back');
    assert.equal(r.ccErrorTotal, 0);
    const gaps = a.slice(1).map((d, i) => d - a[i]! - 1920).filter((g) => g !== 0);
    assert.equal(gaps.length, 2, `two boundaries in the sound: ${gaps}`);
    for (const g of gaps) assert.ok(g > -1920 / 2 && g < 3000, `audio gap ${g / 90} ms`);
    assert.ok(Math.abs(a.at(-1)! + 1920 - (v.at(-1)! + 3000)) <= 3000, 'sound ends within a frame of the picture');
  });

  it('a piece whose video stopped early: the next starts after its sound, none of it dropped', async () => {
    // 0.5 s of picture and 2 s of sound (a truncated item), then a normal piece.
    const short = (await run(FFMPEG, ['-v', 'error', ...lavfi('testsrc2=size=160x90:rate=30:d=0.5', 'sine=d=2:r=48000'),
      '-c:v', 'libx264', '-bf', '0', '-c:a', 'aac', ...MPEGTS_OUT], { encoding: 'buffer', maxBuffer: 64e6 })).stdout;
    const out = splice([short, pieces[0]!]);
    const { video, audio } = avStreams(analyzeTs(out));
    const es = esTiming(out, video.pid);
    const a = es.dts.get(audio.pid)!;
    const shortAudio = avStreams(analyzeTs(short)).audio.pes;
    const nextAudio = avStreams(analyzeTs(pieces[0]!)).audio.pes;
    assert.ok(a.length >= shortAudio + nextAudio - 1, `${a.length} audio frames of ${shortAudio} + ${nextAudio}: at most the priming frame dropped`);
    assert.deepEqual([...new Set(a.slice(1, shortAudio).map((d, i) => d - a[i]!))], [1920], 'all of the short piece\'s sound, unbroken');
    // The next piece's picture starts after that sound ran out.
    const secondVideo = es.encoderStarts[1]!;
    assert.ok(a[shortAudio - 1]! < secondVideo, 'the next picture starts after the sound');
    assert.equal(avStreams(analyzeTs(out)).audio.nonMonotonic, 0);
  });
});
