// The read-only status page at `/`: channels with what is on now and next, a guide grid of the
// next hours, tune links (MPEG-TS, HLS, the web player) and an in-page player. Rendered on the
// server from the engine (no API token needed, nothing to fetch), and free of inline scripts and
// style attributes so a strict Content-Security-Policy allows it: page.js positions the grid
// blocks from their data attributes and drives the player (hls.js served by this box).
import type { Engine } from '../../engine/engine.js';
import { escapeXml as esc } from '../../engine/guide/xml-text.js';
import type { TimelineRowOut } from '../../schemas/timeline.js';

export const GUIDE_HOURS = 3;

export interface ChannelNow { number: string; name: string; group: string | null; enabled: boolean; now: TimelineRowOut | null; next: TimelineRowOut | null; guide: TimelineRowOut[] }

/** What the page shows, read from the engine at `now` (timelines extended as the API does). */
export function statusData(engine: Engine, now: number): { from: number; to: number; channels: ChannelNow[] } {
  const from = Math.floor(now / 1_800_000) * 1_800_000; // the grid starts on the half hour
  const to = from + GUIDE_HOURS * 3_600_000;
  const channels = engine.channels.list().map((c): ChannelNow => {
    if (!c.enabled) return { number: c.number, name: c.name, group: c.group ?? null, enabled: false, now: null, next: null, guide: [] };
    const on = engine.timeline.nowAndNext(c.id, now);
    const guide = engine.timeline.window(c.id, from, to, 400).rows;
    return { number: c.number, name: c.name, group: c.group ?? null, enabled: true, now: on?.row ?? null, next: on?.next ?? null, guide };
  });
  return { from, to, channels };
}

const enc = encodeURIComponent;
const hhmm = (iso: string | number) => new Date(iso).toISOString().slice(11, 16);

function title(r: TimelineRowOut | null): string {
  if (!r) return '—';
  if (r.kind === 'slate') return r.title || 'Offline';
  const ep = r.seasonNumber != null && r.episodeNumber != null ? ` S${String(r.seasonNumber).padStart(2, '0')}E${String(r.episodeNumber).padStart(2, '0')}` : '';
  return r.showTitle ? `${r.showTitle}${ep} — ${r.title}` : r.title;
}

/** The page. Times are shown in UTC by the server; page.js rewrites them to the viewer's clock. */
export function statusPage(data: ReturnType<typeof statusData>, version: string): string {
  const time = (iso: string) => `<time datetime="${esc(iso)}">${hhmm(iso)}</time>`;
  const rows = data.channels.map((c) => {
    const links = c.enabled
      ? `<a href="/watch/${enc(c.number)}">player</a> · <a href="/stream/channels/${enc(c.number)}.ts">MPEG-TS</a> · <a href="/stream/channels/${enc(c.number)}/index.m3u8">HLS</a>`
      : 'off';
    const play = c.enabled ? `<button type="button" class="play" data-number="${esc(c.number)}" data-name="${esc(c.name)}">▶ play</button>` : '';
    return `<tr><td class="num">${esc(c.number)}</td><td>${esc(c.name)}${c.group ? ` <span class="dim">${esc(c.group)}</span>` : ''}</td>
<td>${c.now ? `${time(c.now.start)} ${esc(title(c.now))}` : '<span class="dim">nothing scheduled</span>'}</td>
<td>${c.next ? `${time(c.next.start)} ${esc(title(c.next))}` : '—'}</td><td>${play} ${links}</td></tr>`;
  }).join('\n');
  const marks = Array.from({ length: GUIDE_HOURS * 2 }, (_, i) => data.from + i * 1_800_000)
    .map((t) => `<span class="mark" data-start="${t}" data-end="${t + 1_800_000}">${time(new Date(t).toISOString())}</span>`).join('');
  const grid = data.channels.filter((c) => c.enabled).map((c) => `<div class="line"><div class="who">${esc(c.number)} ${esc(c.name)}</div><div class="track">${
    c.guide.map((r) => `<div class="block ${r.kind}" data-start="${Date.parse(r.start)}" data-end="${Date.parse(r.end)}" title="${esc(`${hhmm(r.start)}–${hhmm(r.end)} ${title(r)}`)}">${esc(title(r))}</div>`).join('')
  }</div></div>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>EXStreamTV</title><link rel="stylesheet" href="/static/web/page.css">
</head><body>
<header><h1>EXStreamTV</h1><span class="dim">${esc(version)} · read-only status</span>
<nav><a href="/iptv/channels.m3u">M3U playlist</a> · <a href="/iptv/xmltv.xml">XMLTV guide</a> · <a href="/lineup.json">HDHomeRun lineup</a> · <a href="/api/docs">API docs</a></nav></header>
<section id="player" hidden><h2 id="playing">Player</h2><video id="video" controls muted playsinline></video><p id="pstate" class="dim"></p></section>
<section><h2>Channels <span class="dim">(${data.channels.length})</span></h2>
${data.channels.length ? `<table id="channels"><thead><tr><th>#</th><th>Channel</th><th>Now</th><th>Next</th><th>Tune</th></tr></thead><tbody>
${rows}
</tbody></table>` : '<p id="channels">No channels yet: add one with the TUI or <code>exstreamtv channel add</code>.</p>'}</section>
<section><h2>Guide <span class="dim">next ${GUIDE_HOURS} hours</span></h2>
<div id="guide" data-from="${data.from}" data-to="${data.to}"><div class="line marks"><div class="who"></div><div class="track">${marks}</div></div>
${grid}</div></section>
<script src="/static/hls.min.js"></script><script src="/static/web/page.js"></script>
</body></html>
`;
}
