import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { profileInput, profileNameParam, profilePatch, profileView, testEncodeQuery, testEncodeResult } from '../../../schemas/profile.js';
import { errors, noContent, type ApiOptions } from './shared.js';

export const profileRoutes: FastifyPluginAsyncZod<ApiOptions> = async (app, { engine }) => {
  const { profiles } = engine;
  // Profile status needs the encoder verdicts: probe (asynchronously) before the first answer.
  const verdicts = () => engine.hw.report();

  app.get('/profiles', {
    schema: {
      tags: ['profiles'],
      summary: 'Encoder profiles, built-in first: settings, whether each is usable on this machine (and why not), and the channels using it',
      response: { 200: z.array(profileView) },
    },
  }, async () => { await verdicts(); return profiles.list(); });

  app.get('/profiles/:name', {
    schema: { tags: ['profiles'], summary: 'One encoder profile by name', params: profileNameParam, response: { 200: profileView, ...errors(404) } },
  }, async (req) => { await verdicts(); return profiles.view(profiles.get(req.params.name)); });

  app.post('/profiles', {
    schema: {
      tags: ['profiles'],
      summary: 'Add a user profile (width, height and videoBitrateK required; the rest default to software H.264 30 fps fit, AAC 160k stereo 48 kHz)',
      body: profileInput,
      response: { 201: profileView, ...errors(400, 409) },
    },
  }, async (req, reply) => { await verdicts(); return reply.code(201).send(profiles.create(req.body)); });

  app.patch('/profiles/:name', {
    schema: {
      tags: ['profiles'],
      summary: 'Change a user profile (built-in ones are read-only); a profile in use may not switch to an encoder that is not verified here',
      params: profileNameParam,
      body: profilePatch,
      response: { 200: profileView, ...errors(400, 404, 409) },
    },
  }, async (req) => { await verdicts(); return profiles.update(req.params.name, req.body); });

  app.delete('/profiles/:name', {
    schema: {
      tags: ['profiles'],
      summary: 'Delete a user profile that no channel uses',
      params: profileNameParam,
      response: { 204: noContent, ...errors(404, 409) },
    },
  }, async (req, reply) => {
    profiles.remove(req.params.name);
    return reply.code(204).send();
  });

  app.post('/profiles/:name/test', {
    schema: {
      tags: ['profiles'],
      summary: 'A real short test encode with the profile (test picture through its exact pipeline): ok, ffmpeg\'s reason when not, fps and speed',
      params: profileNameParam,
      querystring: testEncodeQuery,
      response: { 200: testEncodeResult, ...errors(400, 404) },
    },
  }, async (req) => { await verdicts(); return profiles.testEncode(req.params.name, engine.config.ffmpegPath, req.query.seconds); });
};
