/**
 * RedisUnavailableError: Redis did not answer — it is down, restarting or unreachable — so the
 * call did nothing. Retry once Redis is back; nothing was half-written.
 */
import { DurabullError } from "./durabull-error.js";

/** Redis did not answer; the call changed nothing. */
export class RedisUnavailableError extends DurabullError {
  readonly code = "REDIS_UNAVAILABLE";

  constructor(what: string, cause: unknown) {
    super(`${what}: Redis does not answer (${cause instanceof Error ? cause.message : String(cause)}).`, { cause });
  }
}
