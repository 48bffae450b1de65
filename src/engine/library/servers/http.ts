// One JSON request to a media server, with a timeout and the caller's abort signal, whose every
// failure becomes a ServerError with a one-line reason that says what to fix (and which field).
import type { z } from 'zod';

/** Which input the user should fix: the server URL, or the credentials (token, user name, password). */
export type ServerErrorField = 'url' | 'token' | 'password' | 'library';

export class ServerError extends Error {
  constructor(message: string, readonly field: ServerErrorField) { super(message); }
}

export const DEFAULT_SERVER_TIMEOUT_MS = 10_000;

export interface JsonRequest {
  base: string;
  path: string;
  headers: Record<string, string>;
  /** What the server is called in messages ("Jellyfin"). */
  product: string;
  method?: 'GET' | 'POST';
  body?: unknown;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The base URL without a trailing slash; throws a ServerError naming `url` when it is not http(s). */
export function baseUrl(url: string): string {
  let u: URL;
  try { u = new URL(url); } catch { throw new ServerError(`"${url}" is not a URL: give the server's address, e.g. http://192.168.1.10:8096`, 'url'); }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ServerError(`"${url}" is not an http(s) URL`, 'url');
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

const RETRYABLE = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

const causeCode = (err: unknown): string => {
  const c = (err as { cause?: { code?: string; message?: string } }).cause;
  return c?.code ?? c?.message ?? (err as Error).message;
};

export async function requestJson<S extends z.ZodType>(req: JsonRequest, schema: S): Promise<z.infer<S>> {
  const timeoutMs = req.timeoutMs ?? DEFAULT_SERVER_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = req.signal ? AbortSignal.any([timeout, req.signal]) : timeout;
  const where = `${req.base}${req.path.split('?')[0]}`;
  let res: Response;
  let text: string;
  const send = async () => {
    const r = await fetch(`${req.base}${req.path}`, {
      method: req.method ?? 'GET', signal, redirect: 'follow',
      headers: { Accept: 'application/json', ...(req.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...req.headers },
      ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
    });
    return { r, t: await r.text() };
  };
  try {
    try {
      ({ r: res, t: text } = await send());
    } catch (err) {
      // A kept-alive connection the server closed just as it was reused: a GET is safe to send once more.
      if ((req.method ?? 'GET') !== 'GET' || signal.aborted || !RETRYABLE.has(causeCode(err))) throw err;
      ({ r: res, t: text } = await send());
    }
  } catch (err) {
    if (req.signal?.aborted) throw req.signal.reason instanceof Error ? req.signal.reason : new Error('cancelled');
    if (timeout.aborted) throw new ServerError(`${req.product} at ${req.base} did not answer within ${(timeoutMs / 1000).toFixed(0)} s: check the URL and port, and that the server is up`, 'url');
    throw new ServerError(`cannot reach ${req.product} at ${req.base} (${causeCode(err)}): check the URL and port, and that the server is up`, 'url');
  }
  if (res.status === 401 || res.status === 403) {
    throw new ServerError(`${req.product} at ${req.base} refused the credentials (HTTP ${res.status}): check the token, or the user name and password`, 'token');
  }
  const type = res.headers.get('content-type') ?? '';
  if (!/json/i.test(type) || /^\s*</.test(text)) {
    throw new ServerError(`${where} answered ${type.split(';')[0] || 'something'} (HTTP ${res.status}), not the ${req.product} API: check the URL (the server's own address, not a web page or proxy login)`, 'url');
  }
  if (!res.ok) throw new ServerError(`${where} answered HTTP ${res.status}: ${text.slice(0, 120).replace(/\s+/g, ' ')}`, res.status === 404 ? 'url' : 'library');
  let body: unknown;
  try { body = JSON.parse(text); } catch { throw new ServerError(`${where} answered broken JSON: check the URL`, 'url'); }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ServerError(`${where} answered an unexpected shape (${issue?.path.join('.') || 'body'}: ${issue?.message}): is this really ${req.product}?`, 'url');
  }
  return parsed.data;
}
