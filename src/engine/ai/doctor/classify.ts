// Rule-based troubleshooting: ffmpeg stderr lines, session events and a few facts about the box
// → plain-language causes, each with a concrete fix and the lines that show it. A pure function:
// it knows nothing of sessions or processes, so it survives changes to how streams run.
import type { Finding } from '../../../schemas/ai.js';

export interface DoctorEvent {
  /** restart | error | log | encoder | library | tune */
  kind: string;
  message: string;
  /** Epoch ms. */
  at: number;
}

export interface DoctorFacts {
  /** The input of the piece (file:/path or a URL), when known. */
  input?: string | null;
  tunersInUse?: number;
  tunerCount?: number;
  diskFreeBytes?: number | null;
  now?: number;
  /** A time zone that failed to load (a channel's or the box's). */
  badTimeZone?: string | null;
}

export interface DoctorInput { stderr: readonly string[]; events: readonly DoctorEvent[]; facts?: DoctorFacts }

interface Rule {
  cause: Finding['cause'];
  title: string;
  match: RegExp;
  fix: (line: string, facts: DoctorFacts) => string;
}

const isRemote = (input: string | null | undefined) => !!input && /^(https?|rtmp|rtsp|udp|srt|tcp):/i.test(input);
const pathOf = (input: string | null | undefined) => (input ?? '').replace(/^file:/, '');

