// The status page's script (served as a file: no inline script, so a strict CSP allows it):
// local times, the guide grid laid out from data attributes, and the in-page player (hls.js).
'use strict';
(function () {
  const pad = (n) => String(n).padStart(2, '0');
  for (const t of document.querySelectorAll('time[datetime]')) {
    const d = new Date(t.getAttribute('datetime'));
    if (!isNaN(d)) t.textContent = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }

  const guide = document.getElementById('guide');
  if (guide) {
    const from = Number(guide.dataset.from), to = Number(guide.dataset.to), span = to - from;
    for (const b of guide.querySelectorAll('[data-start]')) {
      const s = Math.max(from, Number(b.dataset.start)), e = Math.min(to, Number(b.dataset.end));
      b.style.left = `${((s - from) / span) * 100}%`;
      b.style.width = `${Math.max(0, ((e - s) / span) * 100)}%`;
    }
    guide.classList.add('laid-out');
  }

  const section = document.getElementById('player');
  const video = document.getElementById('video');
  const state = document.getElementById('pstate');
  const heading = document.getElementById('playing');
  let hls = null;
  window.playerErrors = [];
  let retry = null;
  function play(number, name, attempt = 0) {
    const src = `/stream/channels/${encodeURIComponent(number)}/index.m3u8`;
    section.hidden = false;
    heading.textContent = `${number} ${name}`;
    state.textContent = attempt ? `tuning… (try ${attempt + 1})` : 'tuning…';
    clearTimeout(retry);
    if (hls) { hls.destroy(); hls = null; }
    if (window.Hls && window.Hls.isSupported()) {
      hls = new window.Hls({ liveSyncDurationCount: 2 });
      hls.on(window.Hls.Events.ERROR, (_e, d) => {
        window.playerErrors.push(d.details);
        if (!d.fatal) return;
        // A channel that is still starting (503 "did not start in time") or a tuner that frees up: try again.
        if (d.type === window.Hls.ErrorTypes.NETWORK_ERROR && attempt < 5) {
          state.textContent = `${d.details}: trying again in 3 s`;
          retry = setTimeout(() => play(number, name, attempt + 1), 3000);
        } else state.textContent = `error: ${d.details}`;
      });
      hls.on(window.Hls.Events.MANIFEST_PARSED, () => { state.textContent = 'live'; video.play().catch(() => {}); });
      hls.loadSource(src);
      hls.attachMedia(video);
    } else {
      video.src = src;
      video.play().catch(() => {});
    }
    section.scrollIntoView({ block: 'nearest' });
  }
  for (const b of document.querySelectorAll('button.play')) b.addEventListener('click', () => play(b.dataset.number, b.dataset.name));
})();
