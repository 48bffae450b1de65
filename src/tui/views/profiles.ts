// Profiles: which hardware encoders a real probe verified here (and ffmpeg's reason for the
// others), the encoder profiles (built-in and user) with add/edit/copy/delete forms, a real test
// encode, and assigning a profile to channels. Everything comes from /api/hw and /api/profiles.
import blessed from 'blessed';
import type { Channel } from '../../schemas/channel.js';
import type { HwReport, KindReport } from '../../schemas/hw.js';
import type { ProfileView, TestEncodeResult } from '../../schemas/profile.js';
import type { Binding } from '../keymap.js';
import { Poller } from '../model.js';
import { esc, truncate, wrap } from '../text.js';
import type { AppContext, Pane, View, ViewDef } from '../view.js';
import { Table } from '../widgets/table.js';
import { bodyFrom, clock, kindDevice, kindState, profileFields, testText, usableText } from './profile-parts.js';

/** Seconds of test picture a `t` test encode asks for (short: the TUI's requests time out after 10 s). */
export const TEST_SECONDS = 2;
const POLL_MS = 15_000;
const ENCODERS_HEIGHT = 10;
const DETAIL_LINES = 2;

const enc = encodeURIComponent;

const colourState = (ctx: AppContext, s: string) =>
  s.startsWith('●') || s.includes('✔') ? ctx.theme.ok(s) : s.startsWith('▲') ? ctx.theme.warn(s) : s.startsWith('✖') || s.includes('✖') ? ctx.theme.err(s) : ctx.theme.dim(s);

