// A faithful fake of an IPTV provider on 127.0.0.1: playlists (any text, with the Content-Type a
// provider sends, HTML login pages included), a live MPEG-TS stream (a TS file made by ffmpeg at
// test time, sent at its real-time rate and looped; it can be cut and revived) and an HLS stream
// (a playlist + segments ffmpeg wrote; as live, /hls/live.m3u8 is a sliding window over them that
// moves with the wall clock, as a provider's live HLS does), an XMLTV guide page, with a log of
// every request's User-Agent and Referer.
import { createReadStream, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { basename, join } from 'node:path';
import { execa } from 'execa';

export interface IptvRequest { path: string; status: number; userAgent: string | null; referer: string | null }

export interface IptvServer {
  url: string;
  readonly log: IptvRequest[];
  /** Serves `body` at `path` (e.g. "/list.m3u"), with a Content-Type. */
  page(path: string, body: string, type?: string): void;
  /** Cuts every open live connection and answers 503 to new ones until revive(). */
  kill(): void;
  revive(): void;
  close(): Promise<void>;
}

export interface IptvServerOptions {
  /** A TS file served live at /live/<name>.ts, looped at `bytesPerSecond`. */
  liveTs?: { file: string; bytesPerSecond: number };
  /** A folder holding index.m3u8 and its segments, served under /hls/. */
  hlsDir?: string;
  /** Live HLS at /hls/live.m3u8: a window of `window` segments of this VOD list, moving with the clock. */
  liveHls?: LiveHls;
}

/** Segments (file names and seconds) of an HLS VOD list ffmpeg wrote, served live by the fake. */
export interface LiveHls { dir: string; segments: { name: string; seconds: number }[]; window?: number }

/** Writes `seconds` of 320x240 test picture + tone as 2-s HLS segments; returns them for liveHls. */
export async function makeLiveHls(dir: string, seconds: number, ffmpeg = '/usr/bin/ffmpeg'): Promise<LiveHls> {
  await execa(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=320x240:rate=25:duration=${seconds}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '50',
    '-keyint_min', '50', '-sc_threshold', '0', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '64k', '-f', 'hls', '-hls_time', '2',
    '-hls_list_size', '0', '-hls_segment_filename', join(dir, 'seg%03d.ts'), join(dir, 'vod.m3u8')]);
  const lines = readFileSync(join(dir, 'vod.m3u8'), 'utf8').split('\n');
  const segments: LiveHls['segments'] = [];
  lines.forEach((l, i) => { if (l.startsWith('#EXTINF:')) segments.push({ name: lines[i + 1]!.trim(), seconds: parseFloat(l.slice(8)) }); });
  return { dir, segments };
}

/** The live window at `elapsedS` since the start: the last `window` segments aired, looping with a discontinuity. */
function livePlaylist(h: LiveHls, elapsedS: number): string {
  const n = h.segments.length;
  const avg = h.segments.reduce((a, s) => a + s.seconds, 0) / n;
  const window = h.window ?? 4;
  const last = window + Math.floor(elapsedS / avg);
  const first = last - window;
  const target = Math.ceil(Math.max(...h.segments.map((s) => s.seconds)));
  let out = `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:${target}\n#EXT-X-MEDIA-SEQUENCE:${first}\n#EXT-X-DISCONTINUITY-SEQUENCE:${Math.floor(first / n)}\n`;
  for (let i = first; i < last; i++) {
    if (i > first && i % n === 0) out += '#EXT-X-DISCONTINUITY\n';
    const seg = h.segments[i % n]!;
    out += `#EXTINF:${seg.seconds.toFixed(6)},\n${seg.name}\n`;
  }
  return out;
}

export async function startIptvServer(opts: IptvServerOptions = {}): Promise<IptvServer> {
  const log: IptvRequest[] = [];
  const pages = new Map<string, { body: string; type: string }>();
  const liveSockets = new Set<Socket>();
  let dead = false;
  const startedAt = Date.now();
  const liveData = opts.liveTs ? readFileSync(opts.liveTs.file) : null;

  const serveLive = (res: ServerResponse): void => {
    const rate = opts.liveTs!.bytesPerSecond;
    const chunk = 188 * Math.max(1, Math.floor(rate / 188 / 20)); // ~20 writes a second
    let pos = 0;
    res.writeHead(200, { 'Content-Type': 'video/mp2t' });
    const timer = setInterval(() => {
      const end = pos + chunk;
      const piece = end <= liveData!.length ? liveData!.subarray(pos, end) : Buffer.concat([liveData!.subarray(pos), liveData!.subarray(0, end - liveData!.length)]);
      pos = end % liveData!.length;
      res.write(piece);
    }, 50);
    res.on('close', () => clearInterval(timer));
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const done = (status: number) => log.push({ path, status, userAgent: req.headers['user-agent'] ?? null, referer: req.headers.referer ?? null });
    const page = pages.get(path);
    if (page) {
      res.writeHead(200, { 'Content-Type': page.type }).end(page.body);
      return void done(200);
    }
    if (path.startsWith('/live/') && liveData) {
      if (dead) { res.writeHead(503).end(); return void done(503); }
      liveSockets.add(req.socket);
      req.socket.once('close', () => liveSockets.delete(req.socket));
      serveLive(res);
      return void done(200);
    }
    const hlsDir = opts.liveHls?.dir ?? opts.hlsDir;
    if (path.startsWith('/hls/') && hlsDir) {
      if (dead) { res.writeHead(503).end(); return void done(503); }
      if (opts.liveHls && basename(path) === 'live.m3u8') {
        res.writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl', 'Cache-Control': 'no-cache' }).end(livePlaylist(opts.liveHls, (Date.now() - startedAt) / 1000));
        return void done(200);
      }
      const file = join(hlsDir, basename(path));
      const stream = createReadStream(file);
      stream.once('open', () => {
        res.writeHead(200, { 'Content-Type': file.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp2t' });
        stream.pipe(res);
        done(200);
      });
      stream.once('error', () => { res.writeHead(404).end(); done(404); });
      return;
    }
    res.writeHead(404).end();
    done(404);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    page: (path, body, type = 'audio/x-mpegurl') => void pages.set(path, { body, type }),
    kill: () => { dead = true; for (const s of liveSockets) s.destroy(); },
    revive: () => { dead = false; },
    close: async () => {
      for (const s of liveSockets) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
