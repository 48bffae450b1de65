// The web player in a real browser: headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) opens /watch/<n> on a real server whose channel plays short clips of mixed
// formats. The video must start, show 1280-wide frames, and play through several programme
// boundaries without stalling and without a fatal hls.js error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import type { ClipSpec } from '../helpers/media.js';
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

interface Watched {
  startedAfterMs: number; played: number; endCurrentTime: number; longestStallMs: number; programmes: number;
  width: number; height: number; state: string | null; hlsErrors: HlsError[]; pageErrors: string[]; consoleErrors: string[];
  sessions: { number: string; restarts: number; lastError: string | null; pieces: { kind: string }[] }[];
}

/** Opens /watch/<channel>, waits for playback, then watches it for WATCH_MS: what a viewer got. */
async function watch(ctx: BrowserContext, server: LiveServer, channel: string): Promise<Watched> {
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
  if (process.env.EXSTREAMTV_SCREENSHOT) await page.screenshot({ path: process.env.EXSTREAMTV_SCREENSHOT });
  return {
    startedAfterMs: startedAt.at - samples[0]!.at, played: Number((last.currentTime - startedAt.currentTime).toFixed(2)),
    endCurrentTime: Number(last.currentTime.toFixed(2)), longestStallMs, programmes: rows.size, width: last.width, height: last.height,
    state: await page.textContent('#state'),
    hlsErrors: await page.evaluate(() => (globalThis as unknown as PageGlobals).__hlsErrors),
    pageErrors: await page.evaluate(() => (globalThis as unknown as PageGlobals).playerErrors),
    consoleErrors: console,
    sessions: await (await fetch(`${server.url}/api/sessions`)).json() as Watched['sessions'],
  };
}

/** What every channel must give a browser viewer: playing, never stalled, through programme boundaries. */
function assertPlayed(w: Watched, channel: string, size: [number, number]): void {
  assert.deepEqual(w.hlsErrors.filter((e) => e.fatal), [], 'no fatal hls.js error');
  assert.ok(!w.state?.startsWith('error'), `player state: ${w.state}`);
  assert.deepEqual([w.width, w.height], size, 'frame size');
  assert.ok(w.longestStallMs <= MAX_STALL_MS, `the playhead stood still for ${w.longestStallMs} ms`);
  assert.ok(w.played > MIN_PLAYED_S, `played only ${w.played} s of media in ${WATCH_MS / 1000} s`);
  assert.ok(w.endCurrentTime > MIN_PLAYED_S, `currentTime ends at ${w.endCurrentTime}`);
  assert.ok(w.programmes >= 3, `played through ≥ 2 programme boundaries (saw ${w.programmes} programmes)`);
  assert.equal(w.sessions.find((s) => s.number === channel)?.restarts, 0, 'no ffmpeg restarts');
  assert.deepEqual(w.consoleErrors.filter((c) => c.startsWith('pageerror')), [], 'no script errors on the page');
}

test('the web player plays a channel through programme boundaries without stalling', { timeout: 180_000 }, async (t) => {
  let server = null as LiveServer | null;
  try {
    await withChromium(t, async (ctx) => {
      server = await startLiveServer({ config: { streamIdleS: 5 } });
      const channel = server.channels[0]!;
      const w = await watch(ctx, server, channel);
      t.diagnostic(JSON.stringify(w));
      assertPlayed(w, channel, [1280, 720]);
    }, { width: 1280, height: 800 });
  } finally {
    await server?.close();
  }
});

/** H.264 640×360 30 fps + AAC clips a "direct" profile copies, with their own SPS each, between clips it must transcode. */
const DIRECT_MATCH = { size: '640x360', fps: 30, vcodec: 'libx264' } as const;
const DIRECT_CLIPS: Record<string, ClipSpec> = {
  'a-copied.mp4': { duration: 4, ...DIRECT_MATCH, faststart: true },
  'b-transcoded-smaller.mp4': { duration: 3, ...DIRECT_MATCH, size: '480x270' },
  'c-copied.mkv': { duration: 4, ...DIRECT_MATCH },
  'd-transcoded-mpeg2.mkv': { duration: 3, ...DIRECT_MATCH, vcodec: 'mpeg2video' },
};

test('the web player plays a direct channel: copied pieces (their own SPS) between transcoded ones', { timeout: 180_000 }, async (t) => {
  let server = null as LiveServer | null;
  try {
    await withChromium(t, async (ctx) => {
      server = await startLiveServer({ clips: DIRECT_CLIPS, config: { streamIdleS: 5 } });
      const channel = server.channels[0]!;
      const profile = await fetch(`${server.url}/api/profiles`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-exstreamtv': '1' },
        body: JSON.stringify({ name: 'direct-360', width: 640, height: 360, fps: 30, videoBitrateK: 800, mode: 'direct' }),
      });
      assert.equal(profile.status, 201);
      const patched = await fetch(`${server.url}/api/channels/${channel}`, {
        method: 'PATCH', headers: { 'content-type': 'application/json', 'x-exstreamtv': '1' }, body: JSON.stringify({ stream: { profile: 'direct-360' } }),
      });
      assert.equal(patched.status, 200);
      const w = await watch(ctx, server, channel);
      t.diagnostic(JSON.stringify(w));
      const kinds = new Set(w.sessions.find((s) => s.number === channel)?.pieces.map((p) => p.kind));
      assert.ok(kinds.has('direct') && kinds.has('transcode'), `both kinds of piece aired: ${[...kinds]}`);
      assertPlayed(w, channel, [640, 360]);
    }, { width: 1280, height: 800 });
  } finally {
    await server?.close();
  }
});
