// The broadcaster's clock: which schedule time the output position stands for. skip() lets the
// schedule pass a stretch not worth a process (the tail of a row): the same output position then
// stands for a later time, so the next plan is the next row — never the same row again with more
// of it left (it once moved the other way, replaying row tails and, after a truncated file, starting
// ffmpeg after ffmpeg on a row with nothing left to play).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Broadcaster } from '../../src/engine/stream/broadcaster.js';
import { DEFAULT_VIEWER } from '../../src/engine/stream/viewer.js';

const hooks = { viewerJoined() {}, viewerLeft() {}, viewerDropped() {} };

describe('broadcaster clock', () => {
  it('skip(ms) moves the schedule time forward by ms and the output ahead of the wall clock by as much', () => {
    const b = new Broadcaster('clock', DEFAULT_VIEWER, hooks);
    const t0 = b.scheduleTime(), ahead0 = b.aheadMs(), now0 = Date.now();
    b.skip(250);
    const drift = Date.now() - now0;
    assert.equal(b.scheduleTime() - t0, 250);
    assert.ok(Math.abs(b.aheadMs() - ahead0 - 250) <= drift + 1, `${b.aheadMs()} vs ${ahead0}`);
    b.close();
  });

  it('catchUp() re-anchors an output that fell a second behind, and leaves one on time alone', () => {
    const b = new Broadcaster('clock2', DEFAULT_VIEWER, hooks);
    b.skip(-5000);
    assert.ok(b.scheduleTime() < Date.now() - 1000);
    b.catchUp();
    assert.ok(Math.abs(b.scheduleTime() - Date.now()) <= 50);
    const t = b.scheduleTime();
    b.catchUp();
    assert.equal(b.scheduleTime(), t);
    b.close();
  });
});
