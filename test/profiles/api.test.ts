// Encoder profiles over the API: built-ins with their usability here, user profiles in SQLite,
// per-channel assignment refused with the probe's reason when the encoder is not verified, a real
// test encode, and the channel's picture and sound settings.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { channelInput } from '../../src/schemas/channel.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { FFMPEG, FFPROBE } from '../helpers/media.js';

describe('profiles: API', () => {
  let t: TestApi;
  before(async () => {
    t = await startApi({ config: { ffmpegPath: FFMPEG, ffprobePath: FFPROBE } });
    t.engine.channels.create(channelInput.parse({ number: 5, name: 'Five' }));
    t.engine.channels.create(channelInput.parse({ number: 6, name: 'Six' }));
  });
  after(async () => {
    assert.deepEqual(t.serverErrors, []);
    await t.close();
  });

  test('GET /api/profiles: the built-ins first, each with whether it is usable here and why not', async () => {
    const res = await t.call('GET', '/api/profiles');
    assert.equal(res.status, 200);
    const byName = new Map(res.body.map((p: any) => [p.name, p]));
    assert.deepEqual(res.body.map((p: any) => p.name), ['software-480p', 'software-720p', 'software-1080p', 'nvenc-1080p', 'vaapi-1080p', 'qsv-1080p', 'rpi4-v4l2-720p']);
    const sw: any = byName.get('software-720p');
    assert.deepEqual({ ...sw, status: undefined }, {
      name: 'software-720p', builtIn: true, kind: 'software', codec: 'h264', width: 1280, height: 720, fps: 30, videoBitrateK: 2500, videoBufferK: 5000,
      gopSeconds: 2, preset: 'veryfast', scaling: 'fit', deinterlace: 'auto', audioCodec: 'aac', audioBitrateK: 160, audioChannels: 2, audioRate: 48000,
      loudness: 'off', loudnessTarget: -23, mode: 'transcode', status: undefined,
    });
    assert.deepEqual(sw.status, { usable: true, encoder: 'libx264', reason: null, channels: [] });
    const nv: any = byName.get('nvenc-1080p');
    assert.equal(nv.status.usable, false);
    assert.equal(nv.status.encoder, 'h264_nvenc');
    assert.match(nv.status.reason, /NVENC \(h264_nvenc\) is unavailable here: Cannot load libcuda\.so\.1/);
    assert.match((byName.get('rpi4-v4l2-720p') as any).status.reason, /Could not find a valid device/);
    assert.equal((await t.call('GET', '/api/profiles/QSV-1080P')).body.name, 'qsv-1080p', 'names are case-insensitive');
    assert.equal((await t.call('GET', '/api/profiles/nope')).status, 404);
  });

  test('POST /api/profiles: defaults filled in, stored, name unique; invalid combinations refused', async () => {
    const res = await t.call('POST', '/api/profiles', { name: 'pal-576', width: 1024, height: 576, fps: 25, videoBitrateK: 2000, loudness: 'loudnorm' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.builtIn, false);
    assert.equal(res.body.kind, 'software');
    assert.equal(res.body.videoBufferK, 4000);
    assert.equal(res.body.status.usable, true);
    assert.deepEqual(t.engine.store.profiles.list().map((p) => p.name), ['pal-576']);
    await t.rejects('POST', '/api/profiles', { name: 'PAL-576', width: 1024, height: 576, videoBitrateK: 2000 }, 409, 'name');
    await t.rejects('POST', '/api/profiles', { name: 'software-720p', width: 1024, height: 576, videoBitrateK: 2000 }, 409, 'name');
    await t.rejects('POST', '/api/profiles', { name: 'nv-mpeg2', kind: 'nvenc', codec: 'mpeg2', width: 1280, height: 720, videoBitrateK: 2000 }, 400, 'body.codec');
    await t.rejects('POST', '/api/profiles', { name: 'bad-preset', kind: 'nvenc', preset: 'veryfast', width: 1280, height: 720, videoBitrateK: 2000 }, 400, 'body.preset');
    await t.rejects('POST', '/api/profiles', { name: 'odd', width: 1281, height: 720, videoBitrateK: 2000 }, 400, 'body.width');
    await t.rejects('POST', '/api/profiles', { name: 'bad name!', width: 1280, height: 720, videoBitrateK: 2000 }, 400, 'body.name');
    // An unverified kind may be added (to use on other hardware later), and says it is not usable here.
    const hw = await t.call('POST', '/api/profiles', { name: 'gpu-720', kind: 'vaapi', width: 1280, height: 720, videoBitrateK: 3000 });
    assert.equal(hw.status, 201);
    assert.equal(hw.body.status.usable, false);
    assert.match(hw.body.status.reason, /No VA display found/);
  });

  test('PATCH: user profiles change, built-ins do not', async () => {
    const res = await t.call('PATCH', '/api/profiles/pal-576', { videoBitrateK: 2500, scaling: 'crop' });
    assert.equal(res.status, 200);
    assert.equal(res.body.videoBitrateK, 2500);
    assert.equal(res.body.videoBufferK, 5000, 'a default buffer follows the bitrate');
    assert.equal(res.body.scaling, 'crop');
    await t.rejects('PATCH', '/api/profiles/software-720p', { fps: 25 }, 409);
    await t.rejects('PATCH', '/api/profiles/pal-576', { kind: 'nvenc', codec: 'mpeg2' }, 400, 'codec');
    await t.rejects('PATCH', '/api/profiles/pal-576', { name: 'x' }, 400);
  });

  test('assigning a profile to a channel: unknown → 400, not verified here → 409 with the probe\'s reason, verified → 200', async () => {
    const unknown = await t.rejects('PATCH', '/api/channels/5', { stream: { profile: 'nope' } }, 400, 'stream.profile');
    assert.match(unknown.message, /no profile named "nope"/);
    const nv = await t.rejects('PATCH', '/api/channels/5', { stream: { profile: 'nvenc-1080p' } }, 409, 'stream.profile');
    assert.match(nv.message, /profile "nvenc-1080p" cannot be used: NVIDIA NVENC \(h264_nvenc\) is unavailable here: Cannot load libcuda\.so\.1/);
    await t.rejects('POST', '/api/channels', { number: 7, name: 'Seven', stream: { profile: 'vaapi-1080p' } }, 409, 'stream.profile');
    const ok = await t.call('PATCH', '/api/channels/5', { stream: { profile: 'pal-576' } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.stream.profile, 'pal-576');
    // Other stream settings change without touching the profile (no defaults fill in on a patch).
    const on = await t.call('PATCH', '/api/channels/5', { stream: { alwaysOn: false } });
    assert.equal(on.body.stream.profile, 'pal-576');
    assert.deepEqual((await t.call('GET', '/api/profiles/pal-576')).body.status.channels, ['5']);
    // In use: it cannot be deleted, nor switched to an encoder not verified here.
    const del = await t.rejects('DELETE', '/api/profiles/pal-576', undefined, 409);
    assert.match(del.message, /used by channel 5/);
    await t.rejects('PATCH', '/api/profiles/pal-576', { kind: 'vaapi' }, 409, 'kind');
    // The session manager resolves it to its own kind, software here.
    assert.deepEqual(t.engine.profiles.resolve('pal-576').kind, 'software');
    assert.equal(t.engine.profiles.resolve('pal-576').note, null);
    const fallback = t.engine.profiles.resolve('gpu-720');
    assert.equal(fallback.kind, 'software');
    assert.match(fallback.note ?? '', /gpu-720: VA-API .*unavailable here: No VA display found.*; encoding H\.264 in software instead/);
    assert.match(t.engine.profiles.resolve('gone').note ?? '', /profile "gone" no longer exists; using software-720p/);
  });

  test('DELETE an unused user profile', async () => {
    assert.equal((await t.call('DELETE', '/api/profiles/gpu-720')).status, 204);
    assert.equal((await t.call('GET', '/api/profiles/gpu-720')).status, 404);
    await t.rejects('DELETE', '/api/profiles/software-480p', undefined, 409);
  });

  test('POST /api/profiles/:name/test: a real encode with fps and speed; a hardware one fails with ffmpeg\'s reason', async (tt) => {
    const ok = await t.call('POST', '/api/profiles/software-480p/test?seconds=2');
    assert.equal(ok.status, 200);
    tt.diagnostic(JSON.stringify(ok.body));
    assert.equal(ok.body.ok, true);
    assert.equal(ok.body.reason, null);
    assert.equal(ok.body.frames, 60);
    assert.ok(ok.body.fps > 0 && ok.body.speed > 0 && ok.body.bytes > 10_000);
    const nv = await t.call('POST', '/api/profiles/nvenc-1080p/test?seconds=1');
    assert.equal(nv.status, 200);
    assert.equal(nv.body.ok, false);
    assert.equal(nv.body.reason, 'Cannot load libcuda.so.1');
    assert.equal(nv.body.fps, null);
    await t.rejects('POST', '/api/profiles/software-480p/test?seconds=99', undefined, 400);
  });

  test('GET /api/hw and the OpenAPI document', async () => {
    const hw = await t.call('GET', '/api/hw');
    assert.equal(hw.status, 200);
    assert.equal(hw.body.kinds.find((k: any) => k.kind === 'software').status, 'verified');
    const doc = (await t.call('GET', '/api/openapi.json')).body;
    assert.deepEqual(doc.paths['/api/hw'].get.tags, ['hardware']);
    assert.deepEqual(doc.paths['/api/hw/probe'].post.tags, ['hardware']);
    for (const [path, method] of [['/api/profiles', 'get'], ['/api/profiles', 'post'], ['/api/profiles/{name}', 'patch'], ['/api/profiles/{name}', 'delete'], ['/api/profiles/{name}/test', 'post']]) {
      assert.deepEqual(doc.paths[path!][method!].tags, ['profiles'], `${method} ${path}`);
    }
    assert.ok(doc.tags.some((x: any) => x.name === 'hardware') && doc.tags.some((x: any) => x.name === 'profiles'));
  });

  test('channel picture and sound settings: watermark (the image must exist), subtitles, audio languages', async () => {
    const logo = join(t.engine.config.dataDir, 'images', 'logo.png');
    await mkdir(join(t.engine.config.dataDir, 'images'), { recursive: true });
    await writeFile(logo, 'not really a png, but readable');
    const wm = { image: logo, position: 'top-left', opacity: 0.5, mode: 'intermittent', everyS: 300, showS: 30, hideDuringFiller: true };
    const res = await t.call('PATCH', '/api/channels/6', { stream: { watermark: wm, subtitles: { mode: 'burn', languages: ['eng', 'fr'], which: 'forced' }, audio: { languages: ['fre'] } } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.stream.watermark, { ...wm, sizePct: 10, marginXPct: 3, marginYPct: 3, fadeS: 1 });
    assert.deepEqual(res.body.stream.subtitles, { mode: 'burn', languages: ['eng', 'fr'], which: 'forced' });
    assert.deepEqual(res.body.stream.audio, { languages: ['fre'] });
    await t.rejects('PATCH', '/api/channels/6', { stream: { watermark: { ...wm, image: '/nonexistent/logo.png' } } }, 400, 'stream.watermark.image');
    await t.rejects('PATCH', '/api/channels/6', { stream: { watermark: { ...wm, position: 'top-middle' } } }, 400);
    await t.rejects('PATCH', '/api/channels/6', { stream: { watermark: { ...wm, showS: 400 } } }, 400);
    await t.rejects('PATCH', '/api/channels/6', { stream: { audio: { languages: ['english!'] } } }, 400);
    const off = await t.call('PATCH', '/api/channels/6', { stream: { watermark: null } });
    assert.equal(off.body.stream.watermark, null);
    assert.deepEqual(off.body.stream.audio, { languages: ['fre'] }, 'untouched');
  });

  test('mode: transcode by default, direct or auto on edit, anything else a 400 naming it; profiles stored before mode existed transcode', async () => {
    const res = await t.call('POST', '/api/profiles', { name: 'copy-720', width: 1280, height: 720, videoBitrateK: 2500 });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.mode, 'transcode');
    assert.equal((await t.call('PATCH', '/api/profiles/copy-720', { mode: 'direct' })).body.mode, 'direct');
    assert.equal((await t.call('GET', '/api/profiles/copy-720')).body.mode, 'direct');
    await t.rejects('PATCH', '/api/profiles/copy-720', { mode: 'copy' }, 400, 'body.mode');
    await t.rejects('POST', '/api/profiles', { name: 'x-720', width: 1280, height: 720, videoBitrateK: 2500, mode: 'fast' }, 400, 'body.mode');
    // A row written before the option existed (no mode in its settings).
    const row = t.engine.store.db.prepare('SELECT settings FROM encoder_profiles WHERE name = ?').get('copy-720') as { settings: string };
    const { mode: _m, ...old } = JSON.parse(row.settings);
    t.engine.store.db.prepare('UPDATE encoder_profiles SET settings = ? WHERE name = ?').run(JSON.stringify(old), 'copy-720');
    assert.equal((await t.call('GET', '/api/profiles/copy-720')).body.mode, 'transcode');
    assert.equal((await t.call('DELETE', '/api/profiles/copy-720')).status, 204);
  });
});
