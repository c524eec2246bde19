/**
 * `runs`: read, list, cancel and replay runs from anywhere with a Redis connection.
 */
import { z } from "zod";
import { cancelRun, type CancelResult } from "../engine/cancel.js";
import { checkOptions, oneOrMany } from "../engine/check-options.js";
import { listRuns, replayRun } from "../engine/run-list.js";
import { RUN_STATUSES, type RunStatus } from "../engine/run-status.js";
import type { RunHandle } from "../engine/trigger.js";
import { retrieveRun, type RunDetails } from "../engine/run-reader.js";
import { runtime } from "../engine/runtime.js";
import type { Task, TaskOutput, TaskPayload } from "./task.js";

/** Filters of `runs.list`. */
export interface ListRunsOptions {
  taskIdentifier?: string | string[];
  status?: RunStatus | RunStatus[];
  tag?: string;
  queue?: string;
  /** Created at or after. */
  from?: Date;
  /** Created at or before. */
  to?: Date;
  /** At most this many, newest first. Default 20, at most 100. */
  limit?: number;
}

const listRunsSchema = z
  .object({
    taskIdentifier: oneOrMany(z.string()).optional(),
    status: oneOrMany(z.enum(RUN_STATUSES)).optional(),
    tag: z.string().optional(),
    queue: z.string().optional(),
    from: z.date().optional(),
    to: z.date().optional(),
    limit: z.number().int().min(1).max(100).optional(),
  })
  .strict();

/** Reading and managing runs. */
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

  /**
   * Recent runs, newest first, by task, status, tag, queue and creation time. It looks at the
   * newest runs of each queue (up to ten times `limit` per state), not all history.
   *
   * @example const stuck = await runs.list({ status: "WAITING", taskIdentifier: "process-refund" });
   */
  async list(filters: ListRunsOptions = {}): Promise<RunDetails[]> {
    const checked = checkOptions(listRunsSchema, filters, "runs.list filters");
    return listRuns(runtime(), {
      ...(checked.taskIdentifier ? { taskIdentifier: checked.taskIdentifier } : {}),
      ...(checked.status ? { status: checked.status } : {}),
      ...(checked.tag ? { tag: checked.tag } : {}),
      ...(checked.queue ? { queue: checked.queue } : {}),
      ...(checked.from ? { from: checked.from.getTime() } : {}),
      ...(checked.to ? { to: checked.to.getTime() } : {}),
      limit: checked.limit ?? 20,
    });
  },

  /**
   * Starts a new run of the same task with the same payload (and tags); the original is left as
   * it is. Answers the new run.
   */
  replay(runId: string): Promise<RunHandle> {
    return replayRun(runtime(), runId);
  },
};
