// Streaming that never blanks (issue 21 items 1–2), with real faults: an input that hangs (a FIFO
// standing in for a stalled share), a truncated file, an error slate whose render ffmpeg is
// SIGKILLed, a source that answers only after 5 s (a NAS spinning up) on a cold tune, and the
// server SIGKILLed while a piece hangs on its input. Measured on what a viewer captured: the
// longest stretch without a new picture (model player, helpers/freeze.ts), CC errors, DTS order.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ClipSpec } from '../../src/engine/library/clips.js';
import type { StreamConfig } from '../../src/engine/stream/manager.js';
import type { ChannelSession } from '../../src/engine/stream/session.js';
import { SlateCache } from '../../src/engine/stream/slate.js';
import { DEFAULT_PROFILE } from '../../src/engine/ffmpeg/profile.js';
import { startMediaServer, type MediaServer } from '../fakes/media-http.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { freePort } from '../helpers/cli.js';
import { FrameClock } from '../helpers/freeze.js';
import { tempDir } from '../helpers/library.js';
import { FFMPEG } from '../helpers/media.js';
import {
  alive, allFfmpeg, api, assertNoFfmpegLeft, ffmpegChildren, makeClips, openTs, scanLibrary, sleep, startServeReaped, waitFor, type TsClient,
} from '../helpers/stream.js';
import { TsAnalyzer, avStreams, summary, type TsReport } from '../helpers/ts-analyze.js';

const clip = (seconds: number, extra: Partial<ClipSpec> = {}): ClipSpec =>
  ({ seconds, width: 640, height: 360, fps: '30', vcodec: 'libx264', audio: [{ freq: 440 }], ...extra });
const CLIPS: Record<string, ClipSpec> = {
  'a.mp4': clip(4),
  'hang.mp4': clip(6, { pattern: 'smptebars' }),
  'trunc.ts': clip(12, { fps: '25' }),
  'gone.mp4': clip(8),
  'slow.mp4': clip(8, { pattern: 'mandelbrot' }),
};
/** The channel whose error slate cannot be rendered: the ffmpeg wrapper SIGKILLs those renders. */
const NO_SLATE = 'NoSlateChannel';
const MAX_FREEZE_MS = 2000;

/** One clean program, and never longer than MAX_FREEZE_MS without a new picture. */
function assertNeverBlank(r: TsReport, clock: FrameClock, what: string): void {
  const { video, audio } = avStreams(r);
  const freeze = clock.longestFreeze();
  console.log(`# ${what}: ${clock.spanS.toFixed(1)} s of video, longest without a new picture ${freeze.ms} ms (at ${freeze.atMs} ms); ${summary(r)}`);
  assert.equal(r.programs.length, 1, `${what}: one program`);
  assert.equal(r.ccErrorTotal, 0, `${what}: CC errors: ${summary(r)}`);
  assert.equal(video.nonMonotonic + audio.nonMonotonic, 0, `${what}: DTS monotonic: ${summary(r)}`);
  assert.ok(freeze.ms <= MAX_FREEZE_MS, `${what}: ${freeze.ms} ms without a new picture`);
}

