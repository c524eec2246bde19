/**
 * WaitpointTimeoutError: a waitpoint timed out before anything completed it. `wait.forToken`
 * reports it as `{ ok: false, error }`; `.unwrap()` throws it.
 */
import { DurabullError } from "./durabull-error.js";

/** The waitpoint timed out. */
export class WaitpointTimeoutError extends DurabullError {
  readonly code = "WAITPOINT_TIMEOUT";
  readonly waitpointId: string;

  constructor(waitpointId: string) {
    super(`Waitpoint ${waitpointId} timed out before it was completed.`);
    this.waitpointId = waitpointId;
  }
}
