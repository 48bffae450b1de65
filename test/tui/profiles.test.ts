// Profiles view against the real API and the real encoder probe (real ffmpeg on this machine):
// encoders verified or not with ffmpeg's reason, re-probing, the profile form (the API's field
// errors shown in place), edit, the built-ins being read-only, delete with a [y/N] confirm, a real
// test encode, the API's refusals shown verbatim, read-only mode, 80×24 and NO_COLOR.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HwReport, KindReport } from '../../src/schemas/hw.js';
import type { ProfileView } from '../../src/schemas/profile.js';
import type { FormModal } from '../../src/tui/widgets/form.js';
import { kindState } from '../../src/tui/views/profile-parts.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { KEY, startTui, type Tui } from './harness.js';

const DEFAULT = 0x1ff;
const reEsc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Narrows the (focused) profiles pane to the one profile named. */
async function pick(t: Tui, name: string): Promise<void> {
  await t.keys('/');
  await t.waitFor((x) => x.includes('enter keep · esc clear'), 'the filter line');
  await t.keys(name, KEY.enter);
  await t.waitFor((x) => new RegExp(`Profiles \\(1/\\d+\\) /${reEsc(name)}`).test(x), `the profiles filtered to ${name}`);
}

describe('tui: profiles', () => {
  let api: TestApi;
  let hw: HwReport;
  const kind = (k: string): KindReport => hw.kinds.find((x) => x.kind === k)!;
  const profile = async (name: string) => api.call('GET', `/api/profiles/${name}`);

  before(async () => {
    api = await startApi();
    hw = await api.api.request<HwReport>('GET', '/api/hw');
    await api.api.createChannel({ number: '5', name: 'Five' });
  });
  after(async () => {
    assert.deepEqual(api.serverErrors, []);
    await api.close();
  });

  test('encoders: software verified, the others failed or unavailable with the probe\'s reason; enter shows it in full; p probes again', async () => {
    assert.equal(kind('software').status, 'verified', 'libx264 works here');
    const notVerified = hw.kinds.filter((k) => k.status !== 'verified');
    assert.ok(notVerified.length > 0, 'this machine has no GPU: some hardware kinds are not verified');
    const t = await startTui({ api, initialView: 'profiles' });
    try {
      const text = await t.waitFor((x) => x.includes('software-480p') && x.includes('● verified'), 'encoders and profiles');
      assert.match(text, /\[5 Profiles\]/);
      assert.match(text, /Encoders · probed \d\d:\d\d:\d\d/);
      assert.match(text, /│software\s+● verified\s+h264✓ hevc✓ mpeg2✓ CPU\s/);
      for (const k of notVerified) {
        const state = kindState(k);
        assert.match(state, /^(✖ failed|– unavailable|▲ unhealthy)$/);
        // The reason column is cut at the table's width; its start is there.
        assert.match(text, new RegExp(`│${k.kind}\\s+${reEsc(state)}\\s.*${reEsc(k.reason!.slice(0, 12))}`), `${k.kind}: ${state} — ${k.reason}`);
      }
      // Debian's ffmpeg has no AMF: not built in reads "unavailable", not "failed".
      if (!kind('amf').codecs.some((c) => c.compiled)) assert.match(text, /│amf\s+– unavailable\s/);

      // The detail line follows the selection: the full reason of the selected kind.
      const k = notVerified[0]!;
      const row = hw.kinds.indexOf(k);
      for (let i = 0; i < row; i++) await t.keys('j');
      await t.waitFor((x) => x.includes(`${k.label}: ${kindState(k)} — ${k.reason!.slice(0, 40)}`), 'the detail line with the reason');
      await t.keys(KEY.enter);
      const popup = await t.waitFor((x) => x.includes(`Encoder ${k.kind}`), 'the encoder details');
      assert.match(popup, new RegExp(`Reason\\s+${reEsc(k.reason!.slice(0, 40))}`));
      if (k.hints[0]) assert.ok(popup.includes(k.hints[0].slice(0, 40)), 'the device hints');
      await t.keys(KEY.esc);
      assert.equal(t.app.modal(), undefined);

      // Refresh keeps the selection on the same kind (by key, not position).
      await t.keys('r');
      await new Promise((r) => setTimeout(r, 300));
      await t.waitFor((x) => x.includes(`${k.label}: ${kindState(k)}`), 'still the same kind selected');

      await t.keys('p');
      await t.waitFor((x) => x.includes('probing… (a real 2-frame encode per encoder kind)'), 'the probing flash');
      const verified = hw.kinds.filter((x) => x.status === 'verified').length;
      await t.waitFor((x) => new RegExp(`✔ probed in \\d+ ms: ${verified} verified \\(software`).test(x), 'the probe result', 30_000);
    } finally { await t.close(); }
  });

  test('add: the API\'s field error shows in the form and nothing is saved; then the profile is added', async () => {
    const t = await startTui({ api, initialView: 'profiles' });
    try {
      await t.waitFor((x) => x.includes('software-480p'), 'profiles');
      await t.keys('a');
      await t.waitFor((x) => x.includes('Add profile') && x.includes('Target LUFS'), 'the form');
      // Name, encoder, codec, then width: an odd width.
      await t.keys('tui-sd', KEY.tab, KEY.tab, KEY.tab, KEY.ctrlU, '853', KEY.enter);
      const text = await t.waitFor((x) => x.includes('✖ must be even'), 'the field error');
      assert.match(text, /✖ body\.width: must be even/, 'the API message in the form');
      const form = t.app.modal() as FormModal;
      assert.ok(form, 'the form stays open');
      assert.deepEqual(form.errors().fields, { width: 'must be even' });
      assert.equal((await profile('tui-sd')).status, 404, 'nothing saved');

      // The focus is on the width: fix it and save.
      await t.keys(KEY.ctrlU, '1024', KEY.enter);
      await t.waitFor((x) => x.includes('added profile tui-sd: software h264 1024x720@30'), 'the flash');
      await t.waitFor((x) => /│tui-sd\s+software h264\s+1024x720\s+30\s+2500k user\s+● verified/.test(x), 'the new row, selected');
      const saved = (await profile('tui-sd')).body as ProfileView;
      assert.equal(saved.width, 1024);
      assert.equal(saved.videoBufferK, 5000);
      assert.equal(saved.builtIn, false);
    } finally { await t.close(); }
  });

  test('built-ins are read-only; edit sends what changed; the API\'s refusals are shown verbatim', async () => {
    await api.api.request('POST', '/api/profiles', { name: 'tui-edit', width: 640, height: 360, videoBitrateK: 800 });
    const t = await startTui({ api, initialView: 'profiles' });
    try {
      await t.waitFor((x) => x.includes('software-480p'), 'profiles');
      // A built-in: e says it is read-only (no form); d refuses without asking.
      await t.keys(KEY.tab, 'g', 'e');
      await t.waitFor((x) => x.includes('"software-480p" is a built-in profile and read-only: c copies it'), 'read-only');
      assert.equal(t.app.modal(), undefined, 'no form for a built-in');
      await t.keys('d');
      await t.waitFor((x) => x.includes('"software-480p" is a built-in profile and cannot be deleted'), 'no delete');
      assert.equal(t.app.modal(), undefined, 'no confirm for a built-in');
      // c copies it as a new one.
      await t.keys('c');
      await t.waitFor((x) => x.includes('Copy software-480p as a new profile') && x.includes('software-480p-copy'), 'the copy form');
      await t.keys(KEY.esc);

      await pick(t, 'tui-edit');
      await t.keys(KEY.enter);
      await t.waitFor((x) => x.includes('Edit profile tui-edit'), 'enter edits a user profile');
      // Encoder, codec, width, height, fps, then the bitrate.
      for (let i = 0; i < 5; i++) await t.keys(KEY.tab);
      await t.keys(KEY.ctrlU, '900', KEY.enter);
      await t.waitFor((x) => x.includes('saved profile tui-edit (videoBitrateK)'), 'saved');
      const p = (await profile('tui-edit')).body as ProfileView;
      assert.equal(p.videoBitrateK, 900);
      assert.equal(p.videoBufferK, 1800, 'the buffer follows (it was twice the bitrate)');
      await t.waitFor((x) => /│tui-edit\s+software h264\s+640x360\s+30\s+900k user/.test(x), 'the row updated');

      // Assign it to channel 5 (s), then try to switch it to an encoder that is not verified here.
      await t.keys('s');
      await t.waitFor((x) => x.includes('Assign "tui-edit" to channels'), 'the assign prompt');
      await t.keys('5', KEY.enter);
      await t.waitFor((x) => x.includes('channel 5 now uses tui-edit'), 'assigned');
      assert.equal((await api.api.channel('5')).stream.profile, 'tui-edit');
      if (kind('nvenc').status !== 'verified') {
        await t.keys('e');
        await t.waitFor((x) => x.includes('Edit profile tui-edit'), 'the edit form');
        await t.keys('l', KEY.enter); // encoder: software → nvenc
        const refusal = await api.call('PATCH', '/api/profiles/tui-edit', { kind: 'nvenc' });
        assert.equal(refusal.status, 409);
        const form = t.app.modal() as FormModal;
        await t.waitFor(() => form.errors().form !== '', 'the refusal in the form');
        assert.equal(form.errors().form, refusal.body.message, 'the API\'s message, verbatim');
        assert.match(refusal.body.message, new RegExp(`channel 5 uses "tui-edit", and .*${reEsc(kind('nvenc').reason!)}`));
        assert.ok(form.errors().fields.kind, 'shown at the encoder field');
        assert.equal(((await profile('tui-edit')).body as ProfileView).kind, 'software', 'nothing changed');
        await t.keys(KEY.esc);

        // Assigning a profile whose encoder is not verified: refused with the API's words.
        await t.keys(KEY.esc); // clears the filter
        await pick(t, 'nvenc-1080p');
        await t.keys('s', '5', KEY.enter);
        const expected = (await api.call('PATCH', '/api/channels/5', { stream: { profile: 'nvenc-1080p' } })).body.message as string;
        assert.match(expected, /cannot be used: .*unavailable here/);
        await t.waitFor(() => t.app.flashText().includes(expected), 'the refusal in the flash line');
        assert.equal(t.app.flashText(), `assign nvenc-1080p failed: ${expected}`);
        assert.equal((await api.api.channel('5')).stream.profile, 'tui-edit');
      }
    } finally { await t.close(); }
  });

  test('delete asks [y/N]: n keeps the profile, y removes it', async () => {
    await api.api.request('POST', '/api/profiles', { name: 'tui-del', width: 640, height: 360, videoBitrateK: 800 });
    const t = await startTui({ api, initialView: 'profiles' });
    try {
      await t.waitFor((x) => x.includes('software-480p'), 'profiles');
      await t.keys(KEY.tab);
      await pick(t, 'tui-del');
      await t.keys('d');
      await t.waitFor((x) => x.includes('Delete profile "tui-del"?') && x.includes('[y/N]'), 'the confirm');
      await t.keys('n');
      await t.waitFor((x) => x.includes('kept profile tui-del'), 'n keeps it');
      assert.equal((await profile('tui-del')).status, 200);
      await t.keys(KEY.enter);
      await t.waitFor((x) => x.includes('Edit profile tui-del'), 'still there');
      await t.keys(KEY.esc, 'D');
      await t.waitFor((x) => x.includes('Delete profile "tui-del"?'), 'the confirm (D)');
      await t.keys('y');
      await t.waitFor((x) => x.includes('deleted profile tui-del'), 'y deletes it');
      assert.equal((await profile('tui-del')).status, 404);
      await t.waitFor((x) => x.includes('Profiles (0/'), 'gone from the list');
    } finally { await t.close(); }
  });

  test('test encode: a real encode shows ok with frames, fps and speed; a failing encoder shows ffmpeg\'s reason', async () => {
    const t = await startTui({ api, initialView: 'profiles' });
    try {
      await t.waitFor((x) => x.includes('software-480p'), 'profiles');
      await t.keys(KEY.tab);
      await pick(t, 'software-480p');
      await t.keys('t');
      await t.waitFor((x) => x.includes('testing software-480p: 2 s of test picture'), 'the testing flash');
      const ok = /test software-480p \(libx264\): ✔ ok — (\d+) frames in [\d.]+ s, [\d.]+ fps, [\d.]+x real time/;
      const text = await t.waitFor((x) => ok.test(x), 'the result (the profile\'s detail line)', 30_000);
      assert.ok(Number(ok.exec(text)![1]) > 0, 'frames were encoded');
      assert.match(text, /✔ test software-480p \(libx264\): ok — \d+ frames in [\d.]+ s, [\d.]+ fps, [\d.]+x real time/, 'the flash line');
      // The profile's detail line keeps the last result; i shows it too.
      await t.keys('i');
      await t.waitFor((x) => x.includes('Profile software-480p') && /Last test\s+test software-480p \(libx264\): ✔ ok/.test(x), 'the details');
      await t.keys(KEY.esc, KEY.esc);

      const nvenc = kind('nvenc');
      if (nvenc.status !== 'verified') {
        await pick(t, 'nvenc-1080p');
        await t.keys('t');
        await t.waitFor(() => t.app.flashText().startsWith('test nvenc-1080p (h264_nvenc): failed — '), 'the failure', 30_000);
        assert.equal(t.app.flashText(), `test nvenc-1080p (h264_nvenc): failed — ${nvenc.reason}`);
        await t.waitFor((x) => x.includes(`✖ test nvenc-1080p (h264_nvenc): failed — ${nvenc.reason!.slice(0, 30)}`), 'the flash line: ✖ and the word');
        await t.waitFor((x) => x.includes(`test nvenc-1080p (h264_nvenc): ✖ failed — ${nvenc.reason!.slice(0, 30)}`), 'and in the detail line');
      }
    } finally { await t.close(); }
  });

  test('--readonly hides and refuses the editing keys; probe, test and details still work', async () => {
    const t = await startTui({ api, initialView: 'profiles', readonly: true });
    try {
      const text = await t.waitFor((x) => x.includes('software-480p'), 'profiles');
      assert.match(text, /READ-ONLY/);
      const footer = text.split('\n').at(-1)!;
      assert.match(footer, /probe/, 'the encoders pane has the focus: its keys in the footer');
      assert.doesNotMatch(footer, /add|edit|delete|copy|assign/);
      await t.keys(KEY.tab);
      const profilesFooter = (await t.waitFor((x) => / t test /.test(x.split('\n').at(-1)!), 'the profiles pane\'s keys in the footer')).split('\n').at(-1)!;
      assert.doesNotMatch(profilesFooter, /add|edit|delete|copy|assign/);
      for (const [key, desc] of [['a', 'add a profile'], ['e', 'edit the selected profile'], ['d', 'delete the selected user profile'], ['D', 'delete the selected user profile'], ['c', 'copy the selected profile'], ['s', 'assign the selected profile']] as const) {
        await t.keys(key);
        await t.waitFor((x) => x.includes(`read-only: "${desc}`), `${key} refused`);
        assert.equal(t.app.modal(), undefined, `${key}: nothing opened`);
      }
      await t.keys(KEY.enter);
      await t.waitFor((x) => x.includes('Profile software-480p') && x.includes('Usable'), 'enter shows the details, not a form');
      await t.keys(KEY.esc, '?');
      const help = await t.waitFor((x) => x.includes('Help — Profiles (read-only)'), 'help');
      assert.match(help, /5 editing keys hidden: read-only/);
    } finally { await t.close(); }
  });

  test('fits 80×24 and reflows on resize', async () => {
    const t = await startTui({ api, cols: 80, rows: 24, initialView: 'profiles', env: {} });
    try {
      let text = await t.waitFor((x) => x.includes('software-480p') && x.includes('● verified'), 'profiles at 80×24');
      let lines = text.split('\n');
      assert.equal(lines.length, 24);
      assert.ok(lines.every((l) => l.length === 80), 'every line is exactly the width');
      assert.match(lines[1]!, /\[5 Profiles\]/);
      assert.match(text, /│software\s+● verified/);
      assert.match(text, /┌─ Profiles \(\d+\)/);
      assert.match(lines[23]!, /p probe/);
      assert.doesNotMatch(text, /CHANNELS/, 'no room for the channels column');
      t.s.resize(110, 30);
      text = await t.waitFor((x) => x.split('\n')[0]!.length === 110 && x.includes('CHANNELS'), 'reflowed to 110×30 (the channels column appears)');
      lines = text.split('\n');
      assert.equal(lines.length, 30);
      assert.ok(lines.every((l) => l.length === 110));
    } finally { await t.close(); }
  });

  test('NO_COLOR: not one coloured cell; state still reads as symbols and words', async () => {
    const t = await startTui({ api, env: { NO_COLOR: '1' }, initialView: 'profiles' });
    try {
      const text = await t.waitFor((x) => x.includes('software-480p') && x.includes('● verified'), 'profiles');
      assert.equal(t.app.ctx.theme.name, 'mono');
      const coloured: number[] = [];
      for (const line of (t.s.screen as unknown as { lines: [number, string][][] }).lines) {
        for (const [attr] of line) if (((attr >> 9) & 0x1ff) !== DEFAULT || (attr & 0x1ff) !== DEFAULT) coloured.push(attr);
      }
      assert.equal(coloured.length, 0, `${coloured.length} coloured cells`);
      assert.match(text, /● verified/);
      assert.match(text, /✖ (failed|unverified)|– unavailable/);
    } finally { await t.close(); }
  });
});
