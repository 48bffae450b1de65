// Request bodies are JSON only. An empty JSON body counts as no body (clients send the header on
// DELETE); a syntax error says where it is; other content types are answered with 415.
import type { FastifyInstance } from 'fastify';

class BodyError extends Error {
  readonly statusCode = 400;
}

export function installJsonBodyParser(app: FastifyInstance): void {
  const secureParse = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    try {
      JSON.parse(text);
    } catch (err) {
      return done(new BodyError(`body is not valid JSON: ${(err as Error).message}`), undefined);
    }
    secureParse(req, text, (err, value) => {
      if (err) return done(new BodyError('body is not acceptable JSON: keys named __proto__ or constructor.prototype are refused'), undefined);
      done(null, value);
    });
  });
}
