/**
 * InputStreamValueTooLargeError: a value sent to an input stream is bigger, as JSON, than a
 * stream value may be; it was not kept.
 */
import { DurabullError } from "./durabull-error.js";

/** The value sent to an input stream is over the size limit. */
export class InputStreamValueTooLargeError extends DurabullError {
  readonly code = "INPUT_STREAM_VALUE_TOO_LARGE";

  constructor(streamId: string, bytes: number, limit: number) {
    super(`A value for input stream "${streamId}" is ${bytes} bytes as JSON; at most ${limit} are accepted.`);
  }
}
