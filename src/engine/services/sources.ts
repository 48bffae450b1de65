import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { LocalSourceInput, MediaSource } from '../../schemas/library.js';
import type { Store } from '../store/store.js';
import type { TimelineService } from '../timeline/service.js';
import { InvalidError } from '../errors.js';
import { assertLibraryFolder, type FolderRules } from '../library/allowed-paths.js';
import { removeToken } from '../library/servers/tokens.js';

export class SourceService {
  constructor(private readonly store: Store, private readonly timeline: TimelineService, private readonly folders: FolderRules) {}

  list(): MediaSource[] { return this.store.sources.list(); }
  get(id: number): MediaSource { return this.store.sources.get(id); }

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

  /** Removes the source and its items; channels that aired them are rebuilt from now. */
  remove(id: number): void {
    this.store.tx(() => {
      this.store.sources.remove(id);
      this.timeline.rebuildAll();
    });
    removeToken(this.folders.dataDir, id); // a media server's token goes with its source
  }
}
