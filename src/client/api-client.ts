// The API client of the CLI and the TUI. One method, request(); two transports: HTTP to a running
// daemon, or app.inject() into a server built in-process over the same data dir.
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { authHeaders } from '../schemas/auth.js';
import type { Channel, channelInput, channelPatch } from '../schemas/channel.js';
import type { Collection, CollectionDetail, collectionInput, CollectionPatch } from '../schemas/collection.js';
import type { ScanState } from '../schemas/library.js';
import type { ServerStatus } from '../schemas/status.js';
import type { TimelineRowOut } from '../schemas/timeline.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiIssue { path: string; message: string }

/** A reply other than 2xx (status = its HTTP status), or no reply at all (status 0). */
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly issues: ApiIssue[] = []) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface TransportReply { status: number; contentType: string; text: string }
/** Sends one request; rejects only when no reply came back. */
export type Transport = (method: Method, path: string, body?: unknown) => Promise<TransportReply>;

export const DEFAULT_TIMEOUT_MS = 30_000;

/** HTTP with global fetch, each request limited to timeoutMs; `token` is the admin token (a remote daemon needs it). */
export function httpTransport(baseUrl: string, opts: { timeoutMs?: number; token?: string | null } = {}): Transport {
  const base = baseUrl.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return async (method, path, body) => {
    let res: Response;
    try {
      res = await fetch(base + path, {
        method,
        headers: { ...authHeaders(opts.token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      if (e.name === 'TimeoutError') throw new ApiError(0, `${method} ${path}: no reply from ${base} within ${timeoutMs / 1000} s`);
      throw new ApiError(0, `cannot reach exstreamtv at ${base}: ${e.cause?.code ?? e.cause?.message ?? e.message}`);
    }
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
  };
}

/** In-process: the same routes, validation and errors, without a socket. */
export function injectTransport(app: FastifyInstance): Transport {
  return async (method, path, body) => {
    const res = await app.inject({
      method,
      url: path,
      headers: { ...authHeaders(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), text: res.body };
  };
}

function parseReply<T>(method: Method, path: string, r: TransportReply): T {
  let data: unknown;
  if (r.text !== '' && r.contentType.includes('json')) {
    try { data = JSON.parse(r.text); } catch { data = undefined; }
  }
  if (r.status >= 200 && r.status < 300) return data as T;
  const err = (data ?? {}) as { message?: unknown; issues?: unknown };
  const message = typeof err.message === 'string' ? err.message
    : `${method} ${path}: HTTP ${r.status}${r.text ? `: ${r.text.slice(0, 200)}` : ''}`;
  const issues = Array.isArray(err.issues)
    ? err.issues.filter((i): i is ApiIssue => typeof i?.path === 'string' && typeof i?.message === 'string')
    : [];
  throw new ApiError(r.status, message, issues);
}

export class ApiClient {
  constructor(private readonly transport: Transport) {}

  /** Sends a request and returns its JSON reply (undefined for 204); throws ApiError otherwise. */
  async request<T = unknown>(method: Method, path: string, body?: unknown): Promise<T> {
    return parseReply<T>(method, path, await this.transport(method, path, body));
  }

  status(): Promise<ServerStatus> { return this.request('GET', '/api/status'); }

  channels(): Promise<Channel[]> { return this.request('GET', '/api/channels'); }
  channel(number: string): Promise<Channel> { return this.request('GET', `/api/channels/${encodeURIComponent(number)}`); }
  createChannel(input: z.input<typeof channelInput>): Promise<Channel> { return this.request('POST', '/api/channels', input); }
  updateChannel(number: string, patch: z.input<typeof channelPatch>): Promise<Channel> { return this.request('PATCH', `/api/channels/${encodeURIComponent(number)}`, patch); }
  deleteChannel(number: string): Promise<void> { return this.request('DELETE', `/api/channels/${encodeURIComponent(number)}`); }

  timeline(number: string, q: { from?: string; hours?: number; limit?: number } = {}): Promise<{ channel: { number: string; name: string }; rows: TimelineRowOut[]; total: number; nextFrom: string | null }> {
    return this.request('GET', `/api/channels/${encodeURIComponent(number)}/timeline${query(q)}`);
  }
  now(number: string, at?: string): Promise<{ at: string; offsetMs: number; seekMs: number; row: TimelineRowOut; next: TimelineRowOut | null }> {
    return this.request('GET', `/api/channels/${encodeURIComponent(number)}/now${query({ at })}`);
  }

  collections(): Promise<Collection[]> { return this.request('GET', '/api/collections'); }
  collection(id: number): Promise<CollectionDetail> { return this.request('GET', `/api/collections/${id}`); }
  createCollection(input: z.input<typeof collectionInput>): Promise<Collection> {
    return this.request('POST', '/api/collections', input);
  }
  updateCollection(id: number, patch: CollectionPatch): Promise<Collection> { return this.request('PATCH', `/api/collections/${id}`, patch); }
  changeCollectionItems(id: number, change: { add?: number[]; remove?: number[] }): Promise<Collection> {
    return this.request('POST', `/api/collections/${id}/items`, change);
  }
  deleteCollection(id: number): Promise<void> { return this.request('DELETE', `/api/collections/${id}`); }

  scan(sourceId: number): Promise<ScanState> { return this.request('POST', `/api/sources/${sourceId}/scan`); }
  scanState(scanId: number): Promise<ScanState> { return this.request('GET', `/api/scans/${scanId}`); }
}

function query(q: Record<string, string | number | undefined>): string {
  const entries = Object.entries(q).filter((e): e is [string, string | number] => e[1] !== undefined);
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)]))}` : '';
}

export interface StreamedEvent { event: string; data: unknown }

/**
 * Follows GET /api/events over HTTP, calling onEvent for each event until signal aborts or the
 * server ends the stream. Resolves when the stream ends.
 */
export async function followEvents(baseUrl: string, onEvent: (e: StreamedEvent) => void, opts: { signal?: AbortSignal; types?: string[]; token?: string | null } = {}): Promise<void> {
  const url = `${baseUrl.replace(/\/+$/, '')}/api/events${opts.types?.length ? `?types=${encodeURIComponent(opts.types.join(','))}` : ''}`;
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...authHeaders(opts.token) }, signal: opts.signal });
  if (!res.ok || !res.body) throw new ApiError(res.status, `GET /api/events: HTTP ${res.status}`);
  const decoder = new TextDecoder();
  let buf = '';
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buf += decoder.decode(chunk, { stream: true });
      let cut: number;
      while ((cut = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        const parsed = parseSseBlock(block);
        if (parsed) onEvent(parsed);
      }
    }
  } catch (err) {
    if ((err as Error).name !== 'AbortError') throw err;
  }
}

/** One SSE block → {event, data}; comments and blocks without data give null. */
export function parseSseBlock(block: string): StreamedEvent | null {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const i = line.indexOf(':');
    const field = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (!data.length) return null;
  const text = data.join('\n');
  try { return { event, data: JSON.parse(text) }; } catch { return { event, data: text }; }
}
