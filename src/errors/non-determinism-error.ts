/**
 * NonDeterminismError: a replay met a durable call that differs from the one the run's
 * journal recorded at the same place (code changed between attempts, or branches on
 * something that is not journaled). The run fails without retrying: a retry would meet the
 * same disagreement.
 */
import { DurabullError } from "./durabull-error.js";

/** What the journal recorded and what the code called, at one position. */
export interface DurableCallMismatch {
  /** Position of the durable call within the run, counting from 0. */
  index: number;
  /** The call the journal holds at that position, e.g. `step.run("charge")`. */
  journaled: string;
  /** The call the code made at that position. */
  called: string;
}

/** The run's code and its journal disagree about a durable call. */
export class NonDeterminismError extends DurabullError {
  readonly code = "NON_DETERMINISM";
  readonly mismatch: DurableCallMismatch;

  constructor(mismatch: DurableCallMismatch) {
    super(
      `Durable call #${mismatch.index} is ${mismatch.called}, but the run's journal recorded ` +
        `${mismatch.journaled} there. Durable calls (step.run, wait.*) must happen in the same ` +
        `order on every replay; move anything that varies between attempts into a step.`,
    );
    this.mismatch = mismatch;
  }
}
