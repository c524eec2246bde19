/**
 * InputStreamTimeoutError: an input stream's `.once({ timeoutMs })` saw no value in time.
 */
import { DurabullError } from "./durabull-error.js";

/** No value arrived on the input stream before `.once()` timed out. */
export class InputStreamTimeoutError extends DurabullError {
  readonly code = "INPUT_STREAM_TIMEOUT";
  readonly streamId: string;

  constructor(streamId: string, timeoutMs: number | undefined) {
    super(`No value arrived on input stream "${streamId}"${timeoutMs === undefined ? "" : ` within ${timeoutMs} ms`}.`);
    this.streamId = streamId;
  }
}
