// Reads a Tunarr data folder read-only: db.db (SQLite: media_source (servers; type local = folders in media_source_library), channel, program,
// program_external_id, filler_show(+_content), channel_filler_show, custom_show(+_content)) and
// channel-lineups/<channel uuid>.json (items content|offline|redirect with durationMs, the time/random
// slot schedule that produced them, onDemandConfig when the channel is on demand). Slots are read in
// Tunarr's current lineup layout (version 5: the slot's type/showId/customShowId on the slot itself, random
// slots' length in durationSpec) and in the older one (a nested `programming` object, a plain durationMs).
import { basename, dirname, join } from 'node:path';
import {
  ImportReadError, idsOfGuids, num, ref, str,
  type ForeignChannel, type ForeignData, type ForeignList, type ForeignPool, type ForeignProgramming, type ForeignRef, type ListEntry,
} from './model.js';
import { isDir, isFile, openReadOnly, readJson, rows, rowsOr, type ReadOnlyDb } from './files.js';

type Obj = Record<string, any>;

const json = (v: unknown): Obj | null => {
  if (typeof v !== 'string' || !v) return null;
  try { return JSON.parse(v) as Obj; } catch { return null; }
};

function programs(db: ReadOnlyDb, sourceNames: Map<string, string>): Map<string, ForeignRef & { showKey: string | null }> {
  const ids = new Map<string, string[]>();
  for (const r of rowsOr<Obj>(db, 'SELECT * FROM program_external_id')) {
    const list = ids.get(r.program_uuid) ?? ids.set(r.program_uuid, []).get(r.program_uuid)!;
    list.push(`${r.source_type}://${r.external_key}`);
  }
  const out = new Map<string, ForeignRef & { showKey: string | null }>();
  for (const p of rows<Obj>(db, 'SELECT * FROM program')) {
    const kind = p.type === 'movie' ? 'movie' : p.type === 'episode' ? 'episode' : 'other';
    out.set(p.uuid, {
      ...ref({
        // external_source_id holds the media source's name; newer rows also link it by media_source_id.
        server: sourceNames.get(p.media_source_id) ?? str(p.external_source_id), key: str(p.external_key) ?? str(p.plex_rating_key), ids: idsOfGuids(ids.get(p.uuid) ?? []), kind,
        title: str(p.title) ?? '(untitled)', showTitle: kind === 'episode' ? str(p.show_title) : null,
        season: num(p.season_number), episode: num(p.episode), year: num(p.year), durationMs: num(p.duration) ?? 0,
        path: p.source_type === 'local' ? str(p.file_path) : null,
      }),
      showKey: str(p.tv_show_uuid) ?? str(p.grandparent_external_key),
    });
  }
  return out;
}

function orderedList(db: ReadOnlyDb, sql: string, progs: Map<string, ForeignRef>): ForeignList[] {
  const rows = rowsOr<Obj>(db, sql);
  const byList = new Map<string, ForeignList>();
  for (const r of rows) {
    const l = byList.get(r.uuid) ?? byList.set(r.uuid, { id: r.uuid, name: r.name, refs: [] }).get(r.uuid)!;
    const p = r.program_uuid ? progs.get(r.program_uuid) : undefined;
    if (p) l.refs.push(p);
  }
  return [...byList.values()];
}

function pool(slot: Obj, progs: Map<string, ForeignRef & { showKey: string | null }>, notes: string[], where: string): ForeignPool | null {
  const prog: Obj | undefined = slot.programming ?? slot;
  const all = [...progs.values()];
  if (prog?.type === 'show') {
    const refs = all.filter((p) => p.showKey === prog.showId).sort((a, b) => (a.season ?? 0) - (b.season ?? 0) || (a.episode ?? 0) - (b.episode ?? 0));
    return { type: 'show', title: refs[0]?.showTitle ?? String(prog.showId), refs };
  }
  if (prog?.type === 'movie') return { type: 'refs', label: 'movies', refs: all.filter((p) => p.kind === 'movie') };
  if (prog?.type === 'custom-show') return { type: 'list', id: String(prog.customShowId) };
  notes.push(`${where}: a "${prog?.type ?? 'unknown'}" slot is not brought over (flex and redirect slots become filler time)`);
  return null;
}

