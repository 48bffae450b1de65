// Every error leaves the server as JSON {statusCode, error, message, issues?} through one handler:
// a user's mistake as a 4xx that says what to fix, an AppError with its status and headers (throw it;
// never build an error body by hand), anything else as a 500 whose details stay in the log.
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../engine/errors.js';
import type { EventBus } from '../engine/events.js';
import { validationIssues, type Issue, type ValidationEntry } from './issues.js';

export interface ErrorBody { statusCode: number; error: string; message: string; issues?: Issue[] }

export function errorBody(statusCode: number, message: string, issues?: Issue[]): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, ...(issues?.length ? { issues } : {}) };
}

/** Readable words for fastify's own request errors (content type, JSON syntax, size). */
function clientErrorMessage(err: FastifyError): string {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported content type: send JSON with "content-type: application/json"';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'request body is too large';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'body is empty but content-type is application/json: send a JSON value or no content-type';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'request body does not match its content-length';
  }
  if (err instanceof SyntaxError || err.name === 'SyntaxError') return `body is not valid JSON: ${err.message}`;
  return err.message;
}

/** Errors the router raises before any route runs (bad percent-encoding, over-long parameters). */
export function frameworkError(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    reply.code(414).send(errorBody(414, 'a path segment of this URL is too long'));
  } else if (err.code === 'FST_ERR_BAD_URL') {
    reply.code(400).send(errorBody(400, 'the URL is not valid percent-encoding'));
  } else {
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
    reply.code(status).send(errorBody(status, err.message));
  }
}

export function installErrorHandlers(app: FastifyInstance, events?: EventBus): void {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (Array.isArray(err.validation) && err.validation.length) {
      const issues = validationIssues(err.validationContext, err.validation as ValidationEntry[]);
      const first = issues[0]!;
      return reply.code(400).send(errorBody(400, `${first.path}: ${first.message}`, issues));
    }
    if (err instanceof AppError) {
      const prefix = err.path ? `${err.path}: ` : '';
      const issues = err.path ? [{ path: err.path, message: err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message }] : undefined;
      return reply.code(err.statusCode).headers(err.headers).send(errorBody(err.statusCode, err.message, issues));
    }
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) return reply.code(status).send(errorBody(status, clientErrorMessage(err)));
    if ((err as { code?: unknown }).code === 'SQLITE_BUSY') {
      return reply.code(503).header('retry-after', '1').send(errorBody(503, 'the database is busy; try again'));
    }
    req.log.error({ err }, 'request failed');
    events?.log('error', `${req.method} ${req.url} failed: ${err.stack ?? err.message}`);
    return reply.code(500).send(errorBody(500, 'internal server error; the server log has the details'));
  });

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    reply.code(404).send(errorBody(404, `no such endpoint: ${req.method} ${path} (see /api/openapi.json)`));
  });
}
