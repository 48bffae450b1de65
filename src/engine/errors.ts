// Errors that carry an HTTP status; the API turns them into 4xx replies, the CLI into messages.
export class AppError extends Error {
  constructor(readonly statusCode: number, message: string, readonly path?: string) {
    super(message);
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
