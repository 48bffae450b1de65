// The tuner's identity: read it, change the DeviceID or the friendly name (TUI Tuner view, `exstreamtv tuner set`).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { tunerInfo, tunerPatch } from '../../../schemas/tuner.js';
import { errors, type ApiOptions } from './shared.js';

export const tunerRoutes: FastifyPluginAsyncZod<ApiOptions> = async (app, { engine }) => {
  app.get('/tuner', {
    schema: { tags: ['status'], summary: 'HDHomeRun identity: DeviceID, friendly name, tuner count', response: { 200: tunerInfo } },
  }, async () => engine.tuner());

  app.patch('/tuner', {
    schema: {
      tags: ['status'],
      summary: 'Change the DeviceID (or generate one) and/or the friendly name; DVRs see them at their next discovery',
      body: tunerPatch, response: { 200: tunerInfo, ...errors(400) },
    },
  }, async (req) => engine.setTuner(req.body));
};