describe('streaming that never blanks (in-process server)', () => {
  let t: TestApi;
  let media: string;
  let wrapDir: string;
  let items: Map<string, { id: number; durationMs: number }>;
  let http: MediaServer | null = null;
  const session = (channelId: number): ChannelSession => {
    const s = t.engine.streams.get(channelId);
    assert.ok(s, 'live session');
    return s;
  };
  const channel = (number: number, name: string, names: string[]) =>
    api.post(t.url, '/api/channels', { number, name, content: names.map((n) => ({ type: 'item', id: items.get(n)!.id })) }) as Promise<{ id: number }>;
  /** Opens a viewer with a frame clock. */
  const watch = (number: number): { c: TsClient; clock: FrameClock } => {
    const clock = new FrameClock();
    return { c: openTs(`${t.url}/stream/channels/${number}.ts`, clock.push), clock };
  };
  /** The first row of `itemId` starting from now on and the one after it. */
  const nextRow = async (number: number, itemId: number, fromMs = 1000) => {
    const rows = (await api.get(t.url, `/api/channels/${number}/timeline?hours=1&limit=8`)).rows as { start: string; end: string; itemId: number }[];
    const i = rows.findIndex((r) => r.itemId === itemId && Date.parse(r.start) >= Date.now() + fromMs && Date.parse(r.end) >= Date.now() + 3000);
    assert.ok(i >= 0 && rows[i + 1], `row of item ${itemId}: ${JSON.stringify(rows)}`);
    return { start: Date.parse(rows[i]!.start), end: Date.parse(rows[i]!.end), next: Date.parse(rows[i + 1]!.start) };
  };

  before(async () => {
    // ffmpeg through a wrapper that SIGKILLs itself when asked to render an error slate of NO_SLATE
    // (the stand-by slate still renders): a render ffmpeg killed, the real way.
    wrapDir = await tempDir('exstreamtv-wrap');
    const wrapper = join(wrapDir, 'ffmpeg');
    await writeFile(wrapper, `#!/bin/sh\ncase "$*" in *"please stand by"*) ;; *anullsrc*${NO_SLATE}*) kill -KILL $$ ;; esac\nexec ${FFMPEG} "$@"\n`);
    await chmod(wrapper, 0o755);
    t = await startApi({ listen: true, config: { streamIdleS: 2, ffmpegPath: wrapper } });
    // Quicker give-up on a hung input than the defaults (8 s stall × 3 attempts) keeps the test short.
    (t.engine.streams as unknown as { cfg: StreamConfig }).cfg.session = { stallMs: 2500, maxAttempts: 2, backoffMs: [200, 500] };
    media = await tempDir('exstreamtv-never-blank');
    await makeClips(media, CLIPS);
    items = await scanLibrary(t.url, media);
    // The library still thinks these are fine: one now hangs whoever opens it, one lost 2/3 of its bytes.
    await rm(join(media, 'hang.mp4'));
    execFileSync('mkfifo', [join(media, 'hang.mp4')]);
    await truncate(join(media, 'trunc.ts'), Math.floor((await stat(join(media, 'trunc.ts'))).size * 0.35));
    await rm(join(media, 'gone.mp4'));
  });

  after(async () => {
    await t?.close();
    await http?.close();
    for (const d of [media, wrapDir]) if (d) await rm(d, { recursive: true, force: true });
    await assertNoFfmpegLeft();
  });

  it('a hung input: the stand-by slate bridges the stalls and retries, then the error slate, then the next row', async () => {
    const ch = await channel(1, 'Hang', ['a.mp4', 'hang.mp4']);
    const row = await nextRow(1, items.get('hang.mp4')!.id);
    const { c, clock } = watch(1);
    try {
      await waitFor(() => Date.now() > row.next + 2500, row.next - Date.now() + 4000, 200);
      const s = session(ch.id);
      const st = s.stats();
      const r = (await c.close()).report;
      console.log(`# hung input: restarts ${st.restarts}, bridged ${Math.round(s.bridgedMs)} ms, lastError "${st.lastError}"`);
      assert.ok(st.restarts >= 1, 'the hung piece was replaced');
      assert.match(st.lastFailure?.reason ?? '', /stalled/);
      assert.ok(s.bridgedMs >= 1000, `the stand-by slate bridged: ${s.bridgedMs} ms`);
      assert.ok(!c.cut, 'the viewer was never dropped');
      assertNeverBlank(r, clock, 'hung input');
    } finally {
      await c.close();
    }
  });

  it('a truncated file: the picture ends early → the error slate at once, never sound without picture', async () => {
    const ch = await channel(2, 'Trunc', ['trunc.ts', 'a.mp4']);
    // Its first row airs now: tuned a moment into it.
    const row = await nextRow(2, items.get('trunc.ts')!.id, -3000);
    const lines: string[] = [];
    const off = t.engine.events.on('log', (e) => { if (e.channel === '2') lines.push(`${e.at.slice(17, 23)} ${e.level} ${e.msg}`); });
    const { c, clock } = watch(2);
    try {
      await waitFor(() => Date.now() > row.next + 2000, row.next - Date.now() + 5000, 200);
      const st = session(ch.id).stats();
      const r = (await c.close()).report;
      console.log(`# truncated: row ${new Date(row.start).toISOString().slice(17, 23)}–${new Date(row.end).toISOString().slice(17, 23)}, next ${new Date(row.next).toISOString().slice(17, 23)}; lastError "${st.lastError}"; pieces ${st.pieces.map((p) => `${p.at.slice(17, 23)} ${p.kind} ${p.title}${p.why ? ` (${p.why})` : ''}`).join(', ')}`);
      for (const l of lines) console.log(`#   ${l}`);
      assert.match(st.lastError ?? '', /picture ended \d+ s early/);
      assert.ok(st.pieces.some((p) => p.kind === 'slate' && /picture ended/.test(p.why ?? '')), 'the error slate took the rest of the slot');
      // trunc, its error slate, a.mp4, trunc again (a retry or two under load): never one ffmpeg after another on a row with nothing left.
      assert.ok(st.pieces.filter((p) => p.kind === 'transcode').length <= 5, 'no ffmpeg after ffmpeg on the rest of a row');
      assertNeverBlank(r, clock, 'truncated file');
    } finally {
      off();
      await c.close();
    }
  });

  it('an error slate that cannot be rendered (its ffmpeg SIGKILLed): a slate from memory, the session and its viewer stay', async () => {
    const ch = await channel(3, NO_SLATE, ['a.mp4', 'gone.mp4']);
    const row = await nextRow(3, items.get('gone.mp4')!.id);
    const errors: string[] = [];
    const off = t.engine.events.on('log', (e) => { if (e.channel === '3' && e.level === 'error') errors.push(e.msg); });
    const { c, clock } = watch(3);
    try {
      const first = await waitFor(() => t.engine.streams.get(ch.id), 5000, 50);
      assert.ok(first);
      await waitFor(() => Date.now() > row.next + 2500, row.next - Date.now() + 5000, 200);
      const s = session(ch.id);
      const r = (await c.close()).report;
      console.log(`# unrenderable slate: errors logged ${JSON.stringify(errors)}`);
      assert.equal(s, first, 'the same session all along (never torn down)');
      assert.ok(!s.isStopped);
      assert.ok(errors.some((m) => /cannot render slate: .*(SIGKILL|killed).*slate held in memory/i.test(m)), 'the render was killed and a slate from memory went out');
      assert.ok(!c.cut, 'the viewer was never dropped');
      assertNeverBlank(r, clock, 'unrenderable slate');
    } finally {
      off();
      await c.close();
    }
  });

  it('a cold tune on a source that answers only after 5 s: first byte ≤ 0.5 s (the stand-by slate), then the item', async () => {
    const ch = await channel(4, 'Slow', ['slow.mp4']);
    // A channel tuned before (its stand-by slate rendered once, kept on disk and in memory).
    const slates = join(t.engine.config.dataDir, 'cache', 'slates');
    const count = async () => (await readdir(slates).catch(() => [])).filter((f) => f.endsWith('.ts')).length;
    const before = await count();
    const warm = watch(4);
    await waitFor(() => warm.clock.spanS > 0.5, 10_000);
    assert.ok(await waitFor(async () => (await count()) > before, 10_000), 'stand-by slate rendered');
    await warm.c.close();
    await t.engine.streams.stopSession(ch.id, 'test');
    // Now its item sits on a NAS whose disk is asleep.
    http = await startMediaServer(media, { name: 'X-Token', value: 'nas' }, { spinUpMs: 5000 });
    t.engine.store.db.prepare('UPDATE media_items SET locator = ? WHERE id = ?')
      .run(JSON.stringify({ type: 'url', url: http.fileUrl('slow.mp4'), headers: { 'X-Token': 'nas' } }), items.get('slow.mp4')!.id);
    const { c, clock } = watch(4);
    try {
      await waitFor(() => c.bytes > 0, 5000, 10);
      const firstByte = c.chunks[0]!.at - c.startedAt;
      await waitFor(() => http!.log.some((l) => l.status === 200 || l.status === 206), 8000, 100);
      const s = session(ch.id);
      // The item is on air once the bridge stops growing (on a loaded machine later boundaries may
      // be bridged again: the first stop after the NAS woke is when the item came).
      let bridged = s.bridgedMs, changedAt = Date.now();
      const settled = await waitFor(() => {
        if (s.bridgedMs !== bridged) { bridged = s.bridgedMs; changedAt = Date.now(); }
        return Date.now() - changedAt >= 1000;
      }, 12_000, 50);
      const itemAt = changedAt - c.startedAt, slateMs = bridged;
      await waitFor(() => clock.spanS > itemAt / 1000 + 2, 10_000, 100);
      const r = (await c.close()).report;
      console.log(`# slow source: first byte ${firstByte} ms, ${Math.round(slateMs)} ms of stand-by slate, then the item from ${itemAt} ms (${http.log.length} requests)`);
      assert.ok(firstByte <= 500, `first byte after ${firstByte} ms`);
      assert.ok(settled, 'the item took over from the slate');
      assert.ok(slateMs >= 4000 && itemAt >= 4500, `slate while the source slept: ${slateMs} ms, item from ${itemAt} ms`);
      assert.ok(r.firstKeyframe && r.startsWithPatPmt, 'opens with PAT, PMT, then a keyframe');
      assertNeverBlank(r, clock, 'slow source');
    } finally {
      await c.close();
    }
  });
});

