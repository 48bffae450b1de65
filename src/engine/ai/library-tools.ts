// Tools the model calls to ground a channel in the library: search shows, items and collections
// by words, genre, year range, kind and length; list collections. Answers carry ids, titles,
// genres, years and lengths only — never file paths, URLs or anything secret.
import { z } from 'zod';
import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import { ftsQuery } from '../store/repos/items.js';
import type { Store } from '../store/store.js';
import type { TimelineService } from '../timeline/service.js';

const searchArgs = z.object({
  words: z.string().max(200).nullish().describe('words in titles, show titles, plots or genres'),
  genre: z.string().max(60).nullish().describe('a genre, e.g. comedy, animation, horror'),
  yearFrom: z.number().int().min(1800).max(2200).nullish(),
  yearTo: z.number().int().min(1800).max(2200).nullish(),
  kind: z.enum(['movie', 'episode', 'any']).nullish().describe('movie, episode (of a show) or any'),
  minMinutes: z.number().min(0).max(100_000).nullish(),
  maxMinutes: z.number().min(0).max(100_000).nullish(),
}).strict();
export type SearchArgs = z.infer<typeof searchArgs>;

const listArgs = z.object({}).strict();

/** What a search sends back: shows (episodes grouped), other items, collections by name. */
export interface SearchResult {
  shows: { type: 'show'; id: number; title: string; year: number | null; genres: string[]; matchingEpisodes: number; minutesEach: number }[];
  items: { type: 'item'; id: number; kind: string; title: string; year: number | null; genres: string[]; minutes: number }[];
  collections: { type: 'collection'; id: number; name: string; playable: number }[];
  note?: string;
}

/** A tool's parameters as plain JSON Schema (no $schema: some providers refuse it). */
function params(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  return rest;
}

const LIMIT = 25;
const ROW_CAP = 5000;

interface Row { id: number; kind: string; title: string; year: number | null; genres: string; duration_ms: number; show_id: number | null; show_title: string | null; show_genres: string | null }

const genresOf = (...lists: (string | null)[]): string[] => [...new Set(lists.flatMap((l) => { try { return l ? JSON.parse(l) as string[] : []; } catch { return []; } }))];

export class LibraryTools {
  constructor(private readonly store: Store, private readonly timeline: TimelineService) {}

  /** Function definitions in the OpenAI tools format (parameters strict-compatible). */
  definitions(): ChatCompletionTool[] {
    return [
      { type: 'function', function: { name: 'search_library', strict: false, description: 'Find playable shows, movies/items and collections. All filters optional; combine them. Use the returned type and id in the definition\'s content.', parameters: params(searchArgs) } },
      { type: 'function', function: { name: 'list_collections', strict: false, description: 'Every collection with how many playable items it has.', parameters: params(listArgs) } },
    ];
  }

  /** Runs one tool call; a bad call answers {error} so the model can correct itself. */
  run(name: string, rawArgs: string): { result: unknown; count: number } {
    let args: unknown;
    try { args = rawArgs.trim() ? JSON.parse(rawArgs) : {}; } catch { return { result: { error: 'arguments are not valid JSON' }, count: 0 }; }
    if (name === 'list_collections') {
      const ok = listArgs.safeParse(args ?? {});
      if (!ok.success) return { result: { error: z.prettifyError(ok.error) }, count: 0 };
      const collections = this.collections();
      return { result: { collections }, count: collections.length };
    }
    if (name === 'search_library') {
      const ok = searchArgs.safeParse(args ?? {});
      if (!ok.success) return { result: { error: z.prettifyError(ok.error) }, count: 0 };
      const r = this.search(ok.data);
      return { result: r, count: r.shows.length + r.items.length + r.collections.length };
    }
    return { result: { error: `no tool "${name}" (tools: search_library, list_collections)` }, count: 0 };
  }

  collections(): SearchResult['collections'] {
    return this.store.collections.list().map((c) => ({ type: 'collection' as const, id: c.id, name: c.name, playable: this.timeline.pool([{ type: 'collection', id: c.id }]).length }));
  }

  search(a: SearchArgs): SearchResult {
    const where = [`i.status = 'ok'`, 'i.duration_ms > 0'];
    const args: unknown[] = [];
    if (a.words) {
      const fts = ftsQuery(a.words);
      if (fts) { where.push('i.id IN (SELECT rowid FROM media_search WHERE media_search MATCH ?)'); args.push(fts); }
    }
    if (a.genre) {
      where.push(`(EXISTS (SELECT 1 FROM json_each(i.genres) WHERE lower(value) LIKE ?) OR EXISTS (SELECT 1 FROM json_each(coalesce(s.genres, '[]')) WHERE lower(value) LIKE ?))`);
      const like = `%${a.genre.toLowerCase().replace(/[%_]/g, '')}%`;
      args.push(like, like);
    }
    const year = `coalesce(i.year, CAST(substr(i.release_date, 1, 4) AS INTEGER), s.year)`;
    if (a.yearFrom != null) { where.push(`${year} >= ?`); args.push(a.yearFrom); }
    if (a.yearTo != null) { where.push(`${year} <= ?`); args.push(a.yearTo); }
    if (a.kind === 'movie') where.push(`i.show_id IS NULL`);
    if (a.kind === 'episode') where.push(`i.show_id IS NOT NULL`);
    if (a.minMinutes != null) { where.push('i.duration_ms >= ?'); args.push(a.minMinutes * 60_000); }
    if (a.maxMinutes != null) { where.push('i.duration_ms <= ?'); args.push(a.maxMinutes * 60_000); }
    const rows = this.store.db.prepare(`SELECT i.id, i.kind, i.title, ${year} AS year, i.genres, i.duration_ms, i.show_id, s.title AS show_title, s.genres AS show_genres
      FROM media_items i LEFT JOIN shows s ON s.id = i.show_id WHERE ${where.join(' AND ')} ORDER BY coalesce(s.sort_title, i.sort_title), i.id LIMIT ${ROW_CAP}`).all(...args) as Row[];
    const shows = new Map<number, SearchResult['shows'][number] & { totalMs: number }>();
    const items: SearchResult['items'] = [];
    for (const r of rows) {
      if (r.show_id !== null) {
        const s = shows.get(r.show_id) ?? { type: 'show' as const, id: r.show_id, title: r.show_title ?? '', year: r.year, genres: genresOf(r.show_genres, r.genres), matchingEpisodes: 0, minutesEach: 0, totalMs: 0 };
        s.matchingEpisodes++;
        s.totalMs += r.duration_ms;
        if (r.year !== null && (s.year === null || r.year < s.year)) s.year = r.year;
        shows.set(r.show_id, s);
      } else if (items.length < LIMIT) {
        items.push({ type: 'item', id: r.id, kind: r.kind, title: r.title, year: r.year, genres: genresOf(r.genres), minutes: Math.round(r.duration_ms / 60_000) });
      }
    }
    const words = a.words?.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    const collections = words.length ? this.collections().filter((c) => words.some((w) => c.name.toLowerCase().includes(w))) : [];
    const out: SearchResult = {
      shows: [...shows.values()].slice(0, LIMIT).map(({ totalMs, ...s }) => ({ ...s, minutesEach: Math.round(totalMs / s.matchingEpisodes / 60_000) })),
      items,
      collections,
    };
    if (rows.length >= ROW_CAP || shows.size > LIMIT) out.note = 'more matched: narrow the search';
    if (!rows.length && !collections.length) out.note = 'nothing matched: try fewer filters or other words';
    return out;
  }
}
