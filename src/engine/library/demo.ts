// The demo library: short synthetic clips of mixed formats, laid out as a show and some movies.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeClip, type ClipSpec } from './clips.js';

export const DEMO_SOURCE_NAME = 'Demo library';
export const DEMO_SHOW = 'Test Pattern Theatre';

const show = (season: number, ep: number, title: string) =>
  join(DEMO_SHOW, `Season ${String(season).padStart(2, '0')}`, `${DEMO_SHOW} - S${String(season).padStart(2, '0')}E${String(ep).padStart(2, '0')} - ${title}`);

/** Relative path (without extension is not allowed: extensions pick the container) → spec. */
export const demoClips: { path: string; spec: ClipSpec }[] = [
  { path: `${show(1, 1, 'Pilot')}.mp4`, spec: { seconds: 20, width: 1280, height: 720, fps: '30', vcodec: 'libx264', pattern: 'testsrc2', audio: [{ freq: 440 }], chapters: [0, 10] } },
  { path: `${show(1, 2, 'Interlaced Night')}.mkv`, spec: { seconds: 20, width: 720, height: 480, fps: '30000/1001', vcodec: 'mpeg2video', pattern: 'smptebars', interlaced: true, audio: [{ freq: 550, channels: 6, codec: 'ac3' }] } },
  { path: `${show(1, 3, 'Wide Load')}.mkv`, spec: { seconds: 20, width: 720, height: 480, fps: '24000/1001', vcodec: 'libx264', pattern: 'rgbtestsrc', sar: '32:27', audio: [{ freq: 660, channels: 1, rate: 44100 }] } },
  { path: `${show(2, 1, 'Two Tongues')}.mkv`, spec: { seconds: 20, width: 1280, height: 720, fps: '25', vcodec: 'libx265', pattern: 'testsrc', audio: [{ freq: 330, lang: 'eng' }, { freq: 880, lang: 'fre' }], subtitles: { lang: 'eng', text: 'Subtitles: "quotes" & 100% <brackets>' } } },
  { path: 'Movies/Colour Bars (1999).mkv', spec: { seconds: 25, width: 854, height: 480, fps: '60', vcodec: 'libx264', pattern: 'smptebars', audio: [{ freq: 1000 }], audioShortBy: 5 } },
  { path: 'Movies/The Mandelbrot Zoom (2008).mp4', spec: { seconds: 25, width: 640, height: 360, fps: '24', vcodec: 'mpeg4', pattern: 'mandelbrot', audio: [{ freq: 220, rate: 44100 }] } },
];

const tvshowNfo = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<tvshow>
  <title>${DEMO_SHOW}</title>
  <plot>Synthetic test patterns in every shape a channel has to cope with: interlaced, anamorphic, many codecs.</plot>
  <year>2026</year>
  <genre>Demo</genre>
</tvshow>
`;

/** Creates any missing demo clips under dir. Returns how many were made. */
export async function generateDemoMedia(ffmpeg: string, dir: string, onClip?: (path: string) => void): Promise<number> {
  let made = 0;
  for (const clip of demoClips) {
    const out = join(dir, clip.path);
    if (existsSync(out)) continue;
    onClip?.(clip.path);
    await makeClip(ffmpeg, out, clip.spec);
    made++;
  }
  const nfo = join(dir, DEMO_SHOW, 'tvshow.nfo');
  if (!existsSync(nfo)) await writeFile(nfo, tvshowNfo);
  return made;
}
