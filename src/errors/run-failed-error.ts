/**
 * RunFailedError: a child run a parent waited on (`triggerAndWait`, `batchTriggerAndWait`)
 * ended FAILED or TIMED_OUT. It carries the child's own error.
 */
import type { SerializedError } from "../engine/serialized-error.js";
import { DurabullError } from "./durabull-error.js";

/** A waited-on run did not complete. */
export class RunFailedError extends DurabullError {
  readonly code = "RUN_FAILED";
  readonly runId: string;
  /** The child run's own error. */
  readonly runError: SerializedError;

  constructor(runId: string, runError: SerializedError) {
    super(`Run ${runId} failed: ${runError.name}: ${runError.message}`);
    this.runId = runId;
    this.runError = runError;
  }
}
