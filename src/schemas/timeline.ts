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
  limit: z.coerce.number().int().min(1).max(10_000).default(1000).describe('at most this many rows; `total` and `nextFrom` say what was left out'),
}).strict();

export const nowQuery = z.object({
  at: z.iso.datetime({ offset: true }).optional(),
}).strict();

/** How a list of rows relates to its whole window: counts agree, and a cut list says where to go on. */
export const rowPage = {
  total: z.number().int().describe('rows in the whole window (rows.length when nothing was cut)'),
  nextFrom: z.string().nullable().describe('the list was cut at `limit`: start of the first row left out (ask again with from = this); null when complete'),
};

export const channelTimeline = z.object({
  channel: z.object({ number: z.string(), name: z.string() }),
  rows: z.array(timelineRowOut),
  ...rowPage,
});

export const nowPlaying = z.object({
  at: z.string(),
  offsetMs: z.number().int(),
  seekMs: z.number().int(),
  row: timelineRowOut,
  next: timelineRowOut.nullable(),
});
