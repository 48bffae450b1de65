// The web player in a real browser: headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) opens /watch/<n> on a real server whose channel plays short clips of mixed
// formats. The video must start, show 1280-wide frames, and play through several programme
// boundaries without stalling and without a fatal hls.js error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { withChromium } from '../helpers/chromium.js';
import { startLiveServer, type LiveServer } from '../helpers/live-channel.js';

const SAMPLE_MS = 500;
/** How long playback is watched once it has started. */
const WATCH_MS = 20_000;
/** Longest allowed time without the playhead moving, once playing. */
const MAX_STALL_MS = 2500;
/** Minimum media time played during the watch. */
const MIN_PLAYED_S = 12;

interface Sample { at: number; currentTime: number; paused: boolean; readyState: number; width: number; height: number; playingDate: number | null }
interface HlsError { details: string; fatal: boolean; type: string; currentTime: number }
/** The little of the DOM these page functions touch (the project compiles without lib "dom"). */
interface VideoEl { currentTime: number; paused: boolean; readyState: number; videoWidth: number; videoHeight: number }
interface PageGlobals {
  document: { getElementById(id: string): VideoEl };
  hls?: { on(e: string, f: (e: string, d: { details: unknown; fatal: unknown; type: unknown }) => void): void; playingDate?: Date | null };
  __hlsErrors: HlsError[];
  playerErrors: string[];
}

/** Records every hls.js error with its fatal flag from the moment the page creates its player. */
const recordHlsErrors = () => {
  const w = globalThis as unknown as PageGlobals;
  w.__hlsErrors = [];
  let player: PageGlobals['hls'];
  Object.defineProperty(globalThis, 'hls', {
    configurable: true,
    get: () => player,
    set: (v: NonNullable<PageGlobals['hls']>) => {
      player = v;
      v.on('hlsError', (_e, d) => w.__hlsErrors.push({
        details: String(d.details), fatal: Boolean(d.fatal), type: String(d.type), currentTime: w.document.getElementById('v').currentTime,
      }));
    },
  });
};

async function sample(page: Page): Promise<Sample> {
  return page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    const v = w.document.getElementById('v');
    const hls = w.hls;
    return {
      at: Date.now(), currentTime: v.currentTime, paused: v.paused, readyState: v.readyState, width: v.videoWidth, height: v.videoHeight,
      playingDate: hls?.playingDate ? hls.playingDate.getTime() : null,
    };
  });
}

test('the web player plays a channel through programme boundaries without stalling', { timeout: 180_000 }, async (t) => {
  let server = null as LiveServer | null;
  try {
    await withChromium(t, async (ctx) => {
      server = await startLiveServer({ config: { streamIdleS: 5 } });
      const channel = server.channels[0]!;
      const channelId = server.engine.store.channels.findByNumber(channel)!.id;
      const page = ctx.pages()[0] ?? (await ctx.newPage());
      const console: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') console.push(m.text()); });
      page.on('pageerror', (e) => console.push(`pageerror: ${e.message}`));
      await page.addInitScript(recordHlsErrors);
      await page.goto(`${server.url}/watch/${channel}`);

      // Wait for playback to start: the playhead moves.
      const samples: Sample[] = [];
      const startDeadline = Date.now() + 30_000;
      let startedAt: Sample | null = null;
      while (!startedAt && Date.now() < startDeadline) {
        const s = await sample(page);
        const prev = samples.at(-1);
        samples.push(s);
        if (prev && s.currentTime > prev.currentTime && !s.paused) startedAt = prev;
        else await page.waitForTimeout(SAMPLE_MS);
      }
      assert.ok(startedAt, `playback did not start within 30 s; last sample ${JSON.stringify(samples.at(-1))}; console: ${console.join(' | ')}`);

      // Watch it play.
      let lastProgress = startedAt;
      let longestStallMs = 0;
      const rows = new Set<number>();
      while (Date.now() - startedAt.at < WATCH_MS) {
        await page.waitForTimeout(SAMPLE_MS);
        const s = await sample(page);
        samples.push(s);
        if (s.currentTime > lastProgress.currentTime) lastProgress = s;
        longestStallMs = Math.max(longestStallMs, s.at - lastProgress.at);
        if (s.playingDate !== null) {
          const row = server.engine.store.timeline.at(channelId, s.playingDate);
          if (row) rows.add(row.id);
        }
      }
      const last = samples.at(-1)!;
      const played = last.currentTime - startedAt.currentTime;
      const hlsErrors = await page.evaluate(() => (globalThis as unknown as PageGlobals).__hlsErrors);
      const pageErrors = await page.evaluate(() => (globalThis as unknown as PageGlobals).playerErrors);
      const state = await page.textContent('#state');
      const sessions = await (await fetch(`${server.url}/api/sessions`)).json() as { number: string; restarts: number; lastError: string | null }[];
      const summary = {
        startedAfterMs: startedAt.at - samples[0]!.at, played: Number(played.toFixed(2)), endCurrentTime: Number(last.currentTime.toFixed(2)),
        longestStallMs, programmes: rows.size, size: `${last.width}x${last.height}`, state, hlsErrors, pageErrors, sessions,
      };
      t.diagnostic(JSON.stringify(summary));
      if (process.env.EXSTREAMTV_SCREENSHOT) await page.screenshot({ path: process.env.EXSTREAMTV_SCREENSHOT });

      assert.deepEqual(hlsErrors.filter((e) => e.fatal), [], 'no fatal hls.js error');
      assert.ok(!state?.startsWith('error'), `player state: ${state}`);
      assert.equal(last.width, 1280, 'video frames are 1280 wide');
      assert.equal(last.height, 720);
      assert.ok(longestStallMs <= MAX_STALL_MS, `the playhead stood still for ${longestStallMs} ms`);
      assert.ok(played > MIN_PLAYED_S, `played only ${played.toFixed(2)} s of media in ${WATCH_MS / 1000} s`);
      assert.ok(last.currentTime > MIN_PLAYED_S, `currentTime ends at ${last.currentTime}`);
      assert.ok(rows.size >= 3, `played through ≥ 2 programme boundaries (saw ${rows.size} programmes)`);
      assert.equal(sessions.find((s) => s.number === channel)?.restarts, 0, 'no ffmpeg restarts');
      assert.deepEqual(console.filter((c) => c.startsWith('pageerror')), [], 'no script errors on the page');
    }, { width: 1280, height: 800 });
  } finally {
    await server?.close();
  }
});
