/**
 * InputStreamFullError: a run's input stream already holds as many unread values as it may;
 * the value sent was not kept. The sender can retry once the run has read some.
 */
import { DurabullError } from "./durabull-error.js";

/** The input stream's buffer is full. */
export class InputStreamFullError extends DurabullError {
  readonly code = "INPUT_STREAM_FULL";

  constructor(runId: string, streamId: string, limit: number) {
    super(`Input stream "${streamId}" of run ${runId} already holds ${limit} unread values.`);
  }
}
