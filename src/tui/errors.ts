// Errors a person can read: the reason before the file it is about (ffmpeg puts the input path
// first, so a narrow column showed only the path), and the error detail pop-up of a session —
// the whole error, the failing piece's ffmpeg command and its last stderr lines. Pure.
import type { SessionStats } from '../schemas/session.js';
import { esc, wrap } from './text.js';

/** "/media/a b.mkv: No such file or directory" → "No such file or directory (/media/a b.mkv)". */
export function readableReason(msg: string): string {
  // ffmpeg's "<input>: <Message>": the last ": " before a capitalised message (paths may hold ": ").
  const m = /^((?:[a-z][a-z0-9+.-]*:)?\/[^\n]*): ([A-Z][^\n:]*)$/.exec(msg.trim());
  return m ? `${m[2]} (${m[1]})` : msg;
}

/** An argv as one line a shell would read back the same (single quotes where needed). */
export function shellLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** The error detail of a session, wrapped to `w` cells (blessed tags escaped). */
export function errorDetailLines(s: SessionStats, w: number, now = Date.now()): string[] {
  const out: string[] = [];
  const para = (text: string, indent = '') => { for (const l of wrap(text, Math.max(10, w - indent.length))) out.push(esc(indent + l)); };
  const f = s.lastFailure;
  const reason = f?.reason ?? s.lastError;
  if (!reason) return ['No error on this channel since its session started.'];
  para(`Error: ${readableReason(reason)}`);
  if (f) {
    const ago = Math.max(0, Math.round((now - Date.parse(f.at)) / 1000));
    para(`When: ${new Date(f.at).toLocaleString()} (${ago < 120 ? `${ago} s` : `${Math.round(ago / 60)} min`} ago) · restarts so far: ${s.restarts}`);
  }
  if (s.lastError && s.lastError !== f?.reason) para(`Latest error: ${readableReason(s.lastError)}`);
  out.push('');
  if (!f) {
    para('No failed ffmpeg piece was recorded: the error came from the session itself (see the log pane).');
    return out;
  }
  out.push('ffmpeg command (y copies it):');
  para(shellLine(f.command), '  ');
  out.push('');
  out.push(f.stderr.length ? `Last ${f.stderr.length} stderr line${f.stderr.length === 1 ? '' : 's'}:` : 'ffmpeg wrote nothing to stderr.');
  for (const l of f.stderr) para(l, '  ');
  return out;
}
