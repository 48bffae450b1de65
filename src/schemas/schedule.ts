// Schedule definitions: what a channel airs and when. Validated here, built into timeline rows by
// the pure builders in src/engine/schedule/. Times of day are local to `timezone`.
import { z } from 'zod';
import { contentRef, floodDefinition, type ContentRef, type ScheduleDefinition as FloodDefinition } from './channel.js';

const key = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be 1–40 lower-case letters, digits, - or _');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day like 08:00 or 20:30');
const minutes = (max: number) => z.number().positive().max(max);

export const orderSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('in_order'), by: z.enum(['episode', 'release']).default('episode') }).strict(),
  z.object({ kind: z.literal('shuffle') }).strict().describe('reshuffled every cycle; never repeats at a cycle seam'),
  z.object({ kind: z.literal('random'), cooldownMin: z.number().min(0).max(10_080).default(0) }).strict()
    .describe('independent draws; an item is not repeated within cooldownMin'),
  z.object({ kind: z.literal('cyclic_shuffle') }).strict().describe('shows interleaved at random, each show keeps episode order'),
  z.object({ kind: z.literal('block_shuffle'), blockSize: z.number().int().min(1).max(100) }).strict()
    .describe('blockSize consecutive episodes of one show, then another show'),
]);
export type OrderSpec = z.infer<typeof orderSpec>;

export const contentSource = z.object({
  key,
  content: z.array(contentRef).min(1).max(500),
  order: orderSpec.default({ kind: 'in_order', by: 'episode' }),
  /** Keep "Part 1 / Part 2" episodes together. */
  keepMultiPart: z.boolean().default(true),
}).strict();
export type ContentSource = z.infer<typeof contentSource>;

export const slotFill = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('one') }).strict(),
  z.object({ mode: z.literal('count'), count: z.number().int().min(1).max(1000) }).strict(),
  z.object({ mode: z.literal('duration'), minutes: minutes(10_080) }).strict(),
  z.object({ mode: z.literal('flood') }).strict().describe('until the next slot'),
]);
export type SlotFill = z.infer<typeof slotFill>;

export const timeSlot = z.object({
  /** "HH:MM" for day periods; with a week period also the day (0 = Sunday). */
  start: hhmm,
  day: z.number().int().min(0).max(6).optional(),
  source: key,
  fill: slotFill.default({ mode: 'flood' }),
}).strict();
export type TimeSlot = z.infer<typeof timeSlot>;

export const randomSlot = z.object({
  source: key,
  weight: z.number().positive().max(1000).default(1),
  cooldownMin: z.number().min(0).max(10_080).default(0),
  fill: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('count'), count: z.number().int().min(1).max(1000) }).strict(),
    z.object({ mode: z.literal('duration'), minutes: minutes(1440) }).strict(),
  ]).default({ mode: 'count', count: 1 }),
}).strict();
export type RandomSlot = z.infer<typeof randomSlot>;

export const mainSchedule = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('flood'),
    /** Weighted mix of sources (balance); one source = play it back to back. */
    sources: z.array(z.object({ source: key, weight: z.number().positive().max(1000).default(1) }).strict()).min(1).max(100),
  }).strict(),
  z.object({
    mode: z.literal('time_slots'),
    period: z.enum(['day', 'week']).default('day'),
    slots: z.array(timeSlot).min(1).max(500),
    /** An item may start late (after its slot's start) or overrun into the next slot by at most this. */
    maxLatenessMin: z.number().min(0).max(240).default(0),
    /** Programme starts are padded with filler to the next multiple of this (0 = off). */
    padToMin: z.union([z.literal(0), z.literal(5), z.literal(10), z.literal(15), z.literal(30), z.literal(60)]).default(0),
  }).strict(),
  z.object({
    mode: z.literal('random_slots'),
    slots: z.array(randomSlot).min(1).max(100),
    padToMin: z.union([z.literal(0), z.literal(5), z.literal(10), z.literal(15), z.literal(30), z.literal(60)]).default(0),
  }).strict(),
  z.object({
    mode: z.literal('mirror'),
    /** Air another channel's timeline, shifted later by shiftMin. */
    channel: z.string().min(1).max(20),
    shiftMin: z.number().int().min(0).max(1440),
  }).strict(),
]);
export type MainSchedule = z.infer<typeof mainSchedule>;

