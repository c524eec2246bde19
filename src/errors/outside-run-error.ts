/**
 * OutsideRunError: a durable call (`step.run`, `wait.for`, ...) was made outside a task's
 * `run` function, where there is no run to journal it in — or from a callback inside it (a
 * timer's, an event's), which the run's context does not reach (engine/promise-context.ts).
 */
import { DurabullError } from "./durabull-error.js";

/** A durable call was made where no run is executing. */
export class OutsideRunError extends DurabullError {
  readonly code = "OUTSIDE_RUN";

  constructor(call: string) {
    super(`${call} can only be called inside a task's run function (from its code or a promise it awaits, not from a timer's or an event's callback).`);
  }
}
