/**
 * `tasks`: trigger a task by its id, from code that does not import the task (an API server
 * that only enqueues). The queue comes from a task defined in this process, else from the
 * registry workers publish in Redis, else it is the queue named after the task.
 */
import { resolveTaskTarget } from "../engine/task-registry.js";
import { runtime } from "../engine/runtime.js";
import { triggerBatch, triggerRuns, type BatchHandle, type BatchItem, type RunHandle, type TriggerOptions } from "../engine/trigger.js";
import { assertValidName } from "../redis/keys.js";
import type { Task, TaskPayload } from "./task.js";

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
    const [handle] = await triggerRuns(runtime(), [{ target: await resolveTaskTarget(runtime(), taskId), payload, options }]);
    return handle!;
  },

  /** Triggers up to 1,000 runs of the task with this id. */
  async batchTrigger<TTask extends AnyTask = AnyTask>(taskId: TTask["id"], items: BatchItem<TaskPayload<TTask>>[]): Promise<BatchHandle> {
    assertValidName("task id", taskId);
    return triggerBatch(runtime(), await resolveTaskTarget(runtime(), taskId), items);
  },
};