type Progs = Map<string, ForeignRef & { showKey: string | null }>;

function readLineup(file: string, notes: string[], where: string): Obj | null {
  if (!isFile(file)) {
    notes.push(`${where}: no lineup file ${basename(file)}: imported without programming`);
    return null;
  }
  const j = readJson(file) as Obj;
  if (!j || !Array.isArray(j.items)) throw new ImportReadError(`${file} is not a Tunarr lineup (no items array)`);
  return j;
}

function lineup(j: Obj | null, { all: progs, slots: own }: { all: Progs; slots: Progs }, numbers: Map<string, string>, notes: string[], where: string): ForeignProgramming {
  if (!j) return { kind: 'list', entries: [] };
  const entries: ListEntry[] = (j.items as Obj[]).map((it): ListEntry => {
    if (it.type === 'offline') return { type: 'flex', durationMs: num(it.durationMs) ?? 0 };
    if (it.type === 'redirect') return { type: 'redirect', channel: numbers.get(it.channel) ?? String(it.channel), durationMs: num(it.durationMs) ?? 0 };
    const p = progs.get(it.id);
    return { type: 'item', ref: p ?? ref({ title: `program ${it.id} (not in db.db)`, durationMs: num(it.durationMs) ?? 0 }) };
  });
  const s = j.schedule as Obj | undefined;
  const slots = Array.isArray(s?.slots) ? s!.slots as Obj[] : [];
  if (s?.type === 'time' && slots.length) {
    const period = s.period === 'week' ? 'week' : 'day';
    const out = slots.flatMap((x) => {
      const p = pool(x, own, notes, where);
      const min = Math.floor((num(x.startTime) ?? 0) / 60_000);
      return p ? [{ startMin: min % 1440, ...(period === 'week' ? { day: Math.floor(min / 1440) % 7 } : {}), pool: p, shuffle: x.order === 'shuffle' }] : [];
    });
    if (out.length) return { kind: 'time_slots', period, slots: out, latenessMin: Math.round((num(s.latenessMs) ?? 0) / 60_000) };
  }
  if (s?.type === 'random' && slots.length) {
    const out = slots.flatMap((x) => {
      const p = pool(x, own, notes, where);
      const spec: Obj = x.durationSpec ?? { type: 'fixed', durationMs: x.durationMs };
      const count = spec.type === 'dynamic' ? num(spec.programCount) ?? 1 : undefined;
      const durationMs = (spec.type === 'fixed' ? num(spec.durationMs) : null) ?? 1_800_000;
      return p ? [{ pool: p, shuffle: x.order === 'shuffle', weight: num(x.weight) ?? 1, cooldownMs: num(x.cooldownMs) ?? 0, durationMs, ...(count ? { count } : {}) }] : [];
    });
    if (out.length) return { kind: 'random_slots', slots: out };
  }
  return { kind: 'list', entries };
}

/** A local media source keeps uri '' and one media_source_library row per folder (external_key = the path). */
function localLibraries(db: ReadOnlyDb, sources: Obj[]): { name: string; path: string }[] {
  const folders = rowsOr<Obj>(db, 'SELECT media_source_id, external_key FROM media_source_library ORDER BY name');
  return sources.filter((s) => s.type === 'local').flatMap((s) => {
    const paths = folders.filter((f) => f.media_source_id === s.uuid).map((f) => String(f.external_key));
    if (!paths.length && str(s.uri)) paths.push(String(s.uri));
    return paths.map((path) => ({ name: paths.length > 1 ? `${s.name} (${basename(path)})` : String(s.name), path }));
  });
}

