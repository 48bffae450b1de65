// Dashboard: gauges, the bounded log pane (follow/pause, text and channel filters) fed by log
// events, and — over real HTTP + SSE with real ffmpeg — a live session with its viewer and bitrate.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLiveServer } from '../helpers/live-channel.js';
import { LogRing } from '../../src/tui/model.js';
import { KEY, startTui } from './harness.js';

describe('tui: dashboard', () => {
  test('gauges and tuner use', async () => {
    const t = await startTui({ cols: 120, rows: 40 });
    try {
      const text = await t.waitFor((x) => x.includes('42 % · 2 cores') && x.includes('0 of 4 in use'), 'the gauges');
      assert.match(text, /CPU\s+█+░+ 42 % · 2 cores/);
      assert.match(text, /MEMORY\s+█+░+ 3\.0 GiB \/ 8\.0 GiB/);
      assert.match(text, /TEMP\s+█+░+ 51 °C/);
      assert.match(text, /TUNERS\s+░+ 0 of 4 in use/);
      assert.match(text, /tuners 0\/4/);
      assert.match(text, /no live sessions/);
    } finally { await t.close(); }
  });

  test('log pane: events appear, / filters, scrolling pauses, G follows again', async () => {
    const t = await startTui({ cols: 120, rows: 40 });
    try {
      const bus = t.api!.engine.events;
      bus.log('info', 'alpha starts', '3');
      bus.log('warn', 'beta wobbles', '4');
      bus.log('error', 'gamma fails');
      let text = await t.waitFor((x) => x.includes('gamma fails'), 'log lines');
      assert.match(text, /\d\d:\d\d:\d\d INFO  \[3\] alpha starts/);
      assert.match(text, /WARN  \[4\] beta wobbles/);
      assert.match(text, /ERROR gamma fails/, 'the level is a word, not only a colour');

      await t.keys(KEY.tab, '/', 'beta', KEY.enter);
      text = await t.waitFor((x) => x.includes('/beta'), 'filtered');
      assert.match(text, /beta wobbles/);
      assert.doesNotMatch(text, /alpha starts|gamma fails/);
      await t.keys(KEY.esc);
      await t.waitFor((x) => x.includes('alpha starts') && x.includes('filter cleared'), 'esc clears the filter first');

      for (let i = 0; i < 100; i++) bus.log('info', `line ${i}`);
      await t.waitFor((x) => x.includes('line 99'), 'follows the newest');
      await t.keys('k', 'k', 'k');
      text = await t.waitFor((x) => x.includes('Log [paused'), 'paused by scrolling up');
      assert.doesNotMatch(text, /line 99/);
      bus.log('info', 'while paused');
      text = await t.waitFor((x) => /paused, 4 newer/.test(x), 'newer lines counted, view kept');
      assert.doesNotMatch(text, /while paused/);
      await t.keys('G');
      await t.waitFor((x) => x.includes('while paused') && x.includes('Log [following]'), 'G follows again');
      await t.keys('f');
      await t.waitFor((x) => x.includes('Log [paused'), 'f pauses');
      await t.keys('f');
      await t.waitFor((x) => x.includes('Log [following]'), 'f follows');
    } finally { await t.close(); }
  });

  test('the log ring is bounded', () => {
    const ring = new LogRing(50);
    for (let i = 0; i < 1000; i++) ring.push({ level: 'info', at: '', msg: `m${i}` });
    assert.equal(ring.size, 50);
    const lines = ring.lines();
    assert.equal(lines[0]!.msg, 'm950');
    assert.equal(lines.at(-1)!.msg, 'm999');
    assert.equal(ring.lines((l) => l.msg.endsWith('7')).length, 5);
    assert.deepEqual(ring.tail(3).lines.map((l) => l.msg), ['m997', 'm998', 'm999']);
    const upTo = ring.lines().find((l) => l.msg === 'm990')!.seq;
    const paused = ring.tail(2, upTo);
    assert.deepEqual(paused.lines.map((l) => l.msg), ['m989', 'm990']);
    assert.equal(paused.newer, 9);
    assert.deepEqual(ring.tail(2, Infinity, (l) => l.msg.endsWith('5')).lines.map((l) => l.msg), ['m985', 'm995']);
  });

  test('a live session over HTTP + SSE: viewers, bitrate, sparkline; c filters the log by its channel; X stops it', { timeout: 120_000 }, async () => {
    const live = await startLiveServer({ channels: 1 });
    const t = await startTui({ url: live.url, cols: 120, rows: 40 });
    const ac = new AbortController();
    try {
      await t.waitFor((x) => x.includes('● live'), 'the event stream');
      const res = await fetch(`${live.url}/stream/channels/1.ts`, { signal: ac.signal });
      const reading = (async () => { try { for await (const _ of res.body as unknown as AsyncIterable<Uint8Array>) { /* drain */ } } catch { /* aborted */ } })();
      const text = await t.waitFor((x) => /│1\s+Live 1\s+1\s+\d+m\d\ds .*libx264.*\s[1-9]\d*k\s/.test(x), 'session row with 1 viewer and a bitrate', 60_000);
      assert.match(text, /tuners 1\/4/);
      assert.match(text, /1 of 4 in use/);
      assert.match(text, /[▁▂▃▄▅▆▇█]{3,}/, 'a bitrate sparkline');
      assert.match(text, /\[1\] session started/, 'the daemon log reached the pane');
      await t.keys('c');
      await t.waitFor((x) => x.includes('channel 1]') || x.includes('channel 1,'), 'log filtered to channel 1');
      // X stops the session: asks first (n keeps it), then y ends the stream for the viewer.
      await t.keys('X');
      await t.waitFor((x) => x.includes('Stop channel 1 "Live 1"? its 1 viewer will be disconnected.'), 'the stop confirm');
      await t.keys('n');
      await t.waitFor((x) => x.includes('channel 1 keeps streaming'), 'kept');
      await t.keys('X');
      await t.waitFor((x) => x.includes('Stop channel 1'), 'the stop confirm again');
      await t.keys('y');
      await t.waitFor((x) => x.includes('stopped channel 1: 1 viewer(s) disconnected'), 'the stop flash');
      await reading;
      await t.waitFor((x) => /no live sessions/.test(x), 'the session gone', 20_000);
    } finally {
      ac.abort();
      await t.close();
      await live.close();
    }
  });
});
