// A faithful fake Jellyfin (or Emby) server on 127.0.0.1, built from the shapes real 10.9/10.10
// servers (Emby 4.8) answer: sign-in by name, /System/Info, /Library/VirtualFolders, paged /Items
// (StartIndex/Limit; Fields as a comma list or repeated), direct play with byte ranges. It checks
// the `Authorization: MediaBrowser … Token="…"` header (Jellyfin ignores the legacy X-Emby-Token;
// Emby takes both), logs every request, and can be told to ignore paging, fail halfway, answer
// HTML or hang. BoxSets and Playlists (/Items?IncludeItemTypes=BoxSet|Playlist, members by
// ParentId in the server's order) as Jellyfin keeps them, outside the libraries. The notification
// socket (/socket?ApiKey=…; Emby /embywebsocket?api_key=…): ForceKeepAlive, then LibraryChanged.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { sendFile } from './ranges.js';
import { acceptWebSocket, type FakeSocket } from './websocket.js';

export type FakeKind = 'jellyfin' | 'emby';

export interface FakeRequest { method: string; path: string; query: URLSearchParams; status: number; range: string | null; auth: string | null }

export interface FakeStream { Index: number; Type: 'Video' | 'Audio' | 'Subtitle'; Codec: string; IsExternal?: boolean; Language?: string; [k: string]: unknown }

export interface EpisodeSpec { season: number; episode: number; name: string; seconds: number; overview?: string; file?: string; path?: string; streams?: FakeStream[] }
export interface MovieSpec { name: string; year: number; seconds: number; genres?: string[]; rating?: string; overview?: string; imdb?: string; tmdb?: string; file?: string; path?: string; streams?: FakeStream[] }

/** How the fake misbehaves. */
export interface FakeBehaviour {
  /** Answer every /Items page with all items (as old servers behind a rewriting proxy do). */
  ignorePaging: boolean;
  /** Answer /Items pages after this many with HTTP 500 (null: never). */
  failAfterPages: number | null;
  /** Answer every request with an HTML login page (a reverse proxy's, say). */
  html: boolean;
  /** Never answer (the socket stays open). */
  hang: boolean;
}

export interface FakeJellyfin {
  kind: FakeKind;
  url: string;
  serverId: string;
  serverName: string;
  /** The API key valid from the start (as made in the dashboard). */
  apiKey: string;
  users: Map<string, string>;
  readonly log: FakeRequest[];
  behaviour: FakeBehaviour;
  items: Map<string, Record<string, any>>;
  addLibrary(name: string, type: 'tvshows' | 'movies', location: string): string;
  addSeries(libraryId: string, name: string, more?: { year?: number; genres?: string[]; overview?: string; tvdb?: string }): string;
  addEpisode(libraryId: string, seriesId: string, e: EpisodeSpec): string;
  addMovie(libraryId: string, m: MovieSpec): string;
  /** A collection (BoxSet) of movies or series, or a playlist of videos; its id. */
  addGroup(type: 'BoxSet' | 'Playlist', name: string, members: string[]): string;
  /** New members of a BoxSet or Playlist (as edited on the server); null removes it. */
  setMembers(id: string, members: string[] | null): void;
  /** Sends LibraryChanged to every open notification socket. */
  libraryChanged(data: { ItemsUpdated?: string[]; ItemsAdded?: string[]; ItemsRemoved?: string[]; CollectionFolders?: string[] }): void;
  /** Open notification sockets, and the KeepAlive messages they sent. */
  sockets(): number;
  keepAlives(): number;
  /** Answer BoxSet and Playlist requests with HTTP 500. */
  failCollections: boolean;
  /** Changes an item as a metadata edit on the server does (new Etag and DateLastSaved). */
  edit(id: string, change: Record<string, unknown>): void;
  /** Media requests (/Videos/…) logged so far. */
  mediaRequests(): FakeRequest[];
  close(): Promise<void>;
}

const guid = () => randomBytes(16).toString('hex');
const TICKS = 10_000_000;
let clock = Date.parse('2024-03-02T18:41:07.000Z');
/** Realistic, ever-later save stamps (7-digit fractions, as .NET writes them). */
const stamp = () => new Date(clock += 61_000).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
const etag = (o: unknown) => createHash('md5').update(JSON.stringify(o)).digest('hex');

