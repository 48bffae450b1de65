// A faithful fake of a media server's file endpoint (Plex/Jellyfin-style): files of one folder over
// HTTP on 127.0.0.1, only with the right request header (403 without it), with byte ranges
// (206 + Content-Range; 416 past the end), HEAD, and a log of what was asked. `spinUpMs` plays a
// NAS whose disk is asleep: the first request after spinDown() wakes it, and every request
// waits until it is awake (headers and all).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { sendFile } from './ranges.js';

export interface MediaServerLog { path: string; status: number; range: string | null; userAgent: string | null }

export interface MediaServer {
  /** Base URL, e.g. http://127.0.0.1:PORT */
  url: string;
  /** URL of one file of the folder. */
  fileUrl(name: string): string;
  readonly log: MediaServerLog[];
  /** The disk goes to sleep: the next request waits spinUpMs again. */
  spinDown(): void;
  close(): Promise<void>;
}

export async function startMediaServer(dir: string, header: { name: string; value: string }, opts: { spinUpMs?: number } = {}): Promise<MediaServer> {
  const log: MediaServerLog[] = [];
  let awake: Promise<void> | null = opts.spinUpMs ? null : Promise.resolve();
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    awake ??= new Promise((r) => setTimeout(r, opts.spinUpMs));
    void awake.then(() => answer(req, res));
  };
  const answer = (req: IncomingMessage, res: ServerResponse): void => {
    if (res.destroyed) return;
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const range = req.headers.range ?? null;
    const done = (status: number) => log.push({ path, status, range, userAgent: req.headers['user-agent'] ?? null });
    if (req.headers[header.name.toLowerCase()] !== header.value) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('forbidden: missing or wrong token');
      return void done(403);
    }
    done(sendFile(req, res, join(dir, basename(path))));
  };
  const server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, log, fileUrl: (name) => `${url}/${encodeURIComponent(name)}`,
    spinDown: () => { if (opts.spinUpMs) awake = null; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
