// A fake YouTube for tests, all on 127.0.0.1: a `yt-dlp` wrapper script (running test/fakes/yt-dlp.ts
// on this Node) whose state — version, videos, playlists — the test sets, and the media server its
// URLs point at (googlevideo-style /videoplayback URLs with expire=, byte ranges, the browser
// User-Agent yt-dlp hands over required, a 403 the first time for chosen videos or always).
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendFile } from './ranges.js';
import { FAKE_USER_AGENT, type FakeVideo, type FakeYtDlpState } from './yt-dlp.js';

export interface MediaRequest { id: string; file: string; status: number; range: string | null; n: string | null }

export interface FakeYoutube {
  /** Path of the fake yt-dlp (give it as ytDlpPath). */
  ytDlp: string;
  media: string;
  readonly requests: MediaRequest[];
  /** Each yt-dlp run: its argv and pid. */
  runs(): { pid: number; args: string[] }[];
  addVideo(id: string, v: FakeVideo): void;
  addPlaylist(url: string, title: string, ids: string[]): void;
  set(patch: Partial<FakeYtDlpState>): void;
  /** The first media request for this video answers 403 (an URL gone stale), later ones play. */
  forbidFirst(id: string): void;
  forbidAlways(id: string): void;
  close(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('./yt-dlp.js', import.meta.url));

export async function startFakeYoutube(dir: string, mediaDir: string, version = '2025.11.12'): Promise<FakeYoutube> {
  const requests: MediaRequest[] = [];
  const first = new Set<string>();
  const always = new Set<string>();
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const m = /^\/videoplayback\/([^/]+)\/([^/]+)$/.exec(u.pathname);
    const log = (status: number) => { if (m) requests.push({ id: m[1]!, file: decodeURIComponent(m[2]!), status, range: req.headers.range ?? null, n: u.searchParams.get('n') }); };
    if (!m || !u.searchParams.get('expire')) { res.writeHead(404).end(); return log(404); }
    const id = m[1]!;
    const stale = first.delete(id);
    if (stale || always.has(id) || req.headers['user-agent'] !== FAKE_USER_AGENT) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden');
      return log(403);
    }
    log(sendFile(req, res, join(mediaDir, basename(decodeURIComponent(m[2]!))), 'video/mp4'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const media = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stateFile = join(dir, 'yt-dlp-state.json');
  const state: FakeYtDlpState = { version, media, log: join(dir, 'yt-dlp-runs.log'), videos: {}, playlists: {} };
  const save = () => writeFileSync(stateFile, JSON.stringify(state));
  save();
  writeFileSync(state.log, '');
  const ytDlp = join(dir, 'yt-dlp');
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  writeFileSync(ytDlp, `#!/bin/sh\nFAKE_YTDLP_STATE=${q(stateFile)} exec ${q(process.execPath)} ${q(SCRIPT)} "$@"\n`);
  chmodSync(ytDlp, 0o755);
  return {
    ytDlp, media, requests,
    runs: () => readFileSync(state.log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { pid: number; args: string[] }),
    addVideo: (id, v) => { state.videos[id] = v; save(); },
    addPlaylist: (url, title, ids) => { state.playlists[url] = { title, ids }; save(); },
    set: (patch) => { Object.assign(state, patch); save(); },
    forbidFirst: (id) => { first.add(id); },
    forbidAlways: (id) => { always.add(id); },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