const defaultStreams = (): FakeStream[] => [
  { Index: 0, Type: 'Video', Codec: 'h264', Profile: 'High', Level: 40, Width: 640, Height: 360, AspectRatio: '16:9', IsInterlaced: false,
    RealFrameRate: 30, AverageFrameRate: 30, PixelFormat: 'yuv420p', BitRate: 1_204_331, IsDefault: true, IsForced: false, IsExternal: false,
    VideoRange: 'SDR', DisplayTitle: '360p H264 SDR', TimeBase: '1/15360', IsAVC: true },
  { Index: 1, Type: 'Audio', Codec: 'aac', Language: 'eng', Channels: 2, ChannelLayout: 'stereo', SampleRate: 48000, BitRate: 128_000,
    IsDefault: true, IsForced: false, IsExternal: false, DisplayTitle: 'English - AAC - Stereo - Default' },
];

export async function startFakeJellyfin(opts: { kind?: FakeKind; users?: Record<string, string> } = {}): Promise<FakeJellyfin> {
  const kind = opts.kind ?? 'jellyfin';
  const serverId = guid();
  const apiKey = guid();
  const tokens = new Map<string, string | null>([[apiKey, null]]); // token → user id (null: API key)
  const users = new Map(Object.entries(opts.users ?? { alice: 'correct horse' }));
  const userIds = new Map([...users.keys()].map((u) => [u, guid()]));
  const libraries: { Name: string; ItemId: string; CollectionType: string; Locations: string[] }[] = [];
  // Deleting or setting an item (as tests do) changes the listing too.
  const items = new (class extends Map<string, Record<string, any>> {
    override set(k: string, v: Record<string, any>) { generation++; return super.set(k, v); }
    override delete(k: string) { generation++; return super.delete(k); }
  })();
  const log: FakeRequest[] = [];
  const behaviour: FakeBehaviour = { ignorePaging: false, failAfterPages: null, html: false, hang: false };
  let pages = 0;
  /** Bumped on every change to the items, so the sorted listing is rebuilt. */
  let generation = 0;
  const sorted = new Map<string, Record<string, any>[]>();
  const hung = new Set<Socket>();
  const groups = new Map<string, Record<string, any> & { _members: string[] }>();
  let failCollections = false;

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', Server: 'Kestrel' }).end(JSON.stringify(body));
    return status;
  };
  const tokenOf = (req: IncomingMessage): string | null => {
    const auth = req.headers.authorization ?? '';
    const m = /^(?:MediaBrowser|Emby)\s.*\bToken="([^"]*)"/i.exec(auth);
    if (m) return m[1]!;
    // Emby still honours the legacy header; Jellyfin 12 does not.
    if (kind === 'emby' && typeof req.headers['x-emby-token'] === 'string') return req.headers['x-emby-token'];
    return null;
  };
  const resave = (it: Record<string, any>) => {
    generation++;
    it.DateLastSaved = stamp();
    const { Etag: _e, ...rest } = it;
    it.Etag = etag(rest);
  };

  const listItems = (q: URLSearchParams, res: ServerResponse): number => {
    if (behaviour.failAfterPages !== null && pages >= behaviour.failAfterPages) {
      return json(res, 500, { type: 'https://tools.ietf.org/html/rfc9110#section-15.6.1', title: 'An error occurred while processing your request.', status: 500 });
    }
    pages++;
    const parentId = q.get('parentid');
    const types = (q.get('includeitemtypes') ?? '').split(',').filter(Boolean);
    const recursive = q.get('recursive') === 'true';
    const group = parentId ? groups.get(parentId) : undefined;
    const ofGroups = !parentId && types.length > 0 && types.every((x) => x === 'BoxSet' || x === 'Playlist');
    if ((group || ofGroups) && failCollections) return json(res, 500, { title: 'An error occurred while processing your request.', status: 500 });
    if (group) return page(q, res, group._members.flatMap((id) => items.get(id) ?? []));
    if (ofGroups) return page(q, res, [...groups.values()].filter((g) => types.includes(g.Type)).sort((a, b) => (a.SortName < b.SortName ? -1 : 1)));
    // Sorted once per query until the library changes (a real server has an index for this).
    const cacheKey = `${generation}|${parentId}|${recursive}|${types.join(',')}`;
    let list = sorted.get(cacheKey);
    if (!list) {
      list = [...items.values()].filter((it) => (recursive ? it._library === parentId : it.ParentId === parentId) && (!types.length || types.includes(it.Type)));
      list.sort((a, b) => (a.SortName < b.SortName ? -1 : a.SortName > b.SortName ? 1 : a.Id < b.Id ? -1 : 1));
      sorted.clear();
      sorted.set(cacheKey, list);
    }
    return page(q, res, list);
  };
  const page = (q: URLSearchParams, res: ServerResponse, list: Record<string, any>[]): number => {
    const total = list.length;
    const start = Number(q.get('startindex') ?? 0);
    const limit = q.has('limit') ? Number(q.get('limit')) : Infinity;
    const chunk = behaviour.ignorePaging ? list : list.slice(start, start + limit);
    const fields = new Set(q.getAll('fields').flatMap((f) => f.split(',')));
    const out = chunk.map(({ _library, _file, _members, ...it }) => {
      const o: Record<string, any> = { ...it };
      for (const f of ['Path', 'MediaSources', 'Overview', 'Genres', 'ProviderIds', 'DateCreated', 'Etag', 'DateLastSaved']) if (!fields.has(f)) delete o[f];
      return o;
    });
    return json(res, 200, { Items: out, TotalRecordCount: total, StartIndex: behaviour.ignorePaging ? 0 : start });
  };

  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    const u = new URL(req.url ?? '/', 'http://x');
    // Jellyfin matches routes and query keys case-insensitively.
    const path = u.pathname.toLowerCase();
    const query = new URLSearchParams([...u.searchParams].map(([k, v]): [string, string] => [k.toLowerCase(), v]));
    const entry: FakeRequest = { method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, status: 0, range: req.headers.range ?? null, auth: req.headers.authorization ?? null };
    log.push(entry);
    if (behaviour.hang) { hung.add(req.socket); return; }
    if (behaviour.html) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><html><head><title>Sign in</title></head><body><form>…</form></body></html>');
      entry.status = 200;
      return;
    }
    entry.status = route(req, res, path, query);
  };

  const route = (req: IncomingMessage, res: ServerResponse, path: string, q: URLSearchParams): number => {
    if (path === '/system/info/public') return json(res, 200, { LocalAddress: url, ServerName: serverName, Version: version, ProductName: product, Id: serverId, StartupWizardCompleted: true });
    if (path === '/users/authenticatebyname' && req.method === 'POST') {
      if (!/DeviceId="[^"]+"/.test(req.headers.authorization ?? '')) return json(res, 400, { title: 'Bad Request', detail: 'DeviceId is required', status: 400 });
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        let b: { Username?: string; Pw?: string } = {};
        try { b = JSON.parse(body); } catch { /* 401 below */ }
        if (!b.Username || users.get(b.Username) !== (b.Pw ?? '')) {
          res.writeHead(401, { 'Content-Type': 'text/plain' }).end('Error processing request.');
          return;
        }
        const token = guid();
        const id = userIds.get(b.Username)!;
        tokens.set(token, id);
        json(res, 200, {
          User: { Name: b.Username, ServerId: serverId, Id: id, HasPassword: true, HasConfiguredPassword: true, EnableAutoLogin: false, Policy: { IsAdministrator: true } },
          SessionInfo: { Id: guid(), UserId: id, UserName: b.Username, Client: 'EXStreamTV', DeviceName: 'exstreamtv', ApplicationVersion: '0.1.0' },
          AccessToken: token, ServerId: serverId,
        });
      });
      return 200;
    }
    const token = tokenOf(req);
    if (!token || !tokens.has(token)) {
      res.writeHead(401, { 'Content-Length': 0 }).end();
      return 401;
    }
    if (path === '/system/info') return json(res, 200, { ServerName: serverName, Version: version, ProductName: product, Id: serverId, OperatingSystem: 'Linux', HasPendingRestart: false, IsShuttingDown: false, SupportsLibraryMonitor: true, WebSocketPortNumber: 8096, EncoderLocation: 'System', SystemArchitecture: 'X64' });
    if (path === '/users/me') {
      const uid = tokens.get(token);
      if (!uid) return json(res, 400, { title: 'Bad Request', status: 400 });
      return json(res, 200, { Name: [...userIds].find(([, id]) => id === uid)![0], Id: uid, ServerId: serverId });
    }
    if (path === '/library/virtualfolders') {
      return json(res, 200, libraries.map((l) => ({ ...l, LibraryOptions: { EnablePhotos: true, EnableRealtimeMonitor: true, PathInfos: l.Locations.map((p) => ({ Path: p })) }, RefreshStatus: 'Idle' })));
    }
    if (path === '/items') return listItems(q, res);
    const m = /^\/videos\/([0-9a-f]+)\/stream(\.\w+)?$/.exec(path);
    if (m) {
      const it = items.get(m[1]!);
      if (!it?._file) return json(res, 404, { title: 'Not Found', status: 404 });
      return sendFile(req, res, it._file, 'video/mp4');
    }
    return json(res, 404, { title: 'Not Found', status: 404 });
  };

  const product = kind === 'emby' ? 'Emby Server' : 'Jellyfin Server';
  const version = kind === 'emby' ? '4.8.10.0' : '10.10.3';
  const serverName = kind === 'emby' ? 'den-emby' : 'living-room';
  const server = createServer(serve);
  const sockets = new Set<FakeSocket>();
  let keepAlives = 0;
  server.on('upgrade', (req, socket) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const token = u.searchParams.get(kind === 'emby' ? 'api_key' : 'ApiKey');
    if (u.pathname.toLowerCase() !== (kind === 'emby' ? '/embywebsocket' : '/socket') || !token || !tokens.has(token) || !u.searchParams.get('deviceId')) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const ws = acceptWebSocket(req, socket, (text) => { if (JSON.parse(text).MessageType === 'KeepAlive') keepAlives++; });
    sockets.add(ws);
    socket.on('close', () => sockets.delete(ws));
    ws.send(JSON.stringify({ MessageType: 'ForceKeepAlive', MessageId: guid(), Data: 60 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const media = (file: string | undefined, path: string, seconds: number, streams: FakeStream[] | undefined, id: string) => {
    const ext = path.slice(path.lastIndexOf('.') + 1);
    return {
      RunTimeTicks: seconds * TICKS, Path: path, Container: ext === 'mkv' ? 'mkv' : 'mov,mp4,m4a,3gp,3g2,mj2', _file: file,
      MediaSources: [{
        Protocol: 'File', Id: id, Path: path, Type: 'Default', Container: ext === 'mkv' ? 'mkv' : 'mov,mp4,m4a,3gp,3g2,mj2', Size: 1_000_000 + seconds * 150_000,
        Name: path.slice(path.lastIndexOf('/') + 1, path.lastIndexOf('.')), IsRemote: false, ETag: guid(), RunTimeTicks: seconds * TICKS,
        SupportsDirectPlay: true, SupportsDirectStream: true, SupportsTranscoding: true, Bitrate: 1_332_331, MediaStreams: streams ?? defaultStreams(),
      }],
    };
  };
  const put = (it: Record<string, any>) => { resave(it); items.set(it.Id, it); return it.Id as string; };

  return {
    kind, url, serverId, serverName, apiKey, users, log, behaviour, items,
    addLibrary(name, type, location) {
      const id = guid();
      libraries.push({ Name: name, ItemId: id, CollectionType: type, Locations: [location] });
      return id;
    },
    addSeries(libraryId, name, more = {}) {
      const id = guid();
      return put({
        Name: name, ServerId: serverId, Id: id, SortName: name.toLowerCase(), Type: 'Series', IsFolder: true, _library: libraryId, ParentId: libraryId,
        ProductionYear: more.year ?? 2019, Overview: more.overview ?? `${name}: a series.`, Genres: more.genres ?? ['Comedy'], OfficialRating: 'TV-PG',
        CommunityRating: 7.9, ProviderIds: { Tvdb: more.tvdb ?? '361753', Imdb: 'tt9140560' }, DateCreated: stamp(),
        ImageTags: { Primary: guid() }, BackdropImageTags: [guid()], Path: `/media/tv/${name}`,
      });
    },
    addEpisode(libraryId, seriesId, e) {
      const id = guid();
      const series = items.get(seriesId)!;
      const path = e.path ?? `/media/tv/${series.Name}/Season ${String(e.season).padStart(2, '0')}/${series.Name} - S${String(e.season).padStart(2, '0')}E${String(e.episode).padStart(2, '0')}.mp4`;
      return put({
        Name: e.name, ServerId: serverId, Id: id, SortName: `${series.SortName} ${String(e.season).padStart(3, '0')} ${String(e.episode).padStart(4, '0')}`,
        Type: 'Episode', _library: libraryId, ParentId: guid(), SeriesId: seriesId, SeriesName: series.Name, SeasonName: `Season ${e.season}`,
        ParentIndexNumber: e.season, IndexNumber: e.episode, PremiereDate: `2021-0${Math.min(9, e.season)}-1${e.episode % 10}T00:00:00.0000000Z`,
        ProductionYear: 2021, Overview: e.overview ?? `Episode ${e.episode} of season ${e.season}.`, Genres: [], ProviderIds: { Tvdb: String(8_000_000 + e.season * 100 + e.episode) },
        DateCreated: stamp(), ImageTags: { Primary: guid() }, BackdropImageTags: [], LocationType: 'FileSystem', MediaType: 'Video',
        ...media(e.file, path, e.seconds, e.streams, id),
      });
    },
    addMovie(libraryId, mv) {
      const id = guid();
      const path = mv.path ?? `/media/movies/${mv.name} (${mv.year})/${mv.name} (${mv.year}).mkv`;
      return put({
        Name: mv.name, ServerId: serverId, Id: id, SortName: mv.name.toLowerCase(), Type: 'Movie', _library: libraryId, ParentId: libraryId,
        ProductionYear: mv.year, PremiereDate: `${mv.year}-06-01T00:00:00.0000000Z`, Overview: mv.overview ?? `${mv.name}, a film.`,
        Genres: mv.genres ?? ['Drama'], OfficialRating: mv.rating ?? 'PG-13', CommunityRating: 6.8,
        ProviderIds: { Imdb: mv.imdb ?? 'tt0111161', Tmdb: mv.tmdb ?? '278' }, DateCreated: stamp(), ImageTags: { Primary: guid() },
        BackdropImageTags: [guid()], LocationType: 'FileSystem', MediaType: 'Video', ...media(mv.file, path, mv.seconds, mv.streams, id),
      });
    },
    libraryChanged(data) {
      const msg = JSON.stringify({ MessageType: 'LibraryChanged', MessageId: guid(), Data: { FoldersAddedTo: [], FoldersRemovedFrom: [], ItemsAdded: [], ItemsRemoved: [], ItemsUpdated: [], CollectionFolders: [], IsEmpty: false, ...data } });
      for (const s of sockets) s.send(msg);
    },
    sockets: () => sockets.size,
    keepAlives: () => keepAlives,
    get failCollections() { return failCollections; },
    set failCollections(v: boolean) { failCollections = v; },
    addGroup(type, name, members) {
      const id = guid();
      const folder = type === 'BoxSet' ? 'collections' : 'playlists';
      const g = {
        Name: name, ServerId: serverId, Id: id, SortName: name.toLowerCase(), Type: type, IsFolder: true, ChildCount: members.length,
        ...(type === 'BoxSet' ? { CollectionType: 'boxsets', DisplayPreferencesId: guid() } : { MediaType: 'Video' }),
        Path: `/config/data/${folder}/${name}${type === 'BoxSet' ? ' [boxset]' : ''}`, LocationType: 'FileSystem', DateCreated: stamp(), ImageTags: {}, BackdropImageTags: [],
        _members: [...members],
      };
      resave(g);
      groups.set(id, g);
      return id;
    },
    setMembers(id, members) {
      const g = groups.get(id);
      if (!g) throw new Error(`no BoxSet or Playlist ${id}`);
      if (members === null) { groups.delete(id); return; }
      g._members = [...members];
      g.ChildCount = members.length;
      resave(g);
    },
    edit(id, change) {
      const it = items.get(id);
      if (!it) throw new Error(`no item ${id}`);
      Object.assign(it, change);
      resave(it);
    },
    mediaRequests: () => log.filter((r) => r.path.toLowerCase().startsWith('/videos/')),
    close: () => new Promise<void>((resolve) => {
      for (const s of hung) s.destroy();
      for (const s of sockets) s.close();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
