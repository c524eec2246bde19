/**
 * The base class of every error durabull throws on purpose. Each subclass lives in its own
 * file, has a stable string `code` that callers (and the HTTP service) can branch on, and
 * keeps the underlying error as `cause`.
 */

/** Options every durabull error accepts. */
export interface DurabullErrorOptions {
  /** The error that led to this one. */
  cause?: unknown;
}

/**
 * Base class of durabull's errors. Branch on `code`, not on the message.
 *
 * @example
 * try { await runs.retrieve(id) } catch (err) {
 *   if (err instanceof DurabullError && err.code === "RUN_NOT_FOUND") ...
 * }
 */
export abstract class DurabullError extends Error {
  /** A stable, machine-readable name of what went wrong. */
  abstract readonly code: string;

  constructor(message: string, options: DurabullErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}
