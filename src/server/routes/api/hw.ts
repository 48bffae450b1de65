import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { hwReport } from '../../../schemas/hw.js';
import type { ApiOptions } from './shared.js';

export const hwRoutes: FastifyPluginAsyncZod<ApiOptions> = async (app, { engine }) => {
  app.get('/hw', {
    schema: {
      tags: ['hardware'],
      summary: 'Hardware encoders: each kind (software, nvenc, qsv, vaapi, videotoolbox, amf, v4l2m2m) verified by a real 2-frame encode, or unavailable with ffmpeg\'s reason; devices, drivers and health. Cached per ffmpeg binary; probes on first use',
      response: { 200: hwReport },
    },
  }, async () => engine.hw.report());

  app.post('/hw/probe', {
    schema: {
      tags: ['hardware'],
      summary: 'Probe every encoder kind again now (after installing a driver or adding a device); returns the new report',
      response: { 200: hwReport },
    },
  }, async () => engine.hw.report({ refresh: true }));
};
