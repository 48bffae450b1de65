// Escaping for ffmpeg filtergraphs (no shell is involved: argv arrays only).
// Two levels apply to a value inside a filter description (ffmpeg-filters "Notes on filtergraph
// escaping"): the option level (\ ' :) and then the filtergraph level (\ ' [ ] , ;).

/** Level 1: a value inside one filter's option list (key=value:key=value). */
export const escapeOptionValue = (s: string): string => s.replace(/[\\':]/g, (c) => `\\${c}`);

/** Level 2: text placed inside a filtergraph description. */
export const escapeGraph = (s: string): string => s.replace(/[\\'[\],;]/g, (c) => `\\${c}`);

/** A file path (or any text) as a filter option value inside a -vf / -filter_complex string. */
export const filterValue = (s: string): string => escapeGraph(escapeOptionValue(s));

/** "file:/a/b.mkv" → "/a/b.mkv": filters that open files themselves want a plain path. */
export const plainPath = (input: string): string => (input.startsWith('file:') ? input.slice(5) : input);
