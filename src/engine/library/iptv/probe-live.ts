// Probes one live stream's format (codecs, size, frame rate, audio) with ffprobe, sending the
// playlist's headers and the live input options (argv, never a shell), bounded in time. Used when a
// stream becomes a live channel, so a matching stream can be copied instead of transcoded.
import { execa } from 'execa';
import type { MediaStream } from '../../../schemas/library.js';
import { inputOptions, urlInput } from '../../ffmpeg/input.js';
import { parseProbe } from '../probe.js';

/** The stream's facts, or null when it cannot be probed now (down, slow, not a stream). */
export async function probeLive(ffprobePath: string, url: string, headers: Record<string, string>, timeoutMs: number): Promise<MediaStream[] | null> {
  const input = urlInput(url, headers, { live: true, seekable: false });
  const args = ['-v', 'error', '-print_format', 'json', '-show_streams', ...inputOptions(input), '-i', url];
  const r = await execa(ffprobePath, args, { reject: false, timeout: timeoutMs, killSignal: 'SIGKILL', stdin: 'ignore' });
  if (r.failed || r.timedOut) return null;
  try {
    const streams = parseProbe(JSON.parse(String(r.stdout))).streams.filter((s) => s.type === 'video' || s.type === 'audio');
    return streams.some((s) => s.type === 'video') ? streams : null;
  } catch {
    return null;
  }
}
