// Media servers (Jellyfin, Emby, Plex) as sources: connect, check, choose a library.
import { z } from 'zod';
import { label } from './common.js';

export const serverKinds = ['jellyfin', 'emby', 'plex'] as const;
export const serverKind = z.enum(serverKinds);

const absPath = z.string().min(1).max(4096).refine((p) => p.startsWith('/') && !p.includes('\u0000'), 'must be an absolute path');
const secret = z.string().min(1, 'must not be empty').max(4096).refine((s) => !/[\r\n\0]/.test(s), 'must be one line');

export const serverConnect = z.object({
  kind: serverKind,
  url: z.string().min(1).max(2048).describe("the server's base URL, e.g. http://192.168.1.10:8096"),
  token: secret.optional().describe('an access/API key (instead of username + password)'),
  username: z.string().min(1).max(200).optional().describe('Jellyfin/Emby: exchanged once, with password, for an access token'),
  password: z.string().max(1000).optional().describe('used once for sign-in; never stored'),
  plexPin: z.number().int().positive().optional().describe('Plex: the id of an approved "sign in with Plex" PIN (POST /api/servers/plex/pins) instead of a token'),
}).strict();
export type ServerConnect = z.infer<typeof serverConnect>;

export const pathMapInput = z.array(z.object({ from: absPath.describe('path as the server sees it'), to: absPath.describe('the same files on this box') }).strict()).max(20);

export const serverSourceInput = serverConnect.extend({
  library: z.string().min(1).max(300).describe('library id or name (see POST /api/servers/check)'),
  name: label(100).optional().describe('source name (default: "<server> – <library>")'),
  pathMap: pathMapInput.optional().describe('server path → local path: play local files instead of streaming them'),
  guideReload: z.boolean().optional().describe("Plex: ask the server's DVRs that use this tuner to reload their guide after ours changes (best-effort)"),
}).strict();
export type ServerSourceInput = z.infer<typeof serverSourceInput>;

export const serverLibrary = z.object({ id: z.string(), name: z.string(), type: z.string().nullable(), locations: z.array(z.string()) });

export const serverHealth = z.object({
  ok: z.boolean(),
  kind: serverKind,
  url: z.string(),
  serverName: z.string().nullable(),
  version: z.string().nullable(),
  /** Why not ok: one line saying what to fix. */
  reason: z.string().nullable(),
  libraries: z.array(serverLibrary),
});
export type ServerHealth = z.infer<typeof serverHealth>;

export const pathMapPatch = z.object({ pathMap: pathMapInput }).strict();
export const guideReloadPatch = z.object({ enabled: z.boolean() }).strict();

/** "Sign in with Plex": the PIN to approve at authUrl (or plex.tv/link with the code). */
export const plexPinStart = z.object({ id: z.number().int(), code: z.string(), authUrl: z.string(), expiresAt: z.string() });
export type PlexPinStart = z.infer<typeof plexPinStart>;

export const plexTvServer = z.object({
  name: z.string(), id: z.string(), version: z.string().nullable(), owned: z.boolean(),
  uris: z.array(z.string()).describe('connection URIs, local first, relays last'),
});
export const plexPinState = z.object({
  id: z.number().int(),
  state: z.enum(['waiting', 'signed-in', 'expired']),
  servers: z.array(plexTvServer).describe("the account's servers once signed in (their tokens stay on the box)"),
});
export type PlexPinState = z.infer<typeof plexPinState>;
export const plexPinParam = z.object({ id: z.coerce.number().int().positive() });
