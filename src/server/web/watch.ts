// The web player page: hls.js served by the app itself (no CDN). Channel data is escaped.
import { escapeXml as esc } from '../../engine/guide/xml-text.js';

export function watchPage(number: string, name: string): string {
  const src = `/stream/channels/${encodeURIComponent(number)}/index.m3u8`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(number)} ${esc(name)} — EXStreamTV</title>
<style>body{margin:0;background:#111;color:#ddd;font:15px system-ui,sans-serif}header{padding:8px 12px}video{width:100%;max-height:90vh;background:#000}#state{color:#999}</style>
</head><body>
<header><strong>${esc(number)}</strong> ${esc(name)} <span id="state">tuning…</span></header>
<video id="v" controls autoplay muted playsinline></video>
<script src="/static/hls.min.js"></script>
<script>
const video = document.getElementById('v'), state = document.getElementById('state');
const src = ${JSON.stringify(src)} + location.search; // carries ?token= when the box requires one
window.playerErrors = [];
if (window.Hls && Hls.isSupported()) {
  const hls = new Hls({ liveSyncDurationCount: 2, lowLatencyMode: false });
  hls.on(Hls.Events.ERROR, (_e, d) => { window.playerErrors.push(d.details); if (d.fatal) state.textContent = 'error: ' + d.details; });
  hls.on(Hls.Events.MANIFEST_PARSED, () => { state.textContent = 'live'; video.play().catch(() => {}); });
  hls.loadSource(src);
  hls.attachMedia(video);
  window.hls = hls;
} else {
  video.src = src;
}
</script>
</body></html>
`;
}
