/**
 * RunFinishedError: something was sent to a run that has already finished (completed, failed,
 * canceled or timed out), so nothing would ever read it.
 */
import { DurabullError } from "./durabull-error.js";

/** The run has finished. */
export class RunFinishedError extends DurabullError {
  readonly code = "RUN_FINISHED";
  readonly runId: string;

  constructor(runId: string, status: string) {
    super(`Run ${runId} has finished (${status}); it reads no more input.`);
    this.runId = runId;
  }
}
