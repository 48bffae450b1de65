// Imports from dizqueTV, Tunarr and ErsatzTV: reads the other program's data read-only, adds its
// media servers and local libraries as sources (scanned, so programmes can match), then writes
// channels, schedules and collections in one transaction. A dry run writes nothing and reports
// what would be created, matched and skipped. A clash with what is here is refused (409) before
// anything is written, unless onClash says renumber or replace.
import type { ImportInput, ImportReport } from '../../schemas/import.js';
import { ConflictError, InvalidError } from '../errors.js';
import { assertLibraryFolder, type FolderRules } from '../library/allowed-paths.js';
import type { ScanManager } from '../library/scans.js';
import type { Store } from '../store/store.js';
import type { TimelineService } from '../timeline/service.js';
import type { MediaServerService } from './media-servers.js';
import type { SourceService } from './sources.js';
import { applyPlan } from '../import/apply.js';
import { readDizqueTv } from '../import/dizquetv.js';
import { readErsatzTv } from '../import/ersatztv.js';
import { LibraryIndex, sameUrl } from '../import/match.js';
import { ImportReadError, type ForeignData } from '../import/model.js';
import { clashesOf, Planner } from '../import/plan.js';
import { readTunarr } from '../import/tunarr.js';

const READERS = { dizquetv: readDizqueTv, tunarr: readTunarr, ersatztv: readErsatzTv } as const;

export interface ImportDeps {
  store: Store; timeline: TimelineService; servers: MediaServerService; sources: SourceService; scans: ScanManager; folders: FolderRules;
  /** An image file a channel may use as logo or watermark here (throws when not). */
  assertImage: (path: string) => void;
}

export class ImportService {
  constructor(private readonly deps: ImportDeps) {}

  /** The other program's data, or a 400 naming the path. */
  read(input: Pick<ImportInput, 'program' | 'path'>): ForeignData {
    assertLibraryFolder(input.path, this.deps.folders, 'path');
    try {
      return READERS[input.program](input.path);
    } catch (err) {
      if (err instanceof ImportReadError) throw new InvalidError('path', err.message);
      throw err;
    }
  }

  async run(input: ImportInput): Promise<ImportReport> {
    const { store, timeline } = this.deps;
    const data = this.read(input);
    if (input.dryRun) return this.plan(data, input, this.serversHere(data), this.librariesHere(data)).report;
    this.refuseClashes(input, clashesOf(store, data, input.onClash));
    const servers = await this.addServers(data);
    const libraries = await this.addLibraries(data);
    const plan = this.plan(data, input, servers, libraries);
    this.refuseClashes(input, plan.report.clashes);
    applyPlan(store, timeline, plan);
    return plan.report;
  }

  private plan(data: ForeignData, input: ImportInput, servers: ImportReport['servers'], libraries: ImportReport['libraries']) {
    const imageOk = (p: string) => { try { this.deps.assertImage(p); return true; } catch { return false; } };
    return new Planner(this.deps.store, data, input, servers, libraries, imageOk).plan();
  }

  private refuseClashes(input: ImportInput, clashes: readonly string[]): void {
    if (input.onClash !== 'refuse' || !clashes.length) return;
    throw new ConflictError(`already here: ${clashes.join('; ')}. Nothing was imported: set onClash to renumber (--renumber) or replace (--replace)`, 'onClash');
  }

  /** The servers as they stand, without contacting any (dry run, and the clash check). */
  private serversHere(data: ForeignData): ImportReport['servers'] {
    const index = new LibraryIndex(this.deps.store);
    return data.servers.map((s) => {
      const here = index.serverSources.get(sameUrl(s.url));
      const base = { name: s.name, kind: s.kind, url: s.url, sources: here ?? [], why: null };
      if (here) return { ...base, state: 'here' as const };
      if (!s.token) return { ...base, state: 'no-token' as const, why: 'its token is not in the data: add the server with "source add" and import again' };
      return { ...base, state: 'would-add' as const, why: 'its programmes are matched after its libraries are added and scanned (real run)' };
    });
  }

  /** Adds each new server's libraries as sources (token in a 0600 file) and scans them; a failing server is reported, not fatal. */
  private async addServers(data: ForeignData): Promise<ImportReport['servers']> {
    const out = this.serversHere(data);
    for (const [i, row] of out.entries()) {
      if (row.state !== 'would-add') continue;
      const s = data.servers[i]!;
      try {
        const conn = { kind: s.kind, url: s.url, token: s.token! };
        const { libraries } = await this.deps.servers.check(conn);
        for (const lib of libraries) row.sources.push((await this.deps.servers.addLibrary({ ...conn, library: lib.id })).id);
        await this.scan(row.sources);
        out[i] = { ...row, state: 'added', why: null };
      } catch (err) {
        out[i] = { ...row, state: 'unreachable', why: (err as Error).message };
      }
    }
    return out;
  }

  private librariesHere(data: ForeignData): ImportReport['libraries'] {
    const here = this.deps.store.sources.list().filter((s) => s.kind === 'local');
    return data.libraries.map((l) => (here.some((s) => s.config.path === l.path)
      ? { ...l, state: 'here' as const, why: null }
      : { ...l, state: 'would-add' as const, why: null }));
  }

  /** Adds each new local library folder as a source and scans it; a missing or refused folder is reported. */
  private async addLibraries(data: ForeignData): Promise<ImportReport['libraries']> {
    const out = this.librariesHere(data);
    for (const row of out) {
      if (row.state !== 'would-add') continue;
      try {
        const source = await this.deps.sources.addLocal({ kind: 'local', path: row.path, name: row.name.slice(0, 100) });
        await this.scan([source.id]);
        Object.assign(row, { state: 'added', why: null });
      } catch (err) {
        Object.assign(row, { state: 'skipped', why: (err as Error).message });
      }
    }
    return out;
  }

  private async scan(sourceIds: readonly number[]): Promise<void> {
    for (const id of sourceIds) await this.deps.scans.wait(this.deps.scans.start(id).id);
  }
}
