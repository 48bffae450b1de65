// A real engine + HTTP server on 127.0.0.1:<random port> with generated clips scanned into a
// local source and one or more channels playing them: for browser tests and stream benchmarks.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ConfigInput } from '../../src/config.js';
import type { Engine } from '../../src/engine/engine.js';
import { liveProcesses } from '../../src/engine/ffmpeg/process.js';
import { channelInput, type Channel } from '../../src/schemas/channel.js';
import { buildServer } from '../../src/server/app.js';
import { FFMPEG, FFPROBE, makeClip, type ClipSpec } from './media.js';
import { tempEngine } from './temp-engine.js';

export interface LiveServer {
  engine: Engine;
  app: FastifyInstance;
  url: string;
  dir: string;
  /** Channel numbers, in creation order. */
  channels: string[];
  /** Absolute paths of the generated clips, in playback order. */
  clips: string[];
  close(): Promise<void>;
}

export interface LiveServerOptions {
  /** File name → clip spec (the extension picks the container). Played in name order. */
  clips?: Record<string, ClipSpec>;
  /** How many channels play the clips (numbers 1..n). Default 1. */
  channels?: number;
  config?: ConfigInput;
}

/** Short clips of mixed containers, codecs, sizes, frame rates and audio layouts (3–5 s). */
export const MIXED_CLIPS: Record<string, ClipSpec> = {
  'a-h264.mp4': { duration: 4, size: '640x360', fps: 30, vcodec: 'libx264', faststart: true },
  'b-mpeg2-interlaced.mkv': { duration: 3, size: '720x480', fps: '30000/1001', vcodec: 'mpeg2video', sar: '8:9', interlaced: true, audio: [{ channels: 1, rate: 44100 }] },
  'c-mpeg2.ts': { duration: 5, size: '352x288', fps: 25, vcodec: 'mpeg2video' },
  'd-mpeg4.mkv': { duration: 4, size: '480x270', fps: 24, vcodec: 'mpeg4', audio: [{ channels: 2, rate: 32000 }] },
};

/**
 * Generates the clips under media/, scans them as a local source and creates channels 1..n
 * that play them back to back in name order. Returns the channels and clip paths.
 */
export async function prepareChannels(engine: Engine, media: string, clipSpecs: Record<string, ClipSpec>, count: number): Promise<{ channels: Channel[]; clips: string[] }> {
  const specs = Object.entries(clipSpecs).sort(([a], [b]) => a.localeCompare(b));
  const clips = await Promise.all(specs.map(([name, spec]) => makeClip(media, name, spec)));
  const source = await engine.sources.addLocal({ kind: 'local', path: media, name: 'Live' });
  const scan = await engine.scans.wait(engine.scans.start(source.id).id);
  if (scan.state !== 'done') throw new Error(`scan ended ${scan.state}: ${scan.error}`);
  const items = engine.store.items.query({ sourceId: source.id, limit: 1000, offset: 0 }).items;
  const byPath = new Map(items.map((i) => [i.locator.type === 'file' ? i.locator.path : '', i]));
  const ids = clips.map((c) => byPath.get(c));
  if (ids.some((i) => i?.status !== 'ok')) throw new Error(`not every clip was scanned: ${JSON.stringify(items.map((i) => [i.title, i.status, i.error]))}`);
  const channels: Channel[] = [];
  for (let n = 1; n <= count; n++) {
    channels.push(engine.channels.create(channelInput.parse({ number: n, name: `Live ${n}`, content: ids.map((i) => ({ type: 'item', id: i!.id })) })));
  }
  return { channels, clips };
}

/** Generates the clips, scans them, creates the channels, and listens on loopback. */
export async function startLiveServer(opts: LiveServerOptions = {}): Promise<LiveServer> {
  const t = await tempEngine({ ffmpegPath: FFMPEG, ffprobePath: FFPROBE, logLevel: 'silent', ...opts.config });
  let app: FastifyInstance | null = null;
  try {
    const { channels, clips } = await prepareChannels(t.engine, join(t.dir, 'media'), opts.clips ?? MIXED_CLIPS, opts.channels ?? 1);
    app = await buildServer({ engine: t.engine });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no address');
    const server = app;
    return {
      engine: t.engine, app: server, url: `http://127.0.0.1:${addr.port}`, dir: t.dir, channels: channels.map((c) => c.number), clips,
      async close() {
        await server.close();
        await t.close();
        if (liveProcesses() > 0) throw new Error(`${liveProcesses()} ffmpeg processes outlived the engine`);
      },
    };
  } catch (err) {
    await app?.close();
    await t.close();
    if (existsSync(t.dir)) await rm(t.dir, { recursive: true, force: true });
    throw err;
  }
}
