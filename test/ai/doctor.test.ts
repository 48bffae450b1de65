// The doctor from real failures made at test time with real ffmpeg: a deleted file, a truncated
// file, an encoder that is not verified here, a source answering 403, a dead live URL. Each gets
// the right cause and fix, through the pure classifier and through GET /api/diagnostics (which
// runs the channel's exact piece command). Session trouble arrives as the event bus carries it.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { classify } from '../../src/engine/ai/doctor/classify.js';
import { redact } from '../../src/engine/ai/doctor/service.js';
import { normaliseArgs } from '../../src/engine/ffmpeg/normalise.js';
import { DEFAULT_PROFILE } from '../../src/engine/ffmpeg/profile.js';
import type { Locator } from '../../src/schemas/library.js';
import { startFakeOpenAi } from '../fakes/openai.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { addFakeSource } from '../helpers/fake-items.js';
import { FFMPEG, makeClip, truncate } from '../helpers/media.js';
import { tempDir } from '../helpers/library.js';

const ffmpegStderr = async (args: string[]) => String((await execa(FFMPEG, ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args], { reject: false, timeout: 20_000 })).stderr).split('\n');
const causes = (f: { cause: string }[]) => f.map((x) => x.cause);

describe('doctor', () => {
  let t: TestApi;
  let dir: string;
  let http: Server;
  let base: string;
  let deadUrl: string;
  let source: number;
  const files: Record<string, string> = {};

  before(async () => {
    dir = await tempDir('exs-doctor');
    files.deleted = await makeClip(dir, 'deleted.mp4', { duration: 3 });
    files.truncated = await makeClip(dir, 'truncated.mp4', { duration: 3 });
    files.good = await makeClip(dir, 'good.mp4', { duration: 3 });
    await rm(files.deleted);
    await truncate(files.truncated, 0.4);
    http = createServer((req, res) => { res.writeHead(req.url?.includes('forbidden') ? 403 : 404, { 'content-type': 'text/plain' }); res.end('no'); });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    deadUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/live.ts`;
    await new Promise<void>((r) => probe.close(() => r()));
    t = await startApi();
    source = addFakeSource(t.engine.store, 'doctor');
  });
  after(async () => {
    await t.close();
    await new Promise<void>((r) => { http.closeAllConnections(); http.close(() => r()); });
    await rm(dir, { recursive: true, force: true });
  });

  describe('classifier over real ffmpeg stderr', () => {
    it('a deleted file → missing file, fix names the path and a rescan', async () => {
      const f = classify({ stderr: await ffmpegStderr(['-i', `file:${files.deleted}`, '-f', 'null', '-']), events: [], facts: { input: `file:${files.deleted}` } });
      assert.deepEqual(causes(f), ['missing_file']);
      assert.match(f[0]!.fix, /library scan/);
      assert.ok(f[0]!.fix.includes(files.deleted!));
      assert.match(f[0]!.evidence[0]!, /No such file or directory/);
    });

    it('a truncated file → damaged media, fix says ffprobe and re-copy', async () => {
      const f = classify({ stderr: await ffmpegStderr(['-i', `file:${files.truncated}`, '-f', 'null', '-']), events: [], facts: { input: `file:${files.truncated}` } });
      assert.deepEqual(causes(f), ['unreadable_media']);
      assert.match(f[0]!.evidence.join('\n'), /moov atom not found|Invalid data/);
      assert.match(f[0]!.fix, /ffprobe -v error/);
    });

    it('an encoder not verified on this box (nvenc, from the real argv builder) → hardware encoder failure with ffmpeg\'s reason', async () => {
      const args = normaliseArgs({ input: 'testsrc2=size=160x120:rate=25:duration=1', inputFormat: 'lavfi', seekMs: 0, playMs: 1000,
        video: { index: 0, width: 160, height: 120, fps: 25, sar: '1:1', fieldOrder: 'progressive', pixFmt: 'yuv420p', codec: 'rawvideo' } as never, audio: null }, { ...DEFAULT_PROFILE, kind: 'nvenc' }, { kind: 'nvenc' });
      const f = classify({ stderr: await ffmpegStderr(args), events: [] });
      assert.deepEqual(causes(f), ['hw_encoder'], JSON.stringify(f));
      assert.match(f[0]!.evidence.join('\n'), /libcuda|nvenc|Error initializing output stream/i);
      assert.match(f[0]!.fix, /software profile/);
      // The engine's own word for it (an unhealthy encoder event) is classified the same way.
      const e = classify({ stderr: [], events: [{ kind: 'encoder', message: 'encoder vaapi unhealthy after 3 failures: Device creation failed: -22.', at: Date.now() }] });
      assert.deepEqual(causes(e), ['hw_encoder']);
    });

    it('a source answering 403 → access refused; 404 → item gone', async () => {
      const f = classify({ stderr: await ffmpegStderr(['-i', `${base}/forbidden.mp4?X-Plex-Token=secret`, '-f', 'null', '-']), events: [] });
      assert.deepEqual(causes(f), ['source_auth']);
      assert.match(f[0]!.fix, /token/);
      const g = classify({ stderr: await ffmpegStderr(['-i', `${base}/gone.mp4`, '-f', 'null', '-']), events: [] });
      assert.deepEqual(causes(g), ['source_not_found']);
    });

    it('a dead live URL → the live source does not answer', async () => {
      const f = classify({ stderr: await ffmpegStderr(['-i', deadUrl, '-f', 'null', '-']), events: [], facts: { input: deadUrl } });
      assert.deepEqual(causes(f), ['dead_live_source']);
      assert.ok(f[0]!.fix.includes(deadUrl));
    });

    it('restart loops, tuner exhaustion, a bad time zone, a full disk and a clean run', () => {
      const now = Date.parse('2026-12-06T12:00:00Z');
      const restarts = [1, 2, 3].map((i) => ({ kind: 'restart', message: `exit code 1 (${i})`, at: now - i * 60_000 }));
      const f = classify({ stderr: [], events: restarts, facts: { now, tunersInUse: 2, tunerCount: 2, badTimeZone: 'Mars/Olympus', diskFreeBytes: 10 } });
      assert.deepEqual(causes(f), ['restart_loop', 'tuner_exhaustion', 'disk_full', 'clock']);
      assert.deepEqual(classify({ stderr: [], events: [], facts: { now, tunersInUse: 1, tunerCount: 2, diskFreeBytes: 1e12 } }), []);
      // Two restarts are no loop; with no known cause the doctor says it does not recognise them.
      assert.deepEqual(causes(classify({ stderr: [], events: restarts.slice(0, 2), facts: { now } })), ['unknown']);
      // Older restarts do not make a loop.
      assert.deepEqual(causes(classify({ stderr: [], events: restarts.map((e) => ({ ...e, at: e.at - 3_600_000 })), facts: { now } })), ['unknown']);
    });

    it('what the model is told is redacted: no paths, no URL tokens', () => {
      const r = redact(`file:/srv/media/Secret Show/ep1.mkv: No such file or directory\nhttp://plex.lan:32400/library/parts/1/file.mkv?X-Plex-Token=abc123 403`);
      assert.ok(!r.includes('/srv/media') && !r.includes('abc123') && !r.includes('library/parts'), r);
      assert.match(r, /ep1\.mkv/);
    });
  });

  describe('GET /api/diagnostics on channels airing real failures', () => {
    const channelOn = async (number: number, title: string, locator: Locator) => {
      const id = t.engine.store.tx(() => t.engine.store.items.upsert(source, {
        externalKey: `${title}-${number}`, kind: 'movie', locator, fingerprint: 'x', size: 1, mtimeMs: 1, status: 'ok', error: null, title,
        showId: null, seasonId: null, seasonNumber: null, episodeNumber: null, episodeEnd: null, year: 1990, releaseDate: null, plot: null, genres: [],
        durationMs: 3000, container: 'mp4', bitRate: null, chapters: [],
        streams: [{ index: 0, type: 'video', codec: 'h264', profile: null, language: null, title: null, isDefault: true, isForced: false, width: 160, height: 120,
          fps: 25, fieldOrder: 'progressive', sar: '1:1', dar: '4:3', pixFmt: 'yuv420p', channels: null, channelLayout: null, sampleRate: null, bitRate: null }],
      }));
      const res = await t.call('POST', '/api/channels', { number, name: title, content: [{ type: 'item', id }] });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const d = await t.call('GET', `/api/diagnostics/${number}`);
      assert.equal(d.status, 200, JSON.stringify(d.body));
      return d.body;
    };

    it('deleted file: missing, with the exact ffmpeg command of the piece', async () => {
      const d = await channelOn(61, 'Deleted', { type: 'file', path: files.deleted! });
      assert.deepEqual(causes(d.findings), ['missing_file']);
      assert.equal(d.piece.command[0], 'ffmpeg');
      assert.ok(d.piece.command.includes(`file:${files.deleted}`));
      assert.ok(d.piece.shell.endsWith('> /dev/null'));
      assert.notEqual(d.piece.exitCode, 0);
    });

    it('truncated file: damaged media', async () => {
      const d = await channelOn(62, 'Truncated', { type: 'file', path: files.truncated! });
      assert.deepEqual(causes(d.findings), ['unreadable_media']);
    });

    it('403 source and dead live URL', async () => {
      assert.deepEqual(causes((await channelOn(63, 'Forbidden', { type: 'url', url: `${base}/forbidden.mp4` })).findings), ['source_auth']);
      assert.deepEqual(causes((await channelOn(64, 'Dead', { type: 'url', url: deadUrl })).findings), ['dead_live_source']);
    });

    it('a playable file: no findings; the piece command plays it', async () => {
      const d = await channelOn(65, 'Good', { type: 'file', path: files.good! });
      assert.deepEqual(d.findings, []);
      assert.ok(d.piece.exitCode === 0 || d.piece.exitCode === null, JSON.stringify(d.piece));
    });

    it('explain=true: the model explains the findings, told no paths; without a provider the rules still answer', async () => {
      const fake = await startFakeOpenAi({ fixtures: [{ when: 'Finding: The media file is missing', reply: { content: 'The file is gone: put it back, then rescan.' } }] });
      try {
        assert.equal((await t.call('GET', '/api/diagnostics/61?explain=true')).body.explanation, null, 'no provider: no explanation, same findings');
        await t.call('PUT', '/api/ai/settings', { baseUrl: fake.url, model: 'fake-model', timeoutS: 10 });
        const d = (await t.call('GET', '/api/diagnostics/61?explain=true')).body;
        assert.deepEqual(causes(d.findings), ['missing_file']);
        assert.equal(d.explanation, 'The file is gone: put it back, then rescan.');
        const sent = JSON.stringify(fake.requests);
        assert.ok(sent.includes('deleted.mp4') && !sent.includes(dir), 'the model sees file names, not paths');
        assert.ok(fake.auth.length > 0 && fake.auth.every((a) => a === undefined), 'no key set: no Authorization header (as a local Ollama expects)');
        // A provider that cannot be reached costs only the explanation.
        await t.call('PUT', '/api/ai/settings', { baseUrl: deadUrl.replace(/\/live\.ts$/, '/v1'), model: 'fake-model', timeoutS: 5 });
        const down = await t.call('GET', '/api/diagnostics/61?explain=true');
        assert.equal(down.status, 200);
        assert.deepEqual(causes(down.body.findings), ['missing_file']);
        assert.match(down.body.explanation, /^\(no explanation: AI provider: cannot reach/);
      } finally {
        await t.call('DELETE', '/api/ai/settings');
        await fake.close();
      }
    });

    it('GET /api/diagnostics lists channels with session trouble from the event bus; unknown channel 404', async () => {
      for (let i = 0; i < 3; i++) t.engine.events.emit('session.restart', { channelId: 0, number: '62', restarts: i + 1, reason: 'moov atom not found' });
      const all = (await t.call('GET', '/api/diagnostics')).body;
      assert.ok(all.channels.some((c: any) => c.number === '62'));
      assert.deepEqual(causes(all.channels.find((c: any) => c.number === '62').findings).sort(), ['restart_loop', 'unreadable_media']);
      assert.ok(Array.isArray(all.system));
      await t.rejects('GET', '/api/diagnostics/999', undefined, 404);
    });

    it('a real session on the deleted file: its restarts and error reach the doctor through the event bus', async () => {
      const ch = t.engine.channels.get('61');
      const failed = new Promise<void>((resolve) => {
        const off = t.engine.events.on('session.error', (e) => { if (e.number === '61') { off(); resolve(); } });
      });
      t.engine.streams.acquire(ch);
      try {
        await failed;
        const all = (await t.call('GET', '/api/diagnostics')).body;
        const d = all.channels.find((c: any) => c.number === '61');
        assert.ok(d, JSON.stringify(all.channels.map((c: any) => c.number)));
        assert.deepEqual(causes(d.findings).sort(), ['missing_file', 'restart_loop']);
        assert.ok(d.findings.find((f: any) => f.cause === 'restart_loop').evidence.every((l: string) => /No such file or directory/.test(l)));
      } finally {
        await t.engine.streams.stopSession(ch.id, 'test over');
      }
      await t.rejects('GET', '/api/diagnostics?explain=maybe', undefined, 400, 'query.explain');
    });
  });
});
