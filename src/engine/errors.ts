// Errors that carry an HTTP status; the API turns them into 4xx replies, the CLI into messages.
export class AppError extends Error {
  /** Extra reply headers (Retry-After, X-HDHomeRun-Error…); the server's one error handler sends them. */
  headers: Record<string, string> = {};
  constructor(readonly statusCode: number, message: string, readonly path?: string) {
    super(message);
  }
}
/** 503: try again later (a DVR or player retries); headers say when or why. */
export class UnavailableError extends AppError {
  constructor(message: string, headers: Record<string, string> = {}) {
    super(503, message);
    this.headers = headers;
  }
}
export class NotFoundError extends AppError {
  constructor(what: string) { super(404, `${what} not found`); }
}
export class ConflictError extends AppError {
  constructor(message: string, path?: string) { super(409, message, path); }
}
export class InvalidError extends AppError {
  constructor(path: string, message: string) { super(400, `${path}: ${message}`, path); }
}
