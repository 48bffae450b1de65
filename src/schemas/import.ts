// Import from dizqueTV, Tunarr and ErsatzTV: the request and the report (dry run and real run).
import { z } from 'zod';

export const importProgram = z.enum(['dizquetv', 'tunarr', 'ersatztv']);

export const importInput = z.object({
  program: importProgram.describe('Which program the data comes from'),
  path: z.string().trim().min(1).max(4096)
    .refine((p) => p.startsWith('/') && !p.includes('\u0000'), 'must be an absolute path')
    .describe("dizqueTV: its data folder (.dizquetv); Tunarr: its data folder (db.db + channel-lineups) or db.db; ErsatzTV: its database file"),
  dryRun: z.boolean().default(false).describe('Report what would be created, matched and skipped; write nothing'),
  onClash: z.enum(['refuse', 'renumber', 'replace']).default('refuse')
    .describe('An imported channel number (or collection name) already here: refuse the import (409), give the channel the next free number, or replace what is here'),
}).strict();
export type ImportInput = z.infer<typeof importInput>;

const countOf = z.object({ key: z.number().int(), ids: z.number().int(), episode: z.number().int(), title: z.number().int(), path: z.number().int() })
  .describe('Programmes matched by the server key, by imdb/tmdb/tvdb id, by show + season + episode, by title + year, by file path');

export const importReport = z.object({
  program: importProgram,
  path: z.string(),
  dryRun: z.boolean(),
  servers: z.array(z.object({
    name: z.string(), kind: z.string(), url: z.string(),
    state: z.enum(['here', 'added', 'would-add', 'no-token', 'unreachable']).describe('here: already a source; added/would-add: its libraries become sources (token in a 0600 file)'),
    sources: z.array(z.number().int()), why: z.string().nullable(),
  })),
  libraries: z.array(z.object({ name: z.string(), path: z.string(), state: z.enum(['here', 'added', 'would-add', 'skipped']), why: z.string().nullable() })),
  channels: z.array(z.object({
    number: z.string().describe('The number it gets here'), from: z.string().describe('Its number in the other program'), name: z.string(),
    action: z.enum(['create', 'replace', 'renumber', 'clash', 'skip']), schedule: z.string().describe('How its programming maps'),
    programmes: z.number().int(), matched: z.number().int(), notes: z.array(z.string()),
  })),
  collections: z.array(z.object({ name: z.string(), kind: z.enum(['filler', 'custom-show', 'programmes']), items: z.number().int(), action: z.enum(['create', 'replace', 'clash']) })),
  matched: countOf,
  unmatched: z.array(z.object({ title: z.string(), where: z.string(), why: z.string() })).describe('Every programme that matched nothing, with why'),
  clashes: z.array(z.string()).describe('What is already here (refused unless onClash is renumber or replace)'),
  notes: z.array(z.string()).describe('What the other program has that does not map'),
});
export type ImportReport = z.infer<typeof importReport>;
