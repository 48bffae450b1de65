import { z } from 'zod';

export const rowKind = z.enum(['item', 'filler', 'slate', 'redirect']);
export type RowKind = z.infer<typeof rowKind>;

/** One materialised row as the builders produce it (epoch ms). */
export interface PlannedRow {
  startMs: number;
  endMs: number;
  kind: RowKind;
  itemId: number | null;
  inMs: number;
  outMs: number;
  title: string | null;
  /** Redirect rows: the channel number aired instead. */
  target?: string | null;
  cursor: unknown;
}

export interface TimelineRow extends PlannedRow {
  id: number;
  channelId: number;
}

export const timelineRowOut = z.object({
  id: z.number().int(),
  start: z.string(),
  end: z.string(),
  kind: rowKind,
  itemId: z.number().int().nullable(),
  inMs: z.number().int(),
  outMs: z.number().int(),
  title: z.string(),
  /** Redirect rows: the channel number aired instead. */
  target: z.string().nullable(),
  showTitle: z.string().nullable(),
  seasonNumber: z.number().int().nullable(),
  episodeNumber: z.number().int().nullable(),
});
export type TimelineRowOut = z.infer<typeof timelineRowOut>;

export const timelineQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  hours: z.coerce.number().min(0.1).max(24 * 30).default(24),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
}).strict();

export const nowQuery = z.object({
  at: z.iso.datetime({ offset: true }).optional(),
}).strict();

export const channelTimeline = z.object({
  channel: z.object({ number: z.string(), name: z.string() }),
  rows: z.array(timelineRowOut),
});

export const nowPlaying = z.object({
  at: z.string(),
  offsetMs: z.number().int(),
  seekMs: z.number().int(),
  row: timelineRowOut,
  next: timelineRowOut.nullable(),
});
