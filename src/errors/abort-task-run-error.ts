/**
 * AbortTaskRunError: thrown by task code to fail a run at once, skipping every remaining
 * retry. For permanent failures (a malformed request, a resource that will never exist).
 */
import { DurabullError } from "./durabull-error.js";

/**
 * Throw inside `run` to fail the run now, with no further attempts.
 *
 * @example
 * if (res.status === 404) throw new AbortTaskRunError("invoice does not exist");
 */
export class AbortTaskRunError extends DurabullError {
  readonly code = "ABORT_TASK_RUN";
}