export const profilesView: ViewDef = {
  id: 'profiles',
  title: 'Profiles',
  create(ctx: AppContext): View {
    const { theme: t, model } = ctx;
    const root = blessed.box({ parent: ctx.body, top: 0, left: 0, width: '100%', height: '100%' });
    let report: HwReport | null = null;
    let loadError = '';
    const tests = new Map<string, TestEncodeResult>();
    let focus: 'encoders' | 'profiles' = 'encoders';

    const encoders = new Table<KindReport>({
      parent: root, theme: t, label: 'Encoders', mouse: ctx.mouse,
      position: { top: 0, left: 0, width: '100%', height: ENCODERS_HEIGHT },
      key: (k) => k.kind,
      empty: 'probing the encoders (a real 2-frame encode per kind)…',
      columns: [
        { title: 'KIND', width: 12, get: (k) => k.kind },
        { title: 'STATE', width: 13, get: kindState, style: (_k, s) => colourState(ctx, s) },
        { title: 'CODECS', width: 18, get: (k) => k.codecs.map((c) => `${c.codec}${c.status === 'verified' ? '✓' : '✗'}`).join(' ') },
        { title: 'DEVICE', width: 14, get: (k) => (report ? kindDevice(k, report) : '') },
        {
          title: 'REASON', flex: 1, min: 10,
          get: (k) => (k.status === 'verified' ? (k.failures ? `${k.failures} failure(s) in use, ${k.fallbacks} software fallback(s)` : '') : (k.reason ?? '')),
          style: (k, s) => (k.status === 'verified' ? t.dim(s) : s),
        },
      ],
    });
    const detail = blessed.box({ parent: root, top: ENCODERS_HEIGHT, left: 0, width: '100%', height: DETAIL_LINES, tags: true, wrap: false });
    const profiles = new Table<ProfileView>({
      parent: root, theme: t, label: 'Profiles', mouse: ctx.mouse,
      position: { top: ENCODERS_HEIGHT + DETAIL_LINES, left: 0, width: '100%', bottom: 0 },
      key: (p) => p.name,
      empty: 'loading profiles…',
      columns: [
        { title: 'NAME', flex: 1, min: 14, get: (p) => p.name },
        { title: 'KIND', width: 8, get: (p) => p.kind },
        { title: 'CODEC', width: 5, get: (p) => p.codec },
        { title: 'SIZE', width: 9, get: (p) => `${p.width}x${p.height}` },
        { title: 'FPS', width: 5, align: 'right', get: (p) => String(p.fps) },
        { title: 'VIDEO', width: 7, align: 'right', get: (p) => `${p.videoBitrateK}k` },
        { title: 'TYPE', width: 8, get: (p) => (p.builtIn ? 'built-in' : 'user') },
        { title: 'USABLE', width: 12, get: usableText, style: (_p, s) => colourState(ctx, s) },
        { title: 'CHANNELS', width: 10, hideBelow: 100, get: (p) => p.status.channels.join(',') || '—' },
      ],
    });

    const pane = (table: Table<KindReport> | Table<ProfileView>, which: typeof focus): Pane => ({
      get label() { return table.label; },
      element: table.element,
      handleKey: (id) => table.handleKey(id),
      filter: table.filter,
      setFocused(f) { table.setFocused(f); if (f) focus = which; },
    });

    async function load(): Promise<void> {
      try {
        const [hw, list] = await Promise.all([
          model.call(() => ctx.client.request<HwReport>('GET', '/api/hw')),
          model.call(() => ctx.client.request<ProfileView[]>('GET', '/api/profiles')),
        ]);
        setReport(hw);
        profiles.setRows(list);
        profiles.empty = 'no profiles';
        loadError = '';
      } catch (err) {
        loadError = (err as Error).message ?? String(err);
        if (!report) encoders.empty = `✖ ${loadError}`;
        profiles.empty = `✖ ${loadError}`;
      }
      ctx.invalidate();
    }
    const poller = new Poller(load, POLL_MS);

    function setReport(r: HwReport): void {
      report = r;
      encoders.setRows(r.kinds);
      encoders.label = `Encoders · probed ${clock(r.probedAt)}${r.cached ? ' (cached)' : ''} · ffmpeg ${r.ffmpeg.version ?? '?'}`;
    }

    // ── the two-line detail under the encoders: the focused pane's selected row ──────────────
    function encoderSummary(k: KindReport): string {
      const state = kindState(k);
      if (k.status === 'verified') {
        const ms = k.codecs.filter((c) => c.status === 'verified').map((c) => `${c.encoder}${c.probeMs !== null ? ` ${c.probeMs} ms` : ''}`).join(', ');
        return `${k.label}: ${state} by a real encode (${ms})${k.failures ? ` · ${k.failures} failure(s) in use, ${k.fallbacks} software fallback(s)` : ''}`;
      }
      const hints = k.hints.length ? ` · ${k.hints.join(' · ')}` : '';
      return `${k.label}: ${state} — ${k.reason ?? 'no reason given'}${hints}`;
    }
    function profileSummary(p: ProfileView): string[] {
      const audio = `${p.audioCodec} ${p.audioBitrateK}k ${p.audioChannels}ch ${p.audioRate} Hz`;
      const first = `${p.name} (${p.builtIn ? 'built-in, read-only' : 'user'}): ${p.status.encoder} ${p.width}x${p.height}@${p.fps} ${p.videoBitrateK}k/${p.videoBufferK}k · GOP ${p.gopSeconds} s · preset ${p.preset ?? 'default'} · ${p.scaling} · deinterlace ${p.deinterlace} · ${audio} · loudness ${p.loudness}`;
      const test = tests.get(p.name);
      const second = test ? testText(test)
        : p.status.usable ? `● usable here${p.status.channels.length ? ` · channels ${p.status.channels.join(', ')}` : ''} · t runs a test encode`
        : `✖ not usable: ${p.status.reason ?? 'no reason given'}`;
      return [first, second];
    }

    let lastDetail = '';
    function renderDetail(): void {
      const w = Math.max(10, (detail.width as number) - 2);
      let lines: string[];
      if (loadError && !report) lines = [`✖ ${loadError}`];
      else if (focus === 'encoders') {
        const k = encoders.selected();
        lines = k ? wrap(encoderSummary(k), w) : ['probing…'];
      } else {
        const p = profiles.selected();
        lines = p ? profileSummary(p).map((l) => truncate(l, w)) : [''];
      }
      if (lines.length > DETAIL_LINES) lines = [...lines.slice(0, DETAIL_LINES - 1), truncate(`${lines[DETAIL_LINES - 1]!} ${lines.slice(DETAIL_LINES).join(' ')}`, w)];
      const styled = lines.map((l) => {
        const e = esc(l);
        // Colour only the state words; the symbol carries the state without colour too.
        return ` ${e.replace(/(● verified|● usable here|✖ failed|✖ not usable|✔ ok|– unavailable|▲ unhealthy)/, (m) => colourState(ctx, m))}`;
      }).join('\n');
      if (styled !== lastDetail) { lastDetail = styled; detail.setContent(styled); }
    }

    // ── popups (enter / i) ───────────────────────────────────────────────────────────────────
    const popupWidth = () => Math.max(30, (ctx.screen.width as number) - 10);
    const row = (label: string, text: string): string[] => {
      const w = popupWidth() - 12;
      return wrap(text, w).map((l, i) => `${i === 0 ? t.bold(esc(label.padEnd(11))) : ' '.repeat(11)} ${esc(l)}`);
    };

    function encoderPopup(k: KindReport): void {
      const r = report;
      const lines = [
        ...row('Kind', `${k.kind} — ${k.label}`),
        ...row('State', `${kindState(k)}${k.status === 'verified' ? ' (a real 2-frame encode worked)' : k.codecs.some((c) => c.compiled) ? ' (compiled into ffmpeg; the real encode failed)' : ' (not built into this ffmpeg)'}`),
        ...(k.reason ? row('Reason', k.reason) : []),
        ...(r ? row('Device', kindDevice(k, r)) : []),
        ...(k.status === 'unhealthy' ? row('Unhealthy', `since ${k.unhealthySince ?? '?'}`) : []),
        ...row('In use', `${k.failures} failure(s), ${k.fallbacks} software fallback(s) since the last probe`),
        '',
        t.bold('Codecs'),
        ...k.codecs.flatMap((c) => row(`  ${c.codec}`, `${c.encoder}: ${c.status === 'verified' ? '✔ verified' : `✖ ${c.status}`}${c.compiled ? '' : ' (not compiled in)'}${c.probeMs !== null ? `, probe ${c.probeMs} ms` : ''}${c.reason && c.reason !== k.reason ? ` — ${c.reason}` : ''}`)),
        ...(k.hints.length ? ['', t.bold('Hints'), ...k.hints.flatMap((h) => row('  •', h))] : []),
        ...(r ? ['', t.dim(esc(`probed ${r.probedAt} in ${r.durationMs} ms${r.cached ? ' (cached)' : ''} · ffmpeg ${r.ffmpeg.version ?? '?'} (${r.ffmpeg.resolved ?? r.ffmpeg.path}) · p probes again`))] : []),
      ];
      ctx.message(`Encoder ${k.kind}`, lines, k.reason ?? undefined);
    }

    function profilePopup(p: ProfileView): void {
      const test = tests.get(p.name);
      const lines = [
        ...row('Name', `${p.name} (${p.builtIn ? 'built-in: read-only; c copies it as a new profile' : 'user profile'})`),
        ...row('Usable', p.status.usable ? `● yes: ${p.status.encoder} is verified here` : `✖ no: ${p.status.reason ?? 'no reason given'}`),
        ...row('Encoder', `${p.kind} ${p.codec} (${p.status.encoder})`),
        ...row('Picture', `${p.width}x${p.height} @ ${p.fps} fps, scaling ${p.scaling}, deinterlace ${p.deinterlace}`),
        ...row('Video', `${p.videoBitrateK} kbit/s, buffer ${p.videoBufferK} kbit, GOP ${p.gopSeconds} s, preset ${p.preset ?? 'default'}`),
        ...row('Audio', `${p.audioCodec} ${p.audioBitrateK} kbit/s, ${p.audioChannels} ch, ${p.audioRate} Hz`),
        ...row('Loudness', p.loudness === 'loudnorm' ? `loudnorm to ${p.loudnessTarget} LUFS` : p.loudness),
        ...row('Channels', p.status.channels.join(', ') || '—'),
        ...(test ? ['', ...row('Last test', testText(test))] : []),
      ];
      ctx.message(`Profile ${p.name}`, lines);
    }

    // ── actions ──────────────────────────────────────────────────────────────────────────────
    const probe = async () => {
      await ctx.act('probe', async () => {
        const r = await model.call(() => ctx.client.request<HwReport>('POST', '/api/hw/probe'));
        setReport(r);
        poller.kick();
        const ok = r.kinds.filter((k) => k.status === 'verified').map((k) => k.kind);
        const bad = r.kinds.length - ok.length;
        return `probed in ${r.durationMs} ms: ${ok.length} verified (${ok.join(', ') || 'none'}), ${bad} not usable`;
      }, 'probing… (a real 2-frame encode per encoder kind)');
    };

    const selectedProfile = (): ProfileView | undefined => {
      const p = profiles.selected();
      if (!p) ctx.flash('no profile selected', 'info');
      return p;
    };

    function openForm(mode: 'add' | 'edit' | 'copy', p: ProfileView | null): void {
      const editing = mode === 'edit' && p;
      ctx.form({
        title: editing ? `Edit profile ${p.name}` : mode === 'copy' && p ? `Copy ${p.name} as a new profile` : 'Add profile',
        submitLabel: editing ? 'save' : 'add',
        fields: profileFields(p, editing ? null : mode === 'copy' && p ? `${p.name}-copy` : ''),
        fieldFor: (path) => path.replace(/^body\./, '').split('.')[0],
        async submit(v) {
          const body = bodyFrom(v);
          if (!editing) {
            const made = await ctx.client.request<ProfileView>('POST', '/api/profiles', { name: String(v.name ?? '').trim(), ...body });
            profiles.select(made.name);
            poller.kick();
            return `added profile ${made.name}: ${made.kind} ${made.codec} ${made.width}x${made.height}@${made.fps}${made.status.usable ? '' : ` (not usable here: ${made.status.reason})`}`;
          }
          const patch: Record<string, unknown> = {};
          for (const [k, val] of Object.entries(body)) {
            const cur = (p as unknown as Record<string, unknown>)[k];
            if (val !== cur && !(k === 'videoBufferK' && val === undefined)) patch[k] = val;
          }
          if (!Object.keys(patch).length) return `profile ${p.name}: nothing changed`;
          const saved = await ctx.client.request<ProfileView>('PATCH', `/api/profiles/${enc(p.name)}`, patch);
          tests.delete(p.name);
          poller.kick();
          return `saved profile ${saved.name} (${Object.keys(patch).join(', ')})${saved.status.usable ? '' : `; not usable here: ${saved.status.reason}`}`;
        },
      });
    }

    const readOnlyNote = (p: ProfileView) => ctx.flash(`"${p.name}" is a built-in profile and read-only: c copies it as a new profile you can change`, 'info');

    const add = () => openForm('add', null);
    const edit = () => {
      const p = selectedProfile();
      if (!p) return;
      if (p.builtIn) { readOnlyNote(p); return; }
      openForm('edit', p);
    };
    const copy = () => { const p = selectedProfile(); if (p) openForm('copy', p); };
    const enter = () => {
      if (focus === 'encoders') {
        const k = encoders.selected();
        if (k) encoderPopup(k); else ctx.flash('no encoder report yet', 'info');
        return;
      }
      const p = selectedProfile();
      if (!p) return;
      if (ctx.readonly) { profilePopup(p); return; }
      if (p.builtIn) { readOnlyNote(p); profilePopup(p); return; }
      openForm('edit', p);
    };
    const details = () => {
      if (focus === 'encoders') { const k = encoders.selected(); if (k) encoderPopup(k); return; }
      const p = selectedProfile();
      if (p) profilePopup(p);
    };
    const remove = async () => {
      const p = selectedProfile();
      if (!p) return;
      if (p.builtIn) { ctx.flash(`"${p.name}" is a built-in profile and cannot be deleted`, 'info'); return; }
      const used = p.status.channels.length ? ` (used by channel${p.status.channels.length > 1 ? 's' : ''} ${p.status.channels.join(', ')})` : '';
      const yes = await ctx.confirm(`Delete profile "${p.name}"${used}?`);
      if (!yes) { ctx.flash(`kept profile ${p.name}`, 'info'); return; }
      await ctx.act(`delete profile ${p.name}`, async () => {
        await ctx.client.request('DELETE', `/api/profiles/${enc(p.name)}`);
        tests.delete(p.name);
        poller.kick();
        return `deleted profile ${p.name}`;
      });
    };
    const testEncode = async () => {
      const p = selectedProfile();
      if (!p) return;
      ctx.flash(`testing ${p.name}: ${TEST_SECONDS} s of test picture through its pipeline…`, 'info');
      try {
        const r = await ctx.client.request<TestEncodeResult>('POST', `/api/profiles/${enc(p.name)}/test?seconds=${TEST_SECONDS}`);
        tests.set(p.name, r);
        ctx.flash(testText(r, false), r.ok ? 'ok' : 'err');
      } catch (err) {
        ctx.flash(`test ${p.name} failed: ${(err as Error).message ?? String(err)}`, 'err');
      }
    };
    const assign = async () => {
      const p = selectedProfile();
      if (!p) return;
      const input = await ctx.prompt(`Assign "${p.name}" to channels (e.g. 5 7.1)`, '');
      const numbers = (input ?? '').split(/[\s,]+/).filter(Boolean);
      if (!numbers.length) { ctx.flash('assign: cancelled', 'info'); return; }
      await ctx.act(`assign ${p.name}`, async () => {
        const done: string[] = [];
        try {
          for (const n of numbers) {
            const c = await ctx.client.request<Channel>('PATCH', `/api/channels/${enc(n)}`, { stream: { profile: p.name } });
            done.push(c.number);
          }
        } finally { if (done.length) poller.kick(); }
        return `channel${done.length > 1 ? 's' : ''} ${done.join(', ')} now use${done.length > 1 ? '' : 's'} ${p.name}`;
      });
    };

    const bindings: Binding[] = [
      { keys: ['p'], desc: 'probe every encoder kind again (new driver or device)', hint: 'probe', run: probe },
      { keys: ['t'], desc: `test encode: ${TEST_SECONDS} s of test picture with the profile`, hint: 'test', panes: [1], run: testEncode },
      { keys: ['a'], desc: 'add a profile', hint: 'add', mutates: true, run: add },
      { keys: ['e'], desc: 'edit the selected profile (built-ins are read-only)', hint: 'edit', mutates: true, panes: [1], run: edit },
      { keys: ['enter'], desc: 'encoder: full reason; profile: edit (built-in: details)', run: enter },
      { keys: ['i'], desc: 'details of the selected encoder or profile', hint: 'details', run: details },
      { keys: ['c'], desc: 'copy the selected profile as a new user profile', hint: 'copy', mutates: true, panes: [1], run: copy },
      { keys: ['s'], desc: 'assign the selected profile to channels', hint: 'assign', mutates: true, panes: [1], run: assign },
      { keys: ['D', 'd'], desc: 'delete the selected user profile (asks first)', hint: 'delete', mutates: true, panes: [1], run: remove },
    ];

    return {
      id: 'profiles', title: 'Profiles', root, panes: [pane(encoders, 'encoders'), pane(profiles, 'profiles')], bindings,
      show() { poller.start(); },
      hide() { poller.stop(); },
      refresh() { poller.kick(); },
      render() {
        encoders.render();
        renderDetail();
        profiles.render();
      },
      onEvent(e) {
        if (e.event === 'encoder.health') poller.kick();
      },
      destroy() { poller.stop(); },
    };
  },
};
