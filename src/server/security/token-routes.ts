// GET /api/token and POST /api/token/rotate: what `exstreamtv token show|rotate` calls. Admin
// only, like the rest of /api (from loopback with trustLoopback, or with the token itself).
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBody } from '../../schemas/common.js';
import { tokenFile, type Tokens } from './token.js';

const tokenInfo = z.object({
  token: z.string().describe('Admin token: send as "Authorization: Bearer <token>"'),
  streamToken: z.string().describe('Stream token: ?token=<streamToken> on tuner, guide and stream URLs when tunerToken is on'),
  file: z.string().describe('Where the admin token is kept (mode 0600)'),
  tunerToken: z.boolean().describe('Whether tuner, guide and stream URLs require the stream token'),
});

export const tokenRoutes: FastifyPluginAsyncZod<{ tokens: Tokens; dataDir: string; tunerToken: boolean }> = async (app, { tokens, dataDir, tunerToken }) => {
  const info = () => ({ token: tokens.adminToken, streamToken: tokens.streamToken, file: tokenFile(dataDir), tunerToken });
  app.get('/token', {
    schema: { tags: ['security'], summary: 'The admin and stream tokens', response: { 200: tokenInfo, 401: errorBody } },
  }, async () => info());
  app.post('/token/rotate', {
    schema: {
      tags: ['security'],
      summary: 'Replace the admin token (and so the stream token) with a new random one; the old ones stop working at once',
      response: { 200: tokenInfo, 401: errorBody, 403: errorBody },
    },
  }, async () => {
    tokens.rotate();
    return info();
  });
};
