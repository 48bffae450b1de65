// Archive.org and YouTube sources: check what was given (the search answers JSON and finds video
// items; yt-dlp is there, new enough, and the URL lists videos) BEFORE anything is stored, then
// create the source; its items come with the scan (POST /api/sources/{id}/scan), in one transaction.
import type { MediaSource } from '../../schemas/library.js';
import type { ArchiveSourceInput, YoutubeSourceInput, YtDlpStatus } from '../../schemas/online.js';
import type { Store } from '../store/store.js';
import { InvalidError } from '../errors.js';
import { ArchiveClient, ArchiveError } from '../library/archive/http.js';
import { searchArchive, type ArchiveConfig } from '../library/archive/search.js';
import { listVideos, type YoutubeConfig } from '../library/youtube/videos.js';
import { YtDlpError, ytDlpInfo } from '../library/youtube/ytdlp.js';

export interface OnlineSettings { archiveUrl: string; ytDlpPath?: string | undefined }

export class OnlineSourceService {
  constructor(private readonly store: Store, private readonly settings: OnlineSettings) {}

  /** Adds an Archive.org source once its search lists at least one video item; nothing is stored otherwise. */
  async addArchive(input: ArchiveSourceInput): Promise<MediaSource> {
    const config: ArchiveConfig = { maxItems: input.maxItems };
    if (input.query) config.query = input.query;
    if (input.collection) config.collection = input.collection;
    if (input.identifiers) config.identifiers = [...new Set(input.identifiers)];
    const same = (s: MediaSource) => JSON.stringify([s.config.query, s.config.collection, s.config.identifiers]) === JSON.stringify([config.query, config.collection, config.identifiers]);
    const taken = this.store.sources.list().find((s) => s.kind === 'archive' && same(s));
    if (taken) throw new InvalidError(input.identifiers ? 'identifiers' : input.collection ? 'collection' : 'query', `this is already the source "${taken.name}" (id ${taken.id})`);
    let hits;
    try {
      hits = await searchArchive(new ArchiveClient({ baseUrl: this.settings.archiveUrl }), { ...config, maxItems: config.identifiers ? config.maxItems : Math.min(config.maxItems, 10) });
    } catch (err) {
      if (err instanceof ArchiveError) throw new InvalidError(err.field === 'url' ? (input.identifiers ? 'identifiers' : input.collection ? 'collection' : 'query') : err.field, err.message);
      throw err;
    }
    const name = input.name ?? (input.collection ? `Archive.org: ${input.collection}` : hits.length === 1 && hits[0]!.title ? hits[0]!.title : `Archive.org: ${input.query ?? config.identifiers!.join(', ')}`.slice(0, 100));
    return this.store.sources.create('archive', name, { ...config });
  }

  /** Adds a YouTube source once yt-dlp (configured, new enough) lists videos at the URL; nothing is stored otherwise. */
  async addYoutube(input: YoutubeSourceInput): Promise<MediaSource> {
    const taken = this.store.sources.list().find((s) => s.kind === 'youtube' && s.config.url === input.url);
    if (taken) throw new InvalidError('url', `${input.url} is already the source "${taken.name}" (id ${taken.id})`);
    const config: YoutubeConfig = { url: input.url, maxItems: input.maxItems };
    let listed;
    try {
      listed = await listVideos(this.settings.ytDlpPath, config);
    } catch (err) {
      if (err instanceof YtDlpError) throw new InvalidError(err.field, err.message);
      throw err;
    }
    const name = input.name ?? listed.title ?? `YouTube: ${input.url}`;
    return this.store.sources.create('youtube', name.slice(0, 100), { ...config });
  }

  /** The configured yt-dlp: there, its version, new enough — or why not. */
  async ytDlp(): Promise<YtDlpStatus> {
    try {
      const info = await ytDlpInfo(this.settings.ytDlpPath);
      return { ok: true, path: info.path, version: info.version, message: info.warning };
    } catch (err) {
      if (!(err instanceof YtDlpError)) throw err;
      return { ok: false, path: this.settings.ytDlpPath ?? null, version: /yt-dlp (\S+) at/.exec(err.message)?.[1] ?? null, message: err.message };
    }
  }
}
