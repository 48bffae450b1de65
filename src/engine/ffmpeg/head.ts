// The argv head every ffmpeg this program starts begins with: no banner, no stdin, errors only.
// One builder so the pieces, slates, subtitle extraction and clip renderer never drift apart.

export interface HeadOptions {
  /** Overwrite the output file (-y): renders to a file. */
  overwrite?: boolean;
  /** No periodic stats line on stderr (-nostats): long-running pieces. */
  quiet?: boolean;
}

export function ffmpegHead(o: HeadOptions = {}): string[] {
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error'];
  if (o.quiet) args.push('-nostats');
  if (o.overwrite) args.push('-y');
  return args;
}
