/**
 * NestedDurableCallError: a durable call was made inside a `step.run` body. A step's body is
 * skipped on replay, so durable calls inside it would vanish from the replay and shift every
 * later call; they must sit beside steps, not in them.
 */
import { DurabullError } from "./durabull-error.js";

/** A durable call was made inside a step body. */
export class NestedDurableCallError extends DurabullError {
  readonly code = "NESTED_DURABLE_CALL";

  constructor(call: string, step: string) {
    super(`${call} was called inside step.run("${step}"); durable calls cannot be nested in a step.`);
  }
}
