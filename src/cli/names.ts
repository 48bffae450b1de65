// Content by name on the command line: schedule JSON may say {"type":"show","name":"Demo Show"}
// instead of an id (resolved here before it is sent), `schedule show --names` prints names, and
// `channel list` shows what a channel airs by name. Names match case-insensitively.
import type { Channel, ContentRef } from '../schemas/channel.js';
import type { Collection } from '../schemas/collection.js';
import type { Show } from '../schemas/library.js';
import type { ApiClient } from '../client/api-client.js';
import { UsageError } from './run.js';

export interface Names { shows: Show[]; collections: Collection[] }

export async function loadNames(api: ApiClient): Promise<Names> {
  const [shows, collections] = await Promise.all([api.request<Show[]>('GET', '/api/shows'), api.request<Collection[]>('GET', '/api/collections')]);
  return { shows, collections };
}

const nameOf = (n: Names, r: ContentRef): string | undefined =>
  r.type === 'show' ? n.shows.find((s) => s.id === r.id)?.title : r.type === 'collection' ? n.collections.find((c) => c.id === r.id)?.name : undefined;

/** "show Demo Show", "collection Demo movies", "item 12" (or the id when the name is gone). */
export function refText(n: Names, r: ContentRef): string {
  const name = nameOf(n, r);
  return name !== undefined ? `${r.type} ${name}` : `${r.type} #${r.id}`;
}

type RawRef = { type?: unknown; id?: unknown; name?: unknown };
const sourcesOf = (def: unknown): { content?: unknown }[] => {
  const s = (def as { sources?: unknown } | null)?.sources;
  return Array.isArray(s) ? s as { content?: unknown }[] : [];
};

/** A copy of a schedule definition whose shows and collections are named (ids dropped where a name exists). */
export function withNames(def: unknown, n: Names): unknown {
  const out = structuredClone(def) as Record<string, unknown>;
  for (const s of sourcesOf(out)) {
    if (!Array.isArray(s.content)) continue;
    s.content = (s.content as ContentRef[]).map((r) => { const name = nameOf(n, r); return name !== undefined ? { type: r.type, name } : r; });
  }
  return out;
}

/** A copy whose `{type, name}` references have ids; an unknown or ambiguous name is a usage error naming its path. */
export function resolveNames(def: unknown, n: Names): unknown {
  const out = structuredClone(def) as Record<string, unknown>;
  sourcesOf(out).forEach((s, i) => {
    if (!Array.isArray(s.content)) return;
    s.content = (s.content as RawRef[]).map((r, j) => {
      if (typeof r?.name !== 'string' || r.id !== undefined) return r;
      const where = `sources.${i}.content.${j}`;
      const want = r.name.toLowerCase();
      const hits: number[] = r.type === 'show' ? n.shows.filter((x) => x.title.toLowerCase() === want).map((x) => x.id)
        : r.type === 'collection' ? n.collections.filter((x) => x.name.toLowerCase() === want).map((x) => x.id)
          : [];
      if (r.type !== 'show' && r.type !== 'collection') throw new UsageError(`${where}: only shows and collections can be named (items need "id")`);
      if (!hits.length) throw new UsageError(`${where}: no ${r.type} named "${r.name}" (see: exstreamtv ${r.type === 'show' ? 'show' : 'collection'} list)`);
      if (hits.length > 1) throw new UsageError(`${where}: ${hits.length} ${r.type}s are named "${r.name}" (ids ${hits.join(', ')}): use "id"`);
      return { type: r.type, id: hits[0] };
    });
  });
  return out;
}

/** What a channel airs, by name. */
export const contentText = (n: Names, c: Channel) => c.content.map((r) => refText(n, r)).join(', ');
