// Scaling past one box, rffmpeg-style: ffmpegPath names a wrapper that runs the real ffmpeg
// elsewhere. Here the wrapper runs it in its own network namespace (no loopback of ours, shared
// files only), the way rffmpeg runs it on another host over SSH with the same paths on shared
// storage: every piece (items, slates) must still play, continuously, and be killed with its session.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { liveProcesses } from '../../src/engine/ffmpeg/process.js';
import type { ClipSpec } from '../../src/engine/library/clips.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { tempDir } from '../helpers/library.js';
import { FFMPEG } from '../helpers/media.js';
import { alive, api, ffmpegChildren, makeClips, openTs, scanLibrary, sleep, waitFor, type TsClient } from '../helpers/stream.js';
import { avStreams, summary } from '../helpers/ts-analyze.js';

const CLIPS: Record<string, ClipSpec> = {
  'w1.mp4': { seconds: 3, width: 640, height: 360, fps: '30', vcodec: 'libx264', audio: [{ freq: 440 }] },
  'w2.mkv': { seconds: 3, width: 480, height: 270, fps: '25', vcodec: 'mpeg2video', pattern: 'smptebars', audio: [{ freq: 550 }] },
};

/** Can this machine give a process its own network namespace (unprivileged: in a user namespace)? */
function canUnshare(): boolean {
  try {
    execFileSync('unshare', ['-rn', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('ffmpegPath as a wrapper (rffmpeg-style): ffmpeg in another network namespace', { skip: !canUnshare() && !process.env.CI && 'unshare -rn is not available here' }, () => {
  let t: TestApi;
  let media: string;
  let wrapperDir: string;
  let client: TsClient | null = null;
  const seen = new Map<number, string>();

  before(async () => {
    wrapperDir = await tempDir('exstreamtv-wrapper');
    const wrapper = join(wrapperDir, 'ffmpeg-elsewhere');
    // argv passes through untouched ("$@"), as rffmpeg passes it to the remote ffmpeg.
    await writeFile(wrapper, `#!/bin/sh\nexec unshare -rn -- ${FFMPEG} "$@"\n`);
    await chmod(wrapper, 0o755);
    t = await startApi({ listen: true, config: { ffmpegPath: wrapper } });
    media = await tempDir('exstreamtv-wrapper-media');
    await makeClips(media, CLIPS);
    const items = await scanLibrary(t.url, media);
    await api.post(t.url, '/api/channels', { number: 31, name: 'Elsewhere', content: Object.keys(CLIPS).sort().map((n) => ({ type: 'item', id: items.get(n)!.id })) });
  });

  after(async () => {
    await client?.close();
    await t?.close();
    for (const d of [media, wrapperDir]) if (d) await rm(d, { recursive: true, force: true });
    assert.deepEqual(await ffmpegChildren(process.pid), [], 'no ffmpeg left behind');
    assert.equal(liveProcesses(), 0);
  });

  it('plays continuously with every piece run by the wrapper, in another network namespace', async () => {
    const ours = await readlink('/proc/self/ns/net');
    client = openTs(`${t.url}/stream/channels/31.ts`);
    const until = Date.now() + 12_000;
    while (Date.now() < until) {
      const s = (await api.get(t.url, '/api/sessions') as { number: string; ffmpegPid: number | null }[]).find((x) => x.number === '31');
      const pid = s?.ffmpegPid;
      if (pid && !seen.has(pid)) {
        // Once it is ffmpeg: until the wrapper's `unshare` has exec'd it (same pid), it is still in our namespace.
        try {
          if ((await readFile(`/proc/${pid}/comm`, 'utf8')).trim() === 'ffmpeg') seen.set(pid, await readlink(`/proc/${pid}/ns/net`));
        } catch { /* already gone */ }
      }
      await sleep(300);
    }
    const read = await client.close();
    client = null;
    const r = read.report;
    const { video, audio } = avStreams(r);
    console.log(`# wrapper: ${seen.size} pieces seen, namespaces ${[...new Set(seen.values())].join(' ')} (ours ${ours}); ${summary(r)}`);
    assert.ok(seen.size >= 3, `${seen.size} ffmpeg pieces seen`);
    for (const [pid, ns] of seen) assert.notEqual(ns, ours, `ffmpeg ${pid} ran in another network namespace`);
    assert.equal(r.programs.length, 1);
    assert.equal(r.ccErrorTotal, 0, summary(r));
    assert.equal(video.nonMonotonic + audio.nonMonotonic, 0, summary(r));
    assert.ok(video.maxGapS <= 0.5 && audio.maxGapS <= 0.5, summary(r));
    assert.ok(r.durationS > 9, `${r.durationS} s of media`);
  });

  it('stopping the session kills the wrapped ffmpeg', async () => {
    client = openTs(`${t.url}/stream/channels/31.ts`);
    const pid = await waitFor(async () => (await api.get(t.url, '/api/sessions') as { ffmpegPid: number | null }[])[0]?.ffmpegPid ?? null, 15_000);
    const res = await fetch(`${t.url}/api/sessions/31`, { method: 'DELETE', headers: { 'x-exstreamtv': '1' } });
    assert.equal(res.status, 200);
    assert.ok(pid, 'a piece is running');
    assert.ok(await waitFor(() => !alive(pid), 5000), `ffmpeg ${pid} is gone`);
    await client.close();
    client = null;
  });
});
