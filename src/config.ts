// One zod schema for every setting. Precedence: defaults < config file < environment < flags.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const BOOL = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]);

export const configSchema = z.object({
  dataDir: z.string().min(1),
  bind: z.union([z.ipv4(), z.ipv6(), z.literal('localhost')]).default('0.0.0.0'),
  port: z.coerce.number().int().min(1).max(65535).default(8410),
  ffmpegPath: z.string().min(1).default('ffmpeg'),
  ffprobePath: z.string().min(1).default('ffprobe'),
  /** Days of timeline kept materialised ahead of now. */
  timelineDays: z.coerce.number().int().min(1).max(30).default(3),
  /** Hours between rescans of every local source by the daemon (0: only when asked). */
  rescanHours: z.coerce.number().min(0).max(24 * 30).default(6),
  /** Watch local sources' folders and rescan one shortly after its files change. */
  watchFolders: BOOL.default(false),
  /** Parallel ffprobe processes during a scan. */
  scanConcurrency: z.coerce.number().int().min(1).max(32).default(4),
  /** Seconds a channel keeps streaming after its last viewer left. */
  streamIdleS: z.coerce.number().min(0).max(3600).default(30),
  /** Sessions nobody watches stop at once while another channel is watched (they would take its CPU). */
  streamIdleYield: BOOL.default(true),
  /** Render every channel's stand-by slate in the background (after start and after changes), so a first tune bridges with it at once. */
  slatesAhead: BOOL.default(true),
  /** Tuners announced to DVRs; viewers of one channel share one tuner. */
  tunerCount: z.coerce.number().int().min(1).max(64).default(4),
  /** Name DVRs show for this box. */
  friendlyName: z.string().trim().min(1).max(64).default('EXStreamTV'),
  /** Address (host or host:port) used in absolute URLs when the request's Host is unusable; e.g. 192.168.1.20:8410. */
  lanAddress: z.string().trim().min(1).max(255).optional(),
  /** SiliconDust UDP discovery on port 65001 (Channels DVR, Jellyfin "detect"). */
  udpDiscovery: BOOL.default(true),
  /** UDP port of that responder (65001 is what clients broadcast to; tests use another). */
  udpDiscoveryPort: z.coerce.number().int().min(0).max(65535).default(65001),
  /** SSDP (UPnP) announcements; Plex finds HDHomeRuns this way. */
  ssdp: BOOL.default(true),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Log line form on stdout: journald (priority prefix, no timestamp) when stdout is the journal, else text. */
  logFormat: z.enum(['auto', 'text', 'journald']).default('auto'),
  /** Database backups kept in <dataDir>/backups (newest first; pre-restore backups are counted apart). */
  backupKeep: z.coerce.number().int().min(1).max(1000).default(7),
  /** A backup every night at 03:30 local time (reason "daily"). */
  backupDaily: BOOL.default(true),
  /** Requests from loopback (127.0.0.0/8, ::1) need no admin token (the CLI/TUI on the box). Turn off behind a reverse proxy on the same box. */
  trustLoopback: BOOL.default(true),
  /** Tuner, guide and stream endpoints require ?token=<stream token> from other hosts too (DVRs cannot send headers). */
  tunerToken: BOOL.default(false),
  /** Extra names the box answers to in the Host header of admin requests (IP literals, localhost and its own names always pass). */
  allowedHosts: z.union([z.array(z.string()), z.string().transform((s) => s.split(','))])
    .pipe(z.array(z.string().trim().toLowerCase().regex(/^[a-z0-9.*-]*$/, 'must be host names like tv.example.lan or *.example.lan').max(253)).max(100))
    .transform((a) => a.filter(Boolean)).default([]),
  /** Library folders may be system trees (/, /etc, /proc, the data dir, …): off unless you really mean it. */
  allowSystemFolders: BOOL.default(false),
  /** YouTube sources (opt-in): the user's own, current yt-dlp (Debian's 2023 package no longer works with YouTube). */
  ytDlpPath: z.string().trim().min(1).optional(),
  /** Archive.org's address (a mirror, or a local fake in tests). */
  archiveUrl: z.string().trim().regex(/^https?:\/\/[^\s]+$/, 'must be an http(s) URL').default('https://archive.org'),
  /** plex.tv's API for "sign in with Plex" (PIN flow); another URL only for tests or a proxy. */
  plexTvUrl: z.url({ protocol: /^https?$/ }).default('https://plex.tv'),
}).strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = Partial<Record<keyof Config, unknown>>;

