// A small library for the AI tests (80s sitcoms, cartoons, movies, one unplayable show) and a fake
// "model" that builds its answer from the ids the grounding tools returned.
import type { ChatRequest, Reply } from '../fakes/openai.js';
import type { Store } from '../../src/engine/store/store.js';
import { addFakeItems, addFakeSource, episodes, type FakeItem } from '../helpers/fake-items.js';

const MIN = 60_000;
const tag = (items: FakeItem[], genres: string[], year: number) => items.map((i) => ({ ...i, genres, year }));

export function addAiLibrary(store: Store): { sitcoms: number[]; cartoons: number[]; movies: number[] } {
  const src = addFakeSource(store, 'tv');
  const sitcoms = addFakeItems(store, src, [...tag(episodes('Family Matters', 6, 25 * MIN), ['Comedy', 'Sitcom'], 1989), ...tag(episodes('Cheers', 6, 25 * MIN), ['Comedy', 'Sitcom'], 1984)]);
  const cartoons = addFakeItems(store, src, tag(episodes('ThunderCats', 8, 22 * MIN), ['Animation', 'Kids'], 1985));
  const movies = addFakeItems(store, src, [
    { title: 'Night Train', durationMs: 95 * MIN, genres: ['Thriller'], year: 1987 },
    { title: 'Harbour Lights', durationMs: 110 * MIN, genres: ['Drama'], year: 1992 },
  ]);
  // A modern comedy that must not be picked for "80s", and a show nothing of which is playable.
  addFakeItems(store, src, tag(episodes('Office Days', 3, 22 * MIN), ['Comedy'], 2015));
  addFakeItems(store, src, tag(episodes('Broken Show', 2, 25 * MIN), ['Comedy'], 1986).map((i) => ({ ...i, status: 'unreadable' as const })));
  return { sitcoms, cartoons, movies };
}

/** The three grounding searches of the channel request. */
export const SEARCHES: Reply = {
  toolCalls: [
    { name: 'search_library', args: { genre: 'sitcom', yearFrom: 1980, yearTo: 1989, kind: 'episode' } },
    { name: 'search_library', args: { genre: 'animation', kind: 'episode' } },
    { name: 'search_library', args: { kind: 'movie', minMinutes: 60 } },
  ],
};

/** Tool results of the request, in order (what the tools answered). */
export function toolResults(req: ChatRequest): any[] {
  return req.messages.filter((m) => m.role === 'tool').map((m) => JSON.parse(String(m.content)));
}

/** A week schedule built from the tool results: sitcoms weeknights 20:00, cartoons Saturday 08:00, movies after 22:00. */
export function weekAnswer(req: ChatRequest, tweak: (def: any) => void = () => {}): Reply {
  const [sitcoms, cartoons, movies] = toolResults(req);
  const def: any = {
    version: 2, timezone: 'Europe/Berlin', onDemand: null, blocks: null, filler: null,
    sources: [
      { key: 'sitcoms', content: sitcoms.shows.map((s: any) => ({ type: 'show', id: s.id })), order: { kind: 'cyclic_shuffle' }, keepMultiPart: null },
      { key: 'cartoons', content: cartoons.shows.map((s: any) => ({ type: 'show', id: s.id })), order: { kind: 'in_order', by: 'episode' }, keepMultiPart: null },
      { key: 'movies', content: movies.items.map((s: any) => ({ type: 'item', id: s.id })), order: { kind: 'shuffle' }, keepMultiPart: null },
    ],
    main: {
      mode: 'time_slots', period: 'week', maxLatenessMin: null, padToMin: null,
      slots: [
        ...[1, 2, 3, 4, 5].map((day) => ({ day, start: '20:00', source: 'sitcoms', fill: { mode: 'flood' } })),
        ...[0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '22:00', source: 'movies', fill: { mode: 'flood' } })),
        { day: 6, start: '08:00', source: 'cartoons', fill: { mode: 'flood' } },
        { day: 6, start: '12:00', source: 'movies', fill: { mode: 'flood' } },
      ],
    },
  };
  tweak(def);
  return { content: JSON.stringify({ summary: '80s sitcoms weeknights at 8, cartoons Saturday morning, movies after 10.', definition: def }) };
}
