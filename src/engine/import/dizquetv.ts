// Reads a dizqueTV data folder (.dizquetv, db-version 805) read-only: plex-servers.json,
// channels/<number>.json (programs, flex, redirects, filler collections, icon, watermark,
// on-demand, stealth, the time slot settings kept in scheduleBackup and the random slot settings in
// randomScheduleBackup), filler/<id>.json and custom-shows/<id>.json (the id is the file's name).
// dizqueTV keeps no GUIDs: a programme is its server (serverKey), its Plex key, title, year, show.
import { basename, join } from 'node:path';
import {
  ImportReadError, num, ref, str,
  type ForeignChannel, type ForeignData, type ForeignList, type ForeignPool, type ForeignProgramming, type ForeignRef, type ForeignServer, type ListEntry,
} from './model.js';
import { isDir, isFile, jsonFiles, readJson } from './files.js';

type Obj = Record<string, any>;

const SUPPORTED_DB_VERSION = 805;

/** One dizqueTV program (a Plex item) as a reference. */
function program(p: Obj): ForeignRef {
  const ratingKey = str(p.ratingKey) ?? (typeof p.key === 'string' ? /\/library\/metadata\/(\w+)/.exec(p.key)?.[1] ?? null : null);
  const kind = p.type === 'movie' ? 'movie' : p.type === 'episode' ? 'episode' : 'other';
  return ref({
    server: str(p.serverKey), key: ratingKey, ids: {}, kind,
    title: str(p.title) ?? '(untitled)', showTitle: kind === 'episode' ? str(p.showTitle) : null,
    season: num(p.season), episode: num(p.episode), year: num(p.year) ?? num(String(p.date ?? '').slice(0, 4)),
    durationMs: num(p.duration) ?? 0,
  });
}

function entry(p: Obj): ListEntry {
  if (p.isOffline && p.type === 'redirect') return { type: 'redirect', channel: String(p.channel), durationMs: num(p.duration) ?? 0 };
  if (p.isOffline) return { type: 'flex', durationMs: num(p.duration) ?? 0 };
  return { type: 'item', ref: program(p) };
}

/** A slot's showId ("tv.Title", "movie.", "custom.<id>", "flex.", "redirect.5") as a pool of the channel's programs. */
function slotPool(showId: string, programs: readonly ForeignRef[], notes: string[], where: string): ForeignPool | null {
  const dot = showId.indexOf('.');
  const kind = showId.slice(0, dot);
  const rest = showId.slice(dot + 1);
  if (kind === 'tv') {
    const refs = programs.filter((r) => r.kind === 'episode' && r.showTitle === rest).sort((a, b) => (a.season ?? 0) - (b.season ?? 0) || (a.episode ?? 0) - (b.episode ?? 0));
    return { type: 'show', title: rest, refs };
  }
  if (kind === 'movie') return { type: 'refs', label: 'movies', refs: programs.filter((r) => r.kind === 'movie') };
  if (kind === 'custom') return { type: 'list', id: rest };
  notes.push(`${where}: a "${kind}" slot is not brought over (flex and redirect slots become filler time)`);
  return null;
}

const slotsOf = (backup: unknown): Obj[] => (Array.isArray((backup as Obj | null)?.slots) ? (backup as Obj).slots as Obj[] : []);

function programming(c: Obj, refs: ForeignRef[], notes: string[], where: string): ForeignProgramming {
  const list: ForeignProgramming = { kind: 'list', entries: (Array.isArray(c.programs) ? c.programs : []).map(entry) };
  const timed = slotsOf(c.scheduleBackup);
  const random = slotsOf(c.randomScheduleBackup);
  if (timed.length && random.length) notes.push(`${where}: both time slot and random slot settings are saved; the time slots are used`);
  if (timed.length) {
    const backup = c.scheduleBackup as Obj;
    const period = num(backup.period) === 604_800_000 ? 'week' : 'day';
    const out = timed.flatMap((s) => {
      const pool = slotPool(String(s.showId ?? ''), refs, notes, where);
      const min = Math.floor(Number(s.time) / 60_000);
      return pool ? [{ startMin: min % 1440, ...(period === 'week' ? { day: Math.floor(min / 1440) % 7 } : {}), pool, shuffle: s.order === 'shuffle' }] : [];
    });
    return out.length ? { kind: 'time_slots', period, slots: out, latenessMin: Math.round((num(backup.lateness) ?? 0) / 60_000) } : list;
  }
  const out = random.flatMap((s) => {
    const pool = slotPool(String(s.showId ?? ''), refs, notes, where);
    return pool ? [{ pool, shuffle: s.order === 'shuffle', weight: num(s.weight) ?? 1, cooldownMs: num(s.cooldown) ?? 0, durationMs: num(s.duration) ?? 1_800_000 }] : [];
  });
  return out.length ? { kind: 'random_slots', slots: out } : list;
}

