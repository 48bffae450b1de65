import { z } from 'zod';
import { streamHealth } from './iptv-health.js';

export const pieceKind = z.enum(['transcode', 'direct', 'live', 'slate']);

export const sessionStats = z.object({
  channelId: z.number().int(),
  number: z.string(),
  name: z.string(),
  viewers: z.number().int().describe('MPEG-TS viewers connected now'),
  hlsActive: z.boolean().describe('an HLS player fetched the playlist or a segment in the last 30 s'),
  startedAt: z.string(),
  uptimeS: z.number().int(),
  nowPlaying: z.string().nullable(),
  encoder: z.string(),
  bitrateKbps: z.number().int().describe('output bitrate over the last 5 s'),
  restarts: z.number().int().describe('ffmpeg restarts since the session started'),
  lastError: z.string().nullable(),
  lastFailure: z.object({
    at: z.string(),
    reason: z.string(),
    command: z.array(z.string()).describe('the failing piece\'s ffmpeg argv (program first)'),
    stderr: z.array(z.string()).describe('its last stderr lines'),
  }).nullable().describe('the last ffmpeg piece that failed: what a person needs to see why'),
  ffmpegPid: z.number().int().nullable(),
  piece: pieceKind.nullable().describe('What plays now: transcode, direct (copied, no transcode), live (a live input) or slate'),
  pieces: z.array(z.object({
    title: z.string(),
    kind: pieceKind,
    at: z.string().describe('when the piece started'),
    why: z.string().nullable().describe('why this kind: what did not match for a direct copy, why a slate airs (e.g. the resolver\'s error)'),
  })).describe('The last pieces played, oldest first'),
  live: streamHealth.nullable().optional().describe('a live (IPTV) stream on air or last tried: up/down, last error, next retry'),
});
export type SessionStats = z.infer<typeof sessionStats>;

export const sessionStopped = z.object({
  number: z.string(),
  viewersDisconnected: z.number().int().describe('MPEG-TS viewers whose connection was closed'),
  restarted: z.boolean().describe('true for an always-on channel, which starts a fresh session at once'),
});
export type SessionStopped = z.infer<typeof sessionStopped>;