describe('slates without a writable data dir', () => {
  it('render into memory when the cache dir cannot be written (its parent is a file)', async () => {
    const dir = await tempDir('exstreamtv-slate-nodisk');
    try {
      await writeFile(join(dir, 'data'), 'not a directory');
      const cache = new SlateCache(FFMPEG, join(dir, 'data', 'cache', 'slates'), DEFAULT_PROFILE);
      const text = { headline: 'No Disk', detail: 'please stand by' };
      const packets = await cache.packets(text);
      const a = new TsAnalyzer();
      a.push(Buffer.concat(packets));
      const r = a.end();
      assert.ok(avStreams(r).video.pes >= 59 && avStreams(r).audio.pes > 0, summary(r));
      assert.equal(cache.inMemory(text), packets, 'held in memory');
      assert.deepEqual(await readdir(dir), ['data'], 'nothing written');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('child lifetime (exstreamtv serve child process)', () => {
  it('server SIGKILLed while a piece hangs on its input (a FIFO): no ffmpeg alive 5 s later', async () => {
    const dataDir = await tempDir('exstreamtv-serve-fifo');
    const media = await tempDir('exstreamtv-serve-fifo-media');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    await makeClips(media, { 'stuck.mp4': clip(3) });
    const serve = await startServeReaped(['--data-dir', dataDir, '--port', String(port), '--bind', '127.0.0.1'], {
      EXSTREAMTV_UDP_DISCOVERY: 'false', EXSTREAMTV_SSDP: 'false', EXSTREAMTV_LOG_LEVEL: 'warn',
    }, base, 60_000);
    let viewer: TsClient | null = null;
    try {
      const items = await scanLibrary(base, media);
      await rm(join(media, 'stuck.mp4'));
      execFileSync('mkfifo', [join(media, 'stuck.mp4')]);
      await api.post(base, '/api/channels', { number: 7, name: 'Stuck', content: [{ type: 'item', id: items.get('stuck.mp4')!.id }] });
      viewer = openTs(`${base}/stream/channels/7.ts`);
      // The piece's ffmpeg is up and blocked opening the FIFO (no writer ever comes).
      const pid = await waitFor(async () => {
        for (const p of await ffmpegChildren(serve.serverPid)) {
          const cmd = await readFile(`/proc/${p}/cmdline`, 'utf8').catch(() => '');
          if (cmd.includes('stuck.mp4')) return p;
        }
        return 0;
      }, 10_000, 50);
      assert.ok(pid, 'an ffmpeg hangs on the FIFO');
      await sleep(300);
      assert.ok(alive(pid), 'still hanging');
      process.kill(serve.serverPid, 'SIGKILL');
      await waitFor(() => !alive(serve.serverPid), 5000, 20);
      const killedAt = Date.now();
      const gone = await waitFor(() => !alive(pid), 5000, 20);
      console.log(`# server SIGKILLed: its ffmpeg ${pid}, blocked on a FIFO, gone after ${Date.now() - killedAt} ms`);
      assert.ok(gone, `ffmpeg ${pid} outlived the server`);
      await sleep(Math.max(0, 5000 - (Date.now() - killedAt)));
      assert.deepEqual((await allFfmpeg()).filter((l) => l.includes(media)), [], 'no ffmpeg of this server anywhere 5 s later');
    } finally {
      await viewer?.close().catch(() => {});
      await serve.stop();
      await rm(dataDir, { recursive: true, force: true });
      await rm(media, { recursive: true, force: true });
    }
  });
});
