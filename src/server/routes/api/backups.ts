import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { backupCreate, backupInfo, backupList, backupNameParam, restoreResult } from '../../../schemas/backup.js';
import { SCHEMA_VERSION } from '../../../engine/store/backup.js';
import { errors, noContent, type ApiOptions } from './shared.js';

export const backupRoutes: FastifyPluginAsyncZod<ApiOptions> = async (app, { engine }) => {
  const { backups } = engine;

  app.get('/backups', {
    schema: {
      tags: ['backups'],
      summary: 'Database backups in <dataDir>/backups, newest first, with size, time, reason and schema version',
      response: { 200: backupList },
    },
  }, async () => ({ dir: backups.dir, keep: engine.config.backupKeep, schemaVersion: SCHEMA_VERSION, backups: backups.list() }));

  app.post('/backups', {
    schema: {
      tags: ['backups'],
      summary: 'Back up the database now (online and consistent; the oldest beyond backupKeep are removed)',
      body: backupCreate.nullish(),
      response: { 201: backupInfo, ...errors(400) },
    },
  }, async (req, reply) => reply.code(201).send(await backups.create(req.body?.reason ?? 'manual')));

  app.post('/backups/:name/restore', {
    schema: {
      tags: ['backups'],
      summary: 'Replace channels, schedules, library and settings with a backup: checked first (integrity, schema version), '
        + 'scans and live sessions stop (new ones get a 503 meanwhile), the current database is backed up (reason pre-restore), '
        + 'the server goes on with the restored data; a backup that cannot be migrated is a 409 and the database stays as it was',
      params: backupNameParam,
      response: { 200: restoreResult, ...errors(400, 404, 409) },
    },
  }, async (req) => backups.restore(req.params.name));

  app.delete('/backups/:name', {
    schema: {
      tags: ['backups'],
      summary: 'Delete a backup file',
      params: backupNameParam,
      response: { 204: noContent, ...errors(400, 404) },
    },
  }, async (req, reply) => {
    await backups.remove(req.params.name);
    return reply.code(204).send();
  });
};
