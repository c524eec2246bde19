/**
 * HttpError: a request the HTTP service refuses on its own account — no credential, a wrong one,
 * a body that is not JSON or not of the route's shape, an unknown route, a body over the limit,
 * Redis away. Errors of the engine (RunNotFoundError, ...) are answered by their own codes.
 */
import { DurabullError } from "../errors/durabull-error.js";

/** The statuses the service answers errors with. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 500 | 503;

/** A refused request: its status, a stable code, a message, and details of what was wrong. */
export class HttpError extends DurabullError {
  constructor(
    readonly status: ErrorStatus,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}
