// What an Archive.org source lists: a Lucene search, a collection, or item identifiers, always
// narrowed to video items (mediatype:movies), through advancedsearch.php page by page (sorted by
// identifier, so pages are stable), each hit with the stamp of its last update (incremental rescans).
import type { ListedUnit } from '../online/sync.js';
import { ArchiveError, type ArchiveClient, type ArchiveField } from './http.js';

/** What an Archive.org source keeps in media_sources.config. */
export interface ArchiveConfig {
  /** Exactly one of query, collection, identifiers. */
  query?: string;
  collection?: string;
  identifiers?: string[];
  /** At most this many items (the first ones by identifier). */
  maxItems: number;
}

export const PAGE_ROWS = 100;

const quote = (s: string) => s.replace(/([+\-&|!(){}[\]^"~*?:\\/])/g, '\\$1');

/** The Lucene query sent to advancedsearch, and the field the user gave it in. */
export function searchOf(c: ArchiveConfig): { q: string; field: ArchiveField } {
  if (c.identifiers?.length) return { q: `identifier:(${c.identifiers.map(quote).join(' OR ')})`, field: 'identifiers' };
  if (c.collection) return { q: `collection:(${quote(c.collection)}) AND mediatype:(movies)`, field: 'collection' };
  if (c.query) return { q: `(${c.query}) AND mediatype:(movies)`, field: 'query' };
  throw new ArchiveError('give a search, a collection or item identifiers', 'query');
}

export interface ArchiveHit extends ListedUnit { title: string | null }

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const last = (v: unknown): string | null => (Array.isArray(v) ? str(v[v.length - 1]) : str(v));

function page(body: Record<string, unknown>, field: ArchiveField): { total: number; docs: Record<string, unknown>[] } {
  const error = body.error ?? (body.responseHeader as { status?: number } | undefined)?.status;
  if (error !== undefined && error !== 0) {
    const msg = typeof error === 'string' ? error : JSON.stringify(error).slice(0, 160);
    throw new ArchiveError(`Archive.org refused the search: ${msg}`, field);
  }
  const r = body.response as { numFound?: unknown; docs?: unknown } | undefined;
  if (!r || typeof r.numFound !== 'number' || !Array.isArray(r.docs)) throw new ArchiveError('Archive.org answered a search without results (no response.numFound/docs): check archiveUrl', field);
  return { total: r.numFound, docs: r.docs as Record<string, unknown>[] };
}

/** Lists the source's items (at most maxItems); throws an ArchiveError naming the field to fix. */
export async function searchArchive(client: ArchiveClient, c: ArchiveConfig, o: { signal?: AbortSignal; rows?: number; onPage?: (got: number, total: number) => void } = {}): Promise<ArchiveHit[]> {
  const { q, field } = searchOf(c);
  const cap = c.identifiers?.length ? Math.max(c.maxItems, c.identifiers.length) : c.maxItems; // every identifier asked for
  const rows = Math.min(o.rows ?? PAGE_ROWS, cap);
  const hits: ArchiveHit[] = [];
  const seen = new Set<string>();
  let want = Infinity;
  for (let p = 1; hits.length < want; p++) {
    const params = new URLSearchParams({ q, rows: String(rows), page: String(p), output: 'json' });
    for (const f of ['identifier', 'title', 'oai_updatedate', 'publicdate']) params.append('fl[]', f);
    params.append('sort[]', 'identifier asc');
    const { total, docs } = page(await client.getJson(`/advancedsearch.php?${params}`, `the search (page ${p})`, o.signal), field);
    want = Math.min(total, cap);
    for (const d of docs) {
      const key = str(d.identifier);
      if (!key || /[/\s]/.test(key)) continue;
      if (seen.has(key)) throw new ArchiveError(`Archive.org listed ${key} twice (the results changed while paging): scan again`, field);
      seen.add(key);
      if (hits.length < want) hits.push({ key, stamp: last(d.oai_updatedate) ?? str(d.publicdate) ?? '', title: str(d.title) });
    }
    o.onPage?.(hits.length, want);
    if (docs.length === 0 && hits.length < want) throw new ArchiveError(`Archive.org listed ${hits.length} of ${want} items and then none (the results changed while paging): scan again`, field);
  }
  if (c.identifiers?.length) {
    const absent = c.identifiers.filter((id) => !seen.has(id));
    if (absent.length) throw new ArchiveError(`no Archive.org item ${absent.map((a) => `"${a}"`).join(', ')}: check the identifiers (the part after /details/ in the item's address)`, 'identifiers');
  }
  if (!hits.length) throw new ArchiveError(`the search ${q} found no video items on Archive.org`, field);
  return hits;
}
