// Fallback when hardware fails in use: a VA-API encoder that passes its probe but fails before
// any output (a stand-in ffmpeg, see fake-hw-ffmpeg.ts; this machine has no GPU). Each such item
// is played in software at once at the same offset, the stream stays continuous, the failures are
// counted, the encoder turns unhealthy (event, /api/hw, /api/sessions) and is re-probed later;
// a profile whose encoder stops being verified is refused for new assignments and falls back.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineEvents } from '../../src/engine/events.js';
import type { HwService } from '../../src/hw/service.js';
import type { HwReport } from '../../src/schemas/hw.js';
import { startLiveServer, type LiveServer } from '../helpers/live-channel.js';
import { FFMPEG } from '../helpers/media.js';
import { openTs, sleep } from '../helpers/stream.js';
import { avStreams, summary } from '../helpers/ts-analyze.js';

const FAKE = fileURLToPath(new URL('./fake-hw-ffmpeg.js', import.meta.url));

async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('hw: fallback to software when hardware fails in use', () => {
  let live: LiveServer;
  let state: string;
  const health: EngineEvents['encoder.health'][] = [];
  const logs: string[] = [];
  const j = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(live.url + path, { method, headers: { 'x-exstreamtv': '1', ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, body: res.status === 204 ? null : await res.json() as any };
  };

  before(async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'exs-fakehw-'));
    state = join(dir, 'state');
    await writeFile(state, 'up');
    const wrapper = join(dir, 'ffmpeg');
    await writeFile(wrapper, `#!/bin/sh\nFAKE_HW_STATE='${state}' FAKE_HW_REAL_FFMPEG='${FFMPEG}' exec '${process.execPath}' '${FAKE}' "$@"\n`);
    await chmod(wrapper, 0o755);
    live = await startLiveServer({
      config: { ffmpegPath: wrapper },
      clips: {
        'a.mp4': { duration: 2, size: '320x240', fps: 25 },
        'b.mp4': { duration: 2, size: '320x240', fps: 25 },
        'c.mp4': { duration: 2, size: '320x240', fps: 25 },
        'd.mp4': { duration: 2, size: '320x240', fps: 25 },
      },
    });
    // The appliance attaches hw/'s HwService; shorten its re-probe delay.
    (live.engine.hw as HwService).opts.reprobeMs = 1500;
    live.engine.events.on('encoder.health', (e) => health.push(e));
    live.engine.events.on('log', (e) => logs.push(e.msg));
  });
  after(async () => { await live?.close(); });

  test('a verified VA-API profile can be assigned', async () => {
    const hw = (await j('GET', '/api/hw')).body as HwReport;
    assert.equal(hw.kinds.find((k) => k.kind === 'vaapi')!.status, 'verified');
    const p = await j('POST', '/api/profiles', { name: 'va-small', kind: 'vaapi', width: 320, height: 180, videoBitrateK: 600 });
    assert.equal(p.status, 201, JSON.stringify(p.body));
    assert.equal(p.body.status.usable, true);
    const ch = await j('PATCH', '/api/channels/1', { stream: { profile: 'va-small' } });
    assert.equal(ch.status, 200, JSON.stringify(ch.body));
    assert.equal(ch.body.stream.profile, 'va-small');
  });

  test('each item that fails on the GPU before output plays in software; after 3 the encoder is unhealthy; the stream never breaks', async (t) => {
    const client = openTs(`${live.url}/stream/channels/1.ts`);
    await until('the unhealthy event', () => health.find((h) => !h.healthy));
    const hw = (await j('GET', '/api/hw')).body as HwReport;
    const va = hw.kinds.find((k) => k.kind === 'vaapi')!;
    assert.equal(va.status, 'unhealthy');
    assert.match(va.reason ?? '', /Failed to initialise VAAPI connection/);
    assert.ok(va.failures >= 3 && va.fallbacks >= 3 && va.unhealthySince, JSON.stringify(va));
    const sessions = (await j('GET', '/api/sessions')).body as { encoder: string; restarts: number; lastError: string | null }[];
    t.diagnostic(`session encoder: ${sessions[0]!.encoder}`);
    assert.match(sessions[0]!.encoder, /^libx264 \(software; /);
    assert.equal(sessions[0]!.restarts, 0, 'a fallback is not a restart: the item still played');
    assert.match(logs.join('\n'), /vaapi encode failed before any output \(Failed to initialise VAAPI connection.*playing this item in software/);
    // Unhealthy: assigning it anew (here: to a new channel) is refused with the reason.
    const refused = await j('POST', '/api/channels', { number: 2, name: 'Two', stream: { profile: 'va-small' } });
    assert.equal(refused.status, 409);
    assert.match(refused.body.message, /profile "va-small" cannot be used: .*is unhealthy here: \d+ failures in use, the last: Failed to initialise VAAPI connection/);
    assert.equal(refused.body.issues[0].path, 'stream.profile');
    await sleep(2500);
    const r = await client.close();
    const { video, audio } = avStreams(r.report);
    t.diagnostic(summary(r.report));
    assert.equal(r.report.ccErrorTotal, 0);
    assert.equal(video.nonMonotonic + audio.nonMonotonic, 0);
    assert.ok(video.maxGapS <= 0.5 && audio.maxGapS <= 0.5, summary(r.report));
    assert.ok(video.lastDtsS! - video.firstDtsS! > 3, 'several seconds of programme came through');
  });

  test('re-probed later: verified again → healthy event', async () => {
    const back = await until('the healthy event', () => health.find((h) => h.healthy));
    assert.equal(back.kind, 'vaapi');
    const va = ((await j('GET', '/api/hw')).body as HwReport).kinds.find((k) => k.kind === 'vaapi')!;
    assert.equal(va.status, 'verified');
    assert.equal(va.unhealthySince, null);
    assert.equal((await j('POST', '/api/channels', { number: 2, name: 'Two', stream: { profile: 'va-small' } })).status, 201, 'assignable again');
  });

  test('a profile whose encoder is no longer verified: refused for assignment (409 with the probe\'s reason), channels fall back and say so', async () => {
    await writeFile(state, 'down');
    const hw = (await j('POST', '/api/hw/probe')).body as HwReport;
    const va = hw.kinds.find((k) => k.kind === 'vaapi')!;
    assert.equal(va.status, 'unavailable');
    assert.match(va.reason ?? '', /No VA display found/);
    const p = (await j('GET', '/api/profiles/va-small')).body;
    assert.equal(p.status.usable, false);
    assert.deepEqual(p.status.channels, ['1', '2']);
    // Re-assigning (or assigning) it now is refused with the probe's words.
    await j('PATCH', '/api/channels/1', { stream: { profile: null } });
    const refused = await j('PATCH', '/api/channels/1', { stream: { profile: 'va-small' } });
    assert.equal(refused.status, 409);
    assert.match(refused.body.message, /^stream\.profile: profile "va-small" cannot be used: VA-API .* unavailable here: No VA display found/);
    assert.equal(refused.body.issues[0].path, 'stream.profile');
    // A channel that still has it (set before the probe changed its mind) streams in software and says why.
    live.engine.store.channels.update(1, { ...live.engine.store.channels.find(1)!, stream: { profile: 'va-small', alwaysOn: false }, definition: live.engine.store.channels.definition(1).stored } as never);
    await live.engine.streams.stopSession(1, 'test');
    const client = openTs(`${live.url}/stream/channels/1.ts`);
    const s = await until('a session', async () => ((await j('GET', '/api/sessions')).body as { encoder: string }[]).find((x) => /No VA display/.test(x.encoder)));
    assert.match(s.encoder, /^libx264 \(software; va-small: VA-API .* unavailable here: No VA display found.*; encoding H\.264 in software instead\)$/);
    await sleep(1000);
    const r = await client.close();
    assert.ok(r.bytes > 100_000, `it streams (${r.bytes} bytes)`);
  });
});