export function readTunarr(path: string): ForeignData {
  const root = isDir(path) ? path : dirname(path);
  const dbFile = isDir(path) ? join(path, 'db.db') : path;
  if (!isFile(dbFile)) throw new ImportReadError(`${root} has no db.db: give Tunarr's data folder (or its db.db)`);
  const db = openReadOnly(dbFile, ['channel', 'program']);
  try {
    const notes: string[] = [];
    const sources = rowsOr<Obj>(db, 'SELECT * FROM media_source');
    const servers = sources.filter((s) => s.type !== 'local').map((s) => ({
      name: String(s.name), kind: (s.type === 'jellyfin' || s.type === 'emby' ? s.type : 'plex') as 'plex' | 'jellyfin' | 'emby', url: String(s.uri), token: str(s.access_token),
    }));
    const progs = programs(db, new Map(sources.map((s) => [String(s.uuid), String(s.name)])));
    const chans = rows<Obj>(db, 'SELECT * FROM channel ORDER BY number');
    const numbers = new Map(chans.map((c) => [String(c.uuid), String(c.number)]));
    const fillerLinks = rowsOr<Obj>(db, 'SELECT * FROM channel_filler_show');
    // Slots draw from the channel's own programmes (channel_programs); lineup items name any program.
    const links = rowsOr<Obj>(db, 'SELECT channel_uuid, program_uuid FROM channel_programs');
    const ofChannel = (uuid: string) => {
      const mine = new Set(links.filter((l) => l.channel_uuid === uuid).map((l) => String(l.program_uuid)));
      return { all: progs, slots: new Map([...progs].filter(([id]) => mine.has(id))) };
    };
    const channels: ForeignChannel[] = chans.map((c) => {
      const where = `channel ${c.number}`;
      const icon = json(c.icon);
      const w = json(c.watermark);
      const pos = ['top-left', 'top-right', 'bottom-left', 'bottom-right'].includes(w?.position) ? w!.position : 'bottom-right';
      const offline = json(c.offline);
      if (offline?.mode === 'clip' || offline?.picture) notes.push(`${where}: the offline picture/clip is not brought over (our offline slate is used)`);
      const j = readLineup(join(root, 'channel-lineups', `${c.uuid}.json`), notes, where);
      return {
        number: String(c.number), name: String(c.name), group: str(c.group_title), icon: str(icon?.path),
        watermark: w?.enabled && str(w.url) ? { image: w.url, position: pos, widthPct: num(w.width) } : null,
        // Tunarr has no on-demand or disabled column: an on-demand channel's lineup carries onDemandConfig.
        onDemand: Boolean(j?.onDemandConfig), stealth: Boolean(c.stealth), disabled: false,
        programming: lineup(j, ofChannel(c.uuid), numbers, notes, where),
        filler: fillerLinks.filter((f) => f.channel_uuid === c.uuid).map((f) => ({ list: String(f.filler_show_uuid), weight: num(f.weight) ?? 1, cooldownMs: (num(f.cooldown) ?? 0) * 1000 })),
        fillerRepeatCooldownMs: num(c.filler_repeat_cooldown) ?? 0,
      };
    });
    const fillers = orderedList(db, `SELECT f.uuid, f.name, c.program_uuid FROM filler_show f LEFT JOIN filler_show_content c ON c.filler_show_uuid = f.uuid ORDER BY f.name, c."index"`, progs);
    const customShows = orderedList(db, `SELECT s.uuid, s.name, c.content_uuid AS program_uuid FROM custom_show s LEFT JOIN custom_show_content c ON c.custom_show_uuid = s.uuid ORDER BY s.name, c."index"`, progs);
    const libraries = localLibraries(db, sources);
    return { program: 'tunarr', servers, channels, fillers, customShows, libraries, notes };
  } finally {
    db.close();
  }
}
