// Thin Jellyfin/Emby client: the MediaBrowser auth header, sign-in, server info, libraries, and a
// paged item listing that detects servers ignoring paging (fails rather than keep a truncated list).
import { z } from 'zod';
import { baseUrl, requestJson, ServerError } from './http.js';
import { listAllPages } from './paging.js';

export type JellyfinKind = 'jellyfin' | 'emby';
export const productName = (kind: JellyfinKind) => (kind === 'emby' ? 'Emby' : 'Jellyfin');

export interface JellyfinConn {
  kind: JellyfinKind;
  url: string;
  deviceId: string;
  token?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

const CLIENT = 'EXStreamTV';
const VERSION = '0.1.0';

/** `Authorization: MediaBrowser …` (Jellyfin 12 ignores the legacy X-Emby-Token and api_key). */
export function authHeader(c: Pick<JellyfinConn, 'deviceId' | 'token'>): Record<string, string> {
  const q = (v: string) => v.replace(/["\\\r\n]/g, '');
  const token = c.token ? `, Token="${q(c.token)}"` : '';
  return { Authorization: `MediaBrowser Client="${CLIENT}", Device="exstreamtv", DeviceId="${q(c.deviceId)}", Version="${VERSION}"${token}` };
}

/** One JSON request to the server (any path). */
export const jfCall = <S extends z.ZodType>(c: JellyfinConn, path: string, schema: S, more: { method?: 'POST'; body?: unknown } = {}) =>
  requestJson({
    base: baseUrl(c.url), path, headers: authHeader(c), product: productName(c.kind), ...more,
    ...(c.timeoutMs ? { timeoutMs: c.timeoutMs } : {}), ...(c.signal ? { signal: c.signal } : {}),
  }, schema);

const authResult = z.object({ AccessToken: z.string().min(1), User: z.object({ Id: z.string() }), ServerId: z.string().optional() });

/** Exchanges a user name and password for an access token (once; the password is never kept). */
export async function signIn(c: JellyfinConn, username: string, password: string): Promise<{ token: string; userId: string }> {
  try {
    const r = await jfCall(c, '/Users/AuthenticateByName', authResult, { method: 'POST', body: { Username: username, Pw: password } });
    return { token: r.AccessToken, userId: r.User.Id };
  } catch (err) {
    if (err instanceof ServerError && err.field === 'token') {
      throw new ServerError(`${productName(c.kind)} at ${c.url} refused user "${username}": check the user name and password`, 'password');
    }
    throw err;
  }
}

const systemInfo = z.object({ ServerName: z.string(), Version: z.string(), Id: z.string(), ProductName: z.string().optional() });
export type SystemInfo = z.infer<typeof systemInfo>;

/** Server name, version and id; needs a valid token (so it checks the token too). */
export const serverInfo = (c: JellyfinConn): Promise<SystemInfo> => jfCall(c, '/System/Info', systemInfo);

const me = z.object({ Id: z.string(), Name: z.string() });
/** The user the token belongs to. */
export const currentUser = (c: JellyfinConn) => jfCall(c, '/Users/Me', me);

const virtualFolder = z.object({
  Name: z.string(), ItemId: z.string(), CollectionType: z.string().nullish(), Locations: z.array(z.string()).default([]),
});
export type VirtualFolder = z.infer<typeof virtualFolder>;
export const libraries = (c: JellyfinConn): Promise<VirtualFolder[]> => jfCall(c, '/Library/VirtualFolders', z.array(virtualFolder));

const stream = z.object({
  Index: z.number().int(), Type: z.string(), Codec: z.string().nullish(), Profile: z.string().nullish(), Language: z.string().nullish(),
  Title: z.string().nullish(), DisplayTitle: z.string().nullish(), IsDefault: z.boolean().nullish(), IsForced: z.boolean().nullish(),
  IsExternal: z.boolean().nullish(), IsInterlaced: z.boolean().nullish(), Width: z.number().nullish(), Height: z.number().nullish(),
  RealFrameRate: z.number().nullish(), AverageFrameRate: z.number().nullish(), AspectRatio: z.string().nullish(),
  PixelFormat: z.string().nullish(), Channels: z.number().nullish(), ChannelLayout: z.string().nullish(),
  SampleRate: z.number().nullish(), BitRate: z.number().nullish(),
});
export type JfStream = z.infer<typeof stream>;

const mediaSource = z.object({
  Id: z.string(), Path: z.string().nullish(), Container: z.string().nullish(), Size: z.number().nullish(),
  Bitrate: z.number().nullish(), RunTimeTicks: z.number().nullish(), MediaStreams: z.array(stream).default([]),
});

export const jfItem = z.object({
  Id: z.string(), Name: z.string().default(''), Type: z.string(), Etag: z.string().nullish(), DateLastSaved: z.string().nullish(),
  DateCreated: z.string().nullish(), SeriesId: z.string().nullish(), SeriesName: z.string().nullish(),
  ParentIndexNumber: z.number().int().nullish(), IndexNumber: z.number().int().nullish(), IndexNumberEnd: z.number().int().nullish(),
  RunTimeTicks: z.number().nullish(), ProductionYear: z.number().int().nullish(), PremiereDate: z.string().nullish(),
  Overview: z.string().nullish(), Genres: z.array(z.string()).nullish(), CommunityRating: z.number().nullish(),
  OfficialRating: z.string().nullish(), ProviderIds: z.record(z.string(), z.string().nullable()).nullish(),
  Path: z.string().nullish(), Container: z.string().nullish(), ImageTags: z.record(z.string(), z.string()).nullish(),
  BackdropImageTags: z.array(z.string()).nullish(), MediaSources: z.array(mediaSource).nullish(),
});
export type JfItem = z.infer<typeof jfItem>;

const itemPage = z.object({ Items: z.array(jfItem), TotalRecordCount: z.number().int(), StartIndex: z.number().int().optional() });

export const ITEM_FIELDS = 'Path,MediaSources,MediaStreams,Overview,Genres,ProviderIds,DateCreated,DateLastSaved,Etag,OfficialRating,PremiereDate,ProductionYear';
export const PAGE_SIZE = 500;

export interface ListOptions { pageSize?: number; onPage?: (got: number, total: number) => void }

/**
 * Every Series, Episode, Movie and Video of a library, page by page. Throws a ServerError when the
 * server ignores paging (a page larger than asked, or a page starting with an item already seen) or
 * when the pages do not add up to the total: a truncated listing must never flag items missing.
 */
export async function listLibrary(c: JellyfinConn, libraryId: string, o: ListOptions = {}): Promise<JfItem[]> {
  return listAllPages({
    product: productName(c.kind), pageSize: o.pageSize ?? PAGE_SIZE, keyOf: (it) => it.Id, ...(o.onPage ? { onPage: o.onPage } : {}),
    fetchPage: async (start, limit) => {
      const q = new URLSearchParams({
        ParentId: libraryId, Recursive: 'true', IncludeItemTypes: 'Series,Episode,Movie,Video', Fields: ITEM_FIELDS,
        CollapseBoxSetItems: 'false', ExcludeLocationTypes: 'Virtual', SortBy: 'SortName,Id', SortOrder: 'Ascending',
        StartIndex: String(start), Limit: String(limit), EnableImages: 'true', EnableUserData: 'false',
      });
      const page = await jfCall(c, `/Items?${q}`, itemPage);
      return { items: page.Items, total: page.TotalRecordCount };
    },
  });
}

/** Direct play of the original file. */
export const streamUrl = (c: Pick<JellyfinConn, 'url'>, id: string) => `${baseUrl(c.url)}/Videos/${encodeURIComponent(id)}/stream?static=true`;
