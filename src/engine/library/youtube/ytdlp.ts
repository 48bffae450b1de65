// The user's yt-dlp, run through execa (argv array, never a shell) with a timeout and the caller's
// abort signal: the child is killed on every path (timeout, abort, our exit). Its version is read
// once per binary (path + mtime) and checked: Debian's 2023 package no longer works with YouTube.
import { access, constants, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';

/** Which input the user should fix: the ytDlpPath setting, or the URL given. */
export type YtDlpField = 'ytDlpPath' | 'url';

export class YtDlpError extends Error {
  constructor(message: string, readonly field: YtDlpField) { super(message); }
}

/** Oldest yt-dlp accepted: older releases fail on YouTube's current pages (Debian 12's is 2023.03.04). */
export const MIN_YTDLP_VERSION = '2025.01.01';
/** A yt-dlp older than this many days still runs but gets a warning: YouTube changes often. */
export const STALE_YTDLP_DAYS = 90;

export interface YtDlpInfo {
  path: string;
  version: string;
  /** Days since the release (from the version date). */
  ageDays: number;
  /** A line to show when the version is getting old, else null. */
  warning: string | null;
}

const HELP = 'install a current yt-dlp (the release binary from github.com/yt-dlp/yt-dlp, or "pipx install yt-dlp") and set ytDlpPath (EXSTREAMTV_YT_DLP) to it';

/** The configured yt-dlp path; throws when none is (YouTube is opt-in). */
export function requirePath(path: string | undefined): string {
  if (!path) throw new YtDlpError(`YouTube sources are off: no yt-dlp is configured; ${HELP}`, 'ytDlpPath');
  return path;
}

function runFailure(path: string, err: { code?: string; timedOut?: boolean; isCanceled?: boolean; exitCode?: number; stderr?: string; message?: string }, what: string, timeoutMs: number): Error {
  if (err.code === 'ENOENT') return new YtDlpError(`yt-dlp not found at ${path}: ${HELP}`, 'ytDlpPath');
  if (err.code === 'EACCES') return new YtDlpError(`${path} cannot be run (not executable): ${HELP}`, 'ytDlpPath');
  if (err.timedOut) return new YtDlpError(`yt-dlp took longer than ${Math.round(timeoutMs / 1000)} s for ${what} and was stopped`, 'url');
  if (err.isCanceled) return new Error(`yt-dlp for ${what} was cancelled`);
  const line = String(err.stderr ?? '').split('\n').map((l) => l.trim()).filter((l) => /^ERROR:/.test(l)).pop()
    ?? String(err.stderr ?? err.message ?? '').trim().split('\n').pop() ?? '';
  return new YtDlpError(`yt-dlp failed for ${what} (exit ${err.exitCode ?? '?'}): ${line.replace(/^ERROR:\s*/, '').slice(0, 300) || 'no message'}`, 'url');
}

/** Runs yt-dlp and returns its stdout; failures become YtDlpErrors saying what to fix. */
export async function runYtDlp(path: string, args: string[], o: { what: string; timeoutMs: number; signal?: AbortSignal }): Promise<string> {
  try {
    const r = await execa(path, args, {
      timeout: o.timeoutMs, forceKillAfterDelay: 2000, stdin: 'ignore', maxBuffer: 256 * 1024 * 1024, stripFinalNewline: false,
      ...(o.signal ? { cancelSignal: o.signal } : {}),
    });
    return r.stdout;
  } catch (err) {
    throw runFailure(path, err as never, o.what, o.timeoutMs);
  }
}

/** yt-dlp's JSON output (one object) from a run. */
export async function runYtDlpJson(path: string, args: string[], o: { what: string; timeoutMs: number; signal?: AbortSignal }): Promise<Record<string, unknown>> {
  const out = await runYtDlp(path, args, o);
  try {
    const v = JSON.parse(out.trim().split('\n')[0] ?? '') as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch { /* below */ }
  throw new YtDlpError(`yt-dlp printed no JSON for ${o.what}: is ${path} really yt-dlp?`, 'ytDlpPath');
}

/** The release date of a yt-dlp version ("2025.10.22", nightlies "2025.10.22.232815"), or null. */
export function versionDate(version: string): Date | null {
  const m = /^(\d{4})\.(\d{1,2})\.(\d{1,2})/.exec(version.trim());
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
}

/** Checks a version: throws when too old (or unreadable), else the info with a warning when stale. */
export function checkVersion(path: string, version: string, now = Date.now()): YtDlpInfo {
  const date = versionDate(version);
  if (!date) throw new YtDlpError(`${path} --version printed "${version.slice(0, 60)}", not a yt-dlp version: ${HELP}`, 'ytDlpPath');
  const min = versionDate(MIN_YTDLP_VERSION)!;
  if (date < min) {
    throw new YtDlpError(`yt-dlp ${version} at ${path} is too old for YouTube (it needs ${MIN_YTDLP_VERSION} or newer; `
      + `Debian's yt-dlp package is from 2023 and no longer works with YouTube): ${HELP}`, 'ytDlpPath');
  }
  const ageDays = Math.floor((now - date.getTime()) / 86_400_000);
  const warning = ageDays > STALE_YTDLP_DAYS ? `yt-dlp ${version} is ${ageDays} days old: YouTube changes often, update it if videos fail to resolve` : null;
  return { path, version, ageDays, warning };
}

const versions = new Map<string, { stamp: string; version: string }>();

/** A bare command name ("yt-dlp") looked up on PATH; a path as given. */
async function onPath(cmd: string): Promise<string> {
  if (cmd.includes('/')) return cmd;
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const p = join(dir, cmd);
    if (await access(p, constants.X_OK).then(() => true, () => false)) return p;
  }
  return cmd;
}

/** The configured yt-dlp's version, checked (read once per binary: path + size + mtime). */
export async function ytDlpInfo(configured: string | undefined, signal?: AbortSignal): Promise<YtDlpInfo> {
  const path = await onPath(requirePath(configured));
  const st = await stat(path).catch(() => null);
  if (!st) throw new YtDlpError(`yt-dlp not found at ${path}: ${HELP}`, 'ytDlpPath');
  const stamp = `${st.size}:${st.mtimeMs}`;
  let version = versions.get(path)?.stamp === stamp ? versions.get(path)!.version : null;
  if (!version) {
    version = (await runYtDlp(path, ['--version'], { what: 'its version', timeoutMs: 15_000, ...(signal ? { signal } : {}) })).trim();
    versions.set(path, { stamp, version });
  }
  return checkVersion(path, version);
}
