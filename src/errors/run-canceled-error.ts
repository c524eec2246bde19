/**
 * RunCanceledError: the run was canceled (`runs.cancel`, or its parent was canceled). A parent
 * waiting on it resumes with `{ ok: false, error }` carrying this error.
 */
import { DurabullError } from "./durabull-error.js";

/** The run was canceled. */
export class RunCanceledError extends DurabullError {
  readonly code = "RUN_CANCELED";
  readonly runId: string;

  constructor(runId: string) {
    super(`Run ${runId} was canceled.`);
    this.runId = runId;
  }
}
