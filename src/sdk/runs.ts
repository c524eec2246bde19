/**
 * `runs`: read runs from anywhere with a Redis connection.
 */
import { cancelRun, type CancelResult } from "../engine/cancel.js";
import { retrieveRun, type RunDetails } from "../engine/run-reader.js";
import { runtime } from "../engine/runtime.js";
import type { Task, TaskOutput, TaskPayload } from "./task.js";

/** Reading runs. */
export const runs = {
  /**
   * A run's status, payload, output or error, attempts, and what it waits on while parked.
   * Throws RunNotFoundError for an unknown id.
   *
   * @example
   * const run = await runs.retrieve<typeof exportInvoices>(handle.id);
   * if (run.status === "WAITING") console.log(run.waitingOn);
   */
  retrieve<TTask extends Task<string, unknown, unknown> = Task<string, unknown, unknown>>(
    runId: string,
  ): Promise<RunDetails<TaskPayload<TTask>, TaskOutput<TTask>>> {
    return retrieveRun(runtime(), runId) as Promise<RunDetails<TaskPayload<TTask>, TaskOutput<TTask>>>;
  },

  /**
   * Cancels a run: a queued, delayed or parked run at once; an executing run's `signal` aborts
   * and it ends CANCELED, without retries. Its children still going are canceled too, and runs
   * waiting on it resume with `ok: false`. A run that has ended is left as it is.
   *
   * @example await runs.cancel(exportRunId);
   */
  cancel(runId: string): Promise<CancelResult> {
    return cancelRun(runtime(), runId);
  },
};
