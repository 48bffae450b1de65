// An ffmpeg argv as it may be shown to a person (API, TUI error detail, doctor): request headers
// carry tokens and cookies, so their values are hidden; the session's progress pipe (fd 3 exists
// only under a session) can be left out so the line runs from a shell.
export const HIDDEN_HEADERS = '<request headers hidden>';

export function shownArgv(argv: readonly string[], opts: { hideHeaders?: boolean; dropProgress?: boolean } = {}): string[] {
  const { hideHeaders = true, dropProgress = false } = opts;
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (dropProgress && (a === '-progress' || a === '-stats_period')) { i++; continue; }
    out.push(a);
    if (a === '-headers' && hideHeaders && i + 1 < argv.length) { out.push(HIDDEN_HEADERS); i++; }
  }
  return out;
}
