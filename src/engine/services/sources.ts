import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { LocalSourceInput, MediaSource } from '../../schemas/library.js';
import type { Store } from '../store/store.js';
import type { TimelineService } from '../timeline/service.js';
import { InvalidError } from '../errors.js';
import { assertLibraryFolder, type FolderRules } from '../library/allowed-paths.js';
import { removeToken } from '../library/servers/tokens.js';
import type { IptvChannelsInput, IptvSourceInput } from '../../schemas/iptv.js';
import type { Channel } from '../../schemas/channel.js';
import type { LiveHealth } from '../stream/live-health.js';
import type { ChannelService } from './channels.js';
import { createLiveChannels, liveItemIds } from '../library/iptv/live-channels.js';
import { readPlaylist, savePlaylist } from '../library/iptv/import.js';
import { parseM3u, PlaylistError } from '../library/iptv/m3u.js';

/** What IPTV sources need besides the store: channels, ffprobe, and the live streams' health. */
export interface IptvDeps { channels: ChannelService; ffprobePath: string; health: () => LiveHealth }

export class SourceService {
  constructor(private readonly store: Store, private readonly timeline: TimelineService, private readonly folders: FolderRules,
    private readonly iptv?: IptvDeps) {}

  /** Every source; IPTV rows carry their streams' health summary. */
  list(): MediaSource[] { return this.store.sources.list().map((s) => this.withHealth(s, false)); }
  /** One source; an IPTV source also carries the health of each stream that aired. */
  get(id: number): MediaSource { return this.withHealth(this.store.sources.get(id), true); }

  private withHealth(s: MediaSource, detail: boolean): MediaSource {
    if (s.kind !== 'iptv' || !this.iptv) return s;
    const health = this.iptv.health();
    const ids = liveItemIds(this.store, s.id);
    return { ...s, health: health.summary(ids), ...(detail ? { streams: health.detail(ids) } : {}) };
  }

  /** Streams of an IPTV source as live channels of their own (all or nothing). */
  async liveChannels(id: number, input: IptvChannelsInput): Promise<Channel[]> {
    if (!this.iptv) throw new Error('IPTV channels are not set up');
    return createLiveChannels({ store: this.store, channels: this.iptv.channels, ffprobePath: this.iptv.ffprobePath }, id, input);
  }

  async addLocal(input: LocalSourceInput): Promise<MediaSource> {
    const path = resolve(input.path);
    assertLibraryFolder(path, this.folders);
    const st = await stat(path).catch(() => null);
    if (!st) throw new InvalidError('path', `${path} does not exist`);
    if (!st.isDirectory()) throw new InvalidError('path', `${path} is not a folder`);
    const taken = this.store.sources.list().find((s) => s.kind === 'local' && s.config.path === path);
    if (taken) throw new InvalidError('path', `${path} is already the source "${taken.name}" (id ${taken.id})`);
    return this.store.sources.create('local', input.name ?? (basename(path) || path), { path });
  }

  /** Adds an IPTV playlist and imports it at once, all or nothing: a bad playlist creates no source. */
  async addIptv(input: IptvSourceInput): Promise<MediaSource> {
    const taken = this.store.sources.list().find((s) => s.kind === 'iptv' && s.config.playlist === input.playlist);
    if (taken) throw new InvalidError('playlist', `${input.playlist} is already the source "${taken.name}" (id ${taken.id})`);
    // A playlist file follows the library-folder rule: never read from a system tree (/etc, /root, /proc, the data dir…).
    if (input.playlist.startsWith('/')) assertLibraryFolder(input.playlist, this.folders, 'playlist');
    let playlist;
    try {
      playlist = parseM3u(await readPlaylist(input.playlist));
    } catch (err) {
      if (err instanceof PlaylistError) throw new InvalidError('playlist', err.message);
      throw err;
    }
    const name = input.name ?? (input.playlist.split(/[/?#]/).filter(Boolean).pop() || input.playlist);
    if (input.guide?.startsWith('/')) assertLibraryFolder(input.guide, this.folders, 'guide');
    const config = { playlist: input.playlist, slotMinutes: input.slotMinutes, ...(input.guide ? { guide: input.guide } : {}) };
    const id = this.store.tx(() => {
      const source = this.store.sources.create('iptv', name, config);
      savePlaylist(this.store, source.id, playlist, config);
      return source.id;
    });
    return this.store.sources.get(id);
  }

  /** Removes the source and its items; channels that aired them are rebuilt from now. */
  remove(id: number): void {
    this.store.tx(() => {
      this.store.sources.remove(id);
      this.timeline.rebuildAll();
    });
    removeToken(this.folders.dataDir, id); // a media server's token goes with its source
  }
}
