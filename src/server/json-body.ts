// Request bodies are JSON only. An empty JSON body counts as no body (clients send the header on
// DELETE); a syntax error says where it is; bytes that are not UTF-8 are a 400 (never stored as
// U+FFFD); other content types are answered with 415.
import type { FastifyInstance } from 'fastify';

class BodyError extends Error {
  readonly statusCode = 400;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function installJsonBodyParser(app: FastifyInstance): void {
  const secureParse = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      return done(new BodyError('body is not valid UTF-8: send JSON text encoded as UTF-8'), undefined);
    }
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
