/**
 * `tasks`: trigger a task by its id, from code that does not import the task (an API server
 * that only enqueues). The queue comes from a task defined in this process, else from the
 * registry workers publish in Redis; an id neither knows throws UnknownTaskError.
 */
import { resolveTaskTarget } from "../engine/task-registry.js";
import { runtime } from "../engine/runtime.js";
import type { BatchHandle, BatchItem, RunHandle, TriggerOptions } from "../engine/trigger.js";
import { assertValidName } from "../redis/keys.js";
import type { Task, TaskOutput, TaskPayload } from "./task.js";
import { onlyRun, trigger, triggerAndWaitFor, type BatchRunResults, type TaskRunResult } from "./triggering.js";

type AnyTask = Task<string, unknown, unknown>;

/** Triggering by task id. */
export const tasks = {
  /**
   * Triggers a run of the task with this id.
   *
   * @example await tasks.trigger<typeof sendEmail>("send-email", { to: "ada@example.com" });
   */
  async trigger<TTask extends AnyTask = AnyTask>(taskId: TTask["id"], payload: TaskPayload<TTask>, options?: TriggerOptions): Promise<RunHandle> {
    assertValidName("task id", taskId);
    return onlyRun(await trigger(await resolveTaskTarget(runtime(), taskId), [{ payload, ...(options ? { options } : {}) }], false));
  },

  /** Triggers up to 1,000 runs of the task with this id. */
  async batchTrigger<TTask extends AnyTask = AnyTask>(taskId: TTask["id"], items: BatchItem<TaskPayload<TTask>>[]): Promise<BatchHandle> {
    assertValidName("task id", taskId);
    return (await trigger(await resolveTaskTarget(runtime(), taskId), items, true)) as BatchHandle;
  },

  /** Inside a run: triggers a run of the task with this id and parks until it ends. */
  async triggerAndWait<TTask extends AnyTask = AnyTask>(
    taskId: TTask["id"],
    payload: TaskPayload<TTask>,
    options?: TriggerOptions,
  ): Promise<TaskRunResult<TaskOutput<TTask>>> {
    assertValidName("task id", taskId);
    const { runs } = await triggerAndWaitFor<TaskOutput<TTask>>(await resolveTaskTarget(runtime(), taskId), [{ payload, ...(options ? { options } : {}) }], false);
    return runs[0]!;
  },

  /** Inside a run: triggers up to 1,000 runs of the task with this id and parks until all have ended. */
  async batchTriggerAndWait<TTask extends AnyTask = AnyTask>(
    taskId: TTask["id"],
    items: BatchItem<TaskPayload<TTask>>[],
  ): Promise<BatchRunResults<TaskOutput<TTask>>> {
    assertValidName("task id", taskId);
    return triggerAndWaitFor<TaskOutput<TTask>>(await resolveTaskTarget(runtime(), taskId), items, true);
  },
};
