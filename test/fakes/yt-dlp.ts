// A fake `yt-dlp` (run as a script through a wrapper written by test/fakes/youtube.ts): answers
// --version, `--flat-playlist -J URL` and `-j URL` the way yt-dlp does, from the recorded-shape
// fixtures in test/fixtures/yt-dlp/, with stream URLs pointing at the local fake media server
// (expire= in them). Errors look like yt-dlp's: "ERROR: …" on stderr, exit 1. Every run is
// appended to the log (argv and pid), which also numbers the resolutions (n= in the URLs).
import { appendFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface FakeVideo { title: string; duration: number; video: string; audio?: string; description?: string; uploadDate?: string }
export interface FakeYtDlpState {
  version: string;
  media: string;
  log: string;
  videos: Record<string, FakeVideo>;
  /** Playlist/channel URL → video ids (ids not in `videos` are listed but unavailable). */
  playlists: Record<string, { title: string; ids: string[] }>;
  /** Ids whose -j never answers (the caller's timeout must kill it). */
  hang?: string[];
  /** Print this instead of JSON (a broken yt-dlp). */
  garbage?: boolean;
}

const fixture = (name: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`../../../test/fixtures/yt-dlp/${name}`, import.meta.url)), 'utf8')) as Record<string, unknown>;
const HEADERS = {
  'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'Accept-Language': 'en-us,en;q=0.5', 'Sec-Fetch-Mode': 'navigate',
};
export const FAKE_USER_AGENT = HEADERS['User-Agent'];

function fail(msg: string): never {
  process.stderr.write(`ERROR: ${msg}\n`);
  process.exit(1);
}

function videoJson(s: FakeYtDlpState, id: string, n: number): Record<string, unknown> {
  const v = s.videos[id];
  if (!v) fail(`[youtube] ${id}: Video unavailable. This video is private`);
  const expire = Math.floor(Date.now() / 1000) + 6 * 3600;
  const url = (file: string, itag: number) => `${s.media}/videoplayback/${id}/${encodeURIComponent(file)}?expire=${expire}&ei=Fake${n}&id=o-${id}&itag=${itag}&source=youtube&n=${n}`;
  const text = JSON.stringify(fixture('video.json')).replaceAll('VIDEO_ID', id).replace('"TITLE"', JSON.stringify(v.title)).replace('"TITLE"', JSON.stringify(v.title))
    .replace('"DESCRIPTION"', JSON.stringify(v.description ?? 'A test clip.'));
  const info = JSON.parse(text) as Record<string, any>;
  for (const f of info.formats) { f.http_headers = HEADERS; f.url = url(f.vcodec === 'none' ? v.audio ?? v.video : v.video, Number(f.format_id)); }
  info.duration = v.duration;
  if (v.uploadDate) info.upload_date = v.uploadDate;
  if (v.audio) {
    info.requested_formats = [info.formats[2], info.formats[1]];
  } else {
    delete info.requested_formats;
    Object.assign(info, { format_id: '18', format: '18 - 640x360 (360p)', url: url(v.video, 18), http_headers: HEADERS, width: 640, height: 360, protocol: 'https' });
  }
  return info;
}

function playlistJson(s: FakeYtDlpState, url: string): Record<string, unknown> {
  const p = s.playlists[url];
  if (!p) fail(`[generic] '${url}' is not a valid URL. Unsupported URL: ${url}`);
  const entry = fixture('playlist-entry.json');
  const info = fixture('playlist-flat.json') as Record<string, any>;
  Object.assign(info, { id: `PL${p.title.replace(/\W/g, '').slice(0, 30)}`, title: p.title, webpage_url: url, original_url: url, playlist_count: p.ids.length });
  info.entries = p.ids.map((id) => ({ ...JSON.parse(JSON.stringify(entry).replaceAll('VIDEO_ID', id)), title: s.videos[id]?.title ?? '[Private video]', duration: s.videos[id]?.duration ?? null }));
  return info;
}

function main(): void {
  const state = JSON.parse(readFileSync(process.env.FAKE_YTDLP_STATE!, 'utf8')) as FakeYtDlpState;
  const args = process.argv.slice(2);
  if (args.includes('--version')) { process.stdout.write(`${state.version}\n`); return; }
  const dash = args.indexOf('--');
  const url = dash >= 0 ? args[dash + 1] : args[args.length - 1];
  if (!url) fail('You must provide at least one URL.');
  const n = readFileSync(state.log, { encoding: 'utf8', flag: 'a+' }).split('\n').filter(Boolean).length + 1;
  appendFileSync(state.log, `${JSON.stringify({ pid: process.pid, args })}\n`);
  if (state.garbage) { process.stdout.write('<html>not yt-dlp</html>\n'); return; }
  const id = /[?&]v=([^&]+)/.exec(url)?.[1];
  if (id && state.hang?.includes(id)) { setInterval(() => {}, 1000); return; }
  const out = args.includes('--flat-playlist') && !id ? playlistJson(state, url) : id ? videoJson(state, id, n) : fail(`[generic] Unsupported URL: ${url}`);
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
