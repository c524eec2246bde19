/**
 * MaxDurationError: a run executed for longer than its task's `maxDuration`. The run ends
 * TIMED_OUT without retrying.
 */
import { DurabullError } from "./durabull-error.js";

/** The run's execution time passed its `maxDuration`. */
export class MaxDurationError extends DurabullError {
  readonly code = "MAX_DURATION_EXCEEDED";

  constructor(maxDurationSeconds: number) {
    super(`Run exceeded its maxDuration of ${maxDurationSeconds}s of execution time.`);
  }
}
