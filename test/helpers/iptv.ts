// Teardown shared by the IPTV stream tests: the API, the fake provider and the temp folder go, and
// no ffmpeg may be left behind.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { liveProcesses } from '../../src/engine/ffmpeg/process.js';
import type { IptvServer } from '../fakes/iptv-http.js';
import type { TestApi } from './api.js';
import { ffmpegChildren } from './stream.js';

export async function closeIptvTest(t: TestApi | undefined, fake: IptvServer | undefined, dir: string): Promise<void> {
  await t?.close();
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  assert.deepEqual(await ffmpegChildren(process.pid), [], 'no ffmpeg left behind');
  assert.equal(liveProcesses(), 0);
}
