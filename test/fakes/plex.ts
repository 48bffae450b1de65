// A faithful fake Plex Media Server on 127.0.0.1 (JSON with Accept: application/json, as PMS 1.40
// answers): /identity, /, /library/sections, /library/sections/{key}/all?type=1|2|4 paged with
// X-Plex-Container-Start/Size (headers or query), parts with byte ranges. Checks X-Plex-Token
// (header or query) and logs every request; can ignore paging, fail halfway, answer HTML or hang.
// Collections (/library/sections/{key}/collections, /library/collections/{id}/children) and video
// playlists (/playlists, /playlists/{id}/items), paged the same way. Live TV DVRs (/livetv/dvrs,
// POST /livetv/dvrs/{key}/reloadGuide answering 200 with an empty body). Notifications as server-sent
// events (/:/eventsource/notifications, kept open): `timeline` events with TimelineEntry[].
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FakeBehaviour } from './jellyfin.js';
import { sendFile } from './ranges.js';

export interface PlexRequest { path: string; token: string | null; clientId: string | null; start: string | null; size: string | null; status: number; range: string | null }

export interface FakePlex {
  url: string;
  token: string;
  machineIdentifier: string;
  friendlyName: string;
  readonly log: PlexRequest[];
  behaviour: FakeBehaviour;
  metadata: Map<string, Record<string, any>>;
  addSection(title: string, type: 'movie' | 'show', location: string): string;
  addShow(section: string, title: string, year?: number): string;
  addEpisode(section: string, show: string, e: { season: number; episode: number; title: string; seconds: number; file?: string; path?: string }): string;
  addMovie(section: string, m: { title: string; year: number; seconds: number; genres?: string[]; imdb?: string; tmdb?: string; file?: string; path?: string }): string;
  /** A collection of a section (movies, or shows standing for their episodes); its ratingKey. */
  addCollection(section: string, title: string, members: string[]): string;
  /** A video playlist of the account (items from any section); its ratingKey. */
  addPlaylist(title: string, members: string[]): string;
  /** New members of a collection or playlist (as edited on the server); null removes it. */
  setMembers(ratingKey: string, members: string[] | null): void;
  /** A DVR set up in Plex with the HDHomeRun `deviceId` as its tuner; its key. */
  addDvr(deviceId: string, guideUrl: string): string;
  /** Sends a library timeline notification (state 5: done, 9: deleted) to every open event stream. */
  notify(entries: { sectionID: string; itemID: string; type: number; title: string; state: number }[]): void;
  /** Open notification streams. */
  listeners(): number;
  /** Answer collection and playlist requests with HTTP 500. */
  failCollections: boolean;
  /** An edit on the server: a later updatedAt. */
  edit(ratingKey: string, change: Record<string, unknown>): void;
  close(): Promise<void>;
}

let epoch = 1_700_000_000;

