import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ApiOptions } from './shared.js';

export const openapiRoutes: FastifyPluginAsyncZod<ApiOptions> = async (app) => {
  app.get('/openapi.json', {
    schema: {
      tags: ['meta'],
      summary: 'This API as an OpenAPI 3 document',
      response: { 200: z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.record(z.string(), z.unknown()) }) },
    },
  }, async () => app.swagger() as unknown as { openapi: string; info: Record<string, unknown>; paths: Record<string, unknown> });
};
