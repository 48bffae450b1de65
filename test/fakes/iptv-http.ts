// A faithful fake of an IPTV provider on 127.0.0.1: playlists (any text, with the Content-Type a
// provider sends, HTML login pages included), a live MPEG-TS stream (a TS file made by ffmpeg at
// test time, sent at its real-time rate and looped; it can be cut and revived) and an HLS stream
// (a playlist + segments ffmpeg wrote), with a log of every request's User-Agent and Referer.
import { createReadStream, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { basename, join } from 'node:path';

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
}

export async function startIptvServer(opts: IptvServerOptions = {}): Promise<IptvServer> {
  const log: IptvRequest[] = [];
  const pages = new Map<string, { body: string; type: string }>();
  const liveSockets = new Set<Socket>();
  let dead = false;
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
    if (path.startsWith('/hls/') && opts.hlsDir) {
      if (dead) { res.writeHead(503).end(); return void done(503); }
      const file = join(opts.hlsDir, basename(path));
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
