// Pieces every API route file uses: plugin options and the documented error replies.
import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import type { Engine } from '../../../engine/engine.js';
import { errorBody } from '../../../schemas/common.js';

export interface ApiOptions { engine: Engine; sseHeartbeatMs: number }

const WHY: Record<number, string> = {
  400: 'The request is invalid; `message` names the first field and the reason, `issues` lists all',
  404: 'Not found',
  409: 'Conflicts with the current state (a name or number in use, content in use, a scan running)',
};

/** Response schemas for the error statuses a route can answer with. */
export function errors<const C extends readonly number[]>(...codes: C): { [K in C[number]]: typeof errorBody } {
  return Object.fromEntries(codes.map((c) => [c, errorBody.describe(WHY[c] ?? STATUS_CODES[c] ?? 'Error')])) as { [K in C[number]]: typeof errorBody };
}

/** 204 replies carry no body. */
export const noContent = z.undefined().describe('No content');
