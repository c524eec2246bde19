/**
 * RunNotFoundError: no run has the given id (never triggered, or removed by retention).
 */
import { DurabullError } from "./durabull-error.js";

/** No run with this id exists. */
export class RunNotFoundError extends DurabullError {
  readonly code = "RUN_NOT_FOUND";
  readonly runId: string;

  constructor(runId: string) {
    super(`No run with id "${runId}".`);
    this.runId = runId;
  }
}
