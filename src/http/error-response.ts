/**
 * How the HTTP service answers an error: one JSON shape, `{ error: { code, message, details? } }`,
 * with the status the error's code calls for. Engine errors keep their own codes (a missing run
 * is RUN_NOT_FOUND, 404); an error from a Redis that does not answer is REDIS_UNAVAILABLE, 503;
 * anything unexpected is logged and answered INTERNAL_ERROR, 500, without its message.
 */
import type { Context } from "hono";
import type { Logger } from "../config/logger.js";
import { DurabullError } from "../errors/durabull-error.js";
import { TaskPayloadError } from "../errors/task-payload-error.js";
import { isRedisUnavailable } from "../redis/redis-errors.js";
import { HttpError, type ErrorStatus } from "./http-error.js";

/** The body of every error answer. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** The status for each engine error code the API can meet. */
const STATUS_OF_CODE: Record<string, ErrorStatus> = {
  CONFIGURATION_INVALID: 400,
  TASK_PAYLOAD_INVALID: 400,
  RUN_NOT_FOUND: 404,
  WAITPOINT_NOT_FOUND: 404,
  QUEUE_NOT_FOUND: 404,
  UNKNOWN_TASK: 404,
  RUN_FINISHED: 409,
  INPUT_STREAM_FULL: 409,
  INPUT_STREAM_VALUE_TOO_LARGE: 413,
  REDIS_UNAVAILABLE: 503,
};

/** The error as an HttpError: its status, code, message and details. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof DurabullError && STATUS_OF_CODE[error.code] !== undefined) {
    return new HttpError(STATUS_OF_CODE[error.code]!, error.code, error.message, error instanceof TaskPayloadError ? error.issues : undefined);
  }
  if (isRedisUnavailable(error)) return new HttpError(503, "REDIS_UNAVAILABLE", "Redis does not answer; try again shortly.");
  return new HttpError(500, "INTERNAL_ERROR", "Something went wrong on the server; it has been logged.");
}

/** Answers `error` in the API's error shape, logging what was not expected. */
export function errorResponse(context: Context, error: unknown, logger: Logger): Response {
  const refused = toHttpError(error);
  if (refused.status === 500) logger.error(`${context.req.method} ${context.req.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  const body: ErrorBody = { error: { code: refused.code, message: refused.message, ...(refused.details !== undefined ? { details: refused.details } : {}) } };
  return context.json(body, refused.status);
}