/** Order matters: the first rule a line matches claims it. */
const RULES: Rule[] = [
  { cause: 'disk_full', title: 'The disk is full', match: /No space left on device|ENOSPC/i,
    fix: () => 'Free space on the disk holding the data directory (old backups: exstreamtv backup list / backup delete; logs), then restart the channel (exstreamtv session stop N).' },
  { cause: 'source_auth', title: 'The source refused access (401/403)', match: /\b(401 Unauthorized|403 Forbidden|HTTP error 40[13]|Server returned 40[13])/i,
    fix: () => 'The server refused the request: its token or signed URL expired or was revoked. Sign in to the media server again / refresh the source\'s token, or re-resolve the URL (YouTube URLs expire after ~6 h), then rescan the source (exstreamtv library scan).' },
  { cause: 'source_not_found', title: 'The source no longer has this item (404)', match: /\b(404 Not Found|HTTP error 404|Server returned 404)/i,
    fix: () => 'The remote item is gone or moved: rescan the source (exstreamtv library scan ID) so the schedule skips it.' },
  { cause: 'missing_file', title: 'The media file is missing', match: /No such file or directory|\bis missing\b|file of this programme is missing/i,
    fix: (_l, f) => `The file was moved, renamed or deleted${f.input && !isRemote(f.input) ? ` (${pathOf(f.input)})` : ''}: put it back, or rescan its library (exstreamtv library scan ID) so it is marked missing and skipped; check that the mount is up.` },
  { cause: 'dead_live_source', title: 'The live source does not answer', match: /Connection refused|Connection timed out|Network is unreachable|No route to host|Failed to resolve hostname|Name or service not known|Temporary failure in name resolution|I\/O error|ffmpeg stalled: no output|Connection reset by peer/i,
    fix: (_l, f) => `The stream server does not answer${isRemote(f.input) ? ` (${f.input!.replace(/[?#].*$/, '')})` : ''}: check it in a player or with ffprobe, fix or replace the URL in the source, or give the channel a fallback; a stall is only seen by the watchdog (no output), not by ffmpeg.` },
  { cause: 'hw_encoder', title: 'The hardware encoder failed', match: /Cannot load lib(cuda|nvidia-encode)|No NVENC capable devices|OpenEncodeSessionEx failed|nvenc|vaapi|VAAPI|libva|No VA display|DRM|renderD\d+|Failed to (initialise|create) (the )?(VAAPI|hardware|device)|Device creation failed|qsv|MFX|Error initializing output stream|\bhw(accel)?\b.*fail|encode failed before any output|encoder .* unhealthy/i,
    fix: () => 'Use a software profile for this channel (exstreamtv profile list; channel edit N --profile software-720p), or check the driver and device permissions (render group) and re-verify with exstreamtv hw --probe. Sessions already fall back to software when hardware fails before its first frame.' },
  { cause: 'unreadable_media', title: 'The file is damaged, truncated or in a codec ffmpeg cannot decode', match: /moov atom not found|Invalid data found when processing input|could not find codec parameters|Decoder \(codec .*\) not found|Unknown decoder|partial file|Truncating packet|invalid NAL|corrupt|error while decoding|Error opening input|ended \d+ s early|cannot be read|unreadable/i,
    fix: (_l, f) => `Re-copy or re-encode the file${f.input && !isRemote(f.input) ? ` (check it: ffprobe -v error "${pathOf(f.input)}")` : ''}; an interrupted copy is the usual cause. After replacing it, rescan the library.` },
];

const EVIDENCE_MAX = 6;

export function classify(input: DoctorInput): Finding[] {
  const facts = input.facts ?? {};
  const lines = [...input.stderr.map((l) => l.trim()).filter(Boolean), ...input.events.map((e) => `[${e.kind}] ${e.message}`)];
  const found = new Map<Finding['cause'], Finding>();
  for (const line of lines) {
    const rule = RULES.find((r) => r.match.test(line));
    if (!rule) continue;
    const f = found.get(rule.cause) ?? { cause: rule.cause, title: rule.title, fix: rule.fix(line, facts), evidence: [] };
    if (f.evidence.length < EVIDENCE_MAX && !f.evidence.includes(line)) f.evidence.push(line);
    found.set(rule.cause, f);
  }
  const out = [...found.values()];
  const restarts = restartLoop(input.events, facts.now ?? Date.now());
  if (restarts) out.push(restarts);
  if (facts.tunerCount !== undefined && facts.tunersInUse !== undefined && facts.tunersInUse >= facts.tunerCount) {
    out.push({ cause: 'tuner_exhaustion', title: `All ${facts.tunerCount} tuners are in use`, evidence: [`${facts.tunersInUse} of ${facts.tunerCount} tuners busy; another channel is refused with 503`],
      fix: 'Raise tunerCount (config.json or EXSTREAMTV_TUNER_COUNT, then restart the daemon) if the box has the CPU/GPU for it, or stop a session nobody watches (exstreamtv session list / session stop N).' });
  }
  if (facts.diskFreeBytes != null && facts.diskFreeBytes < 200 * 1024 * 1024 && !found.has('disk_full')) {
    out.push({ cause: 'disk_full', title: 'The disk is almost full', evidence: [`${Math.round(facts.diskFreeBytes / 1024 / 1024)} MiB free in the data directory`],
      fix: 'Free space on the disk holding the data directory (old backups: exstreamtv backup list / backup delete).' });
  }
  const clock = clockFinding(facts);
  if (clock) out.push(clock);
  if (!out.length && (input.stderr.length || input.events.some((e) => e.kind === 'error' || e.kind === 'restart'))) {
    const last = [...lines].reverse().slice(0, 3).reverse();
    out.push({ cause: 'unknown', title: 'An error the doctor does not recognise', evidence: last,
      fix: 'Run the piece\'s ffmpeg command below in a shell to see the whole message; EXSTREAMTV_LOG_LEVEL=debug shows more.' });
  }
  return out;
}

/** Three or more restarts within ten minutes. */
function restartLoop(events: readonly DoctorEvent[], now: number): Finding | null {
  const recent = events.filter((e) => e.kind === 'restart' && now - e.at <= 10 * 60_000);
  if (recent.length < 3) return null;
  return { cause: 'restart_loop', title: `ffmpeg restarted ${recent.length} times in the last 10 minutes`,
    evidence: recent.slice(-EVIDENCE_MAX).map((e) => `[restart] ${e.message}`),
    fix: 'The session keeps failing on the same piece: fix the cause above (or remove the item from the schedule); the piece\'s ffmpeg command below reproduces it.' };
}

function clockFinding(f: DoctorFacts): Finding | null {
  if (f.badTimeZone) {
    return { cause: 'clock', title: `Unknown time zone "${f.badTimeZone}"`, evidence: [`time zone ${f.badTimeZone} cannot be loaded`],
      fix: 'Use an IANA zone such as Europe/Berlin in the schedule (or TZ for the daemon); install tzdata if every zone fails.' };
  }
  if (f.now !== undefined && new Date(f.now).getUTCFullYear() < 2024) {
    return { cause: 'clock', title: 'The system clock is not set', evidence: [`system time is ${new Date(f.now).toISOString()}`],
      fix: 'Turn on time sync: sudo timedatectl set-ntp true (guides and schedules follow the clock).' };
  }
  return null;
}
