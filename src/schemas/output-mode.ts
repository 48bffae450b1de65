// How a channel's pieces are made: the vocabulary of the encoder profile's `mode` option.
/** transcode every item; direct: copy items whose probed streams match the output, transcode the others; auto: also copy a matching picture with the sound encoded. */
export const OUTPUT_MODES = ['transcode', 'direct', 'auto'] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];