export const fillerKind = z.enum(['pre', 'mid', 'post', 'tail', 'fallback']);
export type FillerKind = z.infer<typeof fillerKind>;

export const fillerList = z.object({
  source: key,
  kinds: z.array(fillerKind).min(1),
  weight: z.number().positive().max(1000).default(1),
  /** The list is not used again within this many minutes. */
  cooldownMin: z.number().min(0).max(10_080).default(0),
  /** Mid-roll: only in items longer than this. */
  midMinItemMin: z.number().min(0).max(1440).default(30),
  /** Mid-roll every N minutes (ignored when the item has chapters and atChapters is set). */
  midEveryMin: z.number().positive().max(720).default(15),
  midAtChapters: z.boolean().default(true),
}).strict();
export type FillerList = z.infer<typeof fillerList>;

export const block = z.object({
  /** Days of the week (0 = Sunday) the block applies to. */
  days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
  start: hhmm,
  end: hhmm,
  /** Air this source in the block… */
  source: key.optional(),
  /** …or air another channel (redirect). */
  redirect: z.string().min(1).max(20).optional(),
  /** Items start on this grid (e.g. 30 = every half hour), gaps filled with filler. */
  gridMin: z.number().int().min(0).max(240).default(0),
}).strict().refine((b) => (b.source === undefined) !== (b.redirect === undefined), { message: 'a block has either a source or a redirect', path: ['source'] });
export type Block = z.infer<typeof block>;

export const scheduleDefinition = z.object({
  version: z.literal(2).default(2),
  timezone: z.string().min(1).max(64).optional(),
  sources: z.array(contentSource).max(100).default([]),
  main: mainSchedule,
  blocks: z.array(block).max(200).default([]),
  filler: z.object({
    lists: z.array(fillerList).max(50).default([]),
    /** No filler item repeats within this many minutes. */
    itemCooldownMin: z.number().min(0).max(1440).default(0),
  }).strict().default({ lists: [], itemCooldownMin: 0 }),
  /** The clock advances only while someone watches; playback resumes where it left. */
  onDemand: z.boolean().default(false),
}).strict();
export type ScheduleDefinition = z.infer<typeof scheduleDefinition>;
export type ScheduleDefinitionInput = z.input<typeof scheduleDefinition>;

/** What the store holds: the simple channel form (content + order) or a full definition. */
export const storedDefinition = z.union([scheduleDefinition, floodDefinition]);
export type StoredDefinition = FloodDefinition | ScheduleDefinition;

export const isFullDefinition = (d: StoredDefinition): d is ScheduleDefinition => 'version' in d && d.version === 2;

/** The simple form as a full definition: one source "main" played back to back. */
export function toFullDefinition(d: StoredDefinition): ScheduleDefinition {
  if (isFullDefinition(d)) return d;
  return scheduleDefinition.parse({
    sources: d.content.length ? [{ key: 'main', content: d.content, order: d.order === 'shuffle' ? { kind: 'shuffle' } : { kind: 'in_order' } }] : [],
    main: { mode: 'flood', sources: [{ source: 'main' }] },
  });
}

/** Every content reference a definition uses. */
export function contentOf(d: StoredDefinition): ContentRef[] {
  const refs = isFullDefinition(d) ? d.sources.flatMap((s) => s.content) : d.content;
  const seen = new Set<string>();
  return refs.filter((r) => !seen.has(`${r.type}:${r.id}`) && (seen.add(`${r.type}:${r.id}`), true));
}
