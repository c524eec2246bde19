/**
 * ConfigurationError: an option given to `configure`, `task`, `createWorker` or a trigger is
 * not allowed. The message says what was allowed and what was given.
 */
import { DurabullError } from "./durabull-error.js";

/** An option has a value durabull does not accept. */
export class ConfigurationError extends DurabullError {
  readonly code = "CONFIGURATION_INVALID";
}
