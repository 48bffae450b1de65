// A faithful fake of a media server's file endpoint (Plex/Jellyfin-style): files of one folder over
// HTTP on 127.0.0.1, only with the right request header (403 without it), with byte ranges
// (206 + Content-Range; 416 past the end), HEAD, and a log of what was asked.
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
  close(): Promise<void>;
}

export async function startMediaServer(dir: string, header: { name: string; value: string }): Promise<MediaServer> {
  const log: MediaServerLog[] = [];
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
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
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
