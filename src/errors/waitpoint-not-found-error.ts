/**
 * WaitpointNotFoundError: no waitpoint token has this id (never created, or removed by
 * retention some time after it settled).
 */
import { DurabullError } from "./durabull-error.js";

/** No waitpoint token with this id exists. */
export class WaitpointNotFoundError extends DurabullError {
  readonly code = "WAITPOINT_NOT_FOUND";
  readonly waitpointId: string;

  constructor(waitpointId: string) {
    super(`No waitpoint token with id "${waitpointId}".`);
    this.waitpointId = waitpointId;
  }
}
