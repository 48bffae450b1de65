// Serves one file over HTTP the way media servers do: Accept-Ranges, 206 + Content-Range for a
// byte range, 416 past the end, HEAD without a body. Returns the status sent.
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';

export function sendFile(req: IncomingMessage, res: ServerResponse, file: string, type = 'application/octet-stream'): number {
  let size: number;
  try { size = statSync(file).size; } catch {
    res.writeHead(404).end();
    return 404;
  }
  const range = req.headers.range ?? null;
  let start = 0, end = size - 1, status = 200;
  const m = range ? /^bytes=(\d*)-(\d*)$/.exec(range) : null;
  if (m && (m[1] || m[2])) {
    if (m[1]) { start = Number(m[1]); end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1; } else { start = Math.max(0, size - Number(m[2])); }
    if (start >= size || start > end) {
      res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
      return 416;
    }
    status = 206;
  }
  const headers: Record<string, string | number> = { 'Content-Type': type, 'Accept-Ranges': 'bytes', 'Content-Length': end - start + 1 };
  if (status === 206) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  res.writeHead(status, headers);
  if (req.method === 'HEAD') { res.end(); return status; }
  const body = createReadStream(file, { start, end });
  body.pipe(res);
  res.on('close', () => body.destroy());
  return status;
}