export async function startFakePlex(): Promise<FakePlex> {
  const token = randomBytes(10).toString('base64url');
  const machineIdentifier = randomBytes(20).toString('hex');
  const friendlyName = 'basement-plex';
  const sections: { key: string; type: 'movie' | 'show'; title: string; uuid: string; Location: { id: number; path: string }[] }[] = [];
  const metadata = new Map<string, Record<string, any>>();
  const files = new Map<string, string>(); // part key → local file
  const log: PlexRequest[] = [];
  const behaviour: FakeBehaviour = { ignorePaging: false, failAfterPages: null, html: false, hang: false };
  const hung = new Set<Socket>();
  let nextKey = 1000;
  const listeners = new Set<ServerResponse>();
  const dvrs: { key: string; uuid: string; deviceId: string; guideUrl: string }[] = [];
  const groups = new Map<string, { type: 'collection' | 'playlist'; title: string; section: number | null; members: string[]; addedAt: number; updatedAt: number }>();
  let pages = 0;

  const container = (res: ServerResponse, body: Record<string, unknown>) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'X-Plex-Protocol': '1.0' }).end(JSON.stringify({ MediaContainer: body }));
    return 200;
  };
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    const u = new URL(req.url ?? '/', 'http://x');
    const h = (name: string) => (req.headers[name.toLowerCase()] as string | undefined) ?? u.searchParams.get(name);
    const entry: PlexRequest = {
      path: u.pathname, token: h('X-Plex-Token'), clientId: h('X-Plex-Client-Identifier'), start: h('X-Plex-Container-Start'),
      size: h('X-Plex-Container-Size'), status: 0, range: req.headers.range ?? null,
    };
    log.push(entry);
    if (behaviour.hang) { hung.add(req.socket); return; }
    if (behaviour.html) {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><body>Plex Web</body></html>');
      entry.status = 200;
      return;
    }
    if (u.pathname === '/identity') { entry.status = container(res, { size: 0, claimed: true, machineIdentifier, version: '1.40.2.8395-c67dce28e' }); return; }
    if (entry.token !== token) {
      res.writeHead(401, { 'Content-Type': 'text/html' }).end('<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>');
      entry.status = 401;
      return;
    }
    entry.status = route(req, res, u, entry);
  };
  const route = (req: IncomingMessage, res: ServerResponse, u: URL, entry: PlexRequest): number => {
    if (u.pathname === '/') return container(res, { size: 27, friendlyName, machineIdentifier, version: '1.40.2.8395-c67dce28e', platform: 'Linux', myPlex: true });
    if (u.pathname === '/library/sections') {
      return container(res, {
        size: sections.length, allowSync: false, title1: 'Plex Library',
        Directory: sections.map((s) => ({ allowSync: true, art: '/:/resources/movie-fanart.jpg', key: s.key, type: s.type, title: s.title, agent: s.type === 'movie' ? 'tv.plex.agents.movie' : 'tv.plex.agents.series', scanner: s.type === 'movie' ? 'Plex Movie' : 'Plex TV Series', language: 'en-US', uuid: s.uuid, updatedAt: epoch, createdAt: epoch - 86400, Location: s.Location })),
      });
    }
    const all = /^\/library\/sections\/(\d+)\/all$/.exec(u.pathname);
    if (all) {
      if (behaviour.failAfterPages !== null && pages >= behaviour.failAfterPages) {
        res.writeHead(500, { 'Content-Type': 'text/html' }).end('<html><body>Internal Server Error</body></html>');
        return 500;
      }
      pages++;
      const type = Number(u.searchParams.get('type'));
      const typeName = ({ 1: 'movie', 2: 'show', 4: 'episode' } as Record<number, string>)[type];
      const list = [...metadata.values()].filter((m) => m.librarySectionID === Number(all[1]) && (!typeName || m.type === typeName))
        .sort((a, b) => Number(a.ratingKey) - Number(b.ratingKey));
      const start = Number(entry.start ?? 0);
      const size = entry.size === null ? Infinity : Number(entry.size);
      const page = behaviour.ignorePaging ? list : list.slice(start, start + size);
      return container(res, { size: page.length, totalSize: list.length, offset: behaviour.ignorePaging ? 0 : start, librarySectionID: Number(all[1]), Metadata: page });
    }
    if (u.pathname === '/:/eventsource/notifications') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
      res.write(': plex\n\n');
      listeners.add(res);
      res.on('close', () => listeners.delete(res));
      return 200;
    }
    if (u.pathname === '/livetv/dvrs') {
      return container(res, { size: dvrs.length, Dvr: dvrs.map((d) => ({
        key: d.key, uuid: d.uuid, language: 'eng', lineupTitle: 'XMLTV', lineup: `lineup://tv.plex.providers.epg.xmltv/${encodeURIComponent(d.guideUrl)}#XMLTV`,
        country: 'usa', refreshedAt: epoch, epgIdentifier: `tv.plex.providers.epg.xmltv:${d.key}`,
        Device: [{ parentID: Number(d.key), key: String(Number(d.key) + 100), uuid: `device://tv.plex.grabbers.hdhomerun/${d.deviceId}`, uri: 'http://192.168.1.20:8410',
          make: 'Silicondust', model: 'HDTC-2US', modelNumber: 'HDTC-2US', protocol: 'livetv', sources: 'Cable', state: '1', status: '1', tuners: '4', title: 'EXStreamTV', lastSeenAt: epoch }],
      })) });
    }
    const reload = /^\/livetv\/dvrs\/(\d+)\/reloadGuide$/.exec(u.pathname);
    if (reload && req.method === 'POST') {
      if (!dvrs.some((d) => d.key === reload[1])) { res.writeHead(404, { 'Content-Type': 'text/html' }).end('<html><body>404 Not Found</body></html>'); return 404; }
      res.writeHead(200, { 'Content-Length': 0 }).end();
      return 200;
    }
    const grouped = groupRoute(u, entry, res);
    if (grouped) return grouped;
    const part = /^\/library\/parts\/\d+\/\d+\/file\.\w+$/.exec(u.pathname);
    if (part) {
      const file = files.get(u.pathname);
      if (!file) { res.writeHead(404).end(); return 404; }
      return sendFile(req, res, file, 'video/mp4');
    }
    res.writeHead(404, { 'Content-Type': 'text/html' }).end('<html><body>404 Not Found</body></html>');
    return 404;
  };

  /** A paged list of metadata (the same paging and guards as /all). */
  const paged = (res: ServerResponse, entry: PlexRequest, list: Record<string, unknown>[], extra: Record<string, unknown>) => {
    const start = Number(entry.start ?? 0);
    const size = entry.size === null ? Infinity : Number(entry.size);
    const page = fake.behaviour.ignorePaging ? list : list.slice(start, start + size);
    return container(res, { size: page.length, totalSize: list.length, offset: start, ...extra, Metadata: page });
  };
  const groupRoute = (u: URL, entry: PlexRequest, res: ServerResponse): number => {
    const isGroupPath = /^\/library\/sections\/\d+\/collections$|^\/library\/collections\/\d+\/children$|^\/playlists(\/\d+\/items)?$/.test(u.pathname);
    if (!isGroupPath) return 0;
    if (fake.failCollections) { res.writeHead(500, { 'Content-Type': 'text/html' }).end('<html><body>Internal Server Error</body></html>'); return 500; }
    const cols = /^\/library\/sections\/(\d+)\/collections$/.exec(u.pathname);
    if (cols) {
      const list = [...groups].filter(([, g]) => g.type === 'collection' && g.section === Number(cols[1])).map(([ratingKey, g]) => ({
        ratingKey, key: `/library/collections/${ratingKey}/children`, guid: `collection://${ratingKey}`, type: 'collection', title: g.title, subtype: metadata.get(g.members[0] ?? '')?.type ?? 'movie',
        summary: '', index: Number(ratingKey), thumb: `/library/collections/${ratingKey}/composite/${g.updatedAt}?width=400&height=600`, addedAt: g.addedAt, updatedAt: g.updatedAt, childCount: String(g.members.length),
      }));
      return paged(res, entry, list, { allowSync: false, librarySectionID: Number(cols[1]), title2: 'Collections', viewGroup: 'secondary' });
    }
    if (u.pathname === '/playlists') {
      const type = u.searchParams.get('playlistType');
      const list = [...groups].filter(([, g]) => g.type === 'playlist' && (!type || type === 'video')).map(([ratingKey, g]) => ({
        ratingKey, key: `/playlists/${ratingKey}/items`, guid: `com.plexapp.agents.none://${ratingKey}`, type: 'playlist', title: g.title, summary: '', smart: false,
        playlistType: 'video', composite: `/playlists/${ratingKey}/composite/${g.updatedAt}`, icon: 'playlist://image.smart', leafCount: g.members.length, addedAt: g.addedAt, updatedAt: g.updatedAt,
        duration: g.members.reduce((n, k) => n + Number(metadata.get(k)?.duration ?? 0), 0),
      }));
      return paged(res, entry, list, {});
    }
    const id = /\/(\d+)\/(children|items)$/.exec(u.pathname)![1]!;
    const g = groups.get(id);
    if (!g || (g.type === 'playlist') !== u.pathname.startsWith('/playlists')) { res.writeHead(404, { 'Content-Type': 'text/html' }).end('<html><body>404 Not Found</body></html>'); return 404; }
    const list = g.members.flatMap((k, i) => { const m = metadata.get(k); return m ? [{ ...m, ...(g.type === 'playlist' ? { playlistItemID: 90_000 + i } : {}) }] : []; });
    return paged(res, entry, list, g.type === 'playlist' ? { ratingKey: id, title: g.title, smart: false, playlistType: 'video', leafCount: list.length } : { title1: 'Collections', title2: g.title });
  };
  const addGroup = (type: 'collection' | 'playlist', title: string, section: number | null, members: string[]) => {
    const ratingKey = String(nextKey++);
    groups.set(ratingKey, { type, title, section, members: [...members], addedAt: epoch += 60, updatedAt: epoch });
    return ratingKey;
  };

  const server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const media = (ratingKey: string, seconds: number, path: string, file: string | undefined) => {
    const partId = nextKey++;
    const ext = path.slice(path.lastIndexOf('.') + 1);
    const key = `/library/parts/${partId}/${epoch}/file.${ext}`;
    if (file) files.set(key, file);
    return {
      duration: seconds * 1000,
      Media: [{
        id: nextKey++, duration: seconds * 1000, bitrate: 1332, width: 640, height: 360, aspectRatio: 1.78, audioChannels: 2, audioCodec: 'aac',
        videoCodec: 'h264', videoResolution: 'sd', container: ext, videoFrameRate: '24p', videoProfile: 'high',
        Part: [{ id: partId, key, duration: seconds * 1000, file: path, size: 1_000_000 + seconds * 150_000, container: ext, videoProfile: 'high' }],
      }],
      _ratingKey: ratingKey,
    };
  };
  const put = (section: string, m: Record<string, any>) => {
    const ratingKey = String(nextKey++);
    const { _ratingKey: _r, ...rest } = m;
    metadata.set(ratingKey, { ratingKey, key: `/library/metadata/${ratingKey}`, librarySectionID: Number(section), addedAt: epoch += 60, updatedAt: epoch, ...rest });
    return ratingKey;
  };

  const fake: FakePlex = {
    url, token, machineIdentifier, friendlyName, log, behaviour, metadata, failCollections: false,
    addCollection: (section, title, members) => addGroup('collection', title, Number(section), members),
    addPlaylist: (title, members) => addGroup('playlist', title, null, members),
    notify(entries) {
      const data = { NotificationContainer: { type: 'timeline', size: entries.length, TimelineEntry: entries.map((e) => ({ identifier: 'com.plexapp.plugins.library', ...e, updatedAt: epoch += 60 })) } };
      for (const r of listeners) r.write(`event: timeline\ndata: ${JSON.stringify(data)}\n\n`);
    },
    listeners: () => listeners.size,
    addDvr(deviceId, guideUrl) {
      const key = String(dvrs.length + 3);
      dvrs.push({ key, uuid: randomBytes(16).toString('hex'), deviceId, guideUrl });
      return key;
    },
    setMembers(ratingKey, members) {
      const g = groups.get(ratingKey);
      if (!g) throw new Error(`no collection or playlist ${ratingKey}`);
      if (members === null) groups.delete(ratingKey); else Object.assign(g, { members: [...members], updatedAt: epoch += 60 });
    },
    addSection(title, type, location) {
      const key = String(sections.length + 1);
      sections.push({ key, type, title, uuid: randomBytes(16).toString('hex'), Location: [{ id: sections.length + 1, path: location }] });
      return key;
    },
    addShow(section, title, year = 2019) {
      return put(section, { guid: `plex://show/${randomBytes(12).toString('hex')}`, type: 'show', title, summary: `${title}: a series.`, year, contentRating: 'TV-14', thumb: `/library/metadata/x/thumb/${epoch}`, art: `/library/metadata/x/art/${epoch}`, Genre: [{ tag: 'Comedy' }], Guid: [{ id: 'tvdb://361753' }, { id: 'imdb://tt9140560' }] });
    },
    addEpisode(section, show, e) {
      const s = metadata.get(show)!;
      const path = e.path ?? `/data/tv/${s.title}/Season ${e.season}/${s.title} - s${String(e.season).padStart(2, '0')}e${String(e.episode).padStart(2, '0')}.mp4`;
      return put(section, {
        guid: `plex://episode/${randomBytes(12).toString('hex')}`, type: 'episode', title: e.title, grandparentRatingKey: show, grandparentTitle: s.title,
        parentIndex: e.season, index: e.episode, summary: `Episode ${e.episode}.`, year: 2021, originallyAvailableAt: `2021-02-${String(10 + e.episode).padStart(2, '0')}`,
        contentRating: 'TV-14', thumb: `/library/metadata/${show}/thumb/${epoch}`, Guid: [{ id: `tvdb://${8_000_000 + e.season * 100 + e.episode}` }],
        ...media('', e.seconds, path, e.file),
      });
    },
    addMovie(section, m) {
      const path = m.path ?? `/data/movies/${m.title} (${m.year})/${m.title} (${m.year}).mkv`;
      return put(section, {
        guid: `plex://movie/${randomBytes(12).toString('hex')}`, type: 'movie', title: m.title, year: m.year, summary: `${m.title}, a film.`,
        contentRating: 'R', originallyAvailableAt: `${m.year}-12-15`, studio: 'Warner Bros.', thumb: `/library/metadata/1/thumb/${epoch}`,
        Genre: (m.genres ?? ['Drama']).map((tag) => ({ tag })), Guid: [{ id: `imdb://${m.imdb ?? 'tt0113277'}` }, { id: `tmdb://${m.tmdb ?? '949'}` }],
        ...media('', m.seconds, path, m.file),
      });
    },
    edit(ratingKey, change) {
      const m = metadata.get(ratingKey);
      if (!m) throw new Error(`no item ${ratingKey}`);
      Object.assign(m, change, { updatedAt: epoch += 60 });
    },
    close: () => new Promise<void>((resolve) => {
      for (const s of hung) s.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  return fake;
}
