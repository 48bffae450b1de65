// Reads an ErsatzTV database (ersatztv.sqlite3) read-only: Plex/Jellyfin/Emby/local media sources
// (tokens from plex-secrets.json, jellyfin-secrets.json, emby-secrets.json beside it when present),
// channels (number, name, group, logo, watermark, on-demand, hidden/disabled), the classic schedule each
// playout runs (items of kind one/multiple/duration/flood over collections, shows, seasons, single films
// or episodes, fixed start times), filler presets and collections. Layout as ErsatzTV's EF Core model
// (ErsatzTV.Infrastructure.Sqlite/Migrations/TvContextModelSnapshot.cs) has it; logos and custom
// watermarks are file names in its artwork cache (cache/artwork/{logos,watermarks}/<first 2>/<name>).
import { dirname, join } from 'node:path';
import {
  ImportReadError, idsOfGuids, num, ref, str,
  type FloodItemIn, type ForeignChannel, type ForeignData, type ForeignList, type ForeignPool, type ForeignProgramming, type ForeignRef, type ForeignServer,
} from './model.js';
import { isFile, openReadOnly, readJson, rows, rowsOr, type ReadOnlyDb } from './files.js';

type Obj = Record<string, any>;
type EtvRef = ForeignRef & { showId: number | null; seasonId: number | null };

