// Media servers (Jellyfin, Emby, Plex; Plex sign-in by PIN): check a connection, add a library as a source, health on demand,
// path replacement. Failures are 400s naming the field to fix (url, token, password, library).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParam } from '../../../schemas/common.js';
import { mediaSource } from '../../../schemas/library.js';
import { guideReloadPatch, pathMapPatch, plexPinParam, plexPinStart, plexPinState, serverConnect, serverHealth, serverSourceInput } from '../../../schemas/servers.js';
import { errors, type ApiOptions } from './shared.js';

export const serverRoutes: FastifyPluginAsyncZod<ApiOptions> = async (app, { engine }) => {
  app.post('/servers/check', {
    schema: {
      tags: ['library'],
      summary: 'Connect to a Jellyfin/Emby/Plex server (token, username + password signed in once, or a Plex sign-in PIN) and list its libraries; stores nothing',
      body: serverConnect,
      response: { 200: serverHealth, ...errors(400) },
    },
  }, async (req) => engine.servers.check(req.body));

  app.post('/servers/sources', {
    schema: {
      tags: ['library'],
      summary: 'Add one library of a Jellyfin/Emby/Plex server as a media source (token kept in a 0600 file, the password never); scan it with POST /api/sources/{id}/scan',
      body: serverSourceInput,
      response: { 201: mediaSource, ...errors(400, 409) },
    },
  }, async (req, reply) => reply.code(201).send(await engine.servers.addLibrary(req.body)));

  app.post('/servers/plex/pins', {
    schema: {
      tags: ['library'],
      summary: 'Sign in with Plex: make a PIN at plex.tv; the user approves it at authUrl, then poll GET /api/servers/plex/pins/{id}',
      response: { 201: plexPinStart, ...errors(400) },
    },
  }, async (_req, reply) => reply.code(201).send(await engine.servers.plex.start()));

  app.get('/servers/plex/pins/:id', {
    schema: {
      tags: ['library'],
      summary: "A Plex sign-in now: waiting, signed-in (with the account's servers; add one with plexPin instead of a token) or expired",
      params: plexPinParam,
      response: { 200: plexPinState, ...errors(400, 404) },
    },
  }, async (req) => engine.servers.plex.poll(req.params.id));

  app.get('/sources/:id/health', {
    schema: {
      tags: ['library'],
      summary: "A media-server source's health now: reachable, token valid, server name and version, library present — or a one-line reason",
      params: idParam,
      response: { 200: serverHealth, ...errors(400, 404) },
    },
  }, async (req) => engine.servers.health(req.params.id));

  app.put('/sources/:id/path-map', {
    schema: {
      tags: ['library'],
      summary: 'Set path replacement of a media-server source (server path → local path); applies from the next item that airs',
      params: idParam,
      body: pathMapPatch,
      response: { 200: mediaSource, ...errors(400, 404) },
    },
  }, async (req) => engine.servers.setPathMap(req.params.id, req.body.pathMap));

  app.put('/sources/:id/guide-reload', {
    schema: {
      tags: ['library'],
      summary: "Plex source: reload the server's DVR guide (DVRs that use this tuner) a minute after our guide changes; best-effort, never fatal",
      params: idParam,
      body: guideReloadPatch,
      response: { 200: mediaSource, ...errors(400, 404) },
    },
  }, async (req) => engine.servers.setGuideReload(req.params.id, req.body.enabled));
};
