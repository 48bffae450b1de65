// Import from dizqueTV, Tunarr and ErsatzTV: POST /api/import (dryRun: report only).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { importInput, importReport } from '../../../schemas/import.js';
import { errors, type ApiOptions } from './shared.js';

export const importRoutes: FastifyPluginAsyncZod<ApiOptions> = async (app, { engine }) => {
  app.post('/import', {
    schema: {
      tags: ['import'],
      summary: "Import channels, schedules, filler lists, custom shows, media servers and local libraries from dizqueTV, Tunarr or ErsatzTV (their data is only read). dryRun: the report of what would be created, matched and skipped, nothing written. A real run adds the other program's servers and folders as sources (scanned first), then writes everything else in one transaction; an existing channel number or collection name is refused (409, nothing written) unless onClash is renumber or replace",
      body: importInput,
      response: { 200: importReport, ...errors(400, 409) },
    },
  }, async (req) => engine.imports.run(req.body));
};