/** "01:30:00", "00:22:00.5000000", "1.02:00:00" (EF Core TimeSpan text) → ms. */
export function timeSpanMs(v: unknown): number {
  const m = /^(?:(\d+)\.)?(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(String(v ?? ''));
  if (!m) return 0;
  return Math.round(((Number(m[1] ?? 0) * 24 + Number(m[2])) * 3600 + Number(m[3]) * 60 + Number(m[4])) * 1000);
}

const WATERMARK_AT = ['bottom-right', 'bottom-left', 'top-right', 'top-left'] as const; // WatermarkLocation 0..3 (4..8: middles)
const ORDERED = new Set([0, 1, 6]); // PlaybackOrder None, Chronological, SeasonEpisode; the others shuffle
const CLASSIC = 1; // PlayoutScheduleKind: None 0, Classic 1, Block 2, Sequential 3, Scripted 4, ExternalJson 20
const NOT_CLASSIC = new Set([2, 3, 4, 20]);

/** An artwork cache entry (or an external URL) as a path: ImageCache.GetPathForImage. */
const cached = (dir: string, folder: 'logos' | 'watermarks', name: unknown): string | null => {
  const n = str(name);
  if (!n) return null;
  return /^https?:\/\//i.test(n) ? n : join(dir, 'cache', 'artwork', folder, n.slice(0, 2), n);
};

/** ChannelWatermark: Mode 0 = off; ImageSource 0 = a custom image in the cache, 1 = the channel's logo, 100 = a built-in resource. */
function watermarkImage(dir: string, c: Obj): string | null {
  if (!num(c.WmMode)) return null;
  if (num(c.WmSource) === 0) return cached(dir, 'watermarks', c.WmImage);
  if (num(c.WmSource) === 1) return cached(dir, 'logos', c.LogoPath);
  return null;
}

function plexTokens(dir: string): Map<string, string> {
  const file = join(dir, 'plex-secrets.json');
  if (!isFile(file)) return new Map();
  const j = readJson(file) as Obj;
  return new Map(Object.entries((j?.ServerAuthTokens ?? {}) as Record<string, string>));
}

/** jellyfin-secrets.json / emby-secrets.json: one { Address, ApiKey } each (RemoteMediaSourceSecrets). */
function apiKey(dir: string, kind: 'jellyfin' | 'emby'): string | null {
  const file = join(dir, `${kind}-secrets.json`);
  return isFile(file) ? str((readJson(file) as Obj | null)?.ApiKey) : null;
}

function servers(db: ReadOnlyDb, dir: string): { list: ForeignServer[]; nameOf: Map<number, string> } {
  const tokens = plexTokens(dir);
  const list: ForeignServer[] = [];
  const nameOf = new Map<number, string>();
  for (const s of rowsOr<Obj>(db, 'SELECT p.Id, p.ServerName, p.ClientIdentifier, c.Uri FROM PlexMediaSource p JOIN PlexConnection c ON c.PlexMediaSourceId = p.Id AND c.IsActive = 1')) {
    list.push({ name: String(s.ServerName), kind: 'plex', url: String(s.Uri), token: tokens.get(s.ClientIdentifier) ?? null });
    nameOf.set(s.Id, String(s.ServerName));
  }
  for (const kind of ['jellyfin', 'emby'] as const) {
    const t = kind === 'jellyfin' ? 'Jellyfin' : 'Emby';
    for (const s of rowsOr<Obj>(db, `SELECT j.Id, j.ServerName, c.Address FROM ${t}MediaSource j JOIN ${t}Connection c ON c.${t}MediaSourceId = j.Id`)) {
      list.push({ name: String(s.ServerName), kind, url: String(s.Address), token: apiKey(dir, kind) });
      nameOf.set(s.Id, String(s.ServerName));
    }
  }
  return { list, nameOf };
}

function mediaItems(db: ReadOnlyDb, serverOf: Map<number, string>): Map<number, EtvRef> {
  const guids = new Map<string, string[]>();
  for (const g of rowsOr<Obj>(db, 'SELECT Guid, MovieMetadataId, EpisodeMetadataId FROM MetadataGuid')) {
    const k = g.MovieMetadataId ? `m${g.MovieMetadataId}` : `e${g.EpisodeMetadataId}`;
    (guids.get(k) ?? guids.set(k, []).get(k)!).push(String(g.Guid));
  }
  const found = rows<Obj>(db, `SELECT mi.Id, l.MediaSourceId, mm.Id AS MovieMetaId, mm.Title AS MovieTitle, mm.Year AS MovieYear,
      em.Id AS EpMetaId, em.Title AS EpTitle, em.EpisodeNumber, e.SeasonId, se.SeasonNumber, se.ShowId, sm.Title AS ShowTitle, sm.Year AS ShowYear,
      COALESCE(pm.Key, pe.Key) AS PlexKey, COALESCE(jm.ItemId, je.ItemId, bm.ItemId, be.ItemId) AS JellyfinId, mv.Duration, mf.Path
    FROM MediaItem mi
    LEFT JOIN LibraryPath lp ON lp.Id = mi.LibraryPathId LEFT JOIN Library l ON l.Id = lp.LibraryId
    LEFT JOIN MovieMetadata mm ON mm.MovieId = mi.Id
    LEFT JOIN Episode e ON e.Id = mi.Id LEFT JOIN EpisodeMetadata em ON em.EpisodeId = mi.Id
    LEFT JOIN Season se ON se.Id = e.SeasonId LEFT JOIN ShowMetadata sm ON sm.ShowId = se.ShowId
    LEFT JOIN PlexMovie pm ON pm.Id = mi.Id LEFT JOIN PlexEpisode pe ON pe.Id = mi.Id
    LEFT JOIN JellyfinMovie jm ON jm.Id = mi.Id LEFT JOIN JellyfinEpisode je ON je.Id = mi.Id
    LEFT JOIN EmbyMovie bm ON bm.Id = mi.Id LEFT JOIN EmbyEpisode be ON be.Id = mi.Id
    LEFT JOIN MediaVersion mv ON mv.MovieId = mi.Id OR mv.EpisodeId = mi.Id
    LEFT JOIN MediaFile mf ON mf.MediaVersionId = mv.Id
    ORDER BY mi.Id`);
  const out = new Map<number, EtvRef>();
  for (const r of found) {
    if (out.has(r.Id) || (r.MovieMetaId === null && r.EpMetaId === null)) continue;
    const movie = r.MovieMetaId !== null;
    const server = serverOf.get(r.MediaSourceId) ?? null;
    out.set(r.Id, {
      ...ref({
        server, key: server ? (/\/library\/metadata\/(\w+)/.exec(String(r.PlexKey ?? ''))?.[1] ?? str(r.JellyfinId)) : null,
        ids: idsOfGuids(guids.get(movie ? `m${r.MovieMetaId}` : `e${r.EpMetaId}`) ?? []), kind: movie ? 'movie' : 'episode',
        title: str(movie ? r.MovieTitle : r.EpTitle) ?? '(untitled)', showTitle: movie ? null : str(r.ShowTitle),
        season: movie ? null : num(r.SeasonNumber), episode: movie ? null : num(r.EpisodeNumber), year: num(movie ? r.MovieYear : r.ShowYear),
        path: server ? null : str(r.Path), durationMs: timeSpanMs(r.Duration),
      }),
      showId: movie ? null : num(r.ShowId), seasonId: movie ? null : num(r.SeasonId),
    });
  }
  return out;
}

function collections(db: ReadOnlyDb, items: Map<number, EtvRef>, notes: string[]): ForeignList[] {
  const lists = new Map<number, ForeignList>();
  let other = 0;
  for (const c of rowsOr<Obj>(db, 'SELECT c.Id, c.Name, ci.MediaItemId FROM Collection c LEFT JOIN CollectionItem ci ON ci.CollectionId = c.Id ORDER BY c.Id, ci.MediaItemId')) {
    const l = lists.get(c.Id) ?? lists.set(c.Id, { id: `c${c.Id}`, name: String(c.Name), refs: [] }).get(c.Id)!;
    const it = c.MediaItemId !== null ? items.get(c.MediaItemId) : undefined;
    if (it) l.refs.push(it);
    else if (c.MediaItemId !== null) other++;
  }
  if (other) notes.push(`${other} collection entr${other === 1 ? 'y is' : 'ies are'} not a film or an episode (music videos, songs, other videos, whole shows or seasons): not brought over`);
  return [...lists.values()];
}

const byEpisode = (a: ForeignRef, b: ForeignRef) => (a.season ?? 0) - (b.season ?? 0) || (a.episode ?? 0) - (b.episode ?? 0);

function itemPool(it: Obj, items: Map<number, EtvRef>, notes: string[], where: string): ForeignPool | null {
  const all = [...items.values()];
  switch (num(it.CollectionType)) {
    case 0: return { type: 'list', id: `c${it.CollectionId}` };
    case 1: {
      const refs = all.filter((r) => r.showId === num(it.MediaItemId)).sort(byEpisode);
      return { type: 'show', title: refs[0]?.showTitle ?? `show ${it.MediaItemId}`, refs };
    }
    case 2: return { type: 'refs', label: `season ${it.MediaItemId}`, refs: all.filter((r) => r.seasonId === num(it.MediaItemId)).sort(byEpisode) };
    case 10: case 20: { // CollectionType Movie / Episode: one media item
      const one = items.get(num(it.MediaItemId) ?? -1);
      return { type: 'refs', label: one?.title ?? `item ${it.MediaItemId}`, refs: one ? [one] : [] };
    }
    default:
      notes.push(`${where}: schedule item ${num(it.Index) ?? '?'} draws from a multi-collection, smart collection, playlist, search, rerun collection or artist: not brought over`);
      return null;
  }
}

/** ProgramScheduleMultipleItem: Count is text; MultipleMode 0 = that count, 1 = the collection's size, 2/3 = playlist/multi-part sizes. */
function multiple(it: Obj, pool: ForeignPool, notes: string[], where: string): number {
  if (num(it.MultipleMode) === 1 && 'refs' in pool) return Math.max(1, pool.refs.length);
  if ((num(it.MultipleMode) ?? 0) > 1) {
    notes.push(`${where}: schedule item ${num(it.Index) ?? '?'} plays a playlist-item or multi-part-group count: one programme each time here`);
    return 1;
  }
  return Math.max(1, Math.floor(num(it.Count) ?? 1));
}

function fill(it: Obj, pool: ForeignPool, notes: string[], where: string): FloodItemIn['fill'] {
  if (it.DurationItem !== null) return { mode: 'duration', minutes: Math.max(1, Math.round(timeSpanMs(it.PlayoutDuration) / 60_000)) };
  if (it.MultipleItem !== null) return { mode: 'count', count: multiple(it, pool, notes, where) };
  if (it.OneItem !== null) return { mode: 'one' };
  return { mode: 'flood' };
}

function schedule(db: ReadOnlyDb, scheduleId: number | null, items: Map<number, EtvRef>, notes: string[], where: string): ForeignProgramming {
  if (scheduleId === null) return { kind: 'list', entries: [] };
  const scheduled = rows<Obj>(db, `SELECT i.*, d.Id AS DurationItem, d.PlayoutDuration, m.Id AS MultipleItem, m.Count, m.MultipleMode, o.Id AS OneItem
    FROM ProgramScheduleItem i LEFT JOIN ProgramScheduleDurationItem d ON d.Id = i.Id LEFT JOIN ProgramScheduleMultipleItem m ON m.Id = i.Id
    LEFT JOIN ProgramScheduleOneItem o ON o.Id = i.Id WHERE i.ProgramScheduleId = ? ORDER BY i."Index"`, scheduleId);
  const shuffle = (it: Obj) => !ORDERED.has(num(it.PlaybackOrder) ?? 1);
  const mapped = scheduled.flatMap((it) => { const pool = itemPool(it, items, notes, where); return pool ? [{ it, pool }] : []; });
  if (mapped.length && mapped.every(({ it }) => str(it.StartTime))) {
    return {
      kind: 'time_slots', period: 'day', latenessMin: 0,
      slots: mapped.map(({ it, pool }) => ({ startMin: Math.floor(timeSpanMs(it.StartTime) / 60_000) % 1440, pool, shuffle: shuffle(it) })),
    };
  }
  if (mapped.some(({ it }) => str(it.StartTime))) notes.push(`${where}: fixed start times mixed with dynamic items are not kept (the items rotate in order)`);
  return { kind: 'rotation', items: mapped.map(({ it, pool }) => ({ pool, shuffle: shuffle(it), fill: fill(it, pool, notes, where) })) };
}

export function readErsatzTv(file: string): ForeignData {
  if (!isFile(file)) throw new ImportReadError(`${file} is not a file: give ErsatzTV's database (ersatztv.sqlite3)`);
  const db = openReadOnly(file, ['Channel', 'MediaItem', 'ProgramSchedule']);
  try {
    const notes: string[] = [];
    const { list, nameOf } = servers(db, dirname(file));
    const items = mediaItems(db, nameOf);
    const fillerRows = rowsOr<Obj>(db, 'SELECT * FROM FillerPreset');
    const colls = collections(db, items, notes);
    const fillers: ForeignList[] = fillerRows.map((f) => ({ id: `f${f.Id}`, name: String(f.Name), refs: colls.find((c) => c.id === `c${f.CollectionId}`)?.refs ?? [] }));
    const dir = dirname(file);
    const channels: ForeignChannel[] = rows<Obj>(db, `SELECT c.*, a.Path AS LogoPath, w.Image AS WmImage, w.Mode AS WmMode, w.ImageSource AS WmSource, w.Location AS WmLocation,
        w.WidthPercent AS WmWidth, p.ProgramScheduleId, p.ScheduleKind
      FROM Channel c LEFT JOIN Artwork a ON a.ChannelId = c.Id AND a.ArtworkKind = 2
      LEFT JOIN ChannelWatermark w ON w.Id = c.WatermarkId LEFT JOIN Playout p ON p.ChannelId = c.Id ORDER BY c.Id`).map((c) => {
      const where = `channel ${c.Number}`;
      const preset = fillerRows.find((f) => f.Id === c.FallbackFillerId);
      const wm = watermarkImage(dir, c);
      if (num(c.PlayoutSource) === 1) notes.push(`${where}: mirrors another channel in ErsatzTV: imported without programming`);
      const classic = num(c.PlayoutSource) !== 1 && !NOT_CLASSIC.has(num(c.ScheduleKind) ?? CLASSIC);
      if (!classic && num(c.PlayoutSource) !== 1) notes.push(`${where}: its playout is a block, sequential, scripted or external schedule: imported without programming`);
      return {
        number: String(c.Number), name: String(c.Name), group: str(c.Group), icon: cached(dir, 'logos', c.LogoPath),
        watermark: wm ? { image: wm, position: WATERMARK_AT[num(c.WmLocation) ?? 0] ?? 'bottom-right', widthPct: num(c.WmWidth) } : null,
        onDemand: num(c.PlayoutMode) === 1, stealth: num(c.ShowInEpg) === 0, disabled: num(c.IsEnabled) === 0,
        programming: schedule(db, classic ? num(c.ProgramScheduleId) : null, items, notes, where),
        filler: preset ? [{ list: `f${preset.Id}`, weight: 1, cooldownMs: 0, kinds: ['fallback'] as const }] : [],
        fillerRepeatCooldownMs: 0,
      };
    });
    const libraries = rowsOr<Obj>(db, 'SELECT l.Name, lp.Path FROM Library l JOIN LocalMediaSource s ON s.Id = l.MediaSourceId JOIN LibraryPath lp ON lp.LibraryId = l.Id ORDER BY l.Id, lp.Id')
      .map((l) => ({ name: String(l.Name), path: String(l.Path) }));
    return { program: 'ersatztv', servers: list, channels, fillers, customShows: colls, libraries, notes };
  } catch (err) {
    if (err instanceof ImportReadError) throw err;
    throw new ImportReadError(`${file}: ${(err as Error).message}`);
  } finally {
    db.close();
  }
}