function channel(file: string, c: Obj, notes: string[]): ForeignChannel {
  if (c.number === undefined || typeof c.name !== 'string') throw new ImportReadError(`${file} is not a dizqueTV channel (no number or name)`);
  const where = `channel ${c.number}`;
  // Slots draw "tv.<show>" and "movie." from the channel's own programmes; those put in from a custom show belong to "custom.<id>".
  const refs = (Array.isArray(c.programs) ? c.programs as Obj[] : []).filter((p) => !p.isOffline && p.customShowId === undefined).map(program);
  const w = c.watermark as Obj | undefined;
  const pos = ['top-left', 'top-right', 'bottom-left', 'bottom-right'].includes(w?.position) ? w!.position : 'bottom-right';
  const wmImage = w?.enabled ? str(w.url) ?? str(c.icon) : null; // an empty url means "the channel's icon" (dizqueTV's migrateWatermark)
  if (c.offlineMode === 'clip' || c.offlinePicture) notes.push(`${where}: the offline picture/clip is not brought over (our offline slate is used)`);
  return {
    number: String(c.number), name: c.name, group: str(c.groupTitle), icon: str(c.icon),
    watermark: wmImage ? { image: wmImage, position: pos, widthPct: num(w!.width) } : null,
    onDemand: Boolean(c.onDemand?.isOnDemand), stealth: Boolean(c.stealth), disabled: false,
    programming: programming(c, refs, notes, where),
    filler: (Array.isArray(c.fillerCollections) ? c.fillerCollections as Obj[] : []).map((f) => ({ list: String(f.id), weight: num(f.weight) ?? 1, cooldownMs: num(f.cooldown) ?? 0 })),
    fillerRepeatCooldownMs: num(c.fillerRepeatCooldown) ?? 0,
  };
}

function lists(dir: string): ForeignList[] {
  return jsonFiles(dir).map((file) => {
    const j = readJson(file) as Obj;
    if (!j || typeof j !== 'object' || !Array.isArray(j.content)) throw new ImportReadError(`${file} is not a dizqueTV list (no content array)`);
    return { id: basename(file, '.json'), name: str(j.name) ?? basename(file, '.json'), refs: (j.content as Obj[]).filter((p) => !p.isOffline).map(program) };
  });
}

function dbVersion(root: string): number | null {
  const file = join(root, 'db-version.json');
  if (!isFile(file)) return null;
  const j = readJson(file) as Obj;
  const v = Array.isArray(j) ? j[0]?.version : j?.version;
  return num(v);
}

export function readDizqueTv(root: string): ForeignData {
  if (!isDir(root)) throw new ImportReadError(`${root} is not a folder: give dizqueTV's data folder (.dizquetv)`);
  if (!isDir(join(root, 'channels'))) throw new ImportReadError(`${root} has no channels folder: is it dizqueTV's data folder (.dizquetv)?`);
  const notes: string[] = [];
  const version = dbVersion(root);
  if (version !== null && version !== SUPPORTED_DB_VERSION) notes.push(`db-version ${version} (read as ${SUPPORTED_DB_VERSION}; fields may differ)`);
  const serversFile = join(root, 'plex-servers.json');
  const rawServers = isFile(serversFile) ? readJson(serversFile) : [];
  if (!Array.isArray(rawServers)) throw new ImportReadError(`${serversFile} is not a list of servers`);
  const servers: ForeignServer[] = (rawServers as Obj[]).map((s) => ({ name: String(s.name), kind: 'plex', url: String(s.uri), token: str(s.accessToken) }));
  const channels = jsonFiles(join(root, 'channels')).map((file) => channel(file, readJson(file) as Obj, notes));
  return { program: 'dizquetv', servers, channels, fillers: lists(join(root, 'filler')), customShows: lists(join(root, 'custom-shows')), libraries: [], notes };
}
