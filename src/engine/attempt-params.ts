/**
 * The second argument an attempt passes to a task's `run`: `ctx`, and `signal`, the run's cancel
 * signal, made when first read. `signal` is a getter of this class, not of each object: in V8 an
 * object literal with a getter gets a hidden class of its own per evaluation, and that hidden
 * class keeps the getter's closure — and through it the attempt's whole context — alive until a
 * full garbage collection. In the runs bench that promoted most of every run's objects to the old
 * generation and tripled the time spent in scavenges.
 */
import type { RunContext, TaskContext } from "./run-context.js";
import type { RunParams } from "./task-definition.js";

/** `{ ctx, signal }` of one attempt. */
export class AttemptParams implements RunParams {
  readonly #context: RunContext;

  constructor(
    readonly ctx: TaskContext,
    context: RunContext,
  ) {
    this.#context = context;
  }

  /** Aborts when the run is canceled or passes its maxDuration. */
  get signal(): AbortSignal {
    return this.#context.signal;
  }
}
