// HTTP for a long-lived client that polls: node:http with one keep-alive socket, instead of global
// fetch (undici), whose per-request and per-chunk overhead (WHATWG streams, allocations → GC)
// was most of the idle TUI's CPU at 1 Hz polls and 10 SSE events a second. Same contract as
// httpTransport: resolves with any HTTP reply, rejects with ApiError(0) when none came back.
import http from 'node:http';
import { authHeaders } from '../schemas/auth.js';
import { ApiError, type Transport } from '../client/api-client.js';

export function keepAliveTransport(baseUrl: string, opts: { timeoutMs?: number; token?: string | null } = {}): Transport & { close(): void } {
  const base = new URL(baseUrl.replace(/\/+$/, ''));
  const prefix = base.pathname.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const transport = (method: string, path: string, body?: unknown) => new Promise<{ status: number; contentType: string; text: string }>((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request({
      host: base.hostname.replace(/^\[|\]$/g, ''), port: base.port || 80, method, path: prefix + path, agent,
      headers: { ...authHeaders(opts.token), ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (err) => reject(new ApiError(0, `${method} ${path}: ${err.message}`)));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new ApiError(0, `${method} ${path}: no reply from ${base.origin} within ${timeoutMs / 1000} s`)));
    req.on('error', (err: NodeJS.ErrnoException) => reject(err instanceof ApiError ? err : new ApiError(0, `cannot reach exstreamtv at ${base.origin}: ${err.code ?? err.message}`)));
    req.end(payload);
  });
  return Object.assign(transport as Transport, { close: () => agent.destroy() });
}