/** Environment variable for each key; where a value came from is kept for error messages. */
const ENV: Record<keyof Config, string> = {
  dataDir: 'EXSTREAMTV_DATA_DIR',
  bind: 'EXSTREAMTV_BIND',
  port: 'EXSTREAMTV_PORT',
  ffmpegPath: 'EXSTREAMTV_FFMPEG',
  ffprobePath: 'EXSTREAMTV_FFPROBE',
  timelineDays: 'EXSTREAMTV_TIMELINE_DAYS',
  scanConcurrency: 'EXSTREAMTV_SCAN_CONCURRENCY',
  rescanHours: 'EXSTREAMTV_RESCAN_HOURS',
  watchFolders: 'EXSTREAMTV_WATCH_FOLDERS',
  streamIdleS: 'EXSTREAMTV_STREAM_IDLE_S',
  streamIdleYield: 'EXSTREAMTV_STREAM_IDLE_YIELD',
  slatesAhead: 'EXSTREAMTV_SLATES_AHEAD',
  tunerCount: 'EXSTREAMTV_TUNER_COUNT',
  friendlyName: 'EXSTREAMTV_FRIENDLY_NAME',
  lanAddress: 'EXSTREAMTV_LAN_ADDRESS',
  udpDiscovery: 'EXSTREAMTV_UDP_DISCOVERY',
  udpDiscoveryPort: 'EXSTREAMTV_UDP_DISCOVERY_PORT',
  ssdp: 'EXSTREAMTV_SSDP',
  logLevel: 'EXSTREAMTV_LOG_LEVEL',
  logFormat: 'EXSTREAMTV_LOG_FORMAT',
  backupKeep: 'EXSTREAMTV_BACKUP_KEEP',
  backupDaily: 'EXSTREAMTV_BACKUP_DAILY',
  trustLoopback: 'EXSTREAMTV_TRUST_LOOPBACK',
  tunerToken: 'EXSTREAMTV_TUNER_TOKEN',
  allowedHosts: 'EXSTREAMTV_ALLOWED_HOSTS',
  allowSystemFolders: 'EXSTREAMTV_ALLOW_SYSTEM_FOLDERS',
  ytDlpPath: 'EXSTREAMTV_YT_DLP',
  archiveUrl: 'EXSTREAMTV_ARCHIVE_URL',
  plexTvUrl: 'EXSTREAMTV_PLEX_TV_URL',
};

export class ConfigError extends Error {
  readonly exitCode = 2;
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/') ? env.XDG_DATA_HOME : join(env.HOME || homedir(), '.local', 'share');
  return join(xdg, 'exstreamtv');
}

/**
 * Resolve the configuration. `flags` are command-line values (undefined = not given).
 * A config file is read from `--config`/EXSTREAMTV_CONFIG, else `<dataDir>/config.json` when present.
 */
export function loadConfig(flags: ConfigInput & { config?: string } = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const origin = new Map<string, string>();
  const merged: Record<string, unknown> = {};
  const put = (key: string, value: unknown, from: string) => {
    if (value === undefined || value === '') return;
    merged[key] = value;
    origin.set(key, from);
  };

  const fromEnv: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(ENV)) if (env[name] !== undefined) fromEnv[key] = env[name];
  const dataDirGuess = String(flags.dataDir ?? fromEnv.dataDir ?? defaultDataDir(env));
  const explicitFile = flags.config ?? env.EXSTREAMTV_CONFIG;
  const file = explicitFile ? resolve(String(explicitFile)) : join(dataDirGuess, 'config.json');

  put('dataDir', defaultDataDir(env), 'default');
  if (explicitFile || existsSync(file)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError(`config error: cannot read ${file}: ${(err as Error).message}`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`config error: ${file} must hold a JSON object`);
    for (const [k, v] of Object.entries(parsed)) put(k, v, `config file ${file}`);
  }
  for (const [k, v] of Object.entries(fromEnv)) put(k, v, `environment ${ENV[k as keyof Config]}`);
  for (const [k, v] of Object.entries(flags)) if (k !== 'config') put(k, v, `flag --${k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}`);

  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '(root)');
    const from = origin.get(String(issue.path[0])) ?? (issue.code === 'unrecognized_keys' ? 'config file' : 'configuration');
    throw new ConfigError(`config error: ${key}: ${issue.message} (from ${from})`);
  }
  return { ...result.data, dataDir: resolve(result.data.dataDir) };
}
