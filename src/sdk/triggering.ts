/**
 * Triggering, shared by task objects and `tasks` (by id): inside a run a trigger is a durable
 * call — journaled, so a replay or a retry gets the same runs back — and `triggerAndWait` parks
 * the run on its children; outside a run a trigger simply enqueues.
 */
import { RunCanceledError } from "../errors/run-canceled-error.js";
import { RunFailedError } from "../errors/run-failed-error.js";
import { RunNotFoundError } from "../errors/run-not-found-error.js";
import { RunContext, type SettledWaitpoint, type TriggeredRuns } from "../engine/run-context.js";
import { runtime } from "../engine/runtime.js";
import type { TaskTarget } from "../engine/task-registry.js";
import { triggerBatch, triggerRuns, type BatchItem, type RunHandle, type TriggerOptions } from "../engine/trigger.js";
import { unwrappable, unwrappablePromise, type Unwrapped, type UnwrappedPromise } from "./unwrap.js";

/** How a child run ended, for the run that waited on it, before `unwrap()` is added. */
export type TaskRunOutcome<TOutput> =
  | { ok: true; id: string; taskIdentifier: string; output: TOutput }
  | { ok: false; id: string; taskIdentifier: string; error: RunFailedError | RunCanceledError | RunNotFoundError };

/** How a child run ended, for the run that waited on it. `unwrap()` gives the output or throws. */
export type TaskRunResult<TOutput> = Unwrapped<TaskRunOutcome<TOutput>>;

/** What `triggerAndWait` returns: the result, and `.unwrap()` for the output or the thrown error. */
export type TaskRunPromise<TOutput> = UnwrappedPromise<TaskRunOutcome<TOutput>>;

/** What `batchTriggerAndWait` returns once every child has ended: one result per item, in order. */
export interface BatchRunResults<TOutput> {
  batchId?: string;
  runs: TaskRunResult<TOutput>[];
}

function fire(target: TaskTarget, items: BatchItem<unknown>[], waited: boolean, batch: boolean): (position?: number) => Promise<TriggeredRuns> {
  const parent = waited ? RunContext.forTrigger()?.ctx.run.createdAt.getTime() : undefined;
  const base = { caller: RunContext.callingRun(), waited, ...(parent !== undefined ? { enqueuedAt: parent } : {}) };
  return async (position) => {
    const context = position === undefined ? base : { ...base, position };
    return batch
      ? triggerBatch(runtime(), target, items, context)
      : { runs: await triggerRuns(runtime(), items.map((item) => ({ target, payload: item.payload, options: item.options })), context) };
  };
}

/** Triggers one run, or a batch; journaled when made by a run. */
export async function trigger(target: TaskTarget, items: BatchItem<unknown>[], batch: boolean): Promise<TriggeredRuns> {
  const context = RunContext.forTrigger();
  const made = fire(target, items, false, batch);
  return context ? context.trigger(target.taskId, false, made) : made();
}

function childResult<TOutput>(taskIdentifier: string, { waitpointId: id, result }: SettledWaitpoint): TaskRunResult<TOutput> {
  if (result.ok) return unwrappable<TaskRunOutcome<TOutput>>({ ok: true, id, taskIdentifier, output: result.output as TOutput });
  const error =
    result.error.code === "RUN_CANCELED"
      ? new RunCanceledError(id)
      : result.error.code === "RUN_NOT_FOUND"
        ? new RunNotFoundError(id)
        : new RunFailedError(id, result.error);
  return unwrappable<TaskRunOutcome<TOutput>>({ ok: false, id, taskIdentifier, error });
}

/** Triggers children and parks the calling run until all have ended; their results, in order. */
export async function triggerAndWaitFor<TOutput>(target: TaskTarget, items: BatchItem<unknown>[], batch: boolean): Promise<BatchRunResults<TOutput>> {
  const context = RunContext.current(() => `${batch ? "batchTriggerAndWait" : "triggerAndWait"} of task "${target.taskId}"`);
  const { runs, batchId } = await context.trigger(target.taskId, true, fire(target, items, true, batch));
  const settled = await context.waitForRuns(runs.map((run) => run.id));
  return { ...(batchId ? { batchId } : {}), runs: settled.map((child) => childResult<TOutput>(target.taskId, child)) };
}

/** `triggerAndWait` for one child. */
export function triggerAndWaitOne<TOutput>(target: TaskTarget, payload: unknown, options: TriggerOptions | undefined): TaskRunPromise<TOutput> {
  return unwrappablePromise(triggerAndWaitFor<TOutput>(target, [{ payload, ...(options ? { options } : {}) }], false).then(({ runs }) => runs[0]!));
}

/** The single handle of a one-run trigger. */
export function onlyRun(triggered: TriggeredRuns): RunHandle {
  return triggered.runs[0]!;
}
