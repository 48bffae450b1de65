// A faithful fake of Archive.org on 127.0.0.1: advancedsearch.php (the Lucene subset our queries use:
// field:(a OR b) terms joined by AND, rows/page paging, fl[] fields, sort by identifier; the JSON
// shape archive.org answers), /metadata/{id} (recorded-shape fixtures from test/fixtures/archive/;
// `{}` for an unknown id, as archive.org does), /download/{id}/{file} (a 302 to a data node, then
// byte ranges). It can answer 429 with Retry-After, or an HTML page instead of the search. It
// refuses requests without a descriptive User-Agent (as archive.org asks of bulk clients).
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sendFile } from './ranges.js';

export interface ArchiveRequest { path: string; status: number; userAgent: string | null; range: string | null; query: URLSearchParams }

export interface FakeArchiveItem { metadata: Record<string, unknown>; updated: string; files: Record<string, string> }

export interface FakeArchive {
  url: string;
  readonly log: ArchiveRequest[];
  /** Adds the fixture item `id` (its metadata from metadata.json), its files' names mapped to local files. */
  addItem(id: string, files?: Record<string, string>, updated?: string): void;
  /** A new update stamp (oai_updatedate) and title: the next scan must fetch its metadata again. */
  touch(id: string, title: string): void;
  remove(id: string): void;
  /** The next `n` requests answer 429 with Retry-After: `seconds`. */
  throttle(n: number, seconds: number): void;
  /** The search answers an HTML page (what a proxy or an outage serves). */
  searchHtml: boolean;
  /** Largest number of requests in flight at once. */
  readonly maxInFlight: number;
  close(): Promise<void>;
}

const FIXTURES = JSON.parse(readFileSync(fileURLToPath(new URL('../../../test/fixtures/archive/metadata.json', import.meta.url)), 'utf8')) as Record<string, Record<string, any>>;

/** `field:(a OR b)` / `field:a` terms of a query (AND only), backslash escapes removed. */
function terms(q: string): { field: string; values: string[] }[] {
  const out: { field: string; values: string[] }[] = [];
  const re = /([a-z_]+):(\((?:\\.|[^)\\])*\)|(?:\\.|[^\s)\\])+)/g;
  for (let m = re.exec(q); m; m = re.exec(q)) {
    const raw = m[2]!.startsWith('(') ? m[2]!.slice(1, -1) : m[2]!;
    out.push({ field: m[1]!, values: raw.split(/\s+OR\s+/).map((v) => v.trim().replace(/\\(.)/g, '$1')) });
  }
  return out;
}

export async function startFakeArchive(): Promise<FakeArchive> {
  const items = new Map<string, FakeArchiveItem>();
  const log: ArchiveRequest[] = [];
  let throttled = { n: 0, seconds: 1 };
  let inFlight = 0;
  const fake = { searchHtml: false, maxInFlight: 0 };

  const json = (res: ServerResponse, body: unknown) => { res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body)); return 200; };

  function search(q: URLSearchParams, res: ServerResponse): number {
    if (fake.searchHtml) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8' }).end('<!DOCTYPE html><html><head><title>Internet Archive: Scheduled Maintenance</title></head><body>The Internet Archive is down for maintenance.</body></html>');
      return 200;
    }
    const query = q.get('q') ?? '';
    const want = terms(query);
    if (!want.length) return json(res, { responseHeader: { status: 400, QTime: 0 }, error: `org.apache.lucene.queryParser.ParseException: Cannot parse '${query}'` });
    const rows = Number(q.get('rows') ?? 50), page = Number(q.get('page') ?? 1);
    const fields = q.getAll('fl[]');
    const hits = [...items.entries()].filter(([id, it]) => want.every(({ field, values }) => {
      const v = field === 'identifier' ? [id] : ([] as unknown[]).concat(it.metadata[field] ?? []).map(String);
      return values.some((x) => v.includes(x));
    })).sort(([a], [b]) => (a < b ? -1 : 1));
    const docs = hits.slice((page - 1) * rows, page * rows).map(([id, it]) => {
      const doc: Record<string, unknown> = { identifier: id, title: it.metadata.title, oai_updatedate: ['2010-03-11T21:30:02Z', it.updated], publicdate: '2010-03-11T21:30:02Z' };
      return Object.fromEntries(Object.entries(doc).filter(([k]) => fields.includes(k)));
    });
    return json(res, { responseHeader: { status: 0, QTime: 3, params: { query, qin: query, fields: fields.join(','), wt: 'json', rows: String(rows), start: (page - 1) * rows } },
      response: { numFound: hits.length, start: (page - 1) * rows, docs } });
  }

  const serve = (req: IncomingMessage, res: ServerResponse): number => {
    const u = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(u.pathname);
    if (!/EXStreamTV/.test(req.headers['user-agent'] ?? '')) { res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Please identify your client in the User-Agent'); return 403; }
    if (throttled.n > 0) {
      throttled.n--;
      res.writeHead(429, { 'Content-Type': 'text/html', 'Retry-After': String(throttled.seconds) }).end('<html><body>Too Many Requests</body></html>');
      return 429;
    }
    if (path === '/advancedsearch.php') return search(u.searchParams, res);
    const meta = /^\/metadata\/([^/]+)$/.exec(path);
    if (meta) {
      const it = items.get(meta[1]!);
      return json(res, it ? { ...FIXTURES[meta[1]!], metadata: it.metadata, item_last_updated: Date.parse(it.updated) / 1000 } : {});
    }
    const dl = /^\/download\/([^/]+)\/(.+)$/.exec(path);
    if (dl) {
      res.writeHead(302, { Location: `/serve/${encodeURIComponent(dl[1]!)}/${dl[2]!.split('/').map(encodeURIComponent).join('/')}` }).end();
      return 302;
    }
    const node = /^\/serve\/([^/]+)\/(.+)$/.exec(path);
    const file = node ? items.get(node[1]!)?.files[node[2]!] : undefined;
    if (!file) { res.writeHead(404, { 'Content-Type': 'text/html' }).end('<html>not found</html>'); return 404; }
    return sendFile(req, res, file, 'video/mp4');
  };

  const server = createServer((req, res) => {
    inFlight++;
    fake.maxInFlight = Math.max(fake.maxInFlight, inFlight);
    res.on('close', () => { inFlight--; });
    const status = serve(req, res);
    const u = new URL(req.url ?? '/', 'http://x');
    log.push({ path: decodeURIComponent(u.pathname), status, userAgent: req.headers['user-agent'] ?? null, range: req.headers.range ?? null, query: u.searchParams });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(fake, {
    url, log,
    addItem: (id: string, files: Record<string, string> = {}, updated = '2020-07-17T21:25:10Z') => {
      if (!FIXTURES[id]) throw new Error(`no fixture ${id}`);
      items.set(id, { metadata: { ...FIXTURES[id]!.metadata }, updated, files });
    },
    touch: (id: string, title: string) => { const it = items.get(id)!; it.metadata.title = title; it.updated = new Date(Date.parse(it.updated) + 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z'); },
    remove: (id: string) => { items.delete(id); },
    throttle: (n: number, seconds: number) => { throttled = { n, seconds }; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  });
}
